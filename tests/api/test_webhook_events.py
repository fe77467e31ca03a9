"""Domain events reach webhook subscribers: SLA breaches from the sweep, ODR alerts."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from metrics.models import HealthAlert
from metrics.services import odr_status_changed_emit
from tests.factories import TicketFactory
from tickets.sla import sla_sweep

pytestmark = pytest.mark.django_db


def _subscribe(account, *events):
    subscription = WebhookSubscription.objects.create(name="CRM", url="http://127.0.0.1:9/", events=list(events))
    subscription.seller_accounts.add(account)
    return subscription


def test_a_breached_ticket_is_announced_to_subscribers(account, other_account):
    _subscribe(account, "ticket.sla_breached")
    ticket = TicketFactory(seller_account=account, status="open", sla_due_at=timezone.now() - timedelta(minutes=5))
    TicketFactory(seller_account=other_account, status="open", sla_due_at=timezone.now() - timedelta(minutes=5))
    sla_sweep()
    delivery = WebhookDelivery.objects.get()
    body = json.loads(delivery.body)
    assert body["event"] == "ticket.sla_breached"
    assert body["data"]["ticket_id"] == ticket.pk


def test_a_second_sweep_announces_nothing_new(account):
    _subscribe(account, "ticket.sla_breached")
    TicketFactory(seller_account=account, status="open", sla_due_at=timezone.now() - timedelta(minutes=5))
    sla_sweep()
    sla_sweep()
    assert WebhookDelivery.objects.count() == 1


def test_a_worsened_odr_is_announced_to_subscribers(account):
    _subscribe(account, "odr.status_changed")
    alert = HealthAlert.objects.create(
        seller_account=account,
        channel="FBM",
        kind="status_worsened",
        day=timezone.now().date(),
        previous_status="ok",
        status="warning",
        odr=Decimal("0.830"),
        headroom_orders=0,
        message="ODR rose to 0.83 %",
        created_at=timezone.now(),
    )
    odr_status_changed_emit(alert=alert)
    body = json.loads(WebhookDelivery.objects.get().body)
    assert body["event"] == "odr.status_changed"
    assert body["data"]["status"] == "warning"
