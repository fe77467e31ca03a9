"""Messaging as Amazon refuses it: actions by order state, text rules, attachments through Uploads."""

import base64
import hashlib
from datetime import timedelta

import pytest
import requests

from amazon_sandbox.marketplace import AFN, MFN, US_MARKETPLACE_ID

from .conftest import START

MARKET = {"marketplaceIds": [US_MARKETPLACE_ID]}
PDF = b"%PDF-1.4 warranty card\n"


def names(answer):
    return {action["name"] for action in answer.body["_links"]["actions"]}


def offered(spapi, order, clock=None):
    if clock is not None:
        clock.advance(seconds=1)  # the usage plan: 1 request a second
    return names(spapi.call("getMessagingActionsForOrder", amazonOrderId=order.order_id, **MARKET))


def md5(content: bytes) -> str:
    return base64.b64encode(hashlib.md5(content).digest()).decode()  # noqa: S324


def delivered(marketplace, channel=None):
    return next(
        o
        for o in marketplace.visible(START)
        if o.is_delivered(START) and (channel is None or o.channel == channel) and o.status(START) == "SHIPPED"
    )


def in_transit(marketplace):
    return next(
        o
        for o in marketplace.visible(START)
        if o.channel == MFN and o.status(START) == "SHIPPED" and not o.is_delivered(START)
    )


def upload(spapi, order, action, content=PDF):
    resource = f"messaging/v1/orders/{order.order_id}/messages/{action}"
    answer = spapi.call("createUploadDestinationForResource", resource=resource, contentMD5=md5(content), **MARKET)
    assert answer.status == 201, answer.body
    destination = answer.body["payload"]
    put = requests.put(destination["url"], data=content, headers=destination["headers"], timeout=10)
    return destination["uploadDestinationId"], put.status_code


def test_delivery_details_are_offered_only_before_delivery(spapi, marketplace):
    before, after = in_transit(marketplace), delivered(marketplace, MFN)
    assert ("confirmDeliveryDetails" in offered(spapi, before), "confirmDeliveryDetails" in offered(spapi, after)) == (
        True,
        False,
    )


def test_warranty_is_offered_only_after_delivery(spapi, marketplace):
    before, after = in_transit(marketplace), delivered(marketplace)
    assert ("warranty" in offered(spapi, before), "warranty" in offered(spapi, after)) == (False, True)


def test_no_order_is_offered_home_service_details(spapi, clock, marketplace):
    assert all("confirmServiceDetails" not in offered(spapi, o, clock) for o in marketplace.visible(START)[:20])


def test_a_digital_access_key_is_offered_only_for_products_that_have_one(spapi, clock, marketplace):
    orders = [o for o in marketplace.visible(START) if o.is_delivered(START)][:30]
    with_key = {o.order_id for o in orders if any(i.product.title.startswith("Digital") for i in o.items)}
    assert with_key and {o.order_id for o in orders if "digitalAccessKey" in offered(spapi, o, clock)} == with_key


@pytest.mark.parametrize(
    "text",
    ["Your <b>parcel</b> is delayed.", "Write to help@brewline.example for details.", "Delayed &amp; sorry."],
)
def test_html_and_email_addresses_are_refused(spapi, marketplace, text):
    order = delivered(marketplace)
    answer = spapi.call("createUnexpectedProblem", amazonOrderId=order.order_id, body={"text": text}, **MARKET)
    assert (answer.status, answer.body["errors"][0]["code"]) == (400, "InvalidInput")


@pytest.mark.parametrize(("operation", "limit"), [("createUnexpectedProblem", 2000), ("createDigitalAccessKey", 400)])
def test_text_over_the_models_limit_is_refused(spapi, marketplace, operation, limit):
    orders = marketplace.visible(START)
    order = next(o for o in orders if "Digital" in o.items[0].product.title and o.is_delivered(START))
    statuses = [
        spapi.call(operation, amazonOrderId=order.order_id, body={"text": "x" * n}, **MARKET).status
        for n in (limit + 1, limit)
    ]
    assert statuses == [400, 201]


