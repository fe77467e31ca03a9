"""One intake per entity (issue #15): every channel that records a claim, a chargeback or a
buyer message, or opens a ticket — the REST API, the admin, a Celery task, the demo seeder,
and the service the coming Amazon channels call — gives the same rows, audit events and
webhooks."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from demo.desk import demo_seed
from tests.api.conftest import KeyClient, make_key
from tests.api.payloads import chargeback_payload, claim_payload, message_payload
from tests.factories import OrderFactory, OrderItemFactory, SellerAccountFactory
from tests.tickets.test_admin import admin_url, changeform_data
from tickets.api.serializers import ticket_payload
from tickets.intake.claims import a_to_z_claim_record, chargeback_record
from tickets.intake.messages import inbound_message_receive
from tickets.models import AtoZClaim, AuditEvent, Chargeback, MessageTemplate, Ticket
from tickets.outbound import gateways
from tickets.outbound.defaults import DEFAULT_TEMPLATES
from tickets.proactive import tasks as proactive_tasks
from tickets.proactive.services import order_mark_delivered
from tickets.services import buyer_upsert

pytestmark = pytest.mark.django_db

FILED = timezone.now().replace(microsecond=0) - timedelta(hours=2)
CASES = {
    "claim": (AtoZClaim, "claim_id", "AZ-CH-1", "/api/v1/claims/"),
    "chargeback": (Chargeback, "chargeback_id", "CB-CH-1", "/api/v1/chargebacks/"),
}


def subscribed_account():
    account = SellerAccountFactory()
    subscription = WebhookSubscription.objects.create(
        name="CRM", url="http://127.0.0.1:9/", events=["ticket.created", "claim.respond_by_soon"]
    )
    subscription.seller_accounts.add(account)
    return account


def audit_of(*subjects) -> list[tuple]:
    """What the audit trail says about the rows, without who did it or their ids."""
    events = AuditEvent.objects.filter(object_id__in=[str(s.pk) for s in subjects if s is not None])
    return sorted(
        (e.content_type.model, e.action, e.changes.get("source", "")) for e in events if e.action != "order.updated"
    )


def webhooks_of(account) -> list[tuple]:
    return sorted(
        (d.event, json.loads(d.body)["data"].get("kind", ""))
        for d in WebhookDelivery.objects.filter(subscription__seller_accounts=account)
    )


def case_fingerprint(kind: str, account) -> dict:
    """Everything a recorded claim or chargeback left behind, comparable across accounts."""
    model, id_field, case_id, _ = CASES[kind]
    case = model.objects.select_related("ticket").get(seller_account=account, **{id_field: case_id})
    ticket = case.ticket
    return {
        "case": (case.status, case.amount, case.filed_at, case.respond_by),
        "ticket": (ticket.kind, ticket.status, ticket.priority, ticket.subject, ticket.sla_due_at),
        "audit": audit_of(case, ticket),
        "webhooks": webhooks_of(account),
        "ticket_webhook_is_the_api_shape": json.loads(
            WebhookDelivery.objects.get(event="ticket.created", subscription__seller_accounts=account).body
        )["data"]
        == json.loads(json.dumps(ticket_payload(ticket), default=str)),
    }


def through_the_api(kind, order):
    _, id_field, case_id, path = CASES[kind]
    key = KeyClient(make_key(accounts=[order.seller_account], scope="ingest")[1])
    payload = (claim_payload if kind == "claim" else chargeback_payload)(
        **{id_field: case_id}, amazon_order_id=order.amazon_order_id, filed_at=FILED.isoformat(), status="open"
    )
    assert key.post(path, payload).status_code == 201


def through_the_admin(kind, order, client, manager):
    model, id_field, case_id, _ = CASES[kind]
    client.force_login(manager)
    url = admin_url(model, "add")
    data = changeform_data(client.get(url))
    local = timezone.localtime(FILED)
    data.update(
        {
            "order": str(order.pk),
            id_field: case_id,
            "filed_at_0": local.strftime("%Y-%m-%d"),
            "filed_at_1": local.strftime("%H:%M:%S"),
            "amount": "299.99",
            "currency": "USD",
            "status": "open",
            "reason": "Item not received",
        }
    )
    if kind == "chargeback":
        data["kind"] = "service"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def through_the_service(kind, order):
    """As the coming Amazon channels (the SP-API sync task) will record one."""
    values = {"filed_at": FILED, "amount": "299.99", "currency": "USD", "status": "open"}
    if kind == "claim":
        values["reason"] = "Item not received"
        a_to_z_claim_record(order=order, claim_id=CASES[kind][2], values=values, actor="celery:spapi_sync")
    else:
        chargeback_record(
            order=order, chargeback_id=CASES[kind][2], values={**values, "kind": "service"}, actor="celery:spapi_sync"
        )


@pytest.mark.parametrize("kind", list(CASES))
def test_a_case_is_recorded_alike_through_the_api_the_admin_and_the_service(kind, client, manager):
    orders = {channel: OrderFactory(seller_account=subscribed_account()) for channel in ("api", "admin", "service")}
    through_the_api(kind, orders["api"])
    through_the_admin(kind, orders["admin"], client, manager)
    through_the_service(kind, orders["service"])
    fingerprints = {channel: case_fingerprint(kind, order.seller_account) for channel, order in orders.items()}
    # The subject names the order, which differs per account: compare the rest of it.
    for fingerprint, order in zip(fingerprints.values(), orders.values(), strict=True):
        kind_, status, priority, subject, due = fingerprint["ticket"]
        assert order.amazon_order_id in subject
        fingerprint["ticket"] = (kind_, status, priority, subject.replace(order.amazon_order_id, "…"), due)
    assert fingerprints["api"] == fingerprints["admin"] == fingerprints["service"]
    assert fingerprints["api"]["ticket_webhook_is_the_api_shape"]
    assert fingerprints["api"]["ticket"][-1] == fingerprints["api"]["case"][-1]  # the clock is the deadline


def test_a_buyer_message_is_received_alike_through_the_api_and_the_service():
    accounts = [subscribed_account(), subscribed_account()]
    key = KeyClient(make_key(accounts=[accounts[0]], scope="ingest")[1])
    payload = message_payload(accounts[0], external_id="MSG-CH-1", amazon_buyer_id="A1CHANNEL")
    del payload["amazon_order_id"]  # a question before buying: no order
    assert key.post("/api/v1/messages/", payload).status_code == 201
    buyer, _ = buyer_upsert(seller_account=accounts[1], amazon_buyer_id="A1CHANNEL", name=payload.get("buyer_name", ""))
    inbound_message_receive(
        seller_account=accounts[1],
        buyer=buyer,
        body=payload["body"],
        received_at=datetime.fromisoformat(payload["received_at"]),
        external_id="MSG-CH-1",
        subject=payload.get("subject", ""),
        actor="mail:relay",
    )

    def fingerprint(account):
        ticket = Ticket.objects.get(seller_account=account)
        message = ticket.messages.get()
        return (
            (ticket.kind, ticket.status, ticket.subject, ticket.sla_due_at),
            (message.body, message.response_due_at),
            audit_of(ticket),
            webhooks_of(account),
        )

    assert fingerprint(accounts[0]) == fingerprint(accounts[1])


@pytest.fixture
def guide_templates(db, monkeypatch):
    spec = next(t for t in DEFAULT_TEMPLATES if t["slug"] == "quick_start_guide")
    MessageTemplate.objects.get_or_create(slug=spec["slug"], seller_account=None, defaults=spec)
    monkeypatch.setitem(gateways.GATEWAYS, "console", type("Gateway", (), {"send": lambda self, o: "ok"})())


def test_the_celery_task_opens_its_ticket_like_every_channel(guide_templates):
    account = subscribed_account()
    account.proactive_guides_enabled = True
    account.allowed_link_domains = "guides.example.com"
    account.save()
    order = OrderItemFactory(order__seller_account=account).order
    guide = order_mark_delivered(order=order, delivered_at=timezone.now(), actor="test", source="api")
    proactive_tasks.send_proactive_guide.apply(args=(guide.pk,)).get()
    ticket = Ticket.objects.get(seller_account=account)
    assert ("ticket", "ticket.created", "proactive_guide") in audit_of(ticket)
    data = json.loads(WebhookDelivery.objects.get(event="ticket.created").body)["data"]
    # As the API showed the ticket when it opened (the guide's message came after).
    assert (data["id"], data.keys()) == (ticket.pk, ticket_payload(ticket).keys())


def test_the_demo_opens_every_ticket_through_the_intake():
    demo_seed()
    for ticket in Ticket.objects.all():
        created = AuditEvent.objects.filter(action="ticket.created", object_id=str(ticket.pk))
        assert created.count() == 1, ticket.subject
    for case in [
        *AtoZClaim.objects.filter(status__in=AtoZClaim.OPEN_STATUSES),
        *Chargeback.objects.filter(status__in=Chargeback.OPEN_STATUSES),
    ]:
        assert case.ticket is not None and case.ticket.sla_due_at == case.respond_by, case
