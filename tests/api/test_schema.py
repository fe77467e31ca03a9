"""The OpenAPI schema: served without credentials, valid, no generator warnings."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/orders/" in (tmp_path / "schema.yaml").read_text()


def test_the_schema_is_public(client):
    assert client.get("/api/schema/").status_code == 200


def test_the_docs_are_public(client):
    assert client.get("/api/docs/").status_code == 200


def test_every_operation_documents_its_error_codes(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert {"401", "403", "429"} <= set(operation["responses"]), f"{method} {path}"


def _responses(client, path: str, method: str = "get") -> set[str]:
    return set(client.get("/api/schema/?format=json").json()["paths"][path][method]["responses"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/metrics/odr/",
        "/api/v1/metrics/odr/history/",
        "/api/v1/metrics/response-time/",
        "/api/v1/metrics/fulfillment/",
    ],
)
def test_the_metrics_endpoints_document_a_bad_query_and_a_foreign_account(client, path):
    assert {"400", "404"} <= _responses(client, path)


def test_a_paginated_list_documents_the_404_of_a_bad_cursor(client):
    assert "404" in _responses(client, "/api/v1/tickets/")


def test_feedback_documents_the_400_of_an_order_outside_the_callers_accounts(client):
    # A foreign id in a body is a field error (the contract), like an unknown one.
    assert {"400", "409", "413", "415"} <= set(_responses(client, "/api/v1/feedback/", "post"))


def test_every_operation_documents_the_400_of_a_nul_in_its_url(client):
    schema = client.get("/api/schema/?format=json").json()
    missing = [
        f"{method} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete") and "400" not in operation["responses"]
    ]
    assert missing == []
