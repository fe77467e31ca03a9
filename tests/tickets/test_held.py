"""The held flow: a reply the guard is unsure about is held (not sent, the clock running),
and a manager approves it (sent once, through the normal path) or rejects it (nothing
sent). The doubt comes from a manager's "hold" phrase (``ForbiddenPhrase.action``)."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from tests.factories import OrderFactory, OrderItemFactory, ProductFactory, TicketFactory
from tickets.audit import audit_trail
from tickets.held import held_message_approve, held_message_labelled, held_message_reject
from tickets.models import (
    BlockedMessage,
    ForbiddenPhrase,
    HeldMessage,
    Message,
    OrderEvent,
    OutboundMessage,
    PhraseAction,
    ProactiveGuide,
    Ticket,
)
from tickets.outbound.services import ComplianceRefused, MessageHeld, message_check, message_send
from tickets.proactive.services import order_mark_delivered, proactive_guide_send
from tickets.replies import REPLY_ACTIONS, ticket_reply

pytestmark = pytest.mark.django_db

Status = HeldMessage.Status
PHRASE = "lifetime guarantee"
DOUBTFUL = "Sorry about the leak. We can offer a lifetime guarantee on the new reservoir."
UPSELL = "Fancy a bigger grinder? The Brewline G2 is now available."


@pytest.fixture
def hold_phrase(account):
    return ForbiddenPhrase.objects.create(seller_account=account, phrase=PHRASE, action=PhraseAction.HOLD)


@pytest.fixture
def ticket(account):
    order = OrderFactory(seller_account=account)
    return TicketFactory(
        seller_account=account,
        buyer=order.buyer,
        order=order,
        status=Ticket.Status.OPEN,
        sla_due_at=timezone.now() + timedelta(hours=3),
    )


@pytest.fixture
def waiting(ticket):
    """The buyer's unanswered message, whose clock the reply would stop."""
    return Message.objects.create(
        ticket=ticket,
        direction=Message.Direction.INBOUND,
        body="The reservoir leaks.",
        response_due_at=ticket.sla_due_at,
    )


def _hold(ticket, author, **kwargs) -> HeldMessage:
    with pytest.raises(MessageHeld) as held:
        ticket_reply(ticket=ticket, body=DOUBTFUL, actor=author, channel="ui", **kwargs)
    return held.value.held


# --- Holding --------------------------------------------------------------------------------


def test_a_hold_phrase_makes_the_guard_unsure(account, hold_phrase):
    result = message_check(body=DOUBTFUL, purpose="reply", seller_account=account)
    assert (str(result.verdict), [(d.rule, DOUBTFUL[d.start : d.end]) for d in result.doubts]) == (
        "held",
        [("approval_phrase", "lifetime guarantee")],
    )


def test_a_hold_phrase_is_found_in_disguise_like_a_forbidden_one(account, hold_phrase):
    result = message_check(body="A Lifetime   GUARANT3E, of course.", purpose="reply", seller_account=account)
    assert [d.rule for d in result.doubts] == ["approval_phrase"]


def test_another_accounts_hold_phrase_does_not_apply(other_account, ticket, alice):
    ForbiddenPhrase.objects.create(seller_account=other_account, phrase=PHRASE, action=PhraseAction.HOLD)
    outbound = message_send(ticket=ticket, body=DOUBTFUL, actor=alice, channel="ui")
    assert outbound.status == OutboundMessage.Status.QUEUED


def test_a_refusing_phrase_still_refuses(account, ticket, alice):
    ForbiddenPhrase.objects.create(seller_account=account, phrase=PHRASE)
    with pytest.raises(ComplianceRefused):
        message_send(ticket=ticket, body=DOUBTFUL, actor=alice, channel="ui")
    assert BlockedMessage.objects.count() == 1 and not HeldMessage.objects.exists()


