"""Messaging and Solicitations: the actions an order allows, sending them, the solicitation window."""

from datetime import timedelta

from amazon_sandbox import contact_api
from amazon_sandbox.marketplace import MFN, US_MARKETPLACE_ID

from .conftest import START

MARKET = {"marketplaceIds": [US_MARKETPLACE_ID]}


def names(answer):
    return [action["name"] for action in answer.body["_links"]["actions"]]


def test_an_unshipped_fbm_order_offers_order_and_delivery_questions(spapi, marketplace):
    order = next(o for o in marketplace.visible(START) if o.channel == MFN and o.status(START) == "UNSHIPPED")
    offered = names(spapi.call("getMessagingActionsForOrder", amazonOrderId=order.order_id, **MARKET))
    assert {"confirmOrderDetails", "confirmDeliveryDetails", "attributes"} <= set(offered)


def test_removed_message_types_are_never_offered(spapi, marketplace):
    order = marketplace.visible(START)[0]
    offered = names(spapi.call("getMessagingActionsForOrder", amazonOrderId=order.order_id, **MARKET))
    assert not {"negativeFeedbackRemoval", "amazonMotors"} & set(offered)


def test_a_cancelled_order_offers_only_its_attributes(spapi, marketplace):
    order = next(o for o in marketplace.visible(START) if o.status(START) == "CANCELLED")
    assert names(spapi.call("getMessagingActionsForOrder", amazonOrderId=order.order_id, **MARKET)) == ["attributes"]


def test_an_offered_message_is_sent_and_recorded(spapi, sandbox, marketplace):
    order = next(o for o in marketplace.visible(START) if o.status(START) != "CANCELLED")
    answer = spapi.call(
        "createUnexpectedProblem", amazonOrderId=order.order_id, body={"text": "Your parcel is delayed."}, **MARKET
    )
    assert answer.status == 201 and sandbox.contacts.messages[-1]["action"] == "unexpectedProblem"


def test_a_message_not_offered_is_refused(spapi, marketplace):
    order = next(o for o in marketplace.visible(START) if o.channel == "AFN" and o.status(START) == "SHIPPED")
    answer = spapi.call("createConfirmOrderDetails", amazonOrderId=order.order_id, body={"text": "Hi"}, **MARKET)
    assert answer.status == 403


def test_a_message_body_is_checked_against_the_model(spapi, marketplace):
    order = marketplace.visible(START)[0]
    answer = spapi.call("createUnexpectedProblem", amazonOrderId=order.order_id, body={"text": ""}, **MARKET)
    assert (answer.status, answer.body["errors"][0]["code"]) == (400, "InvalidInput")


def test_messaging_needs_the_marketplace(spapi, marketplace):
    answer = spapi.call("getMessagingActionsForOrder", amazonOrderId=marketplace.visible(START)[0].order_id)
    assert answer.status == 400


def test_get_attributes_gives_each_buyers_own_locale(spapi, clock, marketplace):
    by_locale = {contact_api.buyer_locale(o): o for o in marketplace.visible(START)}
    answers = {}
    for locale in ("en-US", "es-US"):
        clock.advance(seconds=1)  # the usage plan: 1 request a second
        order_id = by_locale[locale].order_id
        answers[locale] = spapi.call("GetAttributes", amazonOrderId=order_id, **MARKET).body
    assert answers == {locale: {"buyer": {"locale": locale}} for locale in answers}


def _delivered_recently(marketplace):
    return next(
        o
        for o in marketplace.visible(START)
        if o.delivered and o.earliest_delivery + timedelta(days=5) > START and o.delivered <= START
    )


def test_a_solicitation_opens_five_days_after_delivery(spapi, clock, marketplace):
    order = _delivered_recently(marketplace)
    early = names(spapi.call("getSolicitationActionsForOrder", amazonOrderId=order.order_id, **MARKET))
    clock.set(order.earliest_delivery + timedelta(days=5, minutes=1))
    spapi.authenticate()
    later = names(spapi.call("getSolicitationActionsForOrder", amazonOrderId=order.order_id, **MARKET))
    assert (early, later) == ([], ["productReviewAndSellerFeedback"])


def test_a_solicitation_is_sent_once_per_order(spapi, clock, marketplace):
    order = _delivered_recently(marketplace)
    clock.set(order.earliest_delivery + timedelta(days=6))
    spapi.authenticate()
    call = {"amazonOrderId": order.order_id, **MARKET}
    statuses = [spapi.call("createProductReviewAndSellerFeedbackSolicitation", **call).status for _ in range(2)]
    assert (statuses, names(spapi.call("getSolicitationActionsForOrder", **call))) == ([201, 403], [])


def test_the_solicitation_window_closes_thirty_days_after_the_latest_delivery(spapi, clock, marketplace):
    order = _delivered_recently(marketplace)
    clock.set(order.latest_delivery + timedelta(days=30, minutes=1))
    spapi.authenticate()
    assert names(spapi.call("getSolicitationActionsForOrder", amazonOrderId=order.order_id, **MARKET)) == []
