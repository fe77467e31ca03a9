"""A fetched batch of relay mail is stored and imported together (amazon.mail.services:
``raw_emails_store``, ``raw_emails_import``): one transaction, a savepoint per mail, each mail
parsed once, and SQL statements that do not grow with the batch beyond a small constant
per mail."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amazon.mail import services
from amazon.mail.imap import FetchedMail
from amazon.mail.services import raw_emails_import, raw_emails_store
from amazon.models import Mailbox, RawEmail
from tests.amazon.mails import relay_mail
from tests.factories import OrderFactory
from tickets import counts
from tickets.counts import queue_counts_cached
from tickets.models import Message, SlaPolicy, Ticket

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)
# Statements to store and import a fetched batch: a fixed part (the raw rows, the mailbox, the
# row locks, the batch's orders, buyers and SLA policies), and at most this many for each mail
# that opens a ticket (the intake's own: buyer upsert and lock, thread, ticket, its webhook
# subscriptions, message, audit events, savepoints; the raw row's outcome). Measured 18.5.
FIXED_STATEMENTS = 20
STATEMENTS_PER_MAIL = 19


@pytest.fixture(autouse=True)
def _after_the_mail():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=False):
        yield


@pytest.fixture
def mailbox(account) -> Mailbox:
    box = Mailbox(seller_account=account, host="imap.example.com", username="support")
    box.password_set("secret")
    box.save()
    return box


def fetched(mails: list[bytes], *, first_uid: int = 1) -> list[FetchedMail]:
    return [
        FetchedMail(uid=first_uid + n, content=content, size=len(content), complete=True, internal_date=None)
        for n, content in enumerate(mails)
    ]


def buyers_mails(count: int, *, start: int = 0) -> list[bytes]:
    """One mail from each of ``count`` buyers, every other one about an order of the desk and
    every fourth with a photo: each opens a ticket."""
    return [
        relay_mail(
            message_id=f"<b{n}@ses>",
            relay=f"buyer{n:04d}",
            order_id=f"113-{n:07d}-0000001" if n % 2 else None,
            token=f"TOK{n:08d}",
            files=[("leak.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"x" * 2_000)] if n % 4 == 0 else [],
        )
        for n in range(start, start + count)
    ]


def store_and_import(mailbox: Mailbox, mails: list[bytes], *, first_uid: int = 1) -> list[RawEmail]:
    rows = raw_emails_store(mailbox=mailbox, uidvalidity=7, fetched=fetched(mails, first_uid=first_uid))
    return raw_emails_import(raw_email_ids=[row.pk for row in rows])


def statements_for(mailbox: Mailbox, mails: list[bytes], *, first_uid: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        store_and_import(mailbox, mails, first_uid=first_uid)
    return len(queries)


@pytest.fixture
def orders(account):
    for n in range(1, 60, 2):
        OrderFactory(seller_account=account, amazon_order_id=f"113-{n:07d}-0000001")


def test_a_batch_of_mail_is_stored_and_imported_within_the_statement_budget(mailbox, orders):
    with CaptureQueriesContext(connection) as queries:
        store_and_import(mailbox, buyers_mails(20))
    assert Message.objects.count() == 20
    assert len(queries) <= FIXED_STATEMENTS + STATEMENTS_PER_MAIL * 20


def test_the_statements_of_a_batch_grow_by_a_small_constant_per_mail(mailbox, orders):
    small = statements_for(mailbox, buyers_mails(5), first_uid=1)
    large = statements_for(mailbox, buyers_mails(25, start=5), first_uid=6)
    assert Ticket.objects.count() == 30
    assert (large - small) / 20 <= STATEMENTS_PER_MAIL


def test_the_sla_policy_is_read_once_for_a_batch(mailbox, account):
    SlaPolicy.objects.create(seller_account=account, response_hours=12)
    with CaptureQueriesContext(connection) as queries:
        store_and_import(mailbox, buyers_mails(10))
    assert sum('"tickets_slapolicy"' in query["sql"] for query in queries) == 1
    assert Ticket.objects.filter(sla_due_at=RECEIVED + timedelta(hours=12)).count() == 10


def test_a_batch_marks_the_queues_changed_once_and_the_next_counts_show_its_tickets(mailbox, alice, monkeypatch):
    with time_machine.travel(RECEIVED + timedelta(minutes=5), tick=False):
        assert queue_counts_cached(user=alice, now=timezone.now())["open"] == 0  # kept from now on
        stamps = []
        set_many = counts.cache.set_many
        monkeypatch.setattr(
            counts.cache, "set_many", lambda data, timeout: stamps.append(data) or set_many(data, timeout)
        )
        store_and_import(mailbox, buyers_mails(8))
        assert len(stamps) == 1
        assert queue_counts_cached(user=alice, now=timezone.now())["open"] == 8


def test_each_mail_is_parsed_once(mailbox, monkeypatch):
    parsed = []
    email_read = services.email_read

    def counted(content):
        parsed.append(content)
        return email_read(content)

    monkeypatch.setattr(services, "email_read", counted)
    store_and_import(mailbox, buyers_mails(6))
    assert len(parsed) == 6


MALFORMED = (
    b'From: "Emily R. - Amazon Marketplace" <broken+Q1@marketplace.amazon.com>\r\n'
    b"Subject: Inquiry from Amazon customer Emily R.\r\n"
    b"Date: Tue, 03 Nov 2026 14:22:31 +0000\r\n"
    b"Message-ID: <broken@ses>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
    b"--somethingelse\r\nContent-Type: text/plain\r\n\r\nThe tank leaks.\r\n--somethingelse--\r\n"
)


def test_a_mail_that_cannot_be_read_is_quarantined_and_the_rest_of_its_batch_is_filed(mailbox):
    first, last = buyers_mails(2)
    rows = store_and_import(mailbox, [first, MALFORMED, last])
    assert [row.state for row in rows] == ["processed", "quarantined", "processed"]
    assert Message.objects.count() == 2


def test_a_mail_the_intake_refuses_is_quarantined_without_undoing_the_rest_of_its_batch(mailbox, monkeypatch):
    receive = services.inbound_message_receive

    def refuses_the_second(**kwargs):
        message = receive(**kwargs)
        if kwargs["external_id"] == "<b1@ses>":
            raise RuntimeError("a bug after the message was written")
        return message

    monkeypatch.setattr(services, "inbound_message_receive", refuses_the_second)
    rows = store_and_import(mailbox, buyers_mails(3))
    assert [row.state for row in rows] == ["processed", "quarantined", "processed"]
    assert sorted(Message.objects.values_list("external_id", flat=True)) == ["<b0@ses>", "<b2@ses>"]


def test_a_buyer_s_two_mails_in_one_batch_are_one_ticket(mailbox):
    mails = [
        relay_mail(message_id="<m1@ses>", order_id="113-9999999-0000001"),
        relay_mail(message_id="<m2@ses>", order_id="113-9999999-0000001", suffix="Z9", text="Any news?"),
    ]
    store_and_import(mailbox, mails)
    assert (Ticket.objects.count(), Message.objects.count()) == (1, 2)


def test_the_same_mail_twice_in_one_batch_is_one_message(mailbox):
    mail = relay_mail(message_id="<m1@ses>")
    rows = store_and_import(mailbox, [mail, mail])
    assert rows[0].pk == rows[1].pk and Message.objects.count() == 1


def test_a_batch_is_one_import_task(mailbox, django_capture_on_commit_callbacks, monkeypatch):
    batches = []
    monkeypatch.setattr(services, "raw_emails_enqueue", lambda *, raw_email_ids: batches.append(raw_email_ids))
    with django_capture_on_commit_callbacks(execute=True):
        rows = raw_emails_store(mailbox=mailbox, uidvalidity=7, fetched=fetched(buyers_mails(4)))
    assert batches == [[row.pk for row in rows]]
