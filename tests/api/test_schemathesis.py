"""Schemathesis against the API's own schema: no 500s and no response outside the schema,
acting as the coordinator of `HOME`, on HOME's real objects (a plan, an event, an evidence
file, a report, a petition) so the generated queries and bodies reach past the lookups.
OTHER and its objects exist too; that none of them leaks is what the walk in test_access
checks, operation by operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shudarga.api.v1 import api as ninja_api

schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(path_prefix="/api/v1"))


@pytest.fixture
def _keep_test_connection():
    """Called straight through WSGI, Django would close the test's database connection at the
    end of each request (the test client unhooks this the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_secret(_keep_test_connection, coordinator, home, away):
    from tests.api.conftest import make_token

    return make_token(coordinator), home


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, coordinator_secret):
    secret, home = coordinator_secret
    for name in case.path_parameters or {}:
        if name in ("code", "plan_id", "row_id", "evidence_id", "report_id", "petition_id"):
            case.path_parameters[name] = home[name]  # random ones would only ever meet 404s
    headers = {"Authorization": f"Bearer {secret}"}
    response = case.call(app=WSGIHandler(), headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
