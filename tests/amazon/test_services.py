"""The relay channel's services without a mail server: storing raw mail, filing it through
the intake, threading (notes/amazon.md §9), the account walls, the quarantine's Retry."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from cryptography.fernet import Fernet

from amazon.mail.crypto import SecretUnreadable
from amazon.mail.imap import FetchedMail
from amazon.mail.services import (
    RetryRefused,
    raw_email_import,
    raw_email_retry,
    raw_email_store,
)
from amazon.mail.threads import reply_token_for
from amazon.models import Mailbox, RawEmail
from amazon.tasks import poll_mailboxes
from tests.amazon.mails import relay_mail
from tests.factories import BuyerFactory, OrderFactory, TicketFactory
from tickets.models import Buyer, Message, OutboundMessage, Ticket
from tickets.models.outbound import MessagePurpose

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)
ORDER = "113-4820193-5531207"
RELAY = "7xq2m4k9zt1v8bn@marketplace.amazon.com"


@pytest.fixture(autouse=True)
def _after_the_mail():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=False):
        yield


def make_mailbox(account) -> Mailbox:
    box = Mailbox(seller_account=account, host="imap.example.com", username="support")
    box.password_set("secret")
    box.save()
    return box


@pytest.fixture
def mailbox(account) -> Mailbox:
    return make_mailbox(account)


_uid = iter(range(1, 10_000))


def receive(mailbox: Mailbox, content: bytes, *, uid: int | None = None) -> RawEmail:
    """Store a mail as a poll would, then import it as its task would."""
    fetched = FetchedMail(uid=uid or next(_uid), content=content, size=len(content), complete=True, internal_date=None)
    raw = raw_email_store(mailbox=mailbox, uidvalidity=7, fetched=fetched)
    return raw_email_import(raw_email_id=raw.pk)


def test_a_buyer_message_is_filed_with_the_message_id_as_its_external_id(mailbox):
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    assert (raw.state, raw.buyer_message.external_id) == (RawEmail.State.PROCESSED, "<m1@ses>")


def test_its_clock_runs_from_the_date_header(mailbox):
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    assert raw.buyer_message.ticket.sla_due_at == RECEIVED + timedelta(hours=24)


def test_a_date_in_the_future_is_a_wrong_clock_and_the_arrival_time_is_used(mailbox):
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>", date="Fri, 01 Jan 2027 00:00:00 +0000"))
    assert raw.received_at == RECEIVED + timedelta(minutes=1)


def test_storing_the_same_imap_position_twice_keeps_one_row(mailbox):
    first = receive(mailbox, relay_mail(message_id="<m1@ses>"), uid=500)
    again = receive(mailbox, relay_mail(message_id="<m1@ses>"), uid=500)
    assert first.pk == again.pk and RawEmail.objects.count() == 1


def test_the_raw_bytes_are_stored_once_under_their_sha256(mailbox):
    from django.core.files.storage import default_storage

    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    assert raw.storage_name.endswith(f"{raw.sha256}.eml") and default_storage.exists(raw.storage_name)


def test_the_same_message_id_in_another_account_s_mailbox_is_that_account_s_own_message(mailbox, other_account):
    receive(mailbox, relay_mail(message_id="<m1@ses>"))
    theirs = receive(make_mailbox(other_account), relay_mail(message_id="<m1@ses>"))
    assert theirs.state == RawEmail.State.PROCESSED and Message.objects.count() == 2


# --- Buyers and orders: always this account's ---------------------------------------------


def test_a_new_buyer_gets_a_stable_id_derived_from_the_relay_address(mailbox):
    receive(mailbox, relay_mail(message_id="<m1@ses>", order_id=None))
    receive(mailbox, relay_mail(message_id="<m2@ses>", order_id=None, suffix="OTHER1"))
    [buyer] = Buyer.objects.all()
    assert buyer.amazon_buyer_id.startswith("relay:") and (buyer.email, buyer.name) == (RELAY, "Emily R.")


def test_the_buyer_known_by_the_relay_address_is_reused(mailbox, account):
    known = BuyerFactory(seller_account=account, email=RELAY, name="Emily Rogers")
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>", order_id=None))
    assert raw.buyer_message.ticket.buyer == known and Buyer.objects.get().name == "Emily Rogers"


def test_the_order_s_buyer_is_the_buyer_and_learns_the_relay_address(mailbox, account):
    order = OrderFactory(seller_account=account, amazon_order_id=ORDER, buyer__email="")
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    order.buyer.refresh_from_db()
    assert raw.buyer_message.ticket.order == order and order.buyer.email == RELAY


def test_another_account_s_order_with_the_same_id_is_never_linked(mailbox, other_account):
    OrderFactory(seller_account=other_account, amazon_order_id=ORDER)
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    assert raw.buyer_message.ticket.order is None and raw.amazon_order_id == ORDER


def test_an_important_message_opens_a_high_priority_ticket(mailbox):
    subject = f"[Important] Inquiry from Amazon customer Emily R. (Order: {ORDER})"
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>", subject=subject))
    assert raw.important and raw.buyer_message.ticket.priority == Ticket.Priority.HIGH


# --- Threading ------------------------------------------------------------------------------


@pytest.fixture
def earlier_ticket(mailbox, account):
    """A conversation about an order, with one reply of ours that went out by e-mail."""
    order = OrderFactory(seller_account=account, amazon_order_id=ORDER, buyer__email=RELAY)
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    outbound = OutboundMessage.objects.create(
        seller_account=account,
        buyer=order.buyer,
        ticket=ticket,
        purpose=MessagePurpose.REPLY,
        body="A new tank ships today.",
        gateway="email",
    )
    return ticket, outbound


def test_a_reply_to_our_message_id_joins_that_ticket_even_without_an_order_id(mailbox, earlier_ticket):
    ticket, outbound = earlier_ticket
    mail = relay_mail(message_id="<r1@ses>", order_id=None, in_reply_to=outbound.email_message_id())
    assert receive(mailbox, mail).buyer_message.ticket == ticket


def test_a_reply_to_our_reply_token_joins_that_ticket(mailbox, earlier_ticket):
    ticket, _ = earlier_ticket
    mail = relay_mail(message_id="<r1@ses>", order_id=None, to=f"support+{reply_token_for(ticket)}@brewline.example")
    assert receive(mailbox, mail).buyer_message.ticket == ticket


def test_a_forged_reply_token_is_ignored(mailbox, earlier_ticket):
    ticket, _ = earlier_ticket
    mail = relay_mail(message_id="<r1@ses>", order_id=None, to=f"support+csm-{ticket.pk}-000000000000@brewline.example")
    assert receive(mailbox, mail).buyer_message.ticket != ticket


def test_a_reference_to_another_account_s_message_is_ignored(mailbox, other_account):
    foreign = TicketFactory(seller_account=other_account, buyer__email=RELAY)
    Message.objects.create(ticket=foreign, direction="inbound", body="x", external_id="<theirs@ses>")
    mail = relay_mail(message_id="<r1@ses>", order_id=None, in_reply_to="<theirs@ses>")
    assert receive(mailbox, mail).buyer_message.ticket.seller_account == mailbox.seller_account


def test_a_reply_about_a_second_order_opens_a_second_ticket_despite_in_reply_to(mailbox, earlier_ticket, account):
    ticket, outbound = earlier_ticket
    OrderFactory(seller_account=account, amazon_order_id="113-9902716-4418830", buyer=ticket.buyer)
    mail = relay_mail(message_id="<r1@ses>", order_id="113-9902716-4418830", in_reply_to=outbound.email_message_id())
    assert receive(mailbox, mail).buyer_message.ticket != ticket


def _solved_beside_another_open_conversation(raw: RawEmail) -> Ticket:
    """The buyer's first conversation, solved, while another one without an order is open:
    the intake's own rule alone would pick the open one."""
    ticket = raw.buyer_message.ticket
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.SOLVED)
    TicketFactory(seller_account=ticket.seller_account, buyer=ticket.buyer, order=None, status="open")
    return ticket


