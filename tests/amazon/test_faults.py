"""Faults on the way in, against the real Dovecot and the real webhook endpoint: a 30 MB
mail, broken MIME and broken attachments through a webhook, the same mail through both
channels in either order, a server that stops while a mail with a photo is fetched. Never
a lost message, never a duplicate, never a 500. (tests/amazon/test_poll.py has the others:
a server stopped mid-poll, malformed MIME, a wrong charset, a mail with no text part.)"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amazon.mail import services
from amazon.mail.imap import HEADER_LIMIT
from amazon.mail.store import raw_read
from amazon.models import RawEmail
from amazon.tasks import poll_mailboxes
from tests.amazon.mails import crlf, relay_mail
from tests.amazon.test_webhooks import basic, post_postmark, post_ses, url, webhook_mailbox
from tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _just_after_the_mail_arrived():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=True):
        yield


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            poll_mailboxes.delay()

    return run


def test_a_30_mb_mail_keeps_its_header_in_the_quarantine_and_the_next_mail_still_arrives(imap_server, mailbox, poll):
    video = bytes(range(256)) * (30 * MB // 256)
    big = relay_mail(message_id="<video@amazonses.example>", files=[("unboxing.mp4", "video/mp4", video)])
    assert len(big) > 30 * MB
    imap_server.append(big)
    imap_server.append(relay_mail(message_id="<after@amazonses.example>", text="And the lid is scratched."))
    poll()
    raw = RawEmail.objects.get(message_id="<video@amazonses.example>")
    assert (raw.state, raw.complete, raw.size) == (RawEmail.State.QUARANTINED, False, len(big))
    assert len(raw_read(raw.storage_name, limit=len(big))) <= HEADER_LIMIT  # never fetched whole
    assert Message.objects.get().body == "And the lid is scratched."


def test_a_mail_larger_than_a_post_may_be_is_a_413_and_nothing_is_stored(client, account, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
    mailbox, secret = webhook_mailbox(account, "amazon_ses")
    big = relay_mail(message_id="<big@amazonses.example>", files=[("a.jpg", "image/jpeg", PHOTO * 200)])
    response = post_ses(client, mailbox, secret, content=big)
    assert response.status_code == 413 and not RawEmail.objects.exists()


BROKEN_MIME = crlf(
    b'From: "Emily R. - Amazon Marketplace" <7xq2m4k9zt1v8bn+Q1@marketplace.amazon.com>\n'
    b"To: support@brewline.example\nSubject: Inquiry (Order: 113-4820193-5531207)\n"
    b"Message-ID: <broken@amazonses.example>\nDate: Tue, 03 Nov 2026 14:22:31 +0000\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="a"\n\n--b\nContent-Type: text/plain\n\n'
    b"------------- Begin message -------------\nThe tank leaks.\n------------- End message -------------\n--b--\n"
)


def test_broken_mime_posted_to_a_webhook_is_stored_and_quarantined_not_lost(
    client, account, django_capture_on_commit_callbacks
):
    mailbox, secret = webhook_mailbox(account, "amazon_ses")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_ses(client, mailbox, secret, content=BROKEN_MIME)
    assert response.status_code == 200
    raw = RawEmail.objects.get()
    assert raw.state == RawEmail.State.QUARANTINED and "MIME structure is broken" in raw.error
    assert not Message.objects.exists()


def test_a_photo_whose_encoding_is_broken_never_stops_the_message(imap_server, mailbox, poll):
    mail = relay_mail(message_id="<badphoto@amazonses.example>", files=[("tank.jpg", "image/jpeg", PHOTO)])
    head, _, rest = mail.partition(b"Content-Disposition: attachment")
    mail = head + b"Content-Disposition: attachment" + rest.replace(b"/", b"!", 40)  # not base64 any more
    imap_server.append(mail)
    poll()
    message = Message.objects.get()
    assert "water tank" in message.body
    assert Attachment.objects.filter(message=message, name="tank.jpg").count() == 1


@pytest.mark.parametrize("first", ["imap", "webhook"])
def test_the_same_mail_through_dovecot_and_a_webhook_is_one_message(
    imap_server, mailbox, client, account, poll, django_capture_on_commit_callbacks, first
):
    mail = relay_mail(message_id="<both@amazonses.example>", files=[("tank.jpg", "image/jpeg", PHOTO)])
    webhook, secret = webhook_mailbox(account, "postmark")

    def by_webhook():
        with django_capture_on_commit_callbacks(execute=True):
            assert post_postmark(client, webhook, secret, content=mail).status_code == 200

    def by_imap():
        imap_server.append(mail)
        poll()

    for arrive in (by_imap, by_webhook) if first == "imap" else (by_webhook, by_imap):
        arrive()
    assert RawEmail.objects.count() == 1 and Message.objects.count() == 1 and Ticket.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_a_server_stopped_while_a_photo_is_fetched_loses_nothing_on_recovery(imap_server, mailbox, poll, monkeypatch):
    for n in (1, 2):
        imap_server.append(
            relay_mail(message_id=f"<ph{n}@amazonses.example>", files=[("tank.jpg", "image/jpeg", PHOTO)])
        )
    fetch_batch = services.ImapSession.fetch_batch

    def stop_then_fetch(self, uids, **kwargs):
        imap_server.stop()  # the server goes away as the photos are asked for
        return fetch_batch(self, uids, **kwargs)

    monkeypatch.setattr(services.ImapSession, "fetch_batch", stop_then_fetch)
    poll()
    mailbox.refresh_from_db()
    assert RawEmail.objects.count() == 0 and mailbox.last_error and mailbox.last_uid == 0
    monkeypatch.setattr(services.ImapSession, "fetch_batch", fetch_batch)
    imap_server.start()
    mailbox.refresh_from_db()
    with time_machine.travel(mailbox.backoff_until + timedelta(seconds=1), tick=True):
        poll()
    assert Message.objects.count() == 2 and Attachment.objects.count() == 2


def test_a_webhook_post_that_is_not_json_is_a_400_not_a_500(client, account):
    mailbox, secret = webhook_mailbox(account, "postmark")
    response = client.post(
        url(mailbox), "{not json", content_type="application/json", headers={"Authorization": basic(secret)}
    )
    assert response.status_code == 400 and not RawEmail.objects.exists()


def test_small_mails_are_fetched_together_and_a_large_one_alone():
    from amazon.mail.imap import FETCH_BATCH_BYTES, fetch_batches

    sizes = {1: (1000, None), 2: (1000, None), 3: (50_000_000, None), 4: (FETCH_BATCH_BYTES - 500, None)}
    sizes |= {5: (1000, None), 6: (0, None)}
    assert fetch_batches([1, 2, 3, 4, 5, 6], sizes=sizes, limit=20_000_000) == [[1, 2], [3], [4], [5], [6]]
