"""The attachment rules (Amazon's 10 MB, the allowed types) and where files go: with a
buyer message through the intake, with a reply through the outbound path and the e-mail
gateway, again on each retry."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.factories import BuyerFactory, MessageFactory, OrderFactory, TicketFactory
from tickets.attachments import AttachmentIn, AttachmentRefused, attachment_read
from tickets.intake.messages import inbound_message_receive
from tickets.models import Attachment, Message, OutboundMessage
from tickets.outbound.services import message_send, outbound_deliver

pytestmark = pytest.mark.django_db

PHOTO = b"\xff\xd8\xff\xe0" + b"a broken tank" * 100
MB = 1024 * 1024


def receive(account, files, external_id="amzn-1"):
    return inbound_message_receive(
        seller_account=account,
        buyer=BuyerFactory(seller_account=account),
        body="The tank arrived cracked, photo attached.",
        received_at=timezone.now() - timedelta(minutes=5),
        external_id=external_id,
        attachments=files,
        actor="test",
    ).message


def test_a_buyer_s_photo_is_kept_with_the_message_under_its_sha256(account):
    message = receive(account, [AttachmentIn("tank.jpg", "image/jpeg", PHOTO)])
    [photo] = message.attachments.all()
    assert (photo.name, photo.content_type, photo.size) == ("tank.jpg", "image/jpeg", len(PHOTO))
    assert photo.storage_name.endswith(photo.sha256)
    assert attachment_read(photo) == PHOTO


def test_a_file_above_amazon_s_10_mb_is_recorded_as_refused_and_the_message_is_kept(account):
    message = receive(account, [AttachmentIn("video.jpg", "image/jpeg", b"x" * (10 * MB + 1))])
    [video] = message.attachments.all()
    assert video.refused and "10,485,760" in video.refused_reason
    assert video.storage_name == "" and video.size == 10 * MB + 1
    assert Message.objects.filter(pk=message.pk).exists()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("setup.exe", "application/x-msdownload"), ("page.html", "text/html"), ("logo.svg", "image/svg+xml")],
)
def test_a_forbidden_type_is_recorded_as_refused_with_its_type(account, name, content_type):
    [file] = receive(account, [AttachmentIn(name, content_type, b"<script>alert(1)</script>")]).attachments.all()
    assert file.refused and content_type in file.refused_reason
    assert not default_storage.exists(f"attachments/{file.sha256[:2]}")


def test_a_generic_type_is_read_from_the_file_name(account):
    [file] = receive(account, [AttachmentIn("receipt.pdf", "application/octet-stream", b"%PDF-1.7")]).attachments.all()
    assert file.content_type == "application/pdf" and not file.refused


def test_a_path_in_the_file_name_is_dropped(account):
    [file] = receive(account, [AttachmentIn("..\\..\\etc/pass\x00wd.txt", "text/plain", b"hi")]).attachments.all()
    assert file.name == "pass_wd.txt"


def test_the_same_bytes_twice_are_stored_once(account):
    receive(account, [AttachmentIn("a.jpg", "image/jpeg", PHOTO)], external_id="m1")
    receive(account, [AttachmentIn("b.jpg", "image/jpeg", PHOTO)], external_id="m2")
    names = set(Attachment.objects.values_list("storage_name", flat=True))
    assert len(names) == 1 and Attachment.objects.count() == 2


def test_a_replayed_message_does_not_store_its_files_twice(account):
    files = [AttachmentIn("a.jpg", "image/jpeg", PHOTO)]
    buyer = BuyerFactory(seller_account=account)
    for _ in range(2):
        inbound_message_receive(
            seller_account=account,
            buyer=buyer,
            body="Photo",
            received_at=timezone.now(),
            external_id="same",
            attachments=files,
            actor="test",
        )
    assert Attachment.objects.count() == 1


@pytest.fixture
def email_ticket(account):
    account.outbound_gateway = "email"
    account.registered_email = "support@brewline.example"
    account.save()
    order = OrderFactory(seller_account=account, buyer__email="x7k2m9@marketplace.amazon.com")
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    MessageFactory(ticket=ticket, external_id="<buyer-1@marketplace.amazon.com>")
    return ticket


GUIDE = AttachmentIn("quick-start.pdf", "application/pdf", b"%PDF-1.7 the guide")


def test_a_reply_s_files_are_kept_on_the_conversation_and_on_the_outbox_row(email_ticket, alice):
    outbound = message_send(
        ticket=email_ticket, body="Here is the guide.", actor=alice, channel="ui", attachments=[GUIDE]
    )
    [file] = outbound.attachments.all()
    assert file.message_id == outbound.message_id and file.name == "quick-start.pdf"


def test_the_email_gateway_sends_the_reply_s_files(smtp_server, email_ticket, alice):
    outbound = message_send(
        ticket=email_ticket, body="Here is the guide.", actor=alice, channel="ui", attachments=[GUIDE]
    )
    assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.SENT
    [received] = smtp_server.messages
    [part] = [p for p in received.walk() if p.get_filename()]
    assert part.get_filename() == "quick-start.pdf" and part.get_content_type() == "application/pdf"
    assert part.get_payload(decode=True) == GUIDE.content


def test_a_retry_sends_the_files_again(smtp_server, email_ticket, alice, settings):
    outbound = message_send(
        ticket=email_ticket, body="Here is the guide.", actor=alice, channel="ui", attachments=[GUIDE]
    )
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nothing listens: the first attempt fails
    assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.FAILED
    settings.EMAIL_PORT = port
    OutboundMessage.objects.filter(pk=outbound.pk).update(next_attempt_at=timezone.now())
    assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.SENT
    [received] = smtp_server.messages
    assert [p.get_filename() for p in received.walk() if p.get_filename()] == ["quick-start.pdf"]


def test_the_guard_reads_the_text_not_the_files(email_ticket, alice):
    review = AttachmentIn("note.txt", "text/plain", b"Please leave us a 5-star review!")
    outbound = message_send(
        ticket=email_ticket, body="Here is the guide.", actor=alice, channel="ui", attachments=[review]
    )
    assert outbound.attachments.count() == 1


@pytest.mark.parametrize(
    "files",
    [
        [AttachmentIn("big.pdf", "application/pdf", b"x" * (10 * MB + 1))],
        [AttachmentIn("run.exe", "application/x-msdownload", b"MZ")],
        [GUIDE] * 6,
    ],
    ids=["too large", "forbidden type", "six files"],
)
def test_a_reply_with_a_file_outside_the_rules_is_refused_and_nothing_is_written(email_ticket, alice, files):
    before = Message.objects.count()
    with pytest.raises(AttachmentRefused):
        message_send(ticket=email_ticket, body="Here it is.", actor=alice, channel="ui", attachments=files)
    assert Message.objects.count() == before
    assert not OutboundMessage.objects.exists() and not Attachment.objects.exists()


def test_a_held_reply_keeps_its_files_and_sends_them_when_approved(email_ticket, alice, manager):
    from tickets.held import held_message_approve
    from tickets.models import ForbiddenPhrase, PhraseAction
    from tickets.outbound.services import MessageHeld

    ForbiddenPhrase.objects.create(
        seller_account=email_ticket.seller_account, phrase="lifetime", action=PhraseAction.HOLD
    )
    with pytest.raises(MessageHeld) as held:
        message_send(ticket=email_ticket, body="A lifetime tank.", actor=alice, channel="ui", attachments=[GUIDE])
    held = held.value.held
    assert list(held.attachments.values_list("name", "message")) == [("quick-start.pdf", None)]
    assert not OutboundMessage.objects.exists()
    held_message_approve(held=held, actor=manager)
    outbound = OutboundMessage.objects.get()
    [sent] = outbound.attachments.all()
    assert (sent.name, sent.message_id, attachment_read(sent)) == (
        "quick-start.pdf",
        outbound.message_id,
        GUIDE.content,
    )