def test_mail_about_an_order_not_imported_yet_threads_by_relay_address_and_order_id(mailbox):
    first = receive(mailbox, relay_mail(message_id="<m1@ses>", order_id="999-0000000-0000001"))
    ticket = _solved_beside_another_open_conversation(first)
    again = receive(mailbox, relay_mail(message_id="<m2@ses>", order_id="999-0000000-0000001", suffix="B2"))
    assert again.buyer_message.ticket == ticket


def test_the_comm_mgr_token_threads_a_mail_without_an_order_id(mailbox):
    first = receive(mailbox, relay_mail(message_id="<m1@ses>", order_id="999-0000000-0000001", token="TOK1"))
    ticket = _solved_beside_another_open_conversation(first)
    again = receive(mailbox, relay_mail(message_id="<m2@ses>", order_id=None, token="TOK1"))
    assert again.buyer_message.ticket == ticket


# --- Not buyer messages, the quarantine -----------------------------------------------------


def test_an_auto_reply_is_listed_with_the_reason_and_touches_no_ticket(mailbox):
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>", headers={"X-Autoreply": "yes"}))
    assert (raw.state, raw.buyer_message) == (RawEmail.State.NOT_BUYER_MESSAGE, None)
    assert "X-Autoreply" in raw.error and not Ticket.objects.exists()


