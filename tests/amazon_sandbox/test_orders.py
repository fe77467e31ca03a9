"""Orders API v2026-01-01 (searchOrders, getOrder): valid answers, Amazon's 400s, pagination."""

from datetime import timedelta

import pytest

from amazon_sandbox.marketplace import iso

from .conftest import START, walk

ALL_DATA = ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PACKAGES", "CANCELLATION"]


def test_search_orders_answers_a_page_valid_against_the_model(spapi):
    answer = spapi.call("searchOrders", createdAfter=iso(START - timedelta(days=3)), includedData=ALL_DATA)
    assert answer.status == 200 and answer.body["orders"]


def test_pagination_walks_every_order_once(spapi, clock, marketplace):
    after = START - timedelta(days=30)
    orders, pages = walk(spapi, clock, createdAfter=iso(after), maxResultsPerPage=7)
    ids = [o["orderId"] for o in orders]
    expected = {o.order_id for o in marketplace.visible(START) if after <= o.created <= START - timedelta(minutes=2)}
    assert len(ids) == len(set(ids)) and set(ids) == expected and pages > 20


def test_pagination_is_stable_while_the_clock_moves(spapi, clock, marketplace):
    after = START - timedelta(days=10)
    first = spapi.call("searchOrders", lastUpdatedAfter=iso(after), maxResultsPerPage=50)
    clock.advance(hours=6)  # orders ship and deliver underneath the walk
    rest, _ = walk(spapi, clock, lastUpdatedAfter=iso(after), paginationToken=first.body["pagination"]["nextToken"])
    ids = [o["orderId"] for o in first.body["orders"] + rest]
    expected = {
        o.order_id for o in marketplace.visible(START) if after <= o.last_updated(START) <= START - timedelta(minutes=2)
    }
    assert len(ids) == len(set(ids)) and set(ids) == expected


def test_last_updated_after_picks_up_orders_that_shipped_later(spapi, clock):
    since = iso(clock.now() - timedelta(minutes=2))
    clock.advance(days=1)
    spapi.authenticate()
    answer = spapi.call("searchOrders", lastUpdatedAfter=since, includedData=["FULFILLMENT"])
    assert {o["fulfillment"]["fulfillmentStatus"] for o in answer.body["orders"]} >= {"SHIPPED", "UNSHIPPED"}


def test_filters_by_fulfilled_by(spapi):
    answer = spapi.call(
        "searchOrders",
        createdAfter=iso(START - timedelta(days=5)),
        fulfilledBy=["MERCHANT"],
        includedData=["FULFILLMENT"],
    )
    assert {o["fulfillment"]["fulfilledBy"] for o in answer.body["orders"]} == {"MERCHANT"}


@pytest.mark.parametrize(
    "params",
    [
        {"createdAfter": "2026-06-01T00:00:00Z", "lastUpdatedAfter": "2026-06-01T00:00:00Z"},
        {},
        {"createdAfter": "2026-06-01T00:00:00Z", "createdBefore": iso(START - timedelta(minutes=1))},
        {"lastUpdatedAfter": "2026-06-01T00:00:00Z", "lastUpdatedBefore": iso(START)},
        {"createdAfter": "2026-06-10T00:00:00Z", "createdBefore": "2026-06-01T00:00:00Z"},
        {"createdAfter": "2026-06-01T00:00:00Z", "lastUpdatedBefore": "2026-06-02T00:00:00Z"},
        {"createdAfter": "2026-06-01T00:00:00Z", "maxResultsPerPage": 0},
        {"createdAfter": "2026-06-01T00:00:00Z", "maxResultsPerPage": 101},
        {"createdAfter": "2026-06-01T00:00:00Z", "maxResultsPerPage": "ten"},
        {"createdAfter": "yesterday"},
        {"createdAfter": "2026-06-01T00:00:00Z", "fulfillmentStatuses": ["LOST"]},
        {"createdAfter": "2026-06-01T00:00:00Z", "includedData": ["EVERYTHING"]},
        {"createdAfter": "2026-06-01T00:00:00Z", "paginationToken": "not-a-token"},
    ],
    ids=[
        "both-after-bounds",
        "no-after-bound",
        "created-before-too-recent",
        "updated-before-too-recent",
        "before-earlier-than-after",
        "mixed-bounds",
        "page-size-0",
        "page-size-101",
        "page-size-not-integer",
        "date-not-iso",
        "unknown-status",
        "unknown-dataset",
        "bad-token",
    ],
)
def test_invalid_searches_get_amazons_400(spapi, params):
    answer = spapi.call("searchOrders", **params)
    assert answer.status == 400 and answer.body["errors"][0]["code"] == "InvalidInput"


def test_a_token_does_not_serve_other_filters(spapi):
    first = spapi.call("searchOrders", createdAfter=iso(START - timedelta(days=20)), maxResultsPerPage=5)
    answer = spapi.call(
        "searchOrders",
        createdAfter=iso(START - timedelta(days=19)),
        paginationToken=first.body["pagination"]["nextToken"],
    )
    assert answer.status == 400


def test_get_order_includes_buyer_recipient_and_packages(spapi, marketplace):
    order = next(o for o in marketplace.visible(START) if o.package and o.is_delivered(START))
    answer = spapi.call("getOrder", orderId=order.order_id, includedData=["BUYER", "RECIPIENT", "PACKAGES"])
    body = answer.body["order"]
    assert (
        body["buyer"]["buyerEmail"],
        body["recipient"]["deliveryAddress"]["city"],
        body["packages"][0]["trackingNumber"],
    ) == (
        order.buyer_email,
        order.address.city,
        order.package.tracking_number,
    )


def test_fba_orders_have_no_packages(spapi, marketplace):
    order = next(o for o in marketplace.visible(START) if o.channel == "AFN" and o.is_delivered(START))
    answer = spapi.call("getOrder", orderId=order.order_id, includedData=["PACKAGES"])
    assert "packages" not in answer.body["order"]


def test_get_order_without_datasets_leaves_buyer_data_out(spapi, marketplace):
    order = marketplace.visible(START)[0]
    body = spapi.call("getOrder", orderId=order.order_id).body["order"]
    assert not {"buyer", "recipient", "fulfillment"} & set(body)


def test_an_order_of_another_seller_or_the_future_is_not_found(spapi, sandbox, marketplace):
    other = sandbox.marketplaces[sandbox.selling_partner_ids[1]].visible(START)[0]
    future = next(o for o in marketplace.orders if not o.exists(START))
    answers = [spapi.call("getOrder", orderId=o.order_id).status for o in (other, future)]
    assert answers == [404, 404]
