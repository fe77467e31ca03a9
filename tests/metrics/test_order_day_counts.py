"""The per-day order counts behind the ODR's denominator (metrics.models.OrderDayCount):
the database triggers keep them equal to the orders table through every kind of write,
compaction keeps the sums, and the ODR reads them."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from metrics.models import OrderDayCount
from metrics.odr import odr_compute
from metrics.order_counts import order_day_counts_compact, order_day_counts_drift
from tests.api.conftest import KeyClient, make_key
from tests.api.payloads import order_payload
from tests.factories import OrderFactory
from tickets.intake import orders as ingest
from tickets.models import FulfillmentChannel, Order

pytestmark = pytest.mark.django_db
FBA, FBM = FulfillmentChannel.FBA, FulfillmentChannel.FBM
# Two instants a second apart on either side of midnight UTC: two order days.
LATE = datetime(2026, 10, 9, 23, 59, 59, tzinfo=UTC)
EARLY = datetime(2026, 10, 10, 0, 0, 0, tzinfo=UTC)


def kept(account, channel=FBM) -> dict[date, int]:
    """The kept count per day of an account and channel (zero days left out)."""
    days: dict[date, int] = {}
    for day, orders in OrderDayCount.objects.filter(seller_account=account, fulfillment_channel=channel).values_list(
        "day", "orders"
    ):
        days[day] = days.get(day, 0) + orders
    return {d: n for d, n in days.items() if n}


def test_orders_created_one_by_one_and_in_bulk_are_counted_on_their_utc_day(account):
    OrderFactory(seller_account=account, purchased_at=LATE)
    OrderFactory.create_batch(3, seller_account=account, purchased_at=EARLY)
    OrderFactory(seller_account=account, purchased_at=EARLY, fulfillment_channel=FBA)
    assert kept(account) == {date(2026, 10, 9): 1, date(2026, 10, 10): 3}
    assert kept(account, FBA) == {date(2026, 10, 10): 1}
    assert order_day_counts_drift() == {}


def test_moving_an_order_across_midnight_a_channel_or_an_account_moves_its_count(account, other_account):
    order = OrderFactory(seller_account=account, purchased_at=LATE)
    order.purchased_at = EARLY
    order.save()
    assert kept(account) == {date(2026, 10, 10): 1}
    Order.objects.filter(pk=order.pk).update(fulfillment_channel=FBA)
    assert (kept(account), kept(account, FBA)) == ({}, {date(2026, 10, 10): 1})
    Order.objects.filter(pk=order.pk).update(seller_account=other_account)
    assert (kept(account, FBA), kept(other_account, FBA)) == ({}, {date(2026, 10, 10): 1})
    assert order_day_counts_drift() == {}


def test_an_update_that_keeps_the_day_writes_no_count_row(account):
    order = OrderFactory(seller_account=account, purchased_at=EARLY)
    rows = OrderDayCount.objects.count()
    Order.objects.filter(pk=order.pk).update(purchased_at=EARLY.replace(hour=23), carrier="UPS")
    assert OrderDayCount.objects.count() == rows


def test_deleted_orders_leave_the_counts(account, other_account):
    OrderFactory.create_batch(2, seller_account=account, purchased_at=EARLY)
    OrderFactory(seller_account=other_account, purchased_at=EARLY)
    Order.objects.filter(seller_account=account).first().delete()
    assert kept(account) == {date(2026, 10, 10): 1}
    Order.objects.filter(seller_account=other_account).delete()  # in bulk
    assert kept(other_account) == {}
    assert order_day_counts_drift() == {}


@pytest.mark.parametrize(
    "write_path",
    [
        pytest.param(
            "set-based",
            marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement"),
        ),
        "portable",
    ],
)
def test_the_bulk_ingest_and_its_replays_keep_the_counts(account, write_path, monkeypatch):
    if write_path == "portable":
        monkeypatch.setattr(ingest, "_postgresql", lambda: False)
    api = KeyClient(make_key(accounts=[account], scope="ingest")[1])
    first = order_payload(account, "113-0000000-0000001", purchased_at="2026-10-09T23:59:59Z")
    second = order_payload(account, "113-0000000-0000002", purchased_at="2026-10-10T01:00:00+02:00")  # 9 Oct UTC
    assert api.post("/api/v1/orders/", [first, second]).status_code == 201
    assert kept(account) == {date(2026, 10, 9): 2}
    # A replay, then a correction that moves one order to the next day and to FBA.
    api.post("/api/v1/orders/", [first, second])
    second.update(purchased_at="2026-10-10T09:00:00Z", fulfillment_channel="FBA")
    assert api.post("/api/v1/orders/", [first, second]).status_code == 200
    assert (kept(account), kept(account, FBA)) == ({date(2026, 10, 9): 1}, {date(2026, 10, 10): 1})
    assert order_day_counts_drift() == {}


def test_compaction_folds_each_day_into_one_row_and_keeps_the_sums(account):
    for _ in range(3):  # three statements: three rows for the same day
        OrderFactory(seller_account=account, purchased_at=EARLY)
    gone = OrderFactory(seller_account=account, purchased_at=LATE)
    gone.delete()  # the 9th sums to zero
    before = kept(account)
    assert order_day_counts_compact() == 5
    assert kept(account) == before == {date(2026, 10, 10): 3}
    rows = OrderDayCount.objects.filter(seller_account=account).values_list("day", "orders")
    assert list(rows) == [(date(2026, 10, 10), 3)]
    assert order_day_counts_compact() == 0  # nothing left to fold


def test_the_odr_denominator_is_the_kept_count(account):
    OrderFactory.create_batch(4, seller_account=account, purchased_at=EARLY)
    order_day_counts_compact()
    OrderFactory(seller_account=account, purchased_at=EARLY)  # appended, not yet compacted
    assert odr_compute(seller_account=account, channel=FBM, as_of=date(2026, 10, 31)).orders == 5
    # The proof that it reads the counts: a count nobody wrote to the orders table shows.
    OrderDayCount.objects.create(seller_account=account, fulfillment_channel=FBM, day=EARLY.date(), orders=95)
    assert odr_compute(seller_account=account, channel=FBM, as_of=date(2026, 10, 31)).orders == 100


def test_a_drift_is_reported_and_a_rebuild_repairs_it(account, capsys):
    OrderFactory.create_batch(2, seller_account=account, purchased_at=EARLY)
    OrderDayCount.objects.all().delete()  # as if the orders were restored with triggers off
    assert order_day_counts_drift() == {(account.pk, FBM, date(2026, 10, 10)): (0, 2)}
    with pytest.raises(CommandError, match="1 account-channel-days differ"):
        call_command("order_day_counts")
    assert "kept 0, orders 2" in capsys.readouterr().err
    call_command("order_day_counts", "--rebuild")
    call_command("order_day_counts")
    assert "match the orders" in capsys.readouterr().out
    assert kept(account) == {date(2026, 10, 10): 2}


def test_the_triggers_are_installed():
    """A later migration that rebuilds tickets_order (SQLite's ALTER TABLE does) drops them:
    this test is the alarm."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'tickets_order'::regclass")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tickets_order'")
        names = {name for (name,) in cursor.fetchall()}
    assert {"order_day_count_inserted", "order_day_count_deleted", "order_day_count_updated"} <= names
