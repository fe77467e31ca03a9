"""Work endpoints: the ticket list (filters, SLA order, cursor), detail, update, replies
through the outbound path, internal notes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    BuyerFactory,
    MessageFactory,
    OrderFactory,
    OrderItemFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import AuditEvent, Message, MessageTemplate, OutboundMessage

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"


def ids(response) -> list[int]:
    return [t["id"] for t in response.json()["results"]]


def test_tickets_come_soonest_deadline_first_and_without_clock_last(alice_api, account):
    now = timezone.now()
    later = TicketFactory(seller_account=account, sla_due_at=now + timedelta(hours=5))
    none = TicketFactory(seller_account=account, sla_due_at=None)
    sooner = TicketFactory(seller_account=account, sla_due_at=now + timedelta(hours=1))
    assert ids(alice_api.get(TICKETS)) == [sooner.pk, later.pk, none.pk]


def test_the_cursor_walks_every_ticket_once(alice_api, account):
    now = timezone.now()
    tickets = [TicketFactory(seller_account=account, sla_due_at=now + timedelta(hours=n % 3)) for n in range(7)]
    tickets += [TicketFactory(seller_account=account, sla_due_at=None) for _ in range(4)]
    seen, url = [], f"{TICKETS}?page_size=3"
    while url:
        body = alice_api.get(url).json()
        seen += [t["id"] for t in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(t.pk for t in tickets) and len(seen) == len(set(seen))


@pytest.mark.parametrize(("due_in", "state"), [(-1, "breached"), (2, "at_risk"), (10, "ok"), (None, "none")])
def test_the_sla_filter_matches_the_tickets_sla_state(alice_api, account, due_in, state):
    now = timezone.now()
    for hours in (-1, 2, 10, None):
        TicketFactory(
            seller_account=account, status="open", sla_due_at=None if hours is None else now + timedelta(hours=hours)
        )
    results = alice_api.get(f"{TICKETS}?sla={state}").json()["results"]
    assert [t["sla_state"] for t in results] == [state]


def test_the_status_filter_takes_several_values(alice_api, account):
    TicketFactory(seller_account=account, status="new")
    TicketFactory(seller_account=account, status="open")
    TicketFactory(seller_account=account, status="closed")
    assert len(ids(alice_api.get(f"{TICKETS}?status=new&status=open"))) == 2


def test_q_finds_a_ticket_by_amazon_order_id(alice_api, account):
    order = OrderFactory(seller_account=account)
    wanted = TicketFactory(seller_account=account, order=order)
    TicketFactory(seller_account=account)
    assert ids(alice_api.get(f"{TICKETS}?q={order.amazon_order_id}")) == [wanted.pk]


def test_q_finds_a_ticket_by_buyer_name(alice_api, account):
    buyer = BuyerFactory(seller_account=account, name="Zebedee Quill")
    wanted = TicketFactory(seller_account=account, buyer=buyer)
    TicketFactory(seller_account=account)
    assert ids(alice_api.get(f"{TICKETS}?q=zebedee")) == [wanted.pk]


def test_q_finds_a_ticket_by_asin_or_message_text_as_the_agent_desk_does(alice_api, account):
    order = OrderFactory(seller_account=account)
    OrderItemFactory(order=order, product__asin="B0GRINDER2")
    by_asin = TicketFactory(seller_account=account, order=order)
    by_text = TicketFactory(seller_account=account)
    MessageFactory(ticket=by_text, body="The burr carrier rattles.")
    assert ids(alice_api.get(f"{TICKETS}?q=B0GRINDER2")) == [by_asin.pk]
    assert ids(alice_api.get(f"{TICKETS}?q=burr carrier")) == [by_text.pk]


def test_the_channel_filter_follows_the_order(alice_api, account):
    fba = TicketFactory(seller_account=account, order=OrderFactory(seller_account=account, fulfillment_channel="FBA"))
    TicketFactory(seller_account=account, order=OrderFactory(seller_account=account, fulfillment_channel="FBM"))
    assert ids(alice_api.get(f"{TICKETS}?fulfillment_channel=FBA")) == [fba.pk]


def test_the_assignee_filter_takes_a_username_or_none(alice_api, account, bob):
    mine = TicketFactory(seller_account=account, assignee=bob)
    unassigned = TicketFactory(seller_account=account)
    assert ids(alice_api.get(f"{TICKETS}?assignee=bob")) == [mine.pk]
    assert ids(alice_api.get(f"{TICKETS}?assignee=none")) == [unassigned.pk]


def test_the_created_range_filter(alice_api, account):
    old = TicketFactory(seller_account=account, created_at=timezone.now() - timedelta(days=10))
    TicketFactory(seller_account=account)
    before = (timezone.now() - timedelta(days=5)).isoformat().replace("+00:00", "Z")
    assert ids(alice_api.get(TICKETS, {"created_before": before})) == [old.pk]


def test_an_update_is_audited_with_the_keys_label(alice_api, alice_key, account, bob):
    ticket = TicketFactory(seller_account=account)
    response = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": "bob", "priority": 3})
    assert response.json()["assignee"] == "bob"
    event = AuditEvent.objects.get(action="ticket.updated")
    assert event.actor_label == f"api-key:{alice_key[0].prefix}"


def test_an_assignee_must_work_on_the_account(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    UserFactory(username="outsider")
    response = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": "outsider"})
    assert response.status_code == 400


def test_null_unassigns(alice_api, account, bob):
    ticket = TicketFactory(seller_account=account, assignee=bob)
    assert alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": None}).json()["assignee"] is None


def test_no_response_needed_stops_the_clock(alice_api, account):
    ticket = TicketFactory(seller_account=account, sla_due_at=timezone.now() + timedelta(hours=3))
    body = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"no_response_needed": True}).json()
    assert (body["no_response_needed"], body["sla_due_at"]) == (True, None)


def test_a_reply_is_queued_and_stops_the_clock(alice_api, account, django_capture_on_commit_callbacks):
    ticket = TicketFactory(seller_account=account, sla_due_at=timezone.now() + timedelta(hours=3))
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Your parcel arrives today."})
    assert response.status_code == 201
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, OutboundMessage.objects.get().body) == (None, "Your parcel arrives today.")


def test_a_reply_from_a_template_is_rendered_with_the_context(alice_api, account):
    MessageTemplate.objects.create(slug="thanks", name="Thanks", body="Thank you, {{ buyer.name }}!")
    ticket = TicketFactory(seller_account=account)
    response = alice_api.post(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"template": "thanks", "context": {"buyer.name": "Jordan"}}
    )
    assert response.json()["body"] == "Thank you, Jordan!"


def test_a_reply_needs_a_body_or_a_template(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    assert alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {}).status_code == 400


def test_an_unknown_template_variable_is_a_field_error(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"template": "x", "context": {"buyer.ssn": "1"}})
    assert "context" in response.json()


def test_a_note_is_internal_and_leaves_the_clock_alone(alice_api, account):
    due = timezone.now() + timedelta(hours=3)
    ticket = TicketFactory(seller_account=account, sla_due_at=due)
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/notes/", {"body": "Called UPS."})
    assert response.json()["direction"] == "note"
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, OutboundMessage.objects.count()) == (due, 0)


def test_the_message_list_filters_by_ticket(bob_read_api, account):
    ticket = TicketFactory(seller_account=account)
    message = MessageFactory(ticket=ticket)
    MessageFactory(ticket=TicketFactory(seller_account=account))
    results = bob_read_api.get(f"/api/v1/messages/?ticket={ticket.pk}").json()["results"]
    assert [m["id"] for m in results] == [message.pk]
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    "bound", ["0342-10-08T15:46:40+20:56", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
)
def test_an_odd_date_bound_is_never_a_500(alice_api, bound):
    response = alice_api.get(TICKETS, {"updated_before": bound})
    assert response.status_code in (200, 400)


def test_an_unknown_assignee_and_a_foreign_user_get_the_same_message(alice_api, account, charlie):
    ticket = TicketFactory(seller_account=account)
    unknown = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": "nobody-by-that-name"})
    foreign = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": "charlie"})
    assert (unknown.status_code, unknown.json()) == (foreign.status_code, foreign.json())