def test_an_unexpected_error_while_filing_quarantines_the_mail(mailbox, monkeypatch):
    import amazon.mail.services as services

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "inbound_message_receive", broken)
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    assert raw.state == RawEmail.State.QUARANTINED and "a bug" in raw.error and not Message.objects.exists()


def test_retry_is_only_for_quarantined_mail(mailbox, manager):
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    with pytest.raises(RetryRefused):
        raw_email_retry(raw_email=raw, actor=manager)


def test_retry_refuses_a_mail_of_which_only_the_header_was_stored(mailbox, manager):
    content = relay_mail(message_id="<big@ses>")
    fetched = FetchedMail(uid=1, content=content[:300], size=30_000_000, complete=False, internal_date=None)
    raw = raw_email_store(mailbox=mailbox, uidvalidity=7, fetched=fetched)
    with pytest.raises(RetryRefused, match="header"):
        raw_email_retry(raw_email=raw, actor=manager)


def test_importing_twice_files_once(mailbox):
    raw = receive(mailbox, relay_mail(message_id="<m1@ses>"))
    raw_email_import(raw_email_id=raw.pk)
    assert Message.objects.count() == 1 and RawEmail.objects.get().attempts == 1


def test_the_beat_task_imports_mail_whose_task_was_lost(mailbox):
    content = relay_mail(message_id="<m1@ses>")
    fetched = FetchedMail(uid=1, content=content, size=len(content), complete=True, internal_date=None)
    raw = raw_email_store(mailbox=mailbox, uidvalidity=7, fetched=fetched)  # its on_commit never ran
    Mailbox.objects.update(active=False)
    with time_machine.travel(RECEIVED + timedelta(minutes=10), tick=False):
        poll_mailboxes.delay()
    raw.refresh_from_db()
    assert raw.state == RawEmail.State.PROCESSED


# --- Secrets ---------------------------------------------------------------------------------


def test_the_password_is_stored_encrypted(mailbox):
    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get()
    assert "secret" not in stored and Mailbox.objects.get().password() == "secret"


def test_a_rotated_key_still_reads_the_old_password_and_rotation_moves_it(mailbox, settings):
    from django.core.management import call_command

    old = Fernet.generate_key().decode()
    settings.MAILBOX_SECRET_KEYS = [old]
    mailbox.password_set("secret")
    mailbox.save()
    settings.MAILBOX_SECRET_KEYS = [Fernet.generate_key().decode(), old]
    call_command("mailbox_secrets_rotate", stdout=StringIO())
    settings.MAILBOX_SECRET_KEYS = settings.MAILBOX_SECRET_KEYS[:1]
    assert Mailbox.objects.get().password() == "secret"


def test_a_password_under_a_key_no_longer_configured_is_reported_not_leaked(mailbox, settings):
    settings.MAILBOX_SECRET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretUnreadable, match="enter it again"):
        Mailbox.objects.get().password()


def test_the_poll_is_declared_to_run_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["amazon-mail-poll"]
    assert (entry["task"], entry["schedule"]) == ("amazon.tasks.poll_mailboxes", 60.0)
