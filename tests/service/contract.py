"""Check responses against openapi.yaml, the service's contract."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"


@lru_cache(maxsize=1)
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        target = spec()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def response_schema(path: str, method: str, status: int, media_type: str):
    operation = spec()["paths"][path][method.lower()]
    responses = operation["responses"]
    declared = responses.get(str(status))
    assert declared is not None, f"{method} {path} does not declare status {status}"
    declared = _resolve(declared)
    content = declared.get("content")
    if content is None:
        return None
    assert media_type in content, f"{method} {path} {status} does not declare {media_type}"
    return content[media_type]["schema"]


def assert_conforms(response, path: str, method: str) -> None:
    """The response's status, media type and body are what openapi.yaml says."""
    media_type = response.mimetype
    schema = response_schema(path, method, response.status_code, media_type)
    if schema is None:
        assert not response.data, f"{method} {path} {response.status_code} must have no body"
        return
    body = response.get_json(force=True) if "json" in media_type else response.get_data(as_text=True)
    root = dict(spec(), **schema)  # the document is the root, so '#/components/...' resolves
    validator = jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