def test_a_held_reply_is_kept_and_nothing_is_sent(ticket, alice, hold_phrase):
    held = _hold(ticket, alice, action=REPLY_ACTIONS["refund"], status_after=Ticket.Status.PENDING)
    held.refresh_from_db()
    kept = (held.status, held.body, held.author, held.status_after, held.reply_action, held.ticket, held.channel)
    assert kept == (Status.HELD, DOUBTFUL, alice, "pending", "refund", ticket, "ui")
    assert [(d["rule"], DOUBTFUL[d["start"] : d["end"]]) for d in held.doubts] == [("approval_phrase", PHRASE)]
    assert not OutboundMessage.objects.exists()
    assert not Message.objects.filter(direction=Message.Direction.OUTBOUND).exists()


def test_a_held_reply_records_neither_its_action_nor_its_status(ticket, alice, hold_phrase):
    _hold(ticket, alice, action=REPLY_ACTIONS["refund"], status_after=Ticket.Status.SOLVED)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert not OrderEvent.objects.filter(order=ticket.order, type=OrderEvent.Type.REFUNDED).exists()


def test_the_clock_keeps_running_while_a_reply_is_held(ticket, waiting, alice, hold_phrase):
    due = ticket.sla_due_at
    _hold(ticket, alice)
    ticket.refresh_from_db()
    waiting.refresh_from_db()
    assert (ticket.sla_due_at, waiting.responded_at) == (due, None)


def test_holding_is_audited_on_the_ticket(ticket, alice, hold_phrase):
    held = _hold(ticket, alice)
    event = audit_trail(ticket).get(action="message.held")
    assert (event.actor, event.changes["held"], event.changes["doubts"]) == (alice, held.pk, ["approval_phrase"])


def test_holding_queues_the_message_held_webhook(account, ticket, alice, hold_phrase):
    hook = WebhookSubscription.objects.create(
        name="managers' chat", url="https://hooks.example.com/h", secret="s" * 32, events=["message.held"]
    )
    hook.seller_accounts.set([account])
    held = _hold(ticket, alice)
    delivery = WebhookDelivery.objects.get(subscription=hook)
    body = json.loads(delivery.body)
    assert (delivery.event, body["data"]["id"], body["data"]["status"]) == ("message.held", held.pk, "held")


def test_the_guards_own_doubt_holds_a_reply_too(ticket, alice):
    # No phrase: the guard itself is unsure about an upsell without marketing words.
    with pytest.raises(MessageHeld) as held:
        message_send(ticket=ticket, body=UPSELL, actor=alice, channel="ui")
    assert held.value.held.doubts and not OutboundMessage.objects.exists()


def test_a_link_to_the_brands_manual_site_waits_for_a_manager(ticket, alice, manager):
    body = "The wiring diagram is in the installation manual: https://support.thermaro.example/manuals/t3.pdf"
    with pytest.raises(MessageHeld) as raised:
        message_send(ticket=ticket, body=body, actor=alice, channel="ui")
    held = raised.value.held
    assert [d["rule"] for d in held.doubts] == ["link_unvouched"]
    assert not OutboundMessage.objects.exists()
    assert held_message_approve(held=held, actor=manager) is True
    assert OutboundMessage.objects.get().body == body


def test_a_manual_site_the_account_allows_is_sent_without_approval(ticket, alice):
    ticket.seller_account.allowed_link_domains = "support.thermaro.example"
    ticket.seller_account.save(update_fields=["allowed_link_domains"])
    body = "The wiring diagram is in the installation manual: https://support.thermaro.example/manuals/t3.pdf"
    message_send(ticket=ticket, body=body, actor=alice, channel="ui")
    assert OutboundMessage.objects.get().body == body and not HeldMessage.objects.exists()


def test_a_refusal_wins_over_a_doubt(account, ticket, alice, hold_phrase):
    with pytest.raises(ComplianceRefused):
        message_send(ticket=ticket, body=f"{DOUBTFUL} Please update your review.", actor=alice, channel="ui")
    assert not HeldMessage.objects.exists()


# --- Approving ------------------------------------------------------------------------------


def test_an_approved_reply_is_queued_once_in_its_writers_name(ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice)
    assert held_message_approve(held=held, actor=manager) is True
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.body, outbound.message.author, outbound.created_by) == (
        OutboundMessage.Status.QUEUED,
        DOUBTFUL,
        alice,
        alice,
    )
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.outbound) == (Status.APPROVED, manager, outbound)


