"""The proactive post-delivery guide: one message per delivered order, through the outbound
path and its guard, exactly once whatever the events, workers and retries; skipped (and
why) when the order or the buyer no longer allows it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.factories import OrderItemFactory, ProductFactory, SellerAccountFactory
from tests.tickets.test_admin import _edit
from tickets.intake.messages import inbound_message_receive
from tickets.models import (
    BlockedMessage,
    HeldMessage,
    Message,
    MessageTemplate,
    Order,
    OrderEvent,
    OutboundMessage,
    ProactiveGuide,
    Ticket,
)
from tickets.outbound import gateways
from tickets.outbound.defaults import DEFAULT_TEMPLATES
from tickets.proactive import tasks
from tickets.proactive.services import order_mark_delivered, proactive_guide_send, proactive_guides_sweep

pytestmark = pytest.mark.django_db

Status = ProactiveGuide.Status
# The brand's own manual site, not on the account's allowed link domains.
OFF_LIST_GUIDE = "https://support.brewline-coffee.example/quick-start.pdf"


class RecordingGateway:
    def __init__(self):
        self.sent = []

    def send(self, outbound):
        self.sent.append(outbound.pk)
        return f"test-{outbound.pk}"


@pytest.fixture(autouse=True)
def gateway(monkeypatch):
    recorder = RecordingGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "console", recorder)
    return recorder


@pytest.fixture(autouse=True)
def default_guide_template(db):
    # Installed by a data migration; created here too for runs without migrations.
    spec = next(t for t in DEFAULT_TEMPLATES if t["slug"] == "quick_start_guide")
    MessageTemplate.objects.get_or_create(slug=spec["slug"], seller_account=None, defaults=spec)


@pytest.fixture
def guide_account(db):
    return SellerAccountFactory(
        name="Brewline", proactive_guides_enabled=True, allowed_link_domains="guides.example.com"
    )


@pytest.fixture
def order(guide_account):
    return OrderItemFactory(order__seller_account=guide_account).order


def deliver(order, *, at=None, event_id=None):
    return order_mark_delivered(
        order=order, delivered_at=at or timezone.now(), actor="api-key:test", source="api", event_id=event_id
    )


@pytest.fixture
def delivered(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(order, event_id="evt-1")
    return order


def guides_sent(order):
    return OutboundMessage.objects.filter(order=order, purpose="proactive_guide")


# --- Sent once -----------------------------------------------------------------------------


def test_a_delivered_order_gets_its_guide_through_the_outbound_path(delivered, gateway):
    outbound = guides_sent(delivered).get()
    assert outbound.status == OutboundMessage.Status.SENT
    assert gateway.sent == [outbound.pk]
    assert delivered.amazon_order_id in outbound.body
    assert outbound.dedupe_key == f"proactive_guide:{delivered.amazon_order_id}"


def test_the_guide_is_recorded_as_queued_with_its_outbox_row(delivered):
    guide = ProactiveGuide.objects.get(order=delivered)
    assert (guide.status, guide.outbound) == (Status.QUEUED, guides_sent(delivered).get())


def test_duplicate_delivered_events_send_one_guide(order, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(order, event_id="evt-1")
        deliver(order, event_id="evt-1")
        deliver(order, event_id="evt-2")
        deliver(order)
    assert len(gateway.sent) == 1
    assert ProactiveGuide.objects.filter(order=order).count() == 1


def test_a_replayed_event_id_is_recorded_once(order):
    deliver(order, event_id="evt-1")
    deliver(order, event_id="evt-1")
    assert OrderEvent.objects.filter(order=order, type="delivered").count() == 1


def test_a_rerun_task_sends_nothing_more(delivered, gateway):
    guide = ProactiveGuide.objects.get(order=delivered)
    assert tasks.send_proactive_guide.apply(args=(guide.pk,)).get() == "not_claimed"
    assert proactive_guides_sweep() == 0
    assert len(gateway.sent) == 1


def test_a_worker_killed_mid_task_leaves_the_guide_for_the_sweep(
    order, gateway, monkeypatch, django_capture_on_commit_callbacks
):
    guide = deliver(order)  # on-commit task not run: as if the broker lost it

    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr("tickets.proactive.services.message_send", killed)
    with pytest.raises(SystemExit):
        proactive_guide_send(guide_id=guide.pk)
    guide.refresh_from_db()
    assert guide.status == Status.SCHEDULED  # the claim rolled back with the transaction
    monkeypatch.undo()
    monkeypatch.setitem(gateways.GATEWAYS, "console", gateway)
    with django_capture_on_commit_callbacks(execute=True):
        assert proactive_guides_sweep() == 1
    assert len(gateway.sent) == 1


def test_the_guide_goes_out_after_the_configured_delay(order, gateway, settings, django_capture_on_commit_callbacks):
    settings.PROACTIVE_GUIDE_DELAY_MINUTES = 60
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(order, at=now)
    assert gateway.sent == []
    with time_machine.travel(now + timedelta(minutes=59), tick=False):
        tasks.send_due_proactive_guides.apply()
    assert gateway.sent == []
    with time_machine.travel(now + timedelta(minutes=60), tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_proactive_guides.apply()
    assert len(gateway.sent) == 1


# --- The thread ----------------------------------------------------------------------------


def test_the_guide_is_written_into_a_solved_setup_ticket(delivered):
    ticket = guides_sent(delivered).get().ticket
    assert (ticket.kind, ticket.status, ticket.sla_due_at) == (Ticket.Kind.SETUP, Ticket.Status.SOLVED, None)


def test_the_buyers_reply_to_the_guide_lands_in_the_same_thread(delivered):
    ticket = guides_sent(delivered).get().ticket
    reply = inbound_message_receive(
        seller_account=delivered.seller_account,
        buyer=delivered.buyer,
        body="The steam wand does not heat up.",
        received_at=timezone.now(),
        order=delivered,
        actor="api-key:test",
    ).message
    ticket.refresh_from_db()
    assert reply.ticket_id == ticket.pk
    assert ticket.status == Ticket.Status.OPEN and ticket.sla_due_at is not None


def test_the_guide_does_not_stop_a_running_clock(order, django_capture_on_commit_callbacks):
    question = inbound_message_receive(
        seller_account=order.seller_account,
        buyer=order.buyer,
        body="When does it arrive?",
        received_at=timezone.now(),
        order=order,
        actor="api-key:test",
    ).message
    with django_capture_on_commit_callbacks(execute=True):
        deliver(order)
    question.ticket.refresh_from_db()
    assert question.ticket.sla_due_at is not None
    assert Message.objects.filter(ticket=question.ticket, is_automated=True).count() == 1


# --- Not scheduled, or skipped -------------------------------------------------------------


def test_no_guide_when_the_account_has_not_turned_guides_on(order):
    order.seller_account.proactive_guides_enabled = False
    order.seller_account.save()
    assert deliver(order) is None
    assert not ProactiveGuide.objects.exists()


def test_no_guide_when_no_product_on_the_order_has_one(guide_account):
    order = OrderItemFactory(
        order__seller_account=guide_account, product=ProductFactory(seller_account=guide_account, guide_url="")
    ).order
    assert deliver(order) is None


def _cancel(order):
    order.cancelled_at = timezone.now()
    order.status = Order.Status.CANCELLED


def _return(order):
    order.returned_at = timezone.now()


def _refund(order):
    order.refunded_at = timezone.now()


def _opt_out(order):
    order.buyer.opted_out_of_proactive_messages = True
    order.buyer.save()


def _turn_off(order):
    order.seller_account.proactive_guides_enabled = False
    order.seller_account.save()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_cancel, "cancelled"),
        (_return, "returned"),
        (_refund, "refunded"),
        (_opt_out, "opted out"),
        (_turn_off, "turned off"),
    ],
    ids=["cancelled", "returned", "refunded", "opted-out", "turned-off"],
)
def test_a_guide_is_skipped_with_the_reason_when_the_order_changed_before_sending(order, gateway, change, reason):
    guide = deliver(order)
    change(order)
    order.save()
    assert proactive_guide_send(guide_id=guide.pk) == Status.SKIPPED
    guide.refresh_from_db()
    assert reason in guide.skip_reason
    assert gateway.sent == []


def test_a_guide_more_than_30_days_after_delivery_is_skipped(order, gateway):
    guide = deliver(order, at=timezone.now() - timedelta(days=31))
    proactive_guide_send(guide_id=guide.pk)
    guide.refresh_from_db()
    assert (guide.status, "30 days" in guide.skip_reason) == (Status.SKIPPED, True)


def test_a_guide_the_compliance_guard_refuses_is_skipped_with_the_violations(order, gateway):
    MessageTemplate.objects.create(
        seller_account=order.seller_account,
        slug="quick_start_guide",
        name="Guide",
        purpose="proactive_guide",
        body="Order {{ order.amazon_order_id }}: enjoy! Please leave us a review if you like it.",
    )
    guide = deliver(order)
    assert proactive_guide_send(guide_id=guide.pk) == Status.SKIPPED
    guide.refresh_from_db()
    assert "compliance guard" in guide.skip_reason and "review" in guide.skip_reason
    assert BlockedMessage.objects.filter(purpose="proactive_guide").count() == 1
    assert gateway.sent == []


def test_a_guide_on_a_site_the_account_does_not_allow_is_refused_not_held(order, gateway):
    # No buyer asked for the guide: a link the account has not vouched for is not sent.
    order.items.update(product=ProductFactory(seller_account=order.seller_account, guide_url=OFF_LIST_GUIDE))
    guide = deliver(order)
    assert proactive_guide_send(guide_id=guide.pk) == Status.SKIPPED
    guide.refresh_from_db()
    assert "external_link" in guide.skip_reason
    assert not HeldMessage.objects.exists() and gateway.sent == []


def test_a_second_proactive_message_on_the_order_is_refused(order, gateway):
    guide = deliver(order)
    ProactiveGuide.objects.filter(pk=guide.pk).update(status=Status.SCHEDULED)
    proactive_guide_send(guide_id=guide.pk)
    ProactiveGuide.objects.filter(pk=guide.pk).update(status=Status.SCHEDULED)  # as if re-armed by hand
    assert proactive_guide_send(guide_id=guide.pk) == Status.SKIPPED
    assert guides_sent(order).count() == 1


# --- The admin -----------------------------------------------------------------------------


def test_marking_an_order_delivered_in_the_admin_sends_the_guide(
    client, manager, order, gateway, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(
            client,
            Order,
            order,
            delivered_at_0=now.date().isoformat(),
            delivered_at_1=now.strftime("%H:%M:%S"),
        )
    assert response.status_code == 302
    assert len(gateway.sent) == 1
    assert OrderEvent.objects.get(order=order).source == "admin"


def test_saving_an_order_again_in_the_admin_sends_nothing_more(
    client, manager, delivered, gateway, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, Order, delivered, carrier="UPS")
    assert len(gateway.sent) == 1


def test_a_broker_outage_leaves_the_guide_for_the_sweep(
    order, gateway, monkeypatch, django_capture_on_commit_callbacks
):

    def down(*args, **kwargs):
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks.send_proactive_guide, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        guide = deliver(order)
    assert ProactiveGuide.objects.get(pk=guide.pk).status == Status.SCHEDULED
    monkeypatch.undo()
    monkeypatch.setitem(gateways.GATEWAYS, "console", gateway)
    with django_capture_on_commit_callbacks(execute=True):
        proactive_guides_sweep()
    assert len(gateway.sent) == 1


def test_an_account_named_tom_and_jerry_still_gets_its_guides_past_the_guard(guide_account, gateway):
    # A plain name with "&" and "<" is not HTML: the rendered guide must not be refused.
    guide_account.name = "Tom & Jerry <3"
    guide_account.save(update_fields=["name"])
    order = OrderItemFactory(order__seller_account=guide_account, product__title="Grind & Brew <2 cups>").order
    order.buyer.name = "Zoë O'Brien & Co"
    order.buyer.save(update_fields=["name"])
    guide = deliver(order)
    assert proactive_guide_send(guide_id=guide.pk) == "queued"
    assert not BlockedMessage.objects.exists()
