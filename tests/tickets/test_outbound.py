"""The one outbound path: guard → outbox row → dispatch after commit → gateway → status."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.factories import OrderFactory, TicketFactory
from tickets.models import BlockedMessage, ForbiddenPhrase, Message, OutboundMessage
from tickets.outbound import gateways, tasks
from tickets.outbound.services import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    ComplianceRefused,
    message_send,
    outbound_deliver,
    outbound_retry_now,
    outbound_sweep,
)
from tickets.outbox import SWEEP_GRACE

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status
FORBIDDEN = "We'll refund you if you update your review to 5 stars."
ALLOWED = "Sorry the reservoir arrived cracked — a replacement ships today."


class RecordingGateway:
    """Stands in for the console gateway and counts what really went out."""

    def __init__(self, fail_with: Exception | None = None, during_send=None):
        self.sent: list[int] = []
        self.fail_with = fail_with
        self.during_send = during_send

    def send(self, outbound):
        if self.during_send:
            self.during_send(outbound)
        if self.fail_with:
            raise self.fail_with
        self.sent.append(outbound.pk)
        return f"test-{outbound.pk}"


@pytest.fixture
def gateway(monkeypatch):
    recorder = RecordingGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "console", recorder)
    return recorder


@pytest.fixture
def ticket(account):
    order = OrderFactory(seller_account=account)
    return TicketFactory(
        seller_account=account,
        buyer=order.buyer,
        order=order,
        status="open",
        sla_due_at=timezone.now() + timedelta(hours=3),
    )


def _send_queued(outbound):
    """Run the dispatch task for a row, as the worker would."""
    return tasks.deliver_outbound.apply(args=(outbound.pk,)).get()


def test_a_refused_message_writes_no_outbox_row(ticket, alice, gateway):
    with pytest.raises(ComplianceRefused) as excinfo:
        message_send(ticket=ticket, body=FORBIDDEN, actor=alice, channel="ui")
    assert "review_change_request" in {v.rule for v in excinfo.value.result.violations}
    assert not OutboundMessage.objects.exists()
    assert not Message.objects.filter(direction="outbound").exists()
    assert gateway.sent == []


def test_a_refused_message_is_logged_for_managers(ticket, alice, gateway):
    with pytest.raises(ComplianceRefused):
        message_send(ticket=ticket, body=FORBIDDEN, actor=alice, channel="api")
    blocked = BlockedMessage.objects.get()
    assert blocked.channel == "api"
    assert blocked.actor_label == "alice"
    assert blocked.violations[0]["rule"]


def test_a_refused_message_leaves_the_sla_clock_running(ticket, alice, gateway):
    due = ticket.sla_due_at
    with pytest.raises(ComplianceRefused):
        message_send(ticket=ticket, body=FORBIDDEN, actor=alice, channel="ui")
    ticket.refresh_from_db()
    assert ticket.sla_due_at == due


def test_a_manager_added_phrase_is_refused(ticket, alice, gateway):
    ForbiddenPhrase.objects.create(phrase="lifetime guarantee")
    with pytest.raises(ComplianceRefused):
        message_send(ticket=ticket, body="Every machine has a lifetime guarantee.", actor=alice, channel="ui")


def test_an_allowed_reply_is_sent_once_after_commit(ticket, alice, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    outbound.refresh_from_db()
    assert outbound.status == Status.SENT
    assert gateway.sent == [outbound.pk]
    assert outbound.message.sent_at is not None


def test_nothing_is_dispatched_before_the_transaction_commits(
    ticket, alice, gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    assert gateway.sent == []
    assert len(callbacks) == 1


def test_a_reply_stops_the_sla_clock_and_records_the_first_response(ticket, alice, gateway):
    message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    ticket.refresh_from_db()
    assert ticket.sla_due_at is None
    assert ticket.first_response_at is not None


def test_an_automated_message_does_not_stop_the_sla_clock(ticket, gateway):
    due = ticket.sla_due_at
    message_send(ticket=ticket, body=ALLOWED, actor="system", channel="task", automated=True)
    ticket.refresh_from_db()
    assert ticket.sla_due_at == due
    assert ticket.first_response_at is None


def test_the_dispatch_task_running_twice_sends_once(ticket, alice, gateway):
    outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    assert _send_queued(outbound) == Status.SENT
    assert _send_queued(outbound) == "not_claimed"
    assert gateway.sent == [outbound.pk]


def test_a_concurrent_dispatch_cannot_claim_a_row_being_sent(ticket, alice, monkeypatch):
    outcomes = []
    recorder = RecordingGateway(during_send=lambda o: outcomes.append(outbound_deliver(outbound_id=o.pk)))
    monkeypatch.setitem(gateways.GATEWAYS, "console", recorder)
    outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    assert outbound_deliver(outbound_id=outbound.pk) == Status.SENT
    assert outcomes == ["not_claimed"]
    assert recorder.sent == [outbound.pk]


def test_a_row_whose_worker_died_mid_send_is_sent_once_after_its_lease(ticket, alice, gateway):
    outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    # The worker claimed the row, then died before the gateway answered.
    OutboundMessage.objects.filter(pk=outbound.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    assert _send_queued(outbound) == "not_claimed"  # the redelivered task (acks_late) backs off
    assert outbound_sweep() == 0
    with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(seconds=1)):
        assert outbound_sweep() == 1
    outbound.refresh_from_db()
    assert outbound.status == Status.SENT
    assert gateway.sent == [outbound.pk]


def test_a_broker_outage_loses_nothing_and_the_sweeper_delivers_later(
    ticket, alice, gateway, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.deliver_outbound, "apply_async", side_effect=OperationalError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
        assert outbound_sweep(now=timezone.now() + SWEEP_GRACE) == 0  # still down: nothing enqueued
    outbound.refresh_from_db()
    assert outbound.status == Status.QUEUED
    assert gateway.sent == []
    assert outbound_sweep(now=timezone.now() + SWEEP_GRACE) == 1
    outbound.refresh_from_db()
    assert outbound.status == Status.SENT
    assert gateway.sent == [outbound.pk]


def test_the_sweeper_leaves_a_fresh_row_to_its_own_task(ticket, alice, gateway):
    message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    assert outbound_sweep() == 0


def test_a_transient_failure_is_retried_with_back_off(ticket, alice, monkeypatch):
    failing = RecordingGateway(fail_with=gateways.TransientGatewayError("SMTP timeout"))
    monkeypatch.setitem(gateways.GATEWAYS, "console", failing)
    outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    with mock.patch("tickets.outbound.services.outbound_enqueue") as enqueue:
        assert outbound_deliver(outbound_id=outbound.pk) == Status.FAILED
    outbound.refresh_from_db()
    assert "SMTP timeout" in outbound.last_error
    assert outbound.next_attempt_at > timezone.now() + timedelta(seconds=20)
    enqueue.assert_called_once_with(outbound_id=outbound.pk, eta=outbound.next_attempt_at)


def test_a_message_that_keeps_failing_goes_dead_and_can_be_retried(
    ticket, alice, manager, monkeypatch, django_capture_on_commit_callbacks
):
    failing = RecordingGateway(fail_with=gateways.TransientGatewayError("SMTP timeout"))
    monkeypatch.setitem(gateways.GATEWAYS, "console", failing)
    outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    OutboundMessage.objects.filter(pk=outbound.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert outbound_deliver(outbound_id=outbound.pk) == Status.DEAD

    working = RecordingGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "console", working)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_retry_now(outbound=outbound, actor=manager)
    outbound.refresh_from_db()
    assert outbound.status == Status.SENT
    assert working.sent == [outbound.pk]


def test_a_permanent_failure_goes_dead_at_once(ticket, alice, account, django_capture_on_commit_callbacks):
    account.outbound_gateway = "sp_api"
    account.save()
    with django_capture_on_commit_callbacks(execute=True):
        outbound = message_send(ticket=ticket, body=ALLOWED, actor=alice, channel="ui")
    outbound.refresh_from_db()
    # The Messaging API has no free-text reply: a reply on it is dead, with the reason.
    assert outbound.status == Status.DEAD
    assert "Messaging API" in outbound.last_error
    assert outbound.attempts == 1


def test_review_outreach_records_amazons_fixed_template_and_refuses_free_text(ticket, alice, gateway):
    with pytest.raises(ComplianceRefused):
        message_send(
            ticket=ticket,
            body="Sorry! Here is a refund.",
            actor=alice,
            channel="ui",
            purpose="review_outreach",
            contact_reason="courtesy_refund",
        )
    outbound = message_send(
        ticket=None,
        buyer=ticket.buyer,
        body="",
        actor=alice,
        channel="ui",
        purpose="review_outreach",
        contact_reason="courtesy_refund",
    )
    assert outbound.body.startswith("Amazon Contact Customer: Courtesy Refund")
    assert outbound.gateway == "console"
