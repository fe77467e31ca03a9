"""Amazon's Data Protection Policy: buyer name and e-mail redacted PII_RETENTION_DAYS after their
orders are done, by a daily task, set-based and audited; orders keep what metrics need."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import BuyerFactory, OrderFactory, OrderItemFactory, TicketFactory
from tickets.models import AuditEvent, Buyer, Order, Ticket
from tickets.privacy import buyers_pii_redact
from tickets.tasks import redact_buyer_pii


def delivered(days_ago: int, **kwargs) -> Order:
    now = timezone.now()
    return OrderFactory(
        delivered_at=now - timedelta(days=days_ago),
        shipped_at=now - timedelta(days=days_ago + 2),
        purchased_at=now - timedelta(days=days_ago + 4),
        tracking_number="1Z999AA10123456784",
        carrier="UPS",
        **kwargs,
    )


def redact() -> int:
    return buyers_pii_redact(now=timezone.now())


@pytest.mark.django_db
def test_a_buyer_is_redacted_30_days_after_delivery():
    order = delivered(31)
    redact()
    buyer = Buyer.objects.get(pk=order.buyer_id)
    assert (buyer.name, buyer.email, buyer.pii_redacted_at is not None) == ("", "", True)


@pytest.mark.django_db
def test_a_buyer_is_kept_within_the_30_days():
    order = delivered(29)
    assert redact() == 0 and Buyer.objects.get(pk=order.buyer_id).name == order.buyer.name


@pytest.mark.django_db
def test_the_order_keeps_its_id_items_dates_and_tracking():
    order = delivered(40)
    OrderItemFactory(order=order, quantity=2)
    before = Order.objects.filter(pk=order.pk).values(
        "amazon_order_id", "purchased_at", "delivered_at", "tracking_number", "carrier", "order_total", "buyer_id"
    )[0]
    redact()
    after = Order.objects.filter(pk=order.pk).values(*before)[0]
    assert after == before and order.items.get().quantity == 2


@pytest.mark.django_db
def test_a_buyer_with_a_recent_order_is_kept():
    old = delivered(60)
    delivered(3, buyer=old.buyer, seller_account=old.seller_account)
    assert redact() == 0


@pytest.mark.django_db
def test_an_order_without_delivery_counts_from_its_shipment_or_purchase():
    order = OrderFactory(purchased_at=timezone.now() - timedelta(days=45))
    assert redact() == 1 and Buyer.objects.get(pk=order.buyer_id).email == ""


@pytest.mark.django_db
def test_an_open_conversation_keeps_the_buyer_until_it_closes():
    order = delivered(45)
    ticket = TicketFactory(seller_account=order.seller_account, buyer=order.buyer, status=Ticket.Status.OPEN)
    assert redact() == 0
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.SOLVED)
    assert redact() == 1


@pytest.mark.django_db
def test_the_retention_is_a_setting(settings):
    settings.PII_RETENTION_DAYS = 60
    delivered(45)
    assert redact() == 0


@pytest.mark.django_db
def test_each_redaction_is_audited():
    orders = [delivered(31) for _ in range(3)]
    redact()
    audited = set(AuditEvent.objects.filter(action="buyer.pii_redacted").values_list("object_id", flat=True))
    assert audited == {str(o.buyer_id) for o in orders}


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    delivered(31)
    redact()
    assert redact() == 0 and AuditEvent.objects.filter(action="buyer.pii_redacted").count() == 1


def run_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        redact()
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_redaction_is_set_based():
    for _ in range(3):
        delivered(31)
    with_3 = run_queries()
    for _ in range(30):
        delivered(31)
    assert run_queries() == with_3


@pytest.mark.django_db
def test_the_daily_task_redacts():
    order = delivered(31)
    assert redact_buyer_pii() == 1 and BuyerFactory._meta.model.objects.get(pk=order.buyer_id).name == ""