def test_approving_twice_sends_once(ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice)
    held_message_approve(held=held, actor=manager)
    again = HeldMessage.objects.get(pk=held.pk)
    assert held_message_approve(held=again, actor=manager) is False
    assert OutboundMessage.objects.count() == 1


def test_a_stale_copy_of_a_held_reply_cannot_be_approved_twice(ticket, alice, manager, hold_phrase):
    # Two managers opened the same page: both hold a copy that still says "held".
    held = _hold(ticket, alice)
    stale = HeldMessage.objects.get(pk=held.pk)
    held_message_approve(held=held, actor=manager)
    assert held_message_approve(held=stale, actor=manager) is False
    assert OutboundMessage.objects.count() == 1


def test_approval_stops_the_clock_at_the_approval_time(ticket, waiting, alice, manager, hold_phrase):
    held = _hold(ticket, alice)
    approved_at = timezone.now() + timedelta(hours=2)
    with time_machine.travel(approved_at, tick=False):
        held_message_approve(held=held, actor=manager)
    ticket.refresh_from_db()
    waiting.refresh_from_db()
    assert (ticket.sla_due_at, waiting.responded_at) == (None, approved_at)


def test_approval_applies_the_status_and_the_action_the_writer_chose(ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice, action=REPLY_ACTIONS["refund"], status_after=Ticket.Status.PENDING)
    held_message_approve(held=held, actor=manager)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING
    assert OrderEvent.objects.filter(order=ticket.order, type=OrderEvent.Type.REFUNDED).exists()


def test_approval_skips_a_status_the_ticket_can_no_longer_take(ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice, status_after=Ticket.Status.PENDING)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    held = HeldMessage.objects.get(pk=held.pk)
    held_message_approve(held=held, actor=manager)
    event = audit_trail(ticket).get(action="held_message.approved")
    assert (Ticket.objects.get(pk=ticket.pk).status, event.changes["status_after_skipped"]) == ("closed", "pending")
    assert OutboundMessage.objects.count() == 1


def test_approval_is_audited_with_the_manager_and_the_writer(ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice)
    held_message_approve(held=held, actor=manager)
    event = audit_trail(ticket).get(action="held_message.approved")
    assert (event.actor, event.changes["author"], event.changes["held"]) == (manager, "alice", held.pk)


def test_approval_runs_the_guard_again_and_a_new_rule_still_refuses(account, ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice)
    ForbiddenPhrase.objects.create(seller_account=account, phrase="new reservoir")
    with pytest.raises(ComplianceRefused):
        held_message_approve(held=held, actor=manager)
    held.refresh_from_db()
    assert (held.status, OutboundMessage.objects.count()) == (Status.HELD, 0)


# --- Rejecting ------------------------------------------------------------------------------


def test_a_rejected_reply_is_never_sent(ticket, alice, manager, hold_phrase):
    held = _hold(ticket, alice)
    assert held_message_reject(held=held, actor=manager, reason="No guarantees we cannot honour.") is True
    assert held_message_approve(held=HeldMessage.objects.get(pk=held.pk), actor=manager) is False
    held.refresh_from_db()
    assert (held.status, held.decision_reason, OutboundMessage.objects.count()) == (
        Status.REJECTED,
        "No guarantees we cannot honour.",
        0,
    )


def test_the_agent_is_told_on_the_ticket_why_their_reply_was_rejected(ticket, alice, manager, hold_phrase):
    held_message_reject(held=_hold(ticket, alice), actor=manager, reason="No guarantees we cannot honour.")
    note = Message.objects.get(ticket=ticket, direction=Message.Direction.NOTE)
    assert "rejected" in note.body and "No guarantees we cannot honour." in note.body


def test_rejection_is_audited_and_the_clock_keeps_running(ticket, waiting, alice, manager, hold_phrase):
    due = ticket.sla_due_at
    held_message_reject(held=_hold(ticket, alice), actor=manager, reason="no")
    event = audit_trail(ticket).get(action="held_message.rejected")
    assert (event.actor, event.changes["reason"], Ticket.objects.get(pk=ticket.pk).sla_due_at) == (manager, "no", due)


# --- Who decides -----------------------------------------------------------------------------


