"""Routes and schemas come from Amazon's model files; an answer outside them fails loudly."""

import json

import pytest

from amazon_sandbox import app as sandbox_app
from amazon_sandbox.spec import ContractViolation, all_operations, strict

SERVED = {
    "searchOrders",
    "getOrder",
    "createReport",
    "getReport",
    "getReportDocument",
    "getMessagingActionsForOrder",
    "getSolicitationActionsForOrder",
    "createProductReviewAndSellerFeedbackSolicitation",
}


def test_every_operation_the_desk_uses_is_served_from_a_model(sandbox):
    assert set(sandbox.operations) >= SERVED and set(sandbox.operations) <= set(all_operations())


def test_routes_carry_the_models_paths_and_methods(sandbox):
    op = sandbox.operations["getOrder"]
    assert (op.method, op.path, op.pattern.match("/orders/2026-01-01/orders/111-1-2")["orderId"]) == (
        "GET",
        "/orders/2026-01-01/orders/{orderId}",
        "111-1-2",
    )


def test_a_response_field_the_model_does_not_name_is_a_violation():
    op = all_operations()["getOrder"]
    with pytest.raises(ContractViolation):
        op.validate_response(200, {"order": {"orderId": "1", "createdTime": "2026-01-01T00:00:00Z", "colour": "red"}})


def test_strict_schemas_keep_required_names_the_properties_forget():
    schema = strict({"type": "object", "required": ["ahrStatus"], "properties": {"other": {}}})
    assert schema["additionalProperties"] is False and "ahrStatus" in schema["properties"]


def test_a_sandbox_bug_answers_500_and_is_recorded(spapi, sandbox, marketplace, monkeypatch):
    monkeypatch.setitem(sandbox_app.HANDLERS, "getOrder", lambda call: (200, {"order": {"orderId": 7}}))
    response = spapi.session.get(
        f"{spapi.base_url}/orders/2026-01-01/orders/{marketplace.orders[0].order_id}",
        headers={"x-amz-access-token": spapi.access_token},
    )
    recorded = list(sandbox.violations)
    sandbox.violations.clear()  # the fixture's teardown would fail on it: it is the point here
    assert response.status_code == 500 and "getOrder 200" in recorded[0]


def test_an_unknown_path_is_a_404_in_amazons_shape(spapi):
    response = spapi.session.get(f"{spapi.base_url}/orders/v0/orders")
    assert response.status_code == 404 and json.loads(response.text)["errors"][0]["code"] == "NotFound"
