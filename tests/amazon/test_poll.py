"""End to end against a real IMAP server (Dovecot, tests/amazon/conftest.py): relay mail is
appended to the seller's mailbox, the beat task polls it, and the buyer messages are in the
queue on the right clock, threaded, once each, whatever goes wrong on the way."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from amazon.mail import services
from amazon.models import Mailbox, RawEmail
from amazon.tasks import poll_mailboxes
from tests.amazon.mails import crlf, fixture, relay_mail
from tests.factories import OrderFactory
from tickets.models import Message, Ticket
from tickets.selectors import QUEUE_VIEWS, queue_tickets

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)  # the Date of relay_mail()
ORDER_1, ORDER_2 = "113-4820193-5531207", "113-9902716-4418830"


@pytest.fixture(autouse=True)
def _just_after_the_mail_arrived():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=True):
        yield


@pytest.fixture
def orders(account):
    first = OrderFactory(seller_account=account, amazon_order_id=ORDER_1, buyer__email="")
    second = OrderFactory(seller_account=account, amazon_order_id=ORDER_2, buyer=first.buyer)
    return first, second


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            poll_mailboxes.delay()

    return run


def open_queue(user) -> list[Ticket]:
    return list(queue_tickets(user=user, view=QUEUE_VIEWS["open"]))


def test_a_relayed_buyer_message_is_in_the_queue_on_a_clock_from_when_amazon_received_it(
    imap_server, mailbox, orders, alice, poll
):
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    [ticket] = open_queue(alice)
    assert (ticket.order.amazon_order_id, ticket.sla_due_at) == (ORDER_1, RECEIVED + timedelta(hours=24))


def test_the_message_is_the_buyer_s_own_text(imap_server, mailbox, orders, poll):
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>", text="The tank leaks.\n\nEmily"))
    poll()
    assert Message.objects.get().body == "The tank leaks.\n\nEmily"


def test_the_mailbox_is_left_as_it_was(imap_server, mailbox, orders, poll):
    uid = imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    assert (imap_server.uids(), "\\Seen" in imap_server.flags(uid)) == ([uid], False)


def test_the_buyer_s_second_mail_joins_the_same_ticket(imap_server, mailbox, orders, poll):
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    imap_server.append(relay_mail(message_id="<m2@amazonses.example>", suffix="Z9Y8X7", text="Any news?"))
    poll()
    assert Ticket.objects.count() == 1 and Message.objects.count() == 2


def test_a_mail_about_a_second_order_opens_a_second_ticket(imap_server, mailbox, orders, poll):
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    imap_server.append(relay_mail(message_id="<m2@amazonses.example>", order_id=ORDER_2, text="And my grinder?"))
    poll()
    assert sorted(Ticket.objects.values_list("order__amazon_order_id", flat=True)) == [ORDER_1, ORDER_2]


def test_the_same_mail_delivered_twice_is_one_message(imap_server, mailbox, orders, poll):
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    assert (RawEmail.objects.count(), Message.objects.count()) == (1, 1)


def test_a_second_poll_fetches_only_new_mail(imap_server, mailbox, orders, poll):
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    poll()
    mailbox.refresh_from_db()
    assert (RawEmail.objects.count(), mailbox.last_uid, mailbox.last_error) == (1, 1, "")


MALFORMED = b"""From: "Emily R. - Amazon Marketplace" <7xq2m4k9zt1v8bn+Q1@marketplace.amazon.com>
To: support@brewline.example
Subject: Inquiry from Amazon customer Emily R. (Order: 113-4820193-5531207)
Date: Tue, 03 Nov 2026 14:22:31 +0000
Message-ID: <broken-1@amazonses.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--somethingelse
Content-Type: text/plain; charset=utf-8