def test_a_warranty_with_an_uploaded_attachment_is_sent(spapi, sandbox, marketplace):
    order = delivered(marketplace)
    destination_id, put_status = upload(spapi, order, "warranty")
    body = {
        "attachments": [{"uploadDestinationId": destination_id, "fileName": "warranty.pdf"}],
        "coverageStartDate": "2026-06-15T00:00:00Z",
        "coverageEndDate": "2028-06-15T00:00:00Z",
    }
    answer = spapi.call("CreateWarranty", amazonOrderId=order.order_id, body=body, **MARKET)
    assert (put_status, answer.status, sandbox.contacts.messages[-1]["action"]) == (200, 201, "warranty")


def test_a_warranty_needs_an_attachment(spapi, marketplace):
    order = delivered(marketplace)
    answer = spapi.call("CreateWarranty", amazonOrderId=order.order_id, body={"attachments": []}, **MARKET)
    assert answer.status == 400


def test_more_than_five_attachments_are_refused(spapi, marketplace):
    # One upload named six times: the count is refused before the files are looked at.
    order = delivered(marketplace)
    attachments = [{"uploadDestinationId": upload(spapi, order, "warranty")[0], "fileName": "w.pdf"}] * 6
    answer = spapi.call("CreateWarranty", amazonOrderId=order.order_id, body={"attachments": attachments}, **MARKET)
    assert answer.status == 400


def test_an_attachment_never_uploaded_is_refused(spapi, marketplace):
    order = delivered(marketplace)
    resource = f"messaging/v1/orders/{order.order_id}/messages/invoice"
    destination = spapi.call(
        "createUploadDestinationForResource", resource=resource, contentMD5=md5(PDF), **MARKET
    ).body["payload"]
    body = {"attachments": [{"uploadDestinationId": destination["uploadDestinationId"], "fileName": "i.pdf"}]}
    assert spapi.call("sendInvoice", amazonOrderId=order.order_id, body=body, **MARKET).status == 400


def test_an_attachment_uploaded_for_another_order_is_refused(spapi, marketplace):
    first, second = [o for o in marketplace.visible(START) if o.is_delivered(START)][:2]
    destination_id, _ = upload(spapi, first, "invoice")
    body = {"attachments": [{"uploadDestinationId": destination_id, "fileName": "i.pdf"}]}
    assert spapi.call("sendInvoice", amazonOrderId=second.order_id, body=body, **MARKET).status == 400


def test_an_upload_whose_digest_does_not_match_is_refused(spapi, marketplace):
    order = delivered(marketplace)
    resource = f"messaging/v1/orders/{order.order_id}/messages/invoice"
    destination = spapi.call(
        "createUploadDestinationForResource", resource=resource, contentMD5=md5(b"other"), **MARKET
    ).body["payload"]
    assert requests.put(destination["url"], data=PDF, timeout=10).status_code == 400


def test_an_upload_destination_for_another_resource_is_refused(spapi):
    resource = "aplus/2020-11-01/contentDocuments"
    answer = spapi.call("createUploadDestinationForResource", resource=resource, contentMD5=md5(PDF), **MARKET)
    assert answer.status == 400


def test_an_upload_destination_expires(spapi, clock, marketplace):
    order = delivered(marketplace)
    resource = f"messaging/v1/orders/{order.order_id}/messages/invoice"
    destination = spapi.call(
        "createUploadDestinationForResource", resource=resource, contentMD5=md5(PDF), **MARKET
    ).body["payload"]
    clock.advance(minutes=6)
    assert requests.put(destination["url"], data=PDF, timeout=10).status_code == 403


def test_an_invoice_is_not_offered_before_shipping(spapi, marketplace):
    order = next(o for o in marketplace.visible(START) if o.channel == AFN and o.status(START) == "UNSHIPPED")
    assert "invoice" not in offered(spapi, order)


def test_a_solicitation_is_refused_for_an_undelivered_order(spapi, marketplace):
    order = in_transit(marketplace)
    answer = spapi.call("createProductReviewAndSellerFeedbackSolicitation", amazonOrderId=order.order_id, **MARKET)
    assert answer.status == 403


def test_a_solicitation_is_refused_before_five_days(spapi, clock, marketplace):
    order = next(
        o
        for o in marketplace.visible(START)
        if o.is_delivered(START) and o.earliest_delivery + timedelta(days=5) > START
    )
    answer = spapi.call("createProductReviewAndSellerFeedbackSolicitation", amazonOrderId=order.order_id, **MARKET)
    assert answer.status == 403
