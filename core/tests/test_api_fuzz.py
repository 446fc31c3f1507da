"""Schemathesis generates requests from the OpenAPI schema: no input may make the API fail with a 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from core.accounts import tokens


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection after each request; the test transaction lives on it
    (django.test.Client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_generated_request_makes_the_api_fail(world, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    _token, key = tokens.token_create(user=world.users["officer"], name="fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        call()