------------- Begin message -------------
The tank leaks.
------------- End message -------------
--somethingelse--
"""


def test_a_malformed_mail_is_quarantined_then_processed_after_a_fix_and_retry(
    imap_server, mailbox, orders, manager, poll, django_capture_on_commit_callbacks
):
    imap_server.append(crlf(MALFORMED))
    poll()
    raw = RawEmail.objects.get()
    assert raw.state == RawEmail.State.QUARANTINED and "MIME structure is broken" in raw.error
    assert not Ticket.objects.exists()
    fixed = crlf(MALFORMED.replace(b'boundary="b1"', b'boundary="somethingelse"'))
    with django_capture_on_commit_callbacks(execute=True):
        services.raw_email_replace(raw_email=raw, content=fixed, actor=manager)
        services.raw_email_retry(raw_email=raw, actor=manager)
    raw.refresh_from_db()
    assert raw.state == RawEmail.State.PROCESSED and raw.buyer_message.body == "The tank leaks."


def test_a_server_stopped_mid_poll_loses_nothing_and_duplicates_nothing_on_recovery(
    imap_server, mailbox, orders, poll, monkeypatch
):
    for n in range(1, 4):
        imap_server.append(relay_mail(message_id=f"<m{n}@amazonses.example>", text=f"Message {n}"))
    store = services.raw_emails_store

    def store_then_stop_the_server(**kwargs):
        raw = store(**kwargs)
        imap_server.stop()  # after the first mail: the next fetch finds no server
        return raw

    monkeypatch.setattr(services, "raw_emails_store", store_then_stop_the_server)
    monkeypatch.setattr("amazon.mail.imap.FETCH_BATCH_MAILS", 1)  # one mail a round trip: a fetch after the stop
    poll()
    mailbox.refresh_from_db()
    assert RawEmail.objects.count() == 1 and mailbox.last_error and mailbox.backoff_until

    monkeypatch.setattr(services, "raw_emails_store", store)
    imap_server.start()
    with time_machine.travel(mailbox.backoff_until + timedelta(seconds=1), tick=True):
        poll()
    assert sorted(Message.objects.values_list("body", flat=True)) == ["Message 1", "Message 2", "Message 3"]
    assert RawEmail.objects.count() == 3


def test_a_mail_whose_charset_is_wrong_is_read_all_the_same(imap_server, mailbox, orders, poll):
    mail = relay_mail(message_id="<m1@amazonses.example>", text="Die Kaffeemühle läuft nicht.")
    # Declared US-ASCII, sent as UTF-8 bytes (8bit): a sender that lied about its charset.
    mail = mail.replace(b'charset="utf-8"', b'charset="us-ascii"').replace(
        b"Content-Transfer-Encoding: quoted-printable", b"Content-Transfer-Encoding: 8bit"
    )
    body = mail.split(b"\r\n\r\n", 1)[1]
    import quopri

    mail = mail.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n" + quopri.decodestring(body)
    imap_server.append(mail)
    poll()
    assert Message.objects.get().body == "Die Kaffeemühle läuft nicht."


NO_TEXT = b"""From: "Emily R. - Amazon Marketplace" <7xq2m4k9zt1v8bn+Q2@marketplace.amazon.com>
To: support@brewline.example
Subject: Inquiry from Amazon customer Emily R. (Order: 113-4820193-5531207)
Date: Tue, 03 Nov 2026 14:22:31 +0000
Message-ID: <photo-only@amazonses.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2"

