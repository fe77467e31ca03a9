"""The 24-hour clock: buyer messages start it, real replies and "no response needed" stop
it, and the sweep records at-risk and breached once, raises priority and notifies."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import BuyerFactory, OrderFactory, TicketFactory, UserFactory
from tickets import tasks
from tickets.intake.messages import inbound_message_receive
from tickets.models import AuditEvent, Message, MessagePurpose, Notification, SlaEvent, SlaPolicy, Ticket
from tickets.outbound.services import message_send
from tickets.sla.clock import ticket_mark_no_response_needed
from tickets.sla.sweep import sla_sweep

pytestmark = pytest.mark.django_db

# A Friday evening: the clock runs through the weekend (Amazon: "including weekends").
FRIDAY_6PM = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


@pytest.fixture
def buyer(account):
    return BuyerFactory(seller_account=account)


@pytest.fixture
def order(account, buyer):
    return OrderFactory(seller_account=account, buyer=buyer)


def receive(account, buyer, *, at=FRIDAY_6PM, order=None, external_id=None, body="Where is my package?"):
    return inbound_message_receive(
        seller_account=account,
        buyer=buyer,
        body=body,
        received_at=at,
        external_id=external_id,
        order=order,
        actor="api-key:test",
    ).message


# --- Inbound messages --------------------------------------------------------------------


def test_a_buyer_message_opens_a_ticket_due_in_24_hours(account, buyer, order):
    message = receive(account, buyer, order=order)
    assert message.ticket.sla_due_at == FRIDAY_6PM + timedelta(hours=24)
    assert message.response_due_at == FRIDAY_6PM + timedelta(hours=24)
    assert (message.ticket.status, message.ticket.order) == (Ticket.Status.NEW, order)


def test_the_same_message_twice_is_stored_once(account, buyer, order):
    first = receive(account, buyer, order=order, external_id="amzn-1")
    again = receive(account, buyer, order=order, external_id="amzn-1", at=FRIDAY_6PM + timedelta(hours=1))
    assert again.pk == first.pk
    assert (Message.objects.count(), Ticket.objects.count()) == (1, 1)


def test_a_second_message_about_the_order_joins_the_open_ticket(account, buyer, order):
    first = receive(account, buyer, order=order)
    second = receive(account, buyer, order=order, at=FRIDAY_6PM + timedelta(hours=2))
    assert second.ticket_id == first.ticket_id


def test_a_message_about_another_order_opens_another_ticket(account, buyer, order):
    first = receive(account, buyer, order=order)
    other = receive(account, buyer, order=OrderFactory(seller_account=account, buyer=buyer))
    assert other.ticket_id != first.ticket_id


def test_a_message_without_order_joins_the_buyers_ticket_without_order(account, buyer, order):
    receive(account, buyer, order=order)
    presale = receive(account, buyer)
    again = receive(account, buyer, at=FRIDAY_6PM + timedelta(hours=1))
    assert again.ticket_id == presale.ticket_id
    assert presale.ticket.order is None


def test_a_closed_ticket_stays_closed_and_the_message_opens_a_new_one(account, buyer, order):
    closed = TicketFactory(seller_account=account, buyer=buyer, order=order, status=Ticket.Status.CLOSED)
    message = receive(account, buyer, order=order)
    assert message.ticket_id != closed.pk


def test_the_earliest_unanswered_message_keeps_the_clock(account, buyer, order):
    receive(account, buyer, order=order)
    later = receive(account, buyer, order=order, at=FRIDAY_6PM + timedelta(hours=5))
    later.ticket.refresh_from_db()
    assert later.ticket.sla_due_at == FRIDAY_6PM + timedelta(hours=24)
    assert later.response_due_at == FRIDAY_6PM + timedelta(hours=29)


def test_a_policy_for_the_ticket_kind_wins_over_the_accounts_policy(account, buyer):
    SlaPolicy.objects.create(seller_account=account, ticket_kind="", response_hours=20)
    SlaPolicy.objects.create(seller_account=account, ticket_kind=Ticket.Kind.WARRANTY, response_hours=8)
    TicketFactory(seller_account=account, buyer=buyer, kind=Ticket.Kind.WARRANTY, status=Ticket.Status.OPEN)
    assert receive(account, buyer).response_due_at == FRIDAY_6PM + timedelta(hours=8)


def test_the_accounts_policy_applies_to_every_kind_without_its_own(account, buyer):
    SlaPolicy.objects.create(seller_account=account, ticket_kind="", response_hours=20)
    assert receive(account, buyer).response_due_at == FRIDAY_6PM + timedelta(hours=20)


def test_a_waiting_ticket_opens_again_with_a_new_clock(account, buyer, order):
    ticket = TicketFactory(seller_account=account, buyer=buyer, order=order, status=Ticket.Status.PENDING)
    message = receive(account, buyer, order=order)
    ticket.refresh_from_db()
    assert message.ticket_id == ticket.pk
    assert (ticket.status, ticket.sla_due_at) == (Ticket.Status.OPEN, FRIDAY_6PM + timedelta(hours=24))


def test_a_solved_ticket_about_the_order_is_reopened_by_the_buyers_reply(account, buyer, order):
    ticket = TicketFactory(seller_account=account, buyer=buyer, order=order, status=Ticket.Status.SOLVED)
    receive(account, buyer, order=order)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_receiving_a_message_is_audited(account, buyer, order):
    message = receive(account, buyer, order=order)
    actions = set(AuditEvent.objects.filter(object_id=str(message.ticket_id)).values_list("action", flat=True))
    assert {"ticket.created", "message.received"} <= actions


# --- Replies and "no response needed" ----------------------------------------------------


def test_a_reply_stops_the_clock_and_stamps_every_unanswered_message(account, buyer, order, alice):
    first = receive(account, buyer, order=order)
    second = receive(account, buyer, order=order, at=FRIDAY_6PM + timedelta(hours=1))
    with time_machine.travel(FRIDAY_6PM + timedelta(hours=3), tick=False):
        message_send(ticket=first.ticket, body="A replacement ships today.", actor=alice, channel="ui")
    first.ticket.refresh_from_db()
    stamped = set(Message.objects.filter(pk__in=[first.pk, second.pk]).values_list("responded_at", flat=True))
    assert first.ticket.sla_due_at is None
    assert stamped == {FRIDAY_6PM + timedelta(hours=3)}


def test_an_automated_message_does_not_stop_the_clock(account, buyer, order):
    message = receive(account, buyer, order=order)
    message_send(
        ticket=message.ticket,
        body=f"Your order {order.amazon_order_id} was delivered; the quick-start guide helps with set-up.",
        actor="celery:test",
        channel="task",
        purpose=MessagePurpose.PROACTIVE_GUIDE,
        automated=True,
    )
    message.refresh_from_db()
    message.ticket.refresh_from_db()
    assert message.ticket.sla_due_at is not None
    assert message.responded_at is None


def test_no_response_needed_stops_the_clock_and_marks_the_messages(account, buyer, order, alice):
    message = receive(account, buyer, order=order, body="Thanks, all good!")
    ticket_mark_no_response_needed(ticket=message.ticket, actor=alice)
    message.refresh_from_db()
    message.ticket.refresh_from_db()
    assert message.ticket.sla_due_at is None
    assert message.no_response_needed is True
    assert AuditEvent.objects.filter(action="ticket.no_response_needed", actor=alice).exists()


def test_a_new_buyer_message_restarts_the_clock_after_no_response_needed(account, buyer, order, alice):
    message = receive(account, buyer, order=order, body="Thanks!")
    ticket_mark_no_response_needed(ticket=message.ticket, actor=alice)
    receive(account, buyer, order=order, at=FRIDAY_6PM + timedelta(hours=6), body="Actually, it leaks.")
    message.ticket.refresh_from_db()
    assert message.ticket.sla_due_at == FRIDAY_6PM + timedelta(hours=30)
    assert message.ticket.no_response_needed is False


# --- The sweep ---------------------------------------------------------------------------


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return sla_sweep()


def events(kind):
    return list(SlaEvent.objects.filter(kind=kind).values_list("ticket_id", flat=True))


def test_a_friday_evening_message_is_not_at_risk_one_minute_before_saturday_2pm(account, buyer):
    receive(account, buyer)
    sweep_at(FRIDAY_6PM + timedelta(hours=19, minutes=59))
    assert events(SlaEvent.Kind.AT_RISK) == []


def test_a_friday_evening_message_is_at_risk_at_saturday_2pm(account, buyer):
    ticket = receive(account, buyer).ticket
    sweep_at(datetime(2026, 11, 28, 14, 0, tzinfo=UTC))
    assert events(SlaEvent.Kind.AT_RISK) == [ticket.pk]


def test_a_friday_evening_message_is_breached_at_saturday_6pm_not_a_minute_earlier(account, buyer):
    ticket = receive(account, buyer).ticket
    sweep_at(datetime(2026, 11, 28, 17, 59, tzinfo=UTC))
    assert events(SlaEvent.Kind.BREACHED) == []
    sweep_at(datetime(2026, 11, 28, 18, 0, tzinfo=UTC))
    assert events(SlaEvent.Kind.BREACHED) == [ticket.pk]


def test_each_transition_is_recorded_once_when_the_sweep_runs_twice(account, buyer, alice):
    ticket = receive(account, buyer).ticket
    Ticket.objects.filter(pk=ticket.pk).update(assignee=alice)
    late = FRIDAY_6PM + timedelta(hours=25)
    sweep_at(late)
    second = sweep_at(late + timedelta(minutes=1))
    assert second.events == {}
    assert SlaEvent.objects.filter(ticket=ticket, kind=SlaEvent.Kind.BREACHED).count() == 1
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_a_restarted_clock_is_a_new_transition(account, buyer, alice):
    message = receive(account, buyer)
    sweep_at(FRIDAY_6PM + timedelta(hours=25))
    with time_machine.travel(FRIDAY_6PM + timedelta(hours=26), tick=False):
        message_send(ticket=message.ticket, body="Sorry for the wait: it ships today.", actor=alice, channel="ui")
    receive(account, buyer, at=FRIDAY_6PM + timedelta(hours=27), body="It has not arrived.")
    sweep_at(FRIDAY_6PM + timedelta(hours=52))
    assert SlaEvent.objects.filter(kind=SlaEvent.Kind.BREACHED).count() == 2


def test_a_ticket_answered_in_time_never_breaches(account, buyer, alice):
    message = receive(account, buyer)
    with time_machine.travel(FRIDAY_6PM + timedelta(hours=2), tick=False):
        message_send(ticket=message.ticket, body="It ships today.", actor=alice, channel="ui")
    sweep_at(FRIDAY_6PM + timedelta(hours=30))
    assert not SlaEvent.objects.exists()


def test_the_sweep_raises_the_priority_to_urgent_when_breached(account, buyer):
    ticket = receive(account, buyer).ticket
    sweep_at(FRIDAY_6PM + timedelta(hours=21))
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.HIGH
    sweep_at(FRIDAY_6PM + timedelta(hours=24))
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.URGENT


def test_the_sweep_never_lowers_a_priority(account, buyer):
    ticket = receive(account, buyer).ticket
    Ticket.objects.filter(pk=ticket.pk).update(priority=Ticket.Priority.URGENT)
    sweep_at(FRIDAY_6PM + timedelta(hours=21))
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.URGENT


def test_a_priority_raised_by_the_sweep_is_audited(account, buyer):
    ticket = receive(account, buyer).ticket
    sweep_at(FRIDAY_6PM + timedelta(hours=21))
    event = AuditEvent.objects.get(object_id=str(ticket.pk), action="ticket.updated")
    assert (event.actor_label, event.changes) == ("celery:sla_sweep", {"priority": [2, 3]})


def test_the_assignee_is_notified_in_app_and_by_email(account, buyer, alice, bob, mailoutbox):
    ticket = receive(account, buyer).ticket
    Ticket.objects.filter(pk=ticket.pk).update(assignee=alice)
    sweep_at(FRIDAY_6PM + timedelta(hours=24))
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("alice", "breached")]
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_an_unassigned_ticket_notifies_the_accounts_team(account, buyer, alice, bob, charlie):
    receive(account, buyer)
    sweep_at(FRIDAY_6PM + timedelta(hours=24))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"alice", "bob"}


def test_each_recipient_gets_one_email_per_sweep(account, alice, mailoutbox):
    for _ in range(3):
        receive(account, BuyerFactory(seller_account=account))
    sweep_at(FRIDAY_6PM + timedelta(hours=24))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].body.count("breached") == 3


def test_waiting_solved_and_closed_tickets_without_a_clock_are_not_swept(account):
    for status in (Ticket.Status.PENDING, Ticket.Status.SOLVED, Ticket.Status.CLOSED):
        TicketFactory(seller_account=account, status=status, sla_due_at=None)
    sweep_at(FRIDAY_6PM + timedelta(hours=1))
    assert not SlaEvent.objects.exists()


def test_a_ticket_parked_while_its_clock_runs_is_still_swept(account):
    # Forced past "the buyer is still waiting": Amazon counts the message, so do the alerts.
    parked = [
        TicketFactory(seller_account=account, status=status, sla_due_at=FRIDAY_6PM)
        for status in (Ticket.Status.PENDING, Ticket.Status.SOLVED, Ticket.Status.CLOSED)
    ]
    sweep_at(FRIDAY_6PM + timedelta(hours=1))
    assert sorted(events(SlaEvent.Kind.BREACHED)) == [t.pk for t in parked]


def test_a_policy_can_warn_earlier(account, buyer):
    SlaPolicy.objects.create(seller_account=account, ticket_kind="", response_hours=24, at_risk_hours=8)
    ticket = receive(account, buyer).ticket
    sweep_at(FRIDAY_6PM + timedelta(hours=16))
    assert events(SlaEvent.Kind.AT_RISK) == [ticket.pk]


def test_the_sweep_costs_the_same_queries_for_1_or_20_transitions(account, alice, django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            TicketFactory(seller_account=account, status=Ticket.Status.OPEN, sla_due_at=FRIDAY_6PM)

    make(1)
    with time_machine.travel(FRIDAY_6PM, tick=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            sla_sweep()
        make(20)
        with django_assert_max_num_queries(len(one.captured_queries)):
            sla_sweep()


def test_the_beat_task_runs_the_sweep(account, buyer):
    receive(account, buyer, at=timezone.now() - timedelta(hours=25))
    result = tasks.sweep_sla.apply().get()
    assert result["events"] == {"breached": 1}


def test_an_inactive_agent_is_not_notified(account, buyer, alice):
    inactive = UserFactory(is_active=False)
    account.agents.add(inactive)
    receive(account, buyer)
    sweep_at(FRIDAY_6PM + timedelta(hours=24))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]


def test_each_new_breach_reaches_the_webhook_hook_once(account, buyer, monkeypatch):
    calls = []
    monkeypatch.setattr("tickets.sla.sweep.ticket_sla_breached_emit", lambda **kwargs: calls.append(kwargs["breaches"]))
    ticket = receive(account, buyer).ticket
    sweep_at(FRIDAY_6PM + timedelta(hours=24))
    sweep_at(FRIDAY_6PM + timedelta(hours=25))
    assert [[b["ticket_id"] for b in breaches] for breaches in calls] == [[ticket.pk]]
