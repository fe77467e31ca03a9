"""The automation records in the admin: SLA policies are edited, the rest is read-only,
and every list costs the same queries for 3 rows or 30; an order shows its events."""

import pytest
from django.utils import timezone

from tests.factories import OrderFactory, SellerAccountFactory, TicketFactory, UserFactory
from tests.tickets.test_admin import admin_url, count_changelist_queries
from tickets.models import Notification, Order, OrderEvent, ProactiveGuide, SlaEvent, SlaPolicy
from tickets.models.outbound import OutboundMessage

pytestmark = pytest.mark.django_db


def _order_events(n):
    for _ in range(n):
        OrderEvent.objects.create(order=OrderFactory(), type="delivered", occurred_at=timezone.now())


def _sla_policies(n):
    for _ in range(n):
        SlaPolicy.objects.create(seller_account=SellerAccountFactory(), response_hours=12)


def _sla_events(n):
    for _ in range(n):
        SlaEvent.objects.create(ticket=TicketFactory(), kind="breached", due_at=timezone.now())


def _guides(n):
    for _ in range(n):
        order = OrderFactory()
        outbound = OutboundMessage.objects.create(
            seller_account=order.seller_account,
            buyer=order.buyer,
            order=order,
            purpose="proactive_guide",
            body=f"Your order {order.amazon_order_id}: the quick-start guide.",
            gateway="console",
        )
        ProactiveGuide.objects.create(order=order, send_after=timezone.now(), outbound=outbound)


def _notifications(n):
    for _ in range(n):
        Notification.objects.create(recipient=UserFactory(), ticket=TicketFactory(), kind="breached", text="Late")


ROW_MAKERS = {
    OrderEvent: _order_events,
    SlaPolicy: _sla_policies,
    SlaEvent: _sla_events,
    ProactiveGuide: _guides,
    Notification: _notifications,
}


@pytest.mark.parametrize("model", ROW_MAKERS, ids=lambda m: m._meta.label)
def test_a_changelist_costs_the_same_queries_for_3_or_30_rows(client, manager, model):
    client.force_login(manager)
    ROW_MAKERS[model](3)
    count_changelist_queries(client, model)  # warm the per-process caches
    with_3 = count_changelist_queries(client, model)
    ROW_MAKERS[model](27)
    assert count_changelist_queries(client, model) == with_3


def test_the_order_page_lists_its_events(client, manager):
    event = OrderEvent.objects.create(
        order=OrderFactory(), type="delivered", occurred_at=timezone.now(), source="admin"
    )
    client.force_login(manager)
    response = client.get(admin_url(Order, "change", event.order_id))
    inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.model is OrderEvent)
    assert [form.instance for form in inline.formset.forms] == [event]
