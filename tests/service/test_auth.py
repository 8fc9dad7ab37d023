"""API keys and scopes: every route declares its scope; no key or a bad one is 401, a
key without the scope 403, the right key passes; revoked and expired keys fail; keys
are never kept or logged in clear; open only while no key exists."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy
import yaml
from flask import Flask

from index.keys import KeyRing
from service.auth import PUBLIC, declared_scope, undeclared_routes
from service.startup import RefuseToStart, check as startup_check

from .contract import SPEC_PATH, assert_conforms
from .secured import bearer, secured_app, stop_background

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PATHS = {"/v1/health", "/openapi.yaml", "/"}  # and the editor's static files


def template(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def concrete(rule: str) -> str:
    return re.sub(r"<int:\w+>", "1", re.sub(r"<(?!int:)\w+>", "nosuchkey", rule))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def secured(request, tmp_path_factory, encoder, nlp):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('auth') / 'sayso.db'}"
    else:
        url = request.getfixturevalue("postgres_schemas").new_url()
    app, keys = secured_app(tmp_path_factory.mktemp("auth-data"), url)
    yield app, keys, url
    stop_background(app)


def routes(app):
    """(method, rule, scope) of every route that needs a key."""
    for rule in app.url_map.iter_rules():
        scope = declared_scope(app, rule.endpoint)
        if scope in (None, PUBLIC):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule, scope


def call(client, method: str, rule: str, headers=None):
    body = {} if method == "POST" else None
    return client.open(concrete(rule), method=method, json=body, headers=headers or {})


def test_auth_every_route_declares_its_scope(app):
    assert undeclared_routes(app) == []
    for rule in app.url_map.iter_rules():
        if declared_scope(app, rule.endpoint) == PUBLIC:
            assert rule.rule in PUBLIC_PATHS or rule.endpoint.endswith("static"), f"{rule.rule} is public"


def test_auth_undeclared_route_is_found():
    app = Flask(__name__)
    app.add_url_rule("/v1/secret", "secret", lambda: "")
    assert undeclared_routes(app) == ["/v1/secret"]


def test_auth_contract_names_each_operations_scope(app):
    paths = yaml.safe_load(SPEC_PATH.read_text())["paths"]
    for method, rule, scope in routes(app):
        assert paths[template(rule)][method.lower()]["x-sayso-scope"] == scope, f"{method} {rule}"
    for path in ("/v1/health", "/openapi.yaml"):
        assert paths[path]["get"]["security"] == []


def test_auth_scope_by_route_matrix(secured):
    app, keys, _ = secured
    client = app.test_client()
    checked = 0
    for method, rule, scope in routes(app):
        where = f"{method} {rule}"
        for headers in ({}, bearer("sayso_000000000000_" + "0" * 64), bearer("not-a-key"), {"Authorization": "Basic eDp5"}):
            response = call(client, method, rule, headers)
            assert response.status_code == 401, where
            assert response.mimetype == "application/problem+json" and response.headers["WWW-Authenticate"].startswith("Bearer")
            assert_conforms(response, template(rule), method)
        response = call(client, method, rule, bearer(keys.all_but[scope]))
        assert response.status_code == 403 and scope in response.get_json()["detail"], where
        assert_conforms(response, template(rule), method)
        response = call(client, method, rule, bearer(keys.only[scope]))
        assert response.status_code not in (401, 403), f"{where}: {response.get_json(silent=True)}"
        assert response.status_code < 500
        assert_conforms(response, template(rule), method)
        checked += 1
    assert checked >= 15


def test_auth_revoked_and_expired_keys_are_refused(secured):
    app, keys, _ = secured
    client = app.test_client()
    for key, word in ((keys.revoked, "revoked"), (keys.expired, "expired")):
        response = client.post("/v1/check", json={"claim": "The bridge reopened"}, headers=bearer(key))
        assert response.status_code == 401 and word in response.get_json()["detail"]
    assert client.post("/v1/check", json={"claim": "The bridge reopened"}, headers=bearer(keys.every)).status_code == 200


def test_auth_health_says_keys_are_required(secured):
    app, _, _ = secured
    response = app.test_client().get("/v1/health")
    assert response.get_json() == {"status": "ok", "auth": "keys"}
    assert_conforms(response, "/v1/health", "get")


def test_auth_key_api_shows_a_key_once_and_revokes_it(secured):
    app, keys, _ = secured
    client = app.test_client()
    made = client.post("/v1/keys", json={"name": "wordpress", "scopes": ["check"]}, headers=bearer(keys.only["admin"]))
    assert made.status_code == 201
    assert_conforms(made, "/v1/keys", "post")
    key, key_id = made.get_json()["key"], made.get_json()["id"]
    assert key.startswith(f"sayso_{key_id}_") and len(key.split("_", 2)[2]) == 64  # 32 random bytes
    listed = client.get("/v1/keys", headers=bearer(keys.only["admin"]))
    assert_conforms(listed, "/v1/keys", "get")
    assert key not in listed.get_data(as_text=True) and key_id in listed.get_data(as_text=True)
    assert client.post("/v1/check", json={"claim": "a claim"}, headers=bearer(key)).status_code == 200
    assert client.delete(f"/v1/keys/{key_id}", headers=bearer(keys.only["admin"])).status_code == 204
    assert client.post("/v1/check", json={"claim": "a claim"}, headers=bearer(key)).status_code == 401
    bad = client.post("/v1/keys", json={"name": "x", "scopes": ["root"]}, headers=bearer(keys.only["admin"]))
    assert bad.status_code == 422 and "scopes" in bad.get_json()["errors"]


def _store_text(url: str) -> str:
    """Everything the store holds, as text: the SQLite files' bytes, or every PostgreSQL row."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return "".join(p.read_bytes().decode("latin-1") for p in path.parent.glob(path.name + "*"))
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        tables = sqlalchemy.inspect(connection).get_table_names()
        text = "".join(str(row) for t in tables for row in connection.execute(sqlalchemy.text(f'SELECT t::text FROM "{t}" t')))
    engine.dispose()
    return text