--b2
Content-Type: image/jpeg; name="leak.jpg"
Content-Disposition: attachment; filename="leak.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRof
--b2--
"""


def test_a_mail_with_no_text_part_still_starts_the_clock_and_says_what_it_carried(imap_server, mailbox, orders, poll):
    imap_server.append(crlf(NO_TEXT))
    poll()
    message = Message.objects.get()
    assert "no text" in message.body and "leak.jpg" in message.body
    assert message.ticket.sla_due_at == RECEIVED + timedelta(hours=24)


def test_an_auto_reply_is_not_a_buyer_message_and_starts_no_clock(imap_server, mailbox, orders, poll):
    imap_server.append(relay_mail(message_id="<ooo@amazonses.example>", headers={"Auto-Submitted": "auto-replied"}))
    poll()
    assert RawEmail.objects.get().state == RawEmail.State.NOT_BUYER_MESSAGE and not Ticket.objects.exists()


def test_six_languages_arrive_as_six_tickets(imap_server, mailbox, poll):
    for lang in ("en", "de", "fr", "es", "it", "ja"):
        imap_server.append(fixture(lang))
    poll()
    assert list(RawEmail.objects.values_list("state", "error")) == [("processed", "")] * 6
    assert Ticket.objects.count() == 6


@pytest.mark.parametrize(
    ("after_import", "seen", "kept"),
    [(Mailbox.AfterImport.MARK_READ, True, True), (Mailbox.AfterImport.DELETE, None, False)],
)
def test_the_manager_s_choice_marks_read_or_deletes_after_import(
    imap_server, mailbox, orders, poll, after_import, seen, kept
):
    mailbox.after_import = after_import
    mailbox.save()
    uid = imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    assert (uid in imap_server.uids()) == kept
    if kept:
        assert ("\\Seen" in imap_server.flags(uid)) == seen
    assert Message.objects.count() == 1


def test_a_mail_above_the_size_limit_is_quarantined_with_its_header_and_stays_in_the_mailbox(
    imap_server, mailbox, orders, poll, settings
):
    settings.MAIL_MAX_MESSAGE_BYTES = 2_000
    mailbox.after_import = Mailbox.AfterImport.DELETE
    mailbox.save()
    uid = imap_server.append(relay_mail(message_id="<big@amazonses.example>", text="x" * 5_000))
    poll()
    raw = RawEmail.objects.get()
    assert (raw.state, raw.complete, raw.message_id) == (RawEmail.State.QUARANTINED, False, "<big@amazonses.example>")
    assert "above the limit" in raw.error and uid in imap_server.uids()


def test_a_wrong_password_is_shown_on_the_mailbox_which_backs_off(imap_server, mailbox, poll):
    mailbox.password_set("not-the-password")
    mailbox.save()
    poll()
    mailbox.refresh_from_db()
    assert "not-the-password" not in mailbox.last_error
    assert mailbox.last_error and mailbox.backoff_until > timezone.now()
    assert mailbox.consecutive_failures == 1


def test_a_mailbox_backing_off_is_not_polled_before_its_time(imap_server, mailbox, orders, poll):
    Mailbox.objects.filter(pk=mailbox.pk).update(backoff_until=timezone.now() + timedelta(minutes=5))
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    assert not RawEmail.objects.exists()


def test_a_mailbox_being_polled_is_not_polled_again_at_the_same_time(imap_server, mailbox, orders):
    Mailbox.objects.filter(pk=mailbox.pk).update(polling_since=timezone.now())
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    assert services.mailbox_poll(mailbox_id=mailbox.pk).claimed is False


def test_a_renumbered_folder_is_read_again_without_duplicates(imap_server, mailbox, orders, poll):
    with imap_server.client() as box:
        box.folder.create("Amazon")
    Mailbox.objects.filter(pk=mailbox.pk).update(folder="Amazon")
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"), folder="Amazon")
    poll()
    with imap_server.client() as box:  # the folder deleted and made again: a new UIDVALIDITY
        box.folder.delete("Amazon")
        box.folder.create("Amazon")
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"), folder="Amazon")
    imap_server.append(relay_mail(message_id="<m2@amazonses.example>", text="Any news?"), folder="Amazon")
    poll()
    assert (RawEmail.objects.count(), Message.objects.count(), Ticket.objects.count()) == (2, 2, 1)


def test_new_mail_is_searched_in_windows_of_uids(imap_server, mailbox, orders, poll, monkeypatch):
    from amazon.mail import imap

    monkeypatch.setattr(imap, "SEARCH_WINDOW", 2)
    searches = []
    command = imap.ImapSession._command

    def counted(self, *args):
        if args[0] == "SEARCH":
            searches.append(args[1])
        return command(self, *args)

    monkeypatch.setattr(imap.ImapSession, "_command", counted)
    for n in range(1, 6):
        imap_server.append(relay_mail(message_id=f"<m{n}@amazonses.example>", text=f"Message {n}"))
    poll()
    mailbox.refresh_from_db()
    assert (Message.objects.count(), mailbox.last_uid) == (5, 5)
    assert searches == ["UID 1:2", "UID 3:4", "UID 5:5"]
