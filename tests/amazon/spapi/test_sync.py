"""The incremental orders sync against the sandbox: what it stores, what a re-sync does,
changes, deliveries, a revoked authorization, Amazon's 429 and the account walls."""

from datetime import timedelta

import pytest
from django.db.models import Max

from amazon.spapi.models import SpApiConnection
from amazon.spapi.services import connection_claim, connection_sync
from amazon.spapi.tasks import sync_connections
from tests.factories import ProductFactory
from tickets.models import Order, OrderEvent, ProactiveGuide

from .conftest import connect

WINDOW = timedelta(days=30, minutes=10)  # SPAPI_SYNC_INITIAL_DAYS + the overlap


def expected_ids(marketplace, now) -> set[str]:
    """The sandbox's orders a first sync must bring: updated in the last 30 days (+ overlap)."""
    return {
        o.order_id
        for o in marketplace.visible(now)
        if now - WINDOW <= o.last_updated(now) <= now - timedelta(minutes=2)
    }


def sync(connection) -> object:
    result = connection_sync(connection_id=connection.pk)
    connection.refresh_from_db()
    return result


def test_a_first_sync_brings_the_orders_of_the_last_30_days(connection, marketplace, clock):
    result = sync(connection)
    stored = set(
        Order.objects.filter(seller_account=connection.seller_account).values_list("amazon_order_id", flat=True)
    )
    expected = expected_ids(marketplace, clock.now())
    assert result.complete and result.pages == -(-len(expected) // 100) and stored == expected


def test_the_mark_is_the_searchs_upper_bound_once_the_walk_is_done(connection, clock):
    sync(connection)
    assert connection.orders_updated_after == clock.now().replace(microsecond=0) - timedelta(minutes=2)


def test_the_connection_shows_what_it_synced(connection):
    sync(connection)
    assert (connection.orders_synced, connection.last_error, connection.sync_started_at) == (
        Order.objects.count(),
        "",
        None,
    )
    assert connection.last_success_at is not None


def test_an_fba_order_is_stored_with_amazons_channel_status_and_dates(connection, marketplace, clock):
    sync(connection)
    amazon = next(
        o
        for o in marketplace.visible(clock.now())
        if o.channel == "AFN" and o.order_id in expected_ids(marketplace, clock.now())
    )
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    assert (order.fulfillment_channel, order.purchased_at, order.latest_ship_date, order.latest_delivery_date) == (
        "FBA",
        amazon.created,
        amazon.latest_ship,
        amazon.latest_delivery,
    )
    status = {"SHIPPED": "shipped", "UNSHIPPED": "unshipped", "PENDING": "pending", "CANCELLED": "cancelled"}[
        amazon.status(clock.now())
    ]
    if status == "shipped" and amazon.latest_delivery <= clock.now():
        status = "delivered"  # estimated from Amazon's promise (test_fba_deliveries)
    assert order.status == status


def test_an_fbm_order_has_its_buyer_items_and_total(connection, marketplace, clock):
    sync(connection)
    amazon = next(
        o
        for o in marketplace.visible(clock.now())
        if o.channel == "MFN" and o.order_id in expected_ids(marketplace, clock.now())
    )
    order = Order.objects.select_related("buyer").get(amazon_order_id=amazon.order_id)
    items = {(i.product.asin, i.quantity, i.unit_price) for i in order.items.select_related("product")}
    assert (order.fulfillment_channel, order.order_total, order.buyer.email, order.buyer.name) == (
        "FBM",
        amazon.total,
        amazon.buyer_email,
        amazon.buyer_name,
    )
    assert items == {(i.product.asin, i.quantity, i.product.price) for i in amazon.items}


def test_a_delivered_fbm_order_gets_its_shipped_and_delivered_events(connection, marketplace, clock):
    sync(connection)
    now = clock.now()
    amazon = next(
        o
        for o in marketplace.visible(now)
        if o.package and o.is_delivered(now) and o.order_id in expected_ids(marketplace, now)
    )
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    events = {e.type: e for e in order.events.all()}
    assert (order.status, order.delivered_at, order.shipped_at, order.tracking_number) == (
        "delivered",
        amazon.delivered,  # the order's lastUpdatedTime: nothing happened to it after delivery
        amazon.shipped,
        amazon.package.tracking_number,
    )
    assert (events["shipped"].event_id, events["delivered"].event_id, events["delivered"].source) == (
        "spapi:1:shipped",
        "spapi:1:delivered",
        "sync",
    )


def test_a_second_sync_writes_nothing(connection):
    sync(connection)
    before = (Order.objects.count(), OrderEvent.objects.count(), Order.objects.aggregate(m=Max("updated_at"))["m"])
    result = sync(connection)
    after = (Order.objects.count(), OrderEvent.objects.count(), Order.objects.aggregate(m=Max("updated_at"))["m"])
    assert (result.orders_written, result.events_recorded, after) == (0, 0, before)


def test_an_order_that_changes_at_amazon_is_updated(connection, marketplace, clock, advance):
    sync(connection)
    now = clock.now()
    amazon = next(
        o
        for o in marketplace.visible(now)
        if o.package and o.status(now) == "UNSHIPPED" and o.shipped < now + timedelta(days=1)
    )
    assert Order.objects.get(amazon_order_id=amazon.order_id).status == "unshipped"
    advance(days=1)
    sync(connection)
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    assert (order.status, order.shipped_at, order.carrier) == ("shipped", amazon.shipped, amazon.package.carrier)


def test_an_order_placed_after_the_last_sync_arrives_with_the_next(connection, marketplace, clock, advance):
    sync(connection)
    advance(hours=6)
    sync(connection)
    newest = max((o for o in marketplace.visible(clock.now() - timedelta(minutes=2))), key=lambda o: o.created)
    assert Order.objects.filter(amazon_order_id=newest.order_id).exists()


def test_a_delivery_seen_by_the_sync_starts_the_proactive_guide(connection, marketplace, clock, advance):
    account = connection.seller_account
    account.proactive_guides_enabled = True
    account.save()
    now = clock.now()
    amazon = next(
        o
        for o in marketplace.visible(now)
        if o.package and o.shipped and not o.is_delivered(now) and o.delivered < now + timedelta(days=3)
    )
    for item in amazon.items:
        ProductFactory(seller_account=account, asin=item.product.asin)
    sync(connection)
    assert not ProactiveGuide.objects.filter(order__amazon_order_id=amazon.order_id).exists()
    advance(days=3)
    sync(connection)
    guide = ProactiveGuide.objects.get(order__amazon_order_id=amazon.order_id)
    assert guide.send_after >= amazon.delivered


def test_a_revoked_authorization_stops_the_account(connection, sandbox, seller):
    sandbox.revoke(seller)
    sync(connection)
    assert connection.status == "revoked" and "Connect the account again" in connection.last_error


def test_a_revoked_account_is_not_synced_again(connection, sandbox, seller, advance):
    sandbox.revoke(seller)
    sync(connection)
    advance(minutes=10)
    assert connection_sync(connection_id=connection.pk).claimed is False
    assert sync_connections() == 0


def test_a_revoke_while_holding_an_access_token_stops_the_account(connection, sandbox, seller, settings):
    # Page 1 with a fresh access token; the seller revokes before page 2: Amazon's 403.
    settings.SPAPI_SYNC_PAGE_SIZE = 100
    from amazon.spapi.client import SpApiClient

    client = SpApiClient(endpoint=connection.endpoint, refresh_token=connection.refresh_token())
    client.tokens.get_lwa_access_token()
    sandbox.revoke(seller)
    from amazon.spapi.client import AuthorizationRevoked

    with pytest.raises(AuthorizationRevoked):
        client.search_orders(
            last_updated_after=sandbox.clock.now() - timedelta(days=1),
            marketplace_ids=["ATVPDKIKX0DER"],
            page_size=10,
            included_data=["FULFILLMENT"],
        )


@pytest.fixture
def small_pages(settings):
    settings.SPAPI_SYNC_PAGE_SIZE = 40  # a first sync of several pages


def drain_search_orders(sandbox, seller, *, leave: int) -> None:
    """Spend the seller's searchOrders burst down to ``leave`` tokens (the sandbox's own bucket)."""
    op = sandbox.operations["searchOrders"]
    rate, burst = sandbox.usage_plan(op)
    for _ in range(burst - leave):
        assert sandbox.limiter.allow(selling_partner_id=seller, operation_id="searchOrders", rate=rate, burst=burst)


def test_a_429_keeps_the_mark_of_the_stored_pages(connection, sandbox, seller, marketplace, clock, small_pages):
    drain_search_orders(sandbox, seller, leave=1)
    result = sync(connection)
    now = clock.now()
    wanted = expected_ids(marketplace, now)
    page_one = sorted((o.last_updated(now), o.order_id) for o in marketplace.visible(now) if o.order_id in wanted)[:40]
    assert (result.pages, result.retry_after) == (1, pytest.approx(1 / 0.0056))
    assert connection.orders_updated_after == page_one[-1][0]
    assert set(Order.objects.values_list("amazon_order_id", flat=True)) == {i for _, i in page_one}


def test_a_429_is_shown_on_the_connection(connection, sandbox, seller, small_pages):
    drain_search_orders(sandbox, seller, leave=1)
    sync(connection)
    assert connection.status == "connected" and "429" in connection.last_error and connection.backoff_until


def test_a_throttled_account_waits_out_its_backoff(connection, sandbox, seller, small_pages):
    drain_search_orders(sandbox, seller, leave=1)
    sync(connection)
    assert connection_sync(connection_id=connection.pk).claimed is False


def test_after_a_429_the_next_sync_goes_on_and_completes(
    connection, sandbox, seller, marketplace, clock, advance, small_pages
):
    drain_search_orders(sandbox, seller, leave=1)
    sync(connection)
    mark = connection.orders_updated_after
    advance(seconds=900)  # five more tokens: enough for the pages left
    result = sync(connection)
    stored = set(Order.objects.values_list("amazon_order_id", flat=True))
    assert result.complete and mark is not None and expected_ids(marketplace, clock.now()) <= stored
    assert connection.last_error == ""


def test_a_connection_writes_only_its_own_accounts_orders(sandbox, sandbox_url, seller_account, other_seller_account):
    mine = connect(sandbox, sandbox_url, seller_account)
    theirs = connect(sandbox, sandbox_url, other_seller_account)
    sync(mine)
    sync(theirs)
    for account in (seller_account, other_seller_account):
        market = sandbox.marketplaces[account.merchant_id]
        ids = set(Order.objects.filter(seller_account=account).values_list("amazon_order_id", flat=True))
        assert ids and ids <= set(market.by_id)


def test_syncing_one_account_leaves_the_other_untouched(sandbox, sandbox_url, seller_account, other_seller_account):
    mine = connect(sandbox, sandbox_url, seller_account)
    connect(sandbox, sandbox_url, other_seller_account)
    sync(mine)
    assert not Order.objects.filter(seller_account=other_seller_account).exists()


def test_one_worker_at_a_time_syncs_an_account(connection):
    from django.utils import timezone

    assert connection_claim(connection_id=connection.pk, now=timezone.now()) is True
    assert connection_claim(connection_id=connection.pk, now=timezone.now()) is False
    assert connection_sync(connection_id=connection.pk).claimed is False


def test_a_claim_left_by_a_dead_worker_expires(connection, advance):
    from django.utils import timezone

    connection_claim(connection_id=connection.pk, now=timezone.now())
    advance(minutes=16)
    assert connection_sync(connection_id=connection.pk).claimed is True


def test_the_beat_task_syncs_every_connected_account(connection):
    assert sync_connections() == 1
    assert Order.objects.filter(seller_account=connection.seller_account).exists()


def test_a_stopped_connection_is_not_due(connection):
    SpApiConnection.objects.filter(pk=connection.pk).update(status="error")
    assert sync_connections() == 0
