"""Domain events reach webhook subscribers: SLA breaches from the sweep, ODR alerts."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from metrics.models import HealthAlert
from metrics.services import odr_status_changed_emit
from tests.api.payloads import chargeback_payload, claim_payload, message_payload
from tests.factories import OrderFactory, TicketFactory
from tickets import services
from tickets.models import AuditEvent, Ticket
from tickets.sla.sweep import sla_sweep

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


def test_a_claim_deadline_within_a_day_is_announced_once(account, ingest_api):
    _subscribe(account, "claim.respond_by_soon")
    order = OrderFactory(seller_account=account)
    respond_by = timezone.now() + timedelta(hours=20)
    claim = ingest_api.post(
        "/api/v1/claims/",
        claim_payload(amazon_order_id=order.amazon_order_id, respond_by=respond_by.isoformat()),
    ).json()
    sla_sweep()
    sla_sweep()
    delivery = WebhookDelivery.objects.get(event="claim.respond_by_soon")
    body = json.loads(delivery.body)
    assert body["data"]["ticket_id"] == claim["ticket"]
    assert body["data"]["claim_ids"] == ["AZ-00001234"]


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        (
            "/api/v1/messages/",
            lambda order: message_payload(order.seller_account, amazon_order_id=order.amazon_order_id),
        ),
        ("/api/v1/claims/", lambda order: claim_payload(amazon_order_id=order.amazon_order_id)),
        ("/api/v1/chargebacks/", lambda order: chargeback_payload(amazon_order_id=order.amazon_order_id)),
        (
            "/api/v1/feedback/",
            lambda order: {"amazon_order_id": order.amazon_order_id, "rating": 1, "left_at": "2026-11-26T11:00:00Z"},
        ),
    ],
)
def test_every_channel_that_opens_a_ticket_announces_it(account, ingest_api, path, payload):
    _subscribe(account, "ticket.created")
    order = OrderFactory(seller_account=account)
    ingest_api.post(path, payload(order))
    (delivery,) = WebhookDelivery.objects.filter(event="ticket.created")
    (ticket,) = Ticket.objects.filter(seller_account=account)
    assert json.loads(delivery.body)["data"]["id"] == ticket.pk
    assert AuditEvent.objects.filter(action="ticket.created", object_id=ticket.pk).count() == 1


def test_a_ticket_nobody_subscribed_to_is_opened_without_building_its_payload(account, ingest_api, monkeypatch):
    _subscribe(account, "ticket.sla_breached")
    built = []
    monkeypatch.setattr(services, "ticket_payload", lambda ticket: built.append(ticket) or {})
    order = OrderFactory(seller_account=account)
    ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=order.amazon_order_id))
    assert Ticket.objects.filter(seller_account=account).count() == 1
    assert built == []
    assert not WebhookDelivery.objects.exists()
