"""The first sync's order history from the All Orders report, then searchOrders from its end;
a worker killed mid-backfill or mid-sync loses nothing and stores nothing twice."""

from datetime import timedelta

import pytest

import amazon.spapi.backfill as backfill_module
import amazon.spapi.services as services_module
from amazon.spapi.models import ReportRun
from amazon.spapi.services import connection_sync
from tests.factories import BuyerFactory, OrderFactory
from tickets.models import Order, OrderEvent

from .conftest import connect


class Killed(BaseException):
    """The worker died (SIGKILL, OOM, a deploy): nothing after this line runs."""


@pytest.fixture
def new_connection(sandbox, sandbox_url, seller_account):
    return connect(sandbox, sandbox_url, seller_account, backfilled=False)


def sync(connection):
    result = connection_sync(connection_id=connection.pk)
    connection.refresh_from_db()
    return result


def backfill_window(clock):
    end = (clock.now() - timedelta(minutes=2)).replace(microsecond=0)
    return end - timedelta(days=90), end


def expected_ids(marketplace, *, start, end, now) -> set[str]:
    """The report's orders (ordered in the range) and searchOrders' (updated since its end)."""
    visible = marketplace.visible(now)
    reported = {o.order_id for o in visible if start <= o.created <= end}
    searched = {
        o.order_id for o in visible if end - timedelta(minutes=10) <= o.last_updated(now) <= now - timedelta(minutes=2)
    }
    return reported | searched


def stored_ids(account) -> set[str]:
    return set(Order.objects.filter(seller_account=account).values_list("amazon_order_id", flat=True))


def backfill(connection, advance):
    first = sync(connection)
    advance(seconds=60)
    return first, sync(connection)


def test_a_new_connection_first_waits_for_amazons_order_report(new_connection):
    result = sync(new_connection)
    assert (result.retry_after is not None, Order.objects.count(), new_connection.backfilled_at) == (True, 0, None)


def test_the_backfill_stores_90_days_of_orders_then_searches_from_the_reports_end(
    new_connection, marketplace, clock, advance
):
    start, end = backfill_window(clock)
    backfill(new_connection, advance)
    expected = expected_ids(marketplace, start=start, end=end, now=clock.now())
    assert stored_ids(new_connection.seller_account) == expected and len(expected) > 200


def test_the_mark_starts_at_the_end_of_the_history(new_connection, clock, advance):
    _, end = backfill_window(clock)
    _, result = backfill(new_connection, advance)
    assert (result.backfilled, result.complete, new_connection.orders_updated_after) == (
        True,
        True,
        clock.now().replace(microsecond=0) - timedelta(minutes=2),
    )
    assert new_connection.orders_updated_after > end


def test_a_backfilled_order_has_amazons_channel_status_items_and_total(new_connection, marketplace, clock, advance):
    backfill(new_connection, advance)
    source = next(o for o in marketplace.visible(clock.now()) if o.created < clock.now() - timedelta(days=40))
    order = Order.objects.get(amazon_order_id=source.order_id)
    items = {(i.product.asin, i.quantity, i.unit_price) for i in order.items.select_related("product")}
    assert (order.fulfillment_channel, order.status.upper(), order.order_total, order.purchased_at) == (
        {"AFN": "FBA", "MFN": "FBM"}[source.channel],
        source.status(clock.now()),
        source.total,
        source.created,
    )
    assert items == {(i.product.asin, i.quantity, i.product.price) for i in source.items}


def test_a_second_backfill_writes_nothing(new_connection, advance):
    backfill(new_connection, advance)
    before = dict(Order.objects.values_list("amazon_order_id", "updated_at"))
    new_connection.backfilled_at = None
    new_connection.save(update_fields=["backfilled_at"])
    _, again = backfill(new_connection, advance)
    assert (again.backfilled, again.orders_written) == (True, 0)
    assert dict(Order.objects.values_list("amazon_order_id", "updated_at")) == before


def test_the_backfill_keeps_what_the_report_does_not_say(new_connection, seller_account, marketplace, clock, advance):
    source = next(o for o in marketplace.visible(clock.now()) if o.created < clock.now() - timedelta(days=40))
    buyer = BuyerFactory(seller_account=seller_account, name="Dana Whitfield")
    known = OrderFactory(
        seller_account=seller_account,
        amazon_order_id=source.order_id,
        buyer=buyer,
        latest_ship_date=source.latest_ship,
        purchased_at=source.created,
    )
    backfill(new_connection, advance)
    known.refresh_from_db()
    assert (known.buyer_id, known.latest_ship_date) == (buyer.pk, source.latest_ship)


def test_a_worker_killed_mid_backfill_resumes_without_loss_or_duplicates(
    new_connection, sandbox, marketplace, clock, advance, monkeypatch, settings
):
    settings.SPAPI_BACKFILL_BATCH = 20
    start, end = backfill_window(clock)
    sync(new_connection)  # the report is requested
    advance(seconds=60)
    real_take, calls = backfill_module.orders_take, []

    def dies_on_the_fourth_batch(**kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise Killed
        return real_take(**kwargs)

    monkeypatch.setattr(backfill_module, "orders_take", dies_on_the_fourth_batch)
    with pytest.raises(Killed):
        sync(new_connection)
    run = ReportRun.objects.get()
    assert (run.rows_done > 0, Order.objects.count()) == (True, 60)
    monkeypatch.setattr(backfill_module, "orders_take", real_take)
    advance(minutes=16)  # the dead worker's claim lapses
    sync(new_connection)
    ids = list(Order.objects.values_list("amazon_order_id", flat=True))
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_ids(marketplace, start=start, end=end, now=clock.now())
    order_reports = [r for r in sandbox.reports.reports.values() if r.report_type == backfill_module.ORDERS_REPORT]
    assert len(order_reports) == 1  # the same report, not a second one


def test_a_worker_killed_mid_sync_resumes_without_loss_or_duplicates(
    connection, marketplace, clock, advance, monkeypatch, settings
):
    settings.SPAPI_SYNC_PAGE_SIZE = 20
    real_record, calls = services_module._record_events, []

    def dies_on_the_second_page(account_id, orders):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        return real_record(account_id, orders)

    monkeypatch.setattr(services_module, "_record_events", dies_on_the_second_page)
    with pytest.raises(Killed):
        sync(connection)
    stored_after_crash = Order.objects.count()
    monkeypatch.setattr(services_module, "_record_events", real_record)
    advance(minutes=16)
    result = sync(connection)
    now = clock.now()
    expected = {
        o.order_id
        for o in marketplace.visible(now)
        if now - timedelta(days=30, minutes=16, seconds=10) <= o.last_updated(now) <= now - timedelta(minutes=2)
    }
    events = list(OrderEvent.objects.values_list("order__amazon_order_id", "event_id"))
    assert result.complete and stored_after_crash == 20
    assert stored_ids(connection.seller_account) >= expected and len(events) == len(set(events))
