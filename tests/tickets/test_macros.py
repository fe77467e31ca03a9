"""Macros (tickets.macros): a template's reply and its ticket changes as one action."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BuyerFactory, UserFactory
from tickets.audit import audit_trail
from tickets.intake.messages import inbound_message_receive
from tickets.macros import macro_apply
from tickets.models import ForbiddenPhrase, HeldMessage, Message, MessageTemplate, OutboundMessage, PhraseAction, Ticket
from tickets.models.tickets import InvalidTransition
from tickets.outbound.services import ComplianceRefused, MessageHeld
from tickets.services import InvalidAssignment

pytestmark = pytest.mark.django_db

BODY = "The replacement carafe ships today."


@pytest.fixture
def ticket(account):
    return inbound_message_receive(
        seller_account=account,
        buyer=BuyerFactory(seller_account=account),
        body="My carafe arrived cracked.",
        received_at=timezone.now() - timedelta(hours=3),
        actor="test",
    ).message.ticket


@pytest.fixture
def macro(account, bob):
    return MessageTemplate.objects.create(
        seller_account=account,
        name="Replacement sent: solve, hand to Bob",
        slug="replacement_solve",
        body=BODY,
        sets_status=Ticket.Status.SOLVED,
        sets_priority=Ticket.Priority.HIGH,
        sets_kind=Ticket.Kind.REPLACEMENT_PART,
        sets_assignee=bob,
        adds_note="Replacement carafe ordered from the warehouse.",
    )


def apply(ticket, macro, actor, body=BODY):
    return macro_apply(ticket=ticket, template=macro, body=body, actor=actor, channel="api")


def test_one_application_replies_sets_everything_and_adds_the_note(ticket, macro, alice, bob):
    apply(ticket, macro, alice)
    ticket.refresh_from_db()
    note = ticket.messages.get(direction=Message.Direction.NOTE)
    assert (ticket.status, ticket.priority, ticket.kind, ticket.assignee, note.body) == (
        "solved",
        Ticket.Priority.HIGH,
        "replacement_part",
        bob,
        "Replacement carafe ordered from the warehouse.",
    )


def test_the_reply_answers_the_buyer_so_solving_obeys_the_unanswered_rule(ticket, macro, alice):
    apply(ticket, macro, alice)
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, OutboundMessage.objects.filter(ticket=ticket).count()) == (None, 1)


def test_the_macro_is_audited_once_with_its_template(ticket, macro, alice):
    apply(ticket, macro, alice)
    event = audit_trail(ticket).get(action="macro.applied")
    assert (event.actor, event.changes) == (alice, {"template": "replacement_solve", "reply": "queued"})


def test_a_refused_reply_changes_nothing_else(ticket, macro, alice):
    with pytest.raises(ComplianceRefused):
        apply(ticket, macro, alice, body="We'll refund you if you update your review.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.messages.count()) == ("new", None, 1)


def test_a_held_reply_keeps_the_status_for_approval_but_the_team_changes_apply(ticket, macro, alice, bob, account):
    ForbiddenPhrase.objects.create(seller_account=account, phrase="ships today", action=PhraseAction.HOLD)
    with pytest.raises(MessageHeld):
        apply(ticket, macro, alice)
    ticket.refresh_from_db()
    held = HeldMessage.objects.get(ticket=ticket)
    assert (ticket.status, ticket.assignee, held.status_after) == ("new", bob, "solved")


def test_an_assignee_from_another_account_is_refused_before_anything_is_sent(ticket, macro, alice):
    macro.sets_assignee = UserFactory(username="outsider")
    with pytest.raises(InvalidAssignment):
        apply(ticket, macro, alice)
    assert not OutboundMessage.objects.exists()


def test_a_status_the_workflow_forbids_is_refused_before_anything_is_sent(ticket, macro, alice):
    Ticket.objects.filter(pk=ticket.pk).update(status="closed")
    ticket.refresh_from_db()
    macro.sets_status = Ticket.Status.OPEN
    with pytest.raises(InvalidTransition):
        apply(ticket, macro, alice)
    assert not OutboundMessage.objects.exists()


def test_a_template_without_macro_fields_is_not_a_macro(account):
    plain = MessageTemplate(seller_account=account, name="Plain", slug="plain", body="Hello")
    assert not plain.is_macro


def test_a_manager_makes_a_template_a_macro_in_the_admin(client, manager, account, bob):
    client.force_login(manager)
    response = client.post(
        "/admin/tickets/messagetemplate/add/",
        {
            "seller_account": account.pk,
            "name": "Solve and hand over",
            "slug": "solve_hand_over",
            "purpose": "reply",
            "body": "All sorted, thank you!",
            "is_active": "on",
            "sets_status": "solved",
            "sets_assignee": bob.pk,
            "adds_note": "Handed to Bob.",
        },
    )
    assert response.status_code == 302
    assert MessageTemplate.objects.get(slug="solve_hand_over").is_macro


def test_the_admin_refuses_a_macro_assignee_who_is_not_an_agent_of_the_account(client, manager, account, charlie):
    client.force_login(manager)
    response = client.post(
        "/admin/tickets/messagetemplate/add/",
        {
            "seller_account": account.pk,
            "name": "X",
            "slug": "x",
            "purpose": "reply",
            "body": "Hi",
            "sets_assignee": charlie.pk,
        },
    )
    assert response.status_code == 200
    assert "Not an agent on Espresso Co." in response.content.decode()
