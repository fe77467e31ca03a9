"""Amazon's notices on the relay address (amazon.mail.notices): a delivery failure marks our
reply not delivered with Amazon's reason, an A-to-z claim notice records the claim with its
defence ticket, an opt-out is recorded on the buyer, and messages Amazon writes on the
buyer's behalf are marked. Fixtures in several marketplace languages, our own wording."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from amazon.mail.imap import FetchedMail
from amazon.mail.notices import NoticeKind, deadline_parse, money_parse, notice_parse
from amazon.mail.services import raw_email_import, raw_email_retry, raw_email_store
from amazon.models import Mailbox, RawEmail
from tests.amazon.mails import notice, relay_mail
from tests.factories import BuyerFactory, OrderFactory, TicketFactory
from tickets.intake.messages import inbound_message_receive
from tickets.models import AtoZClaim, Message, OutboundMessage, Ticket
from tickets.outbound.services import message_send
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 6, 12, 0, tzinfo=UTC)
ORDER_EN, ORDER_DE, ORDER_ES = "113-4820193-5531207", "302-5518820-7712094", "404-1187325-9920415"
RELAY_EN, RELAY_DE = "7xq2m4k9zt1v8bn@marketplace.amazon.com", "k3v8q1w7mz0p2rd@marketplace.amazon.de"


@pytest.fixture(autouse=True)
def _after_the_notices():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mailbox(account) -> Mailbox:
    box = Mailbox(seller_account=account, host="imap.example.com", username="support")
    box.password_set("secret")
    box.save()
    return box


_uid = iter(range(1, 10_000))


def receive(mailbox: Mailbox, content: bytes) -> RawEmail:
    fetched = FetchedMail(uid=next(_uid), content=content, size=len(content), complete=True, internal_date=None)
    raw = raw_email_store(mailbox=mailbox, uidvalidity=7, fetched=fetched)
    return raw_email_import(raw_email_id=raw.pk)


def sent_reply(account, *, order_id: str, relay: str, actor, status: str = "pending") -> OutboundMessage:
    order = OrderFactory(seller_account=account, amazon_order_id=order_id, buyer__email=relay)
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status=status)
    outbound = message_send(ticket=ticket, body="A new tank ships today.", actor=actor, channel="ui")
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        status="sent", sent_at=NOW - timedelta(days=3), created_at=NOW - timedelta(days=3)
    )
    outbound.refresh_from_db()
    return outbound


# --- Reading ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("delivery_failure_en", {NoticeKind.DELIVERY_FAILURE}),
        ("delivery_failure_de", {NoticeKind.DELIVERY_FAILURE}),
        ("delivery_failure_fr", {NoticeKind.DELIVERY_FAILURE}),
        ("delivery_failure_ja", {NoticeKind.DELIVERY_FAILURE}),
        ("a_to_z_claim_en", {NoticeKind.A_TO_Z_CLAIM}),
        ("a_to_z_claim_de", {NoticeKind.A_TO_Z_CLAIM}),
        ("a_to_z_claim_es", {NoticeKind.A_TO_Z_CLAIM}),
        ("opt_out_en", {NoticeKind.DELIVERY_FAILURE, NoticeKind.OPT_OUT}),
        ("opt_out_it", {NoticeKind.OPT_OUT}),
    ],
)
def test_each_notice_is_recognised_in_its_language(name, kinds):
    assert notice_parse(notice(name)).kinds == kinds


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("delivery_failure_en", "Your message contains a link to a website that is not needed to complete the order."),
        ("delivery_failure_de", "Die Nachricht enthält eine E-Mail-Adresse."),
        ("delivery_failure_fr", "Le message contient une demande d'avis assortie d'une contrepartie."),
        ("delivery_failure_ja", "メッセージに外部サイトへのリンクが含まれています。"),
    ],
)
def test_a_delivery_failure_gives_amazon_s_reason(name, reason):
    assert notice_parse(notice(name)).reason == reason


def test_a_delivery_failure_names_the_reply_it_quotes():
    assert "<outbound-41@csmdesk>" in notice_parse(notice("delivery_failure_en", outbound_id=41)).message_ids


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a_to_z_claim_en", ("AZ-7Q41-88TX", Decimal("189.99"), "USD", datetime(2026, 11, 8, 16, 0, tzinfo=UTC))),
        ("a_to_z_claim_de", ("", Decimal("1089.00"), "EUR", datetime(2026, 11, 8, tzinfo=UTC))),
        ("a_to_z_claim_es", ("AZ-ES-55K2", Decimal("42.50"), "EUR", datetime(2026, 11, 7, 22, 59, tzinfo=UTC))),
    ],
)
def test_a_claim_notice_gives_the_claim_amount_and_deadline(name, expected):
    found = notice_parse(notice(name))
    assert (found.claim_id, found.amount, found.currency, found.respond_by) == expected


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026年11月8日 16:00 JST", datetime(2026, 11, 8, 7, 0, tzinfo=UTC)),
        ("8 novembre 2026", datetime(2026, 11, 8, tzinfo=UTC)),
        ("November 8, 2026 8:00 PST", datetime(2026, 11, 8, 16, 0, tzinfo=UTC)),
        ("soon", None),
    ],
)
def test_deadlines_are_read_in_each_language(text, moment):
    assert deadline_parse(text) == moment


@pytest.mark.parametrize(
    ("text", "money"), [("¥12,800", (Decimal("12800"), "JPY")), ("£9.50", (Decimal("9.50"), "GBP"))]
)
def test_amounts_are_read_with_their_currency(text, money):
    assert money_parse(text) == money


def test_a_relay_buyer_message_is_no_notice():
    assert notice_parse(relay_mail(message_id="<m1@ses>", text="My order could not be delivered?")) is None


def test_a_mail_from_amazon_that_failed_dmarc_is_no_notice(mailbox):
    verdict = b"Authentication-Results: mx.brewline.example; dmarc=fail header.from=amazon.com\r\n"
    forged = notice("a_to_z_claim_en").replace(b"MIME-Version", verdict + b"MIME-Version")
    OrderFactory(seller_account=mailbox.seller_account, amazon_order_id=ORDER_EN)
    raw = receive(mailbox, forged)
    assert (raw.state, AtoZClaim.objects.count()) == (RawEmail.State.NOT_BUYER_MESSAGE, 0)


# --- Delivery failures --------------------------------------------------------------------


def test_a_delivery_failure_marks_the_quoted_reply_not_delivered_with_amazon_s_reason(mailbox, alice):
    reply = sent_reply(mailbox.seller_account, order_id=ORDER_EN, relay=RELAY_EN, actor=alice)
    receive(mailbox, notice("delivery_failure_en", outbound_id=reply.pk))
    reply.refresh_from_db()
    assert (reply.status, reply.last_error) == (
        OutboundMessage.Status.REJECTED,
        "Amazon did not deliver it: Your message contains a link to a website that is not needed to complete "
        "the order.",
    )


def test_a_delivery_failure_without_our_message_id_is_matched_by_relay_address_and_order(mailbox, alice):
    reply = sent_reply(mailbox.seller_account, order_id=ORDER_DE, relay=RELAY_DE, actor=alice)
    raw = receive(mailbox, notice("delivery_failure_de"))
    reply.refresh_from_db()
    assert (raw.state, raw.notice_kinds, reply.status) == ("notice", "delivery_failure", "rejected")


def test_a_delivery_failure_opens_the_ticket_again(mailbox, alice):
    reply = sent_reply(mailbox.seller_account, order_id=ORDER_EN, relay=RELAY_EN, actor=alice, status="pending")
    receive(mailbox, notice("delivery_failure_en", outbound_id=reply.pk))
    assert Ticket.objects.get(pk=reply.ticket_id).status == Ticket.Status.OPEN


def test_the_buyer_message_a_refused_reply_answered_waits_again_with_its_own_clock(mailbox, alice):
    # Amazon counts a message until the buyer gets an answer: a refused reply is none.
    account = mailbox.seller_account
    order = OrderFactory(seller_account=account, amazon_order_id=ORDER_EN, buyer__email=RELAY_EN)
    asked = inbound_message_receive(
        seller_account=account,
        buyer=order.buyer,
        order=order,
        body="The tank leaks.",
        received_at=timezone.now() - timedelta(hours=30),
        actor="test",
    ).message
    reply = message_send(ticket=asked.ticket, body="A new tank ships today.", actor=alice, channel="ui")
    OutboundMessage.objects.filter(pk=reply.pk).update(status="sent", sent_at=timezone.now())
    ticket_update(ticket=Ticket.objects.get(pk=asked.ticket_id), actor=alice, status="solved")
    receive(mailbox, notice("delivery_failure_en", outbound_id=reply.pk))
    asked.refresh_from_db()
    ticket = Ticket.objects.get(pk=asked.ticket_id)
    assert asked.responded_at is None
    assert (ticket.status, ticket.sla_due_at, ticket.sla_state()) == ("open", asked.response_due_at, "breached")
    assert ticket.first_response_at is None  # the buyer got no first response


def test_a_delivery_failure_never_touches_another_account_s_reply(mailbox, other_account, charlie):
    theirs = sent_reply(other_account, order_id=ORDER_EN, relay=RELAY_EN, actor=charlie)
    raw = receive(mailbox, notice("delivery_failure_en", outbound_id=theirs.pk))
    theirs.refresh_from_db()
    assert (theirs.status, raw.notice_outcome) == ("sent", "Delivery failure: no reply of ours matches it.")


def test_the_agent_sees_amazon_s_reason_on_the_reply_in_the_workspace(mailbox, alice, client):
    reply = sent_reply(mailbox.seller_account, order_id=ORDER_EN, relay=RELAY_EN, actor=alice)
    receive(mailbox, notice("delivery_failure_en", outbound_id=reply.pk))
    client.force_login(alice)
    page = client.get(reverse("desk:ticket", args=[reply.ticket_id])).content.decode()
    assert "Not delivered (refused by Amazon)" in page and "not needed to complete the order" in page


def test_a_rejected_reply_is_not_retried_by_the_sweeper(mailbox, alice):
    from tickets.outbound.services import outbound_sweep

    reply = sent_reply(mailbox.seller_account, order_id=ORDER_EN, relay=RELAY_EN, actor=alice)
    receive(mailbox, notice("delivery_failure_en", outbound_id=reply.pk))
    assert outbound_sweep(now=NOW + timedelta(days=1)) == 0


# --- A-to-z claims ------------------------------------------------------------------------


def test_a_claim_notice_records_the_claim_with_amazon_s_deadline_and_a_defence_ticket(mailbox):
    order = OrderFactory(seller_account=mailbox.seller_account, amazon_order_id=ORDER_EN)
    receive(mailbox, notice("a_to_z_claim_en"))
    claim = AtoZClaim.objects.get()
    assert (claim.order, claim.claim_id, claim.respond_by, claim.ticket.sla_due_at, claim.ticket.kind) == (
        order,
        "AZ-7Q41-88TX",
        datetime(2026, 11, 8, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 8, 16, 0, tzinfo=UTC),
        Ticket.Kind.A_TO_Z_DEFENCE,
    )


def test_a_claim_notice_without_a_claim_id_is_one_claim_per_order(mailbox):
    OrderFactory(seller_account=mailbox.seller_account, amazon_order_id=ORDER_DE)
    receive(mailbox, notice("a_to_z_claim_de"))
    receive(mailbox, notice("a_to_z_claim_de").replace(b"atoz-de-0001", b"atoz-de-0002"))
    assert list(AtoZClaim.objects.values_list("claim_id", "amount", "currency")) == [
        (f"mail:{ORDER_DE}", Decimal("1089.00"), "EUR")
    ]


def test_a_claim_on_another_account_s_order_is_quarantined_until_the_order_is_known(mailbox, other_account):
    OrderFactory(seller_account=other_account, amazon_order_id=ORDER_ES)
    raw = receive(mailbox, notice("a_to_z_claim_es"))
    assert (raw.state, AtoZClaim.objects.count()) == (RawEmail.State.QUARANTINED, 0)


def test_a_quarantined_claim_is_recorded_on_retry_once_the_order_is_imported(
    mailbox, manager, django_capture_on_commit_callbacks
):
    raw = receive(mailbox, notice("a_to_z_claim_es"))
    OrderFactory(seller_account=mailbox.seller_account, amazon_order_id=ORDER_ES)
    with django_capture_on_commit_callbacks(execute=True):
        raw_email_retry(raw_email=raw, actor=manager)
    raw.refresh_from_db()
    assert (raw.state, AtoZClaim.objects.get().claim_id) == (RawEmail.State.NOTICE, "AZ-ES-55K2")


# --- Opt-outs -----------------------------------------------------------------------------


def test_an_opt_out_is_recorded_on_the_buyer_by_relay_address(mailbox):
    buyer = BuyerFactory(seller_account=mailbox.seller_account, email=RELAY_EN)
    receive(mailbox, notice("opt_out_en"))
    buyer.refresh_from_db()
    assert buyer.opted_out_of_proactive_messages is True


def test_an_opt_out_is_recorded_on_the_order_s_buyer_when_the_address_is_unknown(mailbox):
    order = OrderFactory(seller_account=mailbox.seller_account, amazon_order_id="402-6630198-1184470", buyer__email="")
    receive(mailbox, notice("opt_out_it"))
    order.buyer.refresh_from_db()
    assert order.buyer.opted_out_of_proactive_messages is True


def test_an_opt_out_never_marks_another_account_s_buyer(mailbox, other_account):
    theirs = BuyerFactory(seller_account=other_account, email=RELAY_EN)
    receive(mailbox, notice("opt_out_en"))
    theirs.refresh_from_db()
    assert theirs.opted_out_of_proactive_messages is False


def test_an_opt_out_that_blocked_a_reply_marks_the_reply_too(mailbox, alice):
    reply = sent_reply(mailbox.seller_account, order_id=ORDER_EN, relay=RELAY_EN, actor=alice)
    receive(mailbox, notice("opt_out_en", outbound_id=reply.pk))
    reply.refresh_from_db()
    assert (reply.status, reply.buyer.opted_out_of_proactive_messages) == ("rejected", True)


# --- On the buyer's behalf ----------------------------------------------------------------

ON_BEHALF = {
    "en": "We've been contacted by a customer regarding the order below. The customer says the package was empty.",
    "de": "Wir wurden von einem Kunden bezüglich der folgenden Bestellung kontaktiert. Das Paket war leer.",
}


@pytest.mark.parametrize("lang", sorted(ON_BEHALF))
def test_a_message_amazon_wrote_on_the_buyer_s_behalf_is_marked(mailbox, lang):
    OrderFactory(seller_account=mailbox.seller_account, amazon_order_id=ORDER_EN, buyer__email="")
    receive(mailbox, relay_mail(message_id=f"<behalf-{lang}@ses>", text=ON_BEHALF[lang]))
    message = Message.objects.get()
    assert (message.written_by_amazon, message.ticket.sla_due_at is not None) == (True, True)


def test_the_buyer_s_own_message_is_not_marked(mailbox):
    OrderFactory(seller_account=mailbox.seller_account, amazon_order_id=ORDER_EN, buyer__email="")
    receive(mailbox, relay_mail(message_id="<own@ses>", text="Amazon told me we've been contacted by a customer?"))
    assert Message.objects.get().written_by_amazon is False
