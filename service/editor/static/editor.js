// Sayso's editor page: check a draft (POST /v1/check/draft) or one claim (POST /v1/check),
// mark the draft's claim sentences by verdict, show each claim's sources, take the
// editor's Confirm / Reject (POST /v1/feedback) and make ClaimReview markup
// (POST /v1/claimreview).
//
// Everything the corpus or the editor wrote is put on the page as text (textContent,
// input values), never as HTML: the corpus is crawled text and may hold markup.
"use strict";

(() => {
  const KEY_STORE = "sayso.key";
  const VERDICTS = {
    contradicted: { label: "Contradicted", order: 0 },
    corroborated: { label: "Corroborated", order: 1 },
    discussed: { label: "Discussed", order: 2 },
    nothing_found: { label: "Nothing found", order: 3 },
  };
  const STANCES = {
    contradicts: { label: "Contradicts", order: 0 },
    corroborates: { label: "Corroborates", order: 1 },
    discusses: { label: "Discusses", order: 2 },
  };
  const SPEAKER_KINDS = {
    person: "person", organization: "organisation", government: "government",
    publisher: "the outlet itself", unknown: "speaker unknown",
  };
  const QUOTES = { direct: "direct quote", indirect: "indirect quote", none: "not quoted" };

  const $ = (id) => document.getElementById(id);
  const form = $("check-form");
  const input = $("draft-input");
  const checkButton = $("check-button");
  const statusLine = $("status");
  const alertBox = $("alert");
  const keyForm = $("key-form");
  const report = $("report");
  const panel = $("panel");

  let report_ = null;      // the last check, in the draft shape (see fromClaimCheck)
  let selected = null;     // index of the claim shown in the panel
  let inFlight = null;     // AbortController of the running check
  let retry = null;        // what to do again once a key is given
  let memoryKey = null;    // the key, where sessionStorage is switched off
  const feedbackGiven = new Map();  // "claim\u0000sentence id" -> "confirm" | "reject"

  // ---- small helpers ----------------------------------------------------------

  // An element with text children only; props: className, text, attrs.
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    if (props.className) node.className = props.className;
    if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
    for (const [name, value] of Object.entries(props.attrs || {})) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function hiddenText(text) {
    return el("span", { className: "visually-hidden", text });
  }

  function score(value) {
    return typeof value === "number" ? value.toFixed(2) : "–";
  }

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  function formatDate(iso) {
    if (!iso) return "date not given";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(date);
  }

  // Only web addresses become links (no javascript:, data: ...).
  function safeHref(url) {
    if (!url) return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function storedKey() {
    try { return sessionStorage.getItem(KEY_STORE); } catch { return null; }
  }

  function storeKey(key) {
    try {
      if (key) sessionStorage.setItem(KEY_STORE, key); else sessionStorage.removeItem(KEY_STORE);
    } catch { /* storage off: the key lives until the page closes */ }
    memoryKey = key || null;
  }

  // ---- talking to the service ---------------------------------------------------

  class ServiceError extends Error {
    constructor(kind, message, status = 0, problem = null) {
      super(message);
      this.kind = kind;        // unreachable | key | forbidden | missing | invalid | failed
      this.status = status;
      this.problem = problem;
    }
  }

  function fieldErrors(errors, prefix = "") {
    const lines = [];
    for (const [field, value] of Object.entries(errors || {})) {
      const name = prefix ? `${prefix}.${field}` : field;
      if (Array.isArray(value)) lines.push(`${name}: ${value.map(String).join(" ")}`);
      else if (value && typeof value === "object") lines.push(...fieldErrors(value, name));
      else lines.push(`${name}: ${value}`);
    }
    return lines;
  }

  function errorFor(status, problem, path) {
    const detail = problem && typeof problem.detail === "string" ? problem.detail : "";
    const title = problem && typeof problem.title === "string" ? problem.title : `HTTP ${status}`;
    if (status === 401) {
      return new ServiceError("key", storedKey() || memoryKey
        ? "The service did not accept your key. Enter a valid key."
        : "This Sayso needs an API key. Enter it below.", status, problem);
    }
    if (status === 403) return new ServiceError("forbidden", `Your key is not allowed to do this. ${detail}`.trim(), status, problem);
    if ((status === 404 || status === 405) && (!detail || detail.startsWith(`Nothing at ${path}`))) {
      return new ServiceError("missing", `This Sayso does not offer ${path} yet.`, status, problem);
    }
    if (status === 404) return new ServiceError("not_found", detail || "Not found.", status, problem);
    if (status === 413) return new ServiceError("invalid", `That is too long for the service. ${detail}`.trim(), status, problem);
    if (status === 422 || status === 400 || status === 415) {
      const fields = fieldErrors(problem && problem.errors);
      const words = [detail || title, ...fields].filter(Boolean).join(" ");
      return new ServiceError("invalid", `The service could not take this: ${words}`, status, problem);
    }
    if (status === 429) return new ServiceError("failed", "The service is busy. Wait a moment and try again.", status, problem);
    if (status === 503) return new ServiceError("failed", `The service is unavailable right now. ${detail}`.trim(), status, problem);
    return new ServiceError("failed", `The service failed (${status} ${title}). Try again; if it keeps failing, tell whoever runs Sayso.`, status, problem);
  }

  async function api(method, path, body, signal) {
    const headers = { Accept: "application/json, application/problem+json, application/ld+json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const key = storedKey() || memoryKey;
    if (key) headers.Authorization = `Bearer ${key}`;
    let response;
    let text;
    try {
      response = await fetch(path, {
        method, headers, signal, cache: "no-store", credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await response.text();
    } catch (error) {
      if (error && error.name === "AbortError") throw error;
      throw new ServiceError("unreachable",
        `Cannot reach the Sayso service at ${location.origin}. Check that it is running and your connection, then try again.`);
    }
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) throw errorFor(response.status, data, path);
    if (data === null && text) throw new ServiceError("failed", "The service answered with something other than JSON.", response.status);
    return data;
  }

  // ---- messages ----------------------------------------------------------------

  function say(text) {
    statusLine.textContent = text;
  }

  function warn(text) {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  }

  function askForKey(message, again) {
    retry = again;
    warn(message);
    keyForm.hidden = false;
    $("key-input").focus();
  }

  // Shows a failed request in words; a 401 opens the key form and retries after it.
  function showError(error, again) {
    if (error.kind === "key") askForKey(error.message, again);
    else warn(error.message);
  }

  keyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("key-input").value.trim();
    if (!key) {
      warn("Enter the key, or ask whoever runs Sayso for one.");
      return;
    }
    storeKey(key);
    $("key-input").value = "";
    keyForm.hidden = true;
    warn("");
    const again = retry;
    retry = null;
    loadCorpus();
    if (again) again();
  });

  $("key-forget").addEventListener("click", () => {
    storeKey(null);
    $("key-input").value = "";
    say("The key is forgotten.");
  });

  // ---- the corpus line ---------------------------------------------------------

  async function loadCorpus() {
    const line = $("corpus");
    try {
      const stats = await api("GET", "/v1/stats");
      line.classList.toggle("warning", stats.articles === 0);
      line.textContent = stats.articles === 0
        ? "The corpus is empty: Sayso has no articles to check against yet, so every claim will come back with nothing found. Articles are added through POST /v1/articles."
        : `Checking against ${plural(stats.articles, "article", "articles")} (${plural(stats.claims, "claim sentence", "claim sentences")}).`;
      return stats;
    } catch (error) {
      line.classList.add("warning");
      if (error.kind === "key") {
        line.textContent = "Enter an API key to use this Sayso.";
        askForKey(error.message, null);
      } else {
        line.textContent = error.message;
      }
      return null;
    }
  }

  // ---- checking ----------------------------------------------------------------

  function mode() {
    return form.elements.mode.value;
  }

  function verdictOf(summary) {
    if (summary.contradicts) return "contradicted";
    if (summary.corroborates) return "corroborated";
    if (summary.discusses) return "discussed";
    return "nothing_found";
  }

  // A /v1/check answer in the shape of a /v1/check/draft answer: one claim, the whole text.
  function fromClaimCheck(text, body) {
    const verdict = verdictOf(body.summary);
    const end = Array.from(text).length;
    const summary = { claims: 1, contradicted: 0, corroborated: 0, discussed: 0, nothing_found: 0 };
    summary[verdict] = 1;
    return {
      text,
      claims: [{
        index: 0, block: null, text: body.claim, start: 0, end, check_worthiness: null, speaker: null,
        verdict, summary: body.summary, results: body.results, sources: body.sources,
      }],
      sentences: [{ index: 0, block: null, start: 0, end, is_claim: true }],
      summary,
    };
  }

  async function check() {
    const single = mode() === "claim";
    const text = single ? input.value.trim() : input.value;
    if (!text.trim()) {
      warn(single ? "Type the claim to check first." : "Paste the draft to check first.");
      input.focus();
      return;
    }
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    warn("");
    checkButton.disabled = true;
    checkButton.textContent = "Checking…";
    report.setAttribute("aria-busy", "true");
    report.classList.add("stale");
    say(single ? "Checking the claim against the corpus…" : "Checking the draft's claims against the corpus…");
    try {
      const body = single
        ? fromClaimCheck(text, await api("POST", "/v1/check", { claim: text }, controller.signal))
        : Object.assign({ text }, await api("POST", "/v1/check/draft", { text }, controller.signal));
      if (inFlight !== controller) return;
      const stats = await loadCorpus();
      showReport(body, stats);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (inFlight !== controller) return;
      say("");
      if (error.kind === "missing" && !single) {
        warn("This Sayso cannot check whole drafts yet. Choose “one claim” and check the claims one at a time.");
      } else {
        showError(error, check);
      }
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        checkButton.disabled = false;
        checkButton.textContent = "Check";
        report.removeAttribute("aria-busy");
        report.classList.remove("stale");
      }
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      check();
    }
  });

  form.addEventListener("change", (event) => {
    if (event.target.name !== "mode") return;
    const single = mode() === "claim";
    $("draft-label").textContent = single ? "Claim" : "Draft";
    $("draft-hint").textContent = single
      ? "Type one claim, as a sentence; it is checked as written."
      : "Paste the draft as it stands; every claim sentence in it is checked.";
  });

  // ---- the report ----------------------------------------------------------------

  function claimOrder(a, b) {
    return VERDICTS[a.verdict].order - VERDICTS[b.verdict].order
      || (b.check_worthiness ?? -1) - (a.check_worthiness ?? -1)
      || a.index - b.index;
  }

  function showReport(body, stats) {
    report_ = body;
    selected = null;
    report.hidden = false;
    const claims = body.claims || [];
    const counts = body.summary || {};

    const summary = $("summary");
    summary.replaceChildren(el("li", { className: "total", text: plural(claims.length, "claim", "claims") }));
    for (const [verdict, { label }] of Object.entries(VERDICTS)) {
      summary.append(el("li", { className: `count v-${verdict}` },
        el("span", { className: "swatch", attrs: { "aria-hidden": "true" } }),
        el("strong", { text: counts[verdict] || 0 }), ` ${label.toLowerCase()}`));
    }

    renderDraft(body);
    const list = $("claim-list");
    list.replaceChildren();
    for (const claim of [...claims].sort(claimOrder)) {
      const verdict = VERDICTS[claim.verdict];
      const button = el("button", {
        className: `claim-item v-${claim.verdict}`,
        attrs: { type: "button", "data-claim": claim.index, "aria-controls": "panel" },
      },
      el("span", { className: "badge", text: verdict.label }),
      el("span", { className: "claim-text", text: claim.text }),
      el("span", { className: "counts", text: countsText(claim.summary) }));
      button.addEventListener("click", () => select(claim.index, true));
      list.append(el("li", {}, button));
    }

    const none = claims.length === 0;
    $("claim-list-heading").hidden = none;
    showPanelEmpty(none
      ? "No claim sentences were found in this draft. Sayso checks assertions of fact; questions, headlines and opinions are left out."
      : "Select a claim to see what the corpus says about it.");
    if (stats && stats.articles === 0) {
      warn("The corpus is empty, so nothing could be found for any claim. Add articles first (POST /v1/articles).");
    }
    const tally = Object.entries(VERDICTS).filter(([v]) => counts[v]).map(([v, { label }]) => `${counts[v]} ${label.toLowerCase()}`);
    say(none ? "Checked: no claims found." : `Checked ${plural(claims.length, "claim", "claims")}: ${tally.join(", ")}.`);
    // The panel opens on the claim that most needs the editor: contradicted first.
    if (claims.length) select([...claims].sort(claimOrder)[0].index, false);
  }

  function countsText(summary) {
    if (!summary) return "";
    const parts = Object.entries(STANCES).filter(([s]) => summary[s]).map(([s, { label }]) => `${summary[s]} ${label.toLowerCase()}`);
    return parts.length ? parts.join(" · ") : "no sources";
  }

  // The draft as text, its claim sentences as links that open the panel. Offsets are
  // Python string indices (code points), so the text is sliced by code point.
  function renderDraft(body) {
    const view = $("draft-view");
    view.replaceChildren();
    const claims = new Map((body.claims || []).map((claim) => [claim.index, claim]));
    const spans = (body.sentences || []).filter((s) => claims.has(s.index)).sort((a, b) => a.start - b.start);
    const texts = new Map();  // block id -> its text, when blocks were sent
    for (const block of body.blocks || []) texts.set(block.id, block.text);

    const blocks = body.blocks ? body.blocks.map((b) => b.id) : [null];
    for (const blockId of blocks) {
      const text = Array.from(blockId === null ? body.text : texts.get(blockId));
      const paragraph = el("div", { className: "block" });
      let position = 0;
      for (const span of spans.filter((s) => (s.block ?? null) === blockId)) {
        const start = Math.max(position, Math.min(span.start, text.length));
        const end = Math.max(start, Math.min(span.end, text.length));
        if (start > position) paragraph.append(text.slice(position, start).join(""));
        const claim = claims.get(span.index);
        const mark = el("a", {
          className: `claim v-${claim.verdict}`,
          attrs: { href: `#claim-${claim.index}`, id: `claim-${claim.index}`, "data-claim": claim.index, "aria-controls": "panel" },
        }, text.slice(start, end).join(""), hiddenText(` (${VERDICTS[claim.verdict].label.toLowerCase()})`));
        mark.addEventListener("click", (event) => {
          event.preventDefault();
          select(claim.index, true);
        });
        paragraph.append(mark);
        position = end;
      }
      if (position < text.length) paragraph.append(text.slice(position).join(""));
      view.append(paragraph);
    }
  }

  function showPanelEmpty(message) {
    $("panel-heading").textContent = "Sources";
    $("panel-empty").textContent = message;
    $("panel-empty").hidden = false;
    $("panel-body").hidden = true;
    $("panel-body").replaceChildren();
  }

  // ---- the panel: one claim's results ---------------------------------------------

  function select(index, moveFocus) {
    const claim = (report_.claims || []).find((c) => c.index === index);
    if (!claim) return;
    selected = index;
    for (const node of document.querySelectorAll("[data-claim]")) {
      if (Number(node.dataset.claim) === index) node.setAttribute("aria-current", "true");
      else node.removeAttribute("aria-current");
    }
    renderPanel(claim);
    if (moveFocus) {
      panel.focus({ preventScroll: true });
      panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || selected === null) return;
    const mark = $(`claim-${selected}`);
    if (mark) mark.focus();
  });

  function renderPanel(claim) {
    const body = $("panel-body");
    const verdict = VERDICTS[claim.verdict];
    $("panel-heading").textContent = `${verdict.label}: what the corpus says`;
    $("panel-empty").hidden = true;
    body.hidden = false;
    body.replaceChildren();

    body.append(el("blockquote", { className: `claim-quote v-${claim.verdict}` }, el("p", { text: claim.text })));
    const facts = [];
    if (typeof claim.check_worthiness === "number") facts.push(`Check-worthiness ${score(claim.check_worthiness)}`);
    if (claim.speaker && claim.speaker.kind !== "publisher") facts.push(`In the draft, said by ${speakerText(claim.speaker)}`);
    facts.push(countsText(claim.summary));
    body.append(el("p", { className: "claim-facts", text: facts.join(" · ") }));

    const results = [...(claim.results || [])].sort((a, b) => STANCES[a.stance].order - STANCES[b.stance].order);
    if (results.length === 0) {
      body.append(el("p", { className: "nothing", text: "Nothing in the corpus is close enough to this claim to corroborate or contradict it." }));
    } else {
      body.append(el("h4", { text: "Sentence by sentence" }));
      const list = el("ol", { className: "results" });
      for (const result of results) list.append(resultItem(claim, result));
      body.append(list);
    }

    if ((claim.sources || []).length) {
      body.append(el("h4", { text: "Article by article" }));
      const list = el("ul", { className: "sources" });
      for (const source of claim.sources) {
        list.append(el("li", {},
          el("span", { className: `badge s-${source.stance}`, text: STANCES[source.stance].label }),
          " ", sourceLink(source.source), ` (score ${score(source.stance_score)}, ${plural(source.sentences, "sentence", "sentences")}): `,
          el("span", { className: "reason", text: source.reason })));
      }
      body.append(list);
    }
    body.append(claimReviewForm(claim));
  }

  function speakerText(speaker) {
    if (!speaker) return "nobody named";
    const name = speaker.kind === "publisher"
      ? `${speaker.name === "publisher" ? "The outlet" : speaker.name}, in its own voice`
      : speaker.name;
    return speaker.role ? `${name}, ${speaker.role}` : name;
  }

  function speakerDetails(speaker) {
    if (!speaker) return "Nobody named";
    const parts = [speakerText(speaker)];
    if (speaker.kind !== "publisher") parts.push(SPEAKER_KINDS[speaker.kind] || speaker.kind);
    const quote = QUOTES[speaker.quote] || speaker.quote;
    parts.push(speaker.cue ? `${quote} (“${speaker.cue}”)` : quote);
    return parts.join(" · ");
  }

  function sourceLink(source) {
    const outlet = source.outlet || (safeHref(source.url) ? new URL(source.url).hostname : null);
    const title = source.title || source.url || `article ${source.article_id}`;
    const href = safeHref(source.url);
    const name = href
      ? el("a", { className: "source-link", text: title, attrs: { href, target: "_blank", rel: "noopener noreferrer" } })
      : el("span", { text: title });
    return el("span", { className: "source-name" }, outlet ? el("strong", { text: outlet }) : null, outlet ? ": " : null, name);
  }

  function resultItem(claim, result) {
    const item = $("result-template").content.firstElementChild.cloneNode(true);
    const stance = STANCES[result.stance];
    item.classList.add(`s-${result.stance}`);
    item.dataset.sentence = result.sentence.id;
    const badge = item.querySelector(".badge");
    badge.textContent = stance.label;
    badge.classList.add(`s-${result.stance}`);
    item.querySelector(".score").textContent = `score ${score(result.stance_score)} · similarity ${score(result.similarity)}`;
    item.querySelector(".reason").textContent = result.reason;
    const context = result.context || {};
    item.querySelector(".before").textContent = context.before || "";
    item.querySelector(".said").textContent = result.sentence.text;
    item.querySelector(".after").textContent = context.after || "";
    item.querySelector(".speaker").textContent = speakerDetails(result.speaker);
    item.querySelector(".source").append(sourceLink(result.source));
    item.querySelector(".date").textContent = formatDate(result.source.published_at);

    const group = item.querySelector(".feedback");
    group.setAttribute("aria-label", `Is “${stance.label}” right for this sentence?`);
    const key = `${claim.text}\u0000${result.sentence.id}`;
    const buttons = { confirm: group.querySelector(".confirm"), reject: group.querySelector(".reject") };
    const status = group.querySelector(".feedback-status");
    const recorded = (verdict) => {
      for (const [name, button] of Object.entries(buttons)) {
        button.setAttribute("aria-pressed", String(name === verdict));
        button.disabled = true;
      }
      status.textContent = verdict === "confirm" ? "Recorded: you confirmed this." : "Recorded: you rejected this.";
    };
    if (feedbackGiven.has(key)) recorded(feedbackGiven.get(key));
    for (const [verdict, button] of Object.entries(buttons)) {
      const send = async () => {
        for (const b of Object.values(buttons)) b.disabled = true;
        status.textContent = "Sending…";
        try {
          await api("POST", "/v1/feedback", {
            claim: claim.text, sentence_id: result.sentence.id, stance: result.stance, verdict,
          });
          feedbackGiven.set(key, verdict);
          recorded(verdict);
        } catch (error) {
          for (const b of Object.values(buttons)) b.disabled = false;
          if (error.kind === "missing") status.textContent = "This Sayso does not take feedback yet.";
          else if (error.kind === "not_found") status.textContent = "This sentence is no longer in the corpus.";
          else if (error.kind === "key") { status.textContent = "A key is needed."; askForKey(error.message, send); }
          else status.textContent = error.message;
        }
      };
      button.addEventListener("click", send);
    }
    return item;
  }

  // ---- ClaimReview -----------------------------------------------------------------

  function claimReviewForm(claim) {
    const section = $("claimreview-template").content.firstElementChild.cloneNode(true);
    const reviewForm = section.querySelector("form");
    const status = section.querySelector(".claimreview-status");
    const markup = section.querySelector(".markup");
    const markupText = section.querySelector(".markup-text");
    const field = (name) => reviewForm.elements[name];

    const make = async () => {
      const alternateName = field("alternateName").value.trim();
      if (!alternateName) {
        status.textContent = "Give the verdict readers will see, e.g. False.";
        field("alternateName").focus();
        return;
      }
      const request = { claim: claim.text, alternateName };
      const value = field("value").value.trim();
      if (value) {
        request.rating = { value: Number(value) };
        if (field("best").value.trim()) request.rating.best = Number(field("best").value);
        if (field("worst").value.trim()) request.rating.worst = Number(field("worst").value);
      }
      if (field("url").value.trim()) request.url = field("url").value.trim();
      if (field("author").value.trim()) request.author = { name: field("author").value.trim() };
      status.textContent = "Making the markup…";
      try {
        const review = await api("POST", "/v1/claimreview", request);
        // "<" escaped so that nothing in the JSON can close the script element.
        const json = JSON.stringify(review, null, 2).replace(/</g, "\\u003c");
        markupText.value = `<script type="application/ld+json">\n${json}\n</script>`;
        markup.hidden = false;
        status.textContent = "The markup is ready below.";
      } catch (error) {
        if (error.kind === "missing") status.textContent = "This Sayso does not make ClaimReview markup yet.";
        else if (error.kind === "key") { status.textContent = "A key is needed."; askForKey(error.message, make); }
        else status.textContent = error.message;
      }
    };
    reviewForm.addEventListener("submit", (event) => {
      event.preventDefault();
      make();
    });

    const copyStatus = section.querySelector(".copy-status");
    section.querySelector(".copy").addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(markupText.value);
        copyStatus.textContent = "Copied.";
      } catch {
        markupText.focus();
        markupText.select();
        copyStatus.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
      }
    });
    return section;
  }

  loadCorpus();
})();
