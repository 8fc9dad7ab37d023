"""The editor's page at `/`, in a real browser against the real service.

Headless Chromium from Debian (`apt-get install chromium`; .ci/setup.d/browser.sh),
driven by Playwright for Python (its driver ships in the PyPI wheel; its own browser
download is never used), talks to `sayso serve` (gunicorn) with the two sample articles
ingested, and the tests assert what an editor sees. Screenshots go to
build/test-artifacts/ (gitignored; SAYSO_TEST_ARTIFACTS to move them); each path is
printed (pytest -s or -rP shows it).

Where chromium or Playwright is missing the tests skip with the reason; under CI=true
they fail instead.
"""
from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from .test_gunicorn import ROOT, Server, call

CHROMIUM = os.environ.get("SAYSO_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("SAYSO_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))
WAIT_MS = 120_000  # a check on a busy 2-core machine takes seconds; never this long

DEATH_TOLL = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting"
BORDER = "Azerbaijan has taken full control of its border with Iran"
DRAFT = (
    "Talks in Washington \U0001F5F3\n"  # a character outside the BMP: offsets are code points, JS strings UTF-16
    f"{DEATH_TOLL}. {BORDER}, its president said on Thursday.\n"
    "The foreign ministers of both countries are due to meet the US Secretary of State on Friday."
)
BELOW_ONE_THOUSAND = "below one thousand"


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (the `test` extra: pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: run .ci/setup.d/browser.sh as root (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's headless Chromium with a fresh profile; one per module, a new tab per test."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # --user-data-dir
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, service_workers="block",
        )
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture
def page(browser):
    """A new tab that fails the test on a script error or a Content-Security-Policy violation."""
    tab = browser.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("console", lambda message: problems.append(f"console: {message.text}")
           if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    yield tab
    tab.close()
    assert not problems, problems


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """`sayso serve` (gunicorn, one worker) on a data directory of its own, empty at first."""
    server = Server(tmp_path_factory.mktemp("editor") / "data", workers=1)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def corpus(service, samples):
    """The service once the two sample articles are ingested."""
    for name, text in samples.items():
        status, body = call(service.base, "POST", "/v1/articles", {"text": text, "url": f"https://example.test/{name}"})
        assert status == 201, body
    return service


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def press_check(page, expect_alert: bool = False) -> None:
    """Press Check and wait until the answer is on the page; no error said, unless expected."""
    from playwright.sync_api import expect

    button = page.locator("#check-button")
    button.click()
    expect(button).to_have_text("Check", timeout=WAIT_MS)  # "Checking…" while it waits
    if not expect_alert:
        expect(page.get_by_role("alert")).to_be_hidden(timeout=1)


def check_one_claim(page, base: str, claim: str, expect_alert: bool = False) -> None:
    page.goto(base + "/")
    page.get_by_label("one claim").check()
    page.get_by_label("Claim", exact=True).fill(claim)
    press_check(page, expect_alert)


def finding(page, sentence: str):
    """The result card in the panel whose own sentence (not its context) says `sentence`."""
    return page.locator("#panel .result").filter(has=page.locator(".said", has_text=sentence))


# Runs first, while the module's service is still empty (pytest keeps the file's order).
def test_editor_page_says_when_the_corpus_is_empty(page, service):
    from playwright.sync_api import expect

    status, stats = call(service.base, "GET", "/v1/stats")
    assert status == 200 and stats["articles"] == 0, "this test needs the module's service before `corpus`"
    check_one_claim(page, service.base, DEATH_TOLL, expect_alert=True)
    expect(page.locator("#corpus")).to_contain_text("The corpus is empty")
    expect(page.locator("#summary")).to_contain_text("1 nothing found")
    expect(page.get_by_role("alert")).to_contain_text("corpus is empty")
    expect(page.locator("#panel")).to_contain_text("Nothing in the corpus is close enough")


def test_editor_page_service_answers_while_a_browser_holds_a_silent_connection(service):
    """Chromium opens connections before it needs them (preconnect) and may leave one
    silent. A gunicorn sync worker blocks reading such a connection until its timeout
    kills it, and the page's next request hangs meanwhile; the gthread worker parks it."""
    with socket.create_connection(("127.0.0.1", service.port)):
        time.sleep(0.5)  # accepted first, before the request below
        status, body = call(service.base, "GET", "/v1/health")
    assert status == 200, body


def test_editor_page_is_served_with_its_files_and_a_content_security_policy(corpus):
    import urllib.request

    with urllib.request.urlopen(corpus.base + "/", timeout=30) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
        assert response.headers.get_content_type() == "text/html"
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    for asset in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert not re.match(r"^[a-z]+:|^//", asset), f"{asset}: the page must load nothing from elsewhere"
        with urllib.request.urlopen(f"{corpus.base}/{asset}", timeout=30) as response:
            assert response.status == 200 and response.read()


def test_editor_page_marks_a_drafts_claims_and_explains_the_contradiction(page, corpus):
    from playwright.sync_api import expect

    page.goto(corpus.base + "/")
    expect(page.locator("#corpus")).to_contain_text("Checking against 2 articles")
    page.get_by_label("Draft", exact=True).fill(DRAFT)
    press_check(page)

    death_toll = page.locator("#draft-view a.claim", has_text=DEATH_TOLL)
    border = page.locator("#draft-view a.claim", has_text=BORDER)
    expect(death_toll).to_be_visible()
    expect(death_toll).to_have_class(re.compile(r"\bv-contradicted\b"))
    assert death_toll.evaluate("mark => mark.firstChild.textContent") == DEATH_TOLL + "."
    expect(border).to_be_visible()
    expect(border).not_to_have_class(re.compile(r"\bv-nothing_found\b"))
    expect(page.locator("#summary")).to_contain_text("1 contradicted")
    # The claims list puts the contradicted claim first.
    expect(page.locator("#claim-list li").first).to_contain_text(DEATH_TOLL)

    # By keyboard: focus the marked sentence, press Enter.
    death_toll.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-heading")).to_have_text("Contradicted: what the corpus says")
    contradiction = finding(page, BELOW_ONE_THOUSAND)
    expect(contradiction).to_be_visible()
    expect(contradiction.locator(".badge")).to_have_text("Contradicts")
    status, draft = call(corpus.base, "POST", "/v1/check/draft", {"text": DRAFT})
    assert status == 200, draft
    claim = next(c for c in draft["claims"] if c["text"].startswith(DEATH_TOLL))
    reason = next(r["reason"] for r in claim["results"] if BELOW_ONE_THOUSAND in r["sentence"]["text"])
    assert reason
    expect(contradiction.locator(".reason")).to_have_text(reason)
    putin = page.locator("#panel .result .speaker", has_text="Vladimir Putin")
    expect(putin.first).to_contain_text("Russian President")
    screenshot(page, "editor-page-draft")

    # Escape goes back to the sentence in the draft; the border claim opens its own sources.
    page.keyboard.press("Escape")
    expect(death_toll).to_be_focused()
    border.click()
    expect(page.locator("#panel .claim-quote")).to_contain_text(BORDER)
    expect(page.locator("#panel .result .source-link").first).to_be_visible()

    # On a phone the page fits the screen's width.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "editor-page-draft-phone")


def test_editor_page_checks_one_claim(page, corpus):
    from playwright.sync_api import expect

    check_one_claim(page, corpus.base, DEATH_TOLL)
    contradiction = finding(page, BELOW_ONE_THOUSAND)
    expect(contradiction).to_be_visible()  # a single claim opens its panel at once
    expect(page.locator("#draft-view a.claim")).to_have_class(re.compile(r"\bv-contradicted\b"))
    status, body = call(corpus.base, "POST", "/v1/check", {"claim": DEATH_TOLL})
    assert status == 200, body
    result = next(r for r in body["results"] if BELOW_ONE_THOUSAND in r["sentence"]["text"])
    expect(contradiction.locator(".reason")).to_have_text(result["reason"])
    expect(contradiction.locator(".source")).to_contain_text("example.test")
    expect(page.locator("#panel .result .speaker", has_text="Vladimir Putin").first).to_contain_text("Russian President")
    screenshot(page, "editor-page-one-claim")


def test_editor_page_records_feedback(page, corpus):
    from playwright.sync_api import expect

    check_one_claim(page, corpus.base, DEATH_TOLL)
    contradiction = finding(page, BELOW_ONE_THOUSAND)
    expect(contradiction).to_be_visible()
    sentence_id = int(contradiction.get_attribute("data-sentence"))
    contradiction.get_by_role("button", name="Confirm").click()
    expect(contradiction.locator(".feedback-status")).to_have_text("Recorded: you confirmed this.")
    expect(contradiction.get_by_role("button", name="Confirm")).to_have_attribute("aria-pressed", "true")

    status, feedback = call(corpus.base, "GET", "/v1/feedback?limit=100")
    assert status == 200, feedback
    assert any(
        item["sentence_id"] == sentence_id and item["verdict"] == "confirm" and item["stance"] == "contradicts"
        and item["claim"] == DEATH_TOLL
        for item in feedback["items"]
    ), feedback


def test_editor_page_makes_claimreview_markup(page, corpus):
    from playwright.sync_api import expect

    check_one_claim(page, corpus.base, DEATH_TOLL)
    expect(finding(page, BELOW_ONE_THOUSAND)).to_be_visible()
    page.get_by_text("Publish a fact check (ClaimReview)").click()
    page.get_by_label("Verdict, as readers will see it").fill("False")
    page.get_by_label("Value").fill("1")
    page.get_by_role("button", name="Make the markup").click()
    markup = page.get_by_label("Markup to paste into the fact check's page")
    expect(markup).to_have_value(re.compile("ClaimReview"))
    text = markup.input_value()
    assert text.startswith('<script type="application/ld+json">') and text.endswith("</script>")
    review = json.loads(text.split(">", 1)[1].rsplit("<", 1)[0])
    assert review["@type"] == "ClaimReview"
    assert DEATH_TOLL in json.dumps(review) and "False" in json.dumps(review)
    screenshot(page, "editor-page-claimreview")


def test_editor_page_says_when_the_service_is_unreachable(page):
    """The page as served, then its service gone: the next Check cannot connect."""
    from playwright.sync_api import expect
    from flask import Flask
    from werkzeug.serving import make_server

    from service import editor

    app = Flask(__name__)
    app.register_blueprint(editor.blueprint)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        expect(page.get_by_role("button", name="Check", exact=True)).to_be_visible()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    page.get_by_label("Draft", exact=True).fill(DRAFT)
    press_check(page, expect_alert=True)
    expect(page.get_by_role("alert")).to_contain_text("Cannot reach the Sayso service")
    expect(page.get_by_role("button", name="Check", exact=True)).to_be_enabled()


# Adds an article of its own (and deletes it after), so it runs after the others.
def test_editor_page_shows_markup_in_the_corpus_as_text(page, corpus):
    """Corpus text is untrusted: an article carrying HTML is shown as its characters."""
    from playwright.sync_api import expect

    trap = '<img src="x" onerror="document.title=\'hijacked\'">'
    article = {
        "text": f"Harbour officials said the {trap} ferry Nordlys carried 312 passengers across the fjord on Tuesday.\n"
        "The crossing took forty minutes.",
        "url": "https://example.test/nordlys-ferry",
        "outlet": "<b>Fjord Post</b>",
    }
    status, stored = call(corpus.base, "POST", "/v1/articles", article)
    assert status == 201, stored
    try:
        check_one_claim(page, corpus.base, "The ferry Nordlys carried 312 passengers across the fjord on Tuesday")
        expect(page.locator("#panel .result .said", has_text=trap).first).to_be_visible()
        expect(page.locator("#panel .result .source", has_text="<b>Fjord Post</b>").first).to_be_visible()
        assert page.locator("#panel img, #panel b").count() == 0
        assert page.title() == "Sayso: check a draft"
    finally:
        call(corpus.base, "DELETE", f"/v1/articles/{stored['id']}")


def test_editor_page_asks_for_a_key_on_401_and_keeps_it_in_the_tab(page, tmp_path):
    """A Sayso with an API key answers 401 without it: the page asks for the key, keeps it
    in sessionStorage only (no localStorage, no cookie) and sends it with every request."""
    from playwright.sync_api import expect

    from core.settings import Settings
    from index.keys import KeyRing
    from index.store import CorpusStore

    data_dir = tmp_path / "data"
    store = CorpusStore(Settings(data_dir=data_dir).store_url)
    data_dir.mkdir(parents=True)
    store.create_schema()
    _, key = KeyRing(store).create("editor page", ["check", "read", "feedback"])
    store.engine.dispose()
    keyed = Server(data_dir, workers=1)
    try:
        page.goto(keyed.base + "/")
        expect(page.get_by_role("alert")).to_contain_text("needs an API key")
        page.get_by_label("API key").fill("sayso_000000000000_" + "0" * 64)
        page.get_by_role("button", name="Use this key").click()
        expect(page.get_by_role("alert")).to_contain_text("did not accept your key")
        page.get_by_label("API key").fill(key)
        page.get_by_role("button", name="Use this key").click()
        expect(page.locator("#corpus")).to_contain_text("empty")
        expect(page.get_by_label("API key")).to_be_hidden()
        check_one_claim(page, keyed.base, "The bridge reopened on Monday", expect_alert=True)
        expect(page.locator("#summary")).to_contain_text("1 nothing found")
        assert page.evaluate("sessionStorage.getItem('sayso.key')") == key
        assert page.evaluate("localStorage.length") == 0 and page.evaluate("document.cookie") == ""
    finally:
        keyed.stop()
