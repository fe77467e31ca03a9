"""The client the desk will use, Amazon's official SDK (``amzn-sp-api``), against the sandbox.

End to end: the SDK gets its access token from the sandbox's LWA endpoint (refresh token
grant) and calls Orders v2026-01-01 searchOrders and getOrder at the sandbox's address —
both only by configuration (``SPAPIClient(config, oauth_endpoint=…, endpoint=…)``).
"""

from datetime import timedelta

import pytest
from spapi import SPAPIClient, SPAPIConfig
from spapi.api.orders_v2026_01_01.get_order_api import GetOrderApi
from spapi.api.orders_v2026_01_01.search_orders_api import SearchOrdersApi
from spapi.rest import ApiException

from amazon_sandbox.app import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET


@pytest.fixture
def sdk(sandbox, sandbox_url, seller):
    config = SPAPIConfig(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        refresh_token=sandbox.self_authorize(seller),
        region="NA",
    )
    return SPAPIClient(config, oauth_endpoint=f"{sandbox_url}/auth/o2/token", endpoint=sandbox_url).api_client


def test_the_sdk_searches_orders_page_by_page(sdk, clock, marketplace):
    api = SearchOrdersApi(sdk)
    since = clock.now() - timedelta(days=2)
    first = api.search_orders(created_after=since, max_results_per_page=5, included_data=["FULFILLMENT"])
    second = api.search_orders(
        created_after=since, max_results_per_page=5, pagination_token=first.pagination.next_token
    )
    ids = [o.order_id for o in first.orders + second.orders]
    assert len(set(ids)) == 10 and all(marketplace.by_id[i].created >= since for i in ids)


def test_the_sdk_reads_an_order_with_buyer_recipient_and_packages(sdk, clock, marketplace):
    order = next(o for o in marketplace.visible(clock.now()) if o.package and o.is_delivered(clock.now()))
    got = GetOrderApi(sdk).get_order(order.order_id, included_data=["BUYER", "RECIPIENT", "PACKAGES"]).order
    assert (got.buyer.buyer_email, got.recipient.delivery_address.postal_code, got.packages[0].carrier) == (
        order.buyer_email,
        order.address.postal_code,
        order.package.carrier,
    )


def test_the_sdk_surfaces_amazons_400(sdk, clock):
    with pytest.raises(ApiException) as raised:
        SearchOrdersApi(sdk).search_orders(created_after=clock.now(), max_results_per_page=101)
    assert raised.value.status == 400
