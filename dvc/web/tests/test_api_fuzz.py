"""API fuzzing: schemathesis generates requests from /api/v1/openapi.json for every operation, as an anonymous
caller, a citizen with a dossier, and a one-stop officer. No answer may be a server error, and every answer must
match the schema the API publishes. The number of examples is bounded so that the suite stays quick; raise
DVC_FUZZ_EXAMPLES for a longer hunt."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.tests.factories import agency_staff, commune_centre
from dvc.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("DVC_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def callers(db, submitted_dossier):
    # Requests go straight to the WSGI application, not through Django's test client: keep the test's database
    # connection (and its transaction) open across them, as the test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield _callers(submitted_dossier)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _callers(submitted_dossier):
    agency = commune_centre()
    citizen = UserFactory()
    submitted_dossier(citizen, agency=agency)
    officer = agency_staff(agency).officer
    # The WSGI transport hands back the body as sent, without undoing gzip as an HTTP client would: ask for none.
    plain = {"Accept-Encoding": "identity"}
    return {
        "anonymous": plain,
        "citizen": {**plain, "Authorization": f"Bearer {api_token_create(user=citizen)}"},
        "officer": {**plain, "Authorization": f"Bearer {api_token_create(user=officer)}"},
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
def test_no_operation_fails_or_breaks_its_schema(case, callers):
    for headers in callers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
