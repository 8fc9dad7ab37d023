"""Generated requests from openapi.yaml (schemathesis + hypothesis): never a 500, and
every response matches the contract, for valid and for invalid input. On a store of
its own, since the generated DELETEs may remove anything; with keys required, every
call sent with a key that has every scope (rate limits off: they are tested apart)."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .secured import bearer, secured_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("SAYSO_FUZZ_EXAMPLES", "25"))  # more for a deeper run


@pytest.fixture(scope="module")
def operations(tmp_path_factory, encoder, nlp):
    app, keys = secured_app(tmp_path_factory.mktemp("fuzz"), None)
    headers = bearer(keys.every)
    article = {"text": "The bridge reopened on Monday after 14 months of repairs, the city said."}
    assert app.test_client().post("/v1/articles", json=article, headers=headers).status_code == 201
    schema = schemathesis.openapi.from_wsgi("/openapi.yaml", app)
    yield {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())}, headers
    app.extensions["sayso_jobs"].stop()  # the batch job runner
    app.extensions["sayso"].close()


def auth_left_out(case) -> bool:
    """Whether schemathesis made the headers invalid on purpose (it then sends no key: a 401 is right)."""
    headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    return headers is not None and headers.mode == GenerationMode.NEGATIVE


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_fuzz_every_operation_keeps_to_the_contract(operations, mode):
    operations, headers = operations
    assert "POST /v1/check" in operations and "POST /v1/articles" in operations
    for operation in operations.values():
        if mode == GenerationMode.NEGATIVE and not (operation.body or operation.query or operation.path_parameters):
            continue  # nothing in the request to get wrong

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            if not auth_left_out(case):
                assert response.status_code not in (401, 403), f"{case.method} {case.path}: the key was not taken"

        run()