@pytest.mark.parametrize("decide", [held_message_approve, held_message_reject])
def test_an_agent_cannot_decide_even_on_their_own_account(ticket, alice, bob, hold_phrase, decide):
    held = _hold(ticket, alice)
    extra = {"reason": ""} if decide is held_message_reject else {}
    with pytest.raises(PermissionDenied):
        decide(held=held, actor=bob, **extra)
    held.refresh_from_db()
    assert held.status == Status.HELD


def test_an_api_key_cannot_decide(account, ticket, alice, hold_phrase):
    from tests.api.conftest import make_key

    key = make_key(accounts=[account], scope="agent", name="bot")[0]
    with pytest.raises(PermissionDenied):
        held_message_approve(held=_hold(ticket, alice), actor=key)


# --- Proactive guides -----------------------------------------------------------------------


@pytest.fixture
def delivered_guide(account):
    account.proactive_guides_enabled, account.allowed_link_domains = True, "guides.example.com"
    account.save(update_fields=["proactive_guides_enabled", "allowed_link_domains"])
    order = OrderFactory(seller_account=account)
    OrderItemFactory(order=order, product=ProductFactory(seller_account=account))
    ForbiddenPhrase.objects.create(phrase="quick-start guide", action=PhraseAction.HOLD)
    return order_mark_delivered(order=order, delivered_at=timezone.now(), actor="test", source="test")


def test_a_held_proactive_guide_waits_and_is_queued_on_approval(delivered_guide, manager):
    assert proactive_guide_send(guide_id=delivered_guide.pk) == ProactiveGuide.Status.HELD
    held_message_approve(held=HeldMessage.objects.get(), actor=manager)
    delivered_guide.refresh_from_db()
    assert (delivered_guide.status, delivered_guide.outbound.purpose) == ("queued", "proactive_guide")


def test_a_rejected_proactive_guide_is_skipped(delivered_guide, manager):
    proactive_guide_send(guide_id=delivered_guide.pk)
    held_message_reject(held=HeldMessage.objects.get(), actor=manager, reason="no")
    delivered_guide.refresh_from_db()
    assert (delivered_guide.status, delivered_guide.outbound) == ("skipped", None)


# --- Labelled data ---------------------------------------------------------------------------


def test_a_decision_becomes_a_corpus_line_with_its_label(ticket, alice, manager, hold_phrase):
    rejected = _hold(ticket, alice)
    held_message_reject(held=rejected, actor=manager, reason="no")
    line = held_message_labelled(HeldMessage.objects.select_related("decided_by").get(pk=rejected.pk))
    assert {k: line[k] for k in ("id", "purpose", "text", "allowed", "rule", "decision", "decided_by")} == {
        "id": f"held-{rejected.pk}",
        "purpose": "reply",
        "text": DOUBTFUL,
        "allowed": False,
        "rule": "approval_phrase",
        "decision": "violating",
        "decided_by": "manager",
    }


def test_the_export_command_writes_only_decided_messages(ticket, alice, manager, hold_phrase):
    approved, _waiting = _hold(ticket, alice), _hold(ticket, alice)
    held_message_approve(held=approved, actor=manager)
    out = StringIO()
    call_command("export_held_decisions", stdout=out, stderr=StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["id"], line["allowed"], "rule" in line) for line in lines] == [(f"held-{approved.pk}", True, False)]


def test_an_exported_file_is_a_corpus_the_bench_reads(ticket, alice, manager, tmp_path):
    from bench.compliance_bench import check, load_corpus

    ticket.seller_account.allowed_link_domains = "guides.example.com"
    ticket.seller_account.save(update_fields=["allowed_link_domains"])
    with pytest.raises(MessageHeld) as raised:
        message_send(ticket=ticket, body=f"{UPSELL} https://guides.example.com/g2", actor=alice, channel="ui")
    held_message_reject(held=raised.value.held, actor=manager, reason="An upsell.")
    path = tmp_path / "held.jsonl"
    call_command("export_held_decisions", output=str(path), stderr=StringIO())
    (item,) = load_corpus(path)
    # The account's link domain travels with the line: the guard doubts it as the desk did.
    assert (item["allowed"], item["language"], str(check(item).verdict)) == (False, "en", "held")
