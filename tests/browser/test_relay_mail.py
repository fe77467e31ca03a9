"""End to end through every real part of the relay mail channel (issue #17): a buyer's
mail with a photo appended to the seller's Dovecot folder → the beat's poll task → a
ticket in the agent's queue, photo shown (Chromium) → the agent replies with a file →
the aiosmtpd server receives a reply threaded under the buyer's mail, with the file →
the buyer's answer, appended to Dovecot, lands in the same ticket."""

import email.utils
import struct
import zlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from amazon.models import Mailbox
from amazon.tasks import poll_mailboxes
from tests.amazon.conftest import imap_server  # noqa: F401 - the real IMAP server fixture
from tests.amazon.mails import relay_mail
from tickets.models import Message, OutboundMessage, SellerAccount, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE = b"%PDF-1.4\n% the tank's fitting guide\n"


def png() -> bytes:
    """A real 2x2 image, so the browser draws the thumbnail."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\0" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


@pytest.fixture
def relay_mailbox(demo, imap_server):  # noqa: F811
    account = SellerAccount.objects.get(name="Brewline Espresso")
    account.outbound_gateway = "email"
    account.registered_email = "support@brewline.example"
    account.save()
    box = Mailbox(
        seller_account=account,
        host=imap_server.host,
        port=imap_server.port,
        security=Mailbox.Security.NONE,
        username=imap_server.user,
    )
    box.password_set(imap_server.password)
    box.save()
    return box


def test_a_relayed_photo_is_answered_with_a_file_and_the_buyer_s_answer_joins_the_ticket(
    log_in,
    relay_mailbox,
    imap_server,  # noqa: F811 - the fixture imported above
    smtp_server,
    screenshot,
    tmp_path,
):
    now = email.utils.format_datetime(timezone.now())
    imap_server.append(
        relay_mail(
            message_id="<relay-1@amazonses.example>",
            name="Dana K.",
            subject="Inquiry from Amazon customer Dana K. about the water tank",
            text="The water tank arrived cracked, see the photo. Can you send a new one?",
            order_id=None,
            date=now,
            files=[("cracked-tank.png", "image/png", png())],
        )
    )
    poll_mailboxes.delay()  # the beat's task (Celery runs eagerly in tests)
    ticket = Ticket.objects.get(subject__contains="Dana K.")

    page = log_in("agent")
    page.goto("/queue/open/")
    page.get_by_role("link", name="Inquiry from Amazon customer Dana K. about the water tank").click()
    expect(page.get_by_text("The water tank arrived cracked")).to_be_visible()
    thumbnail = page.get_by_role("img", name="cracked-tank.png")
    expect(thumbnail).to_be_visible()
    # Served through the permission gate and drawn by the browser.
    response = page.request.get(thumbnail.get_attribute("src"))
    assert (response.status, response.headers["content-type"]) == (200, "image/png"), response.text()[:300]
    page.wait_for_function("() => document.querySelector('img.thumb').naturalWidth === 2", timeout=5000)
    screenshot(page, "relay-mail-photo")

    page.get_by_label("Message").fill("Sorry about the tank! A new one ships today; the fitting guide is attached.")
    guide = tmp_path / "fitting-guide.pdf"
    guide.write_bytes(GUIDE)
    page.get_by_label("Attach files").set_input_files(str(guide))
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply queued for delivery to the buyer.")).to_be_visible()
    expect(page.get_by_role("link", name="fitting-guide.pdf")).to_be_visible()
    screenshot(page, "relay-mail-reply-with-file")

    outbound = OutboundMessage.objects.get(ticket=ticket)
    assert outbound.status == OutboundMessage.Status.SENT
    [sent] = smtp_server.messages
    assert sent["To"] == "7xq2m4k9zt1v8bn@marketplace.amazon.com"
    assert sent["In-Reply-To"] == "<relay-1@amazonses.example>"
    [file] = [part for part in sent.walk() if part.get_filename()]
    assert (file.get_filename(), file.get_payload(decode=True)) == ("fitting-guide.pdf", GUIDE)

    imap_server.append(
        relay_mail(
            message_id="<relay-2@amazonses.example>",
            name="Dana K.",
            subject="RE: Sorry about the tank",
            text="Thank you, the new tank fits perfectly.",
            order_id=None,
            date=email.utils.format_datetime(timezone.now()),
            in_reply_to=sent["Message-ID"],
        )
    )
    poll_mailboxes.delay()
    answer = Message.objects.get(external_id="<relay-2@amazonses.example>")
    assert answer.ticket_id == ticket.pk
    page.reload()
    expect(page.get_by_text("Thank you, the new tank fits perfectly.")).to_be_visible()
    screenshot(page, "relay-mail-answer-threaded")