def test_auth_keys_are_never_in_the_store_or_the_logs_in_clear(secured, caplog):
    app, keys, url = secured
    client = app.test_client()
    made = client.post("/v1/keys", json={"name": "desk", "scopes": ["check", "ingest"]}, headers=bearer(keys.every))
    key = made.get_json()["key"]
    with caplog.at_level("INFO"):
        for path, body in (("/v1/check", {"claim": "The bridge reopened on Monday"}), ("/v1/articles", {"text": ""})):
            client.post(path, json=body, headers=bearer(key))
        client.get("/v1/stats", headers=bearer(key))  # 403: the key lacks read
        client.post("/v1/check", json={"claim": "x"}, headers=bearer(key[:-1] + "A"))
    secret = key.split("_", 2)[2]
    logged = caplog.text
    assert '"route": "/v1/check"' in logged and made.get_json()["id"] in logged
    assert "The bridge reopened" not in logged
    everywhere = logged + _store_text(url)
    for every_key in [key, *keys.only.values(), keys.every]:
        assert every_key.split("_", 2)[2] not in everywhere
    assert secret not in everywhere


def test_auth_cli_creates_lists_and_revokes_keys(tmp_path, encoder, nlp):
    env = dict(os.environ, SAYSO_DATA_DIR=str(tmp_path / "data"))

    def sayso(*args):
        return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    made = sayso("keys", "create", "--name", "fact desk", "--scopes", "check,read", "--expires", "2099-01-01")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    key_id = key.split("_")[1]
    assert "cannot be shown again" in made.stderr and key not in made.stderr
    listed = sayso("keys", "list")
    assert key_id in listed.stdout and "check,read" in listed.stdout and "active" in listed.stdout
    assert key.split("_", 2)[2] not in listed.stdout
    assert sayso("keys", "create", "--name", "x", "--scopes", "root").returncode == 2
    assert sayso("keys", "create", "--name", "x", "--scopes", "check", "--expires", "2001-01-01").returncode == 2

    from core.settings import Settings
    from service import create_app

    app = create_app(Settings(data_dir=tmp_path / "data"))
    client = app.test_client()
    assert client.get("/v1/stats", headers=bearer(key)).status_code == 200
    assert client.get("/v1/stats").status_code == 401
    revoked = sayso("keys", "revoke", key_id)
    assert revoked.returncode == 0 and "revoked" in sayso("keys", "list").stdout
    assert client.get("/v1/stats", headers=bearer(key)).status_code == 401
    assert sayso("keys", "revoke", "nosuchkey").returncode == 1
    stop_background(app)


class _Log:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(message)

    warning = info


def test_auth_public_bind_without_a_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("SAYSO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAYSO_DATABASE_URL", raising=False)
    monkeypatch.delenv("SAYSO_AUTH", raising=False)
    log = _Log()
    startup_check([("127.0.0.1", 8000)], log)  # loopback: open, and says so
    assert "running open" in log.lines[-1]
    for public_address in ([("0.0.0.0", 8000)], [("::", 8000)], [("127.0.0.1", 8000), ("10.1.2.3", 8000)], [("sayso.example", 80)]):
        with pytest.raises(RefuseToStart, match="SAYSO_AUTH=off"):
            startup_check(public_address, log)
    monkeypatch.setenv("SAYSO_AUTH", "off")
    startup_check([("0.0.0.0", 8000)], log)
    assert "OPEN to every client" in log.lines[-1]
    monkeypatch.setenv("SAYSO_AUTH", "auto")

    from core.settings import Settings
    from index.store import CorpusStore

    KeyRing(CorpusStore(Settings.from_env().store_url)).create("ops", ["admin"])
    startup_check([("0.0.0.0", 8000)], log)
    assert log.lines[-1] == "API keys required"
    monkeypatch.setenv("SAYSO_AUTH", "none")
    with pytest.raises(RefuseToStart):
        startup_check([("127.0.0.1", 8000)], log)


def test_auth_open_service_serves_only_loopback_clients(app):
    client = app.test_client()
    assert client.get("/v1/stats").status_code == 200
    far = client.get("/v1/stats", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert far.status_code == 401 and "sayso keys create" in far.get_json()["detail"]
