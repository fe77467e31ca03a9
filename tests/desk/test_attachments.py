"""Files in the workspace: thumbnails and links on the conversation, served only behind the
permission gate (never a public URL) with their own type and nosniff; files on a reply."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import BuyerFactory
from tickets.attachments import AttachmentIn
from tickets.intake.messages import inbound_message_receive
from tickets.models import Attachment, Message, OutboundMessage

pytestmark = pytest.mark.django_db

PHOTO = b"\x89PNG\r\n\x1a\n" + b"pixels" * 50
PDF = b"%PDF-1.7 invoice"


def buyer_sends(account, files, external_id="m1", buyer=None):
    return inbound_message_receive(
        seller_account=account,
        buyer=buyer or BuyerFactory(seller_account=account),
        body="It arrived broken, see the photo.",
        received_at=timezone.now() - timedelta(minutes=5),
        external_id=external_id,
        attachments=files,
        actor="test",
    ).message


@pytest.fixture
def message(account):
    return buyer_sends(
        account,
        [
            AttachmentIn("damage.png", "image/png", PHOTO),
            AttachmentIn("invoice.pdf", "application/pdf", PDF),
            AttachmentIn("clip.exe", "application/x-msdownload", b"MZ"),
        ],
    )


def url(message, name):
    return reverse("desk:attachment", kwargs={"pk": message.attachments.get(name=name).pk})


def test_a_photo_is_shown_inline_with_its_own_type_and_nosniff(alice_client, message):
    response = alice_client.get(url(message, "damage.png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PHOTO


def test_a_pdf_downloads_rather_than_opening_in_the_page(alice_client, message):
    response = alice_client.get(url(message, "invoice.pdf"))
    assert response["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_an_agent_of_another_account_gets_a_404(client, charlie, message):
    client.force_login(charlie)
    assert client.get(url(message, "damage.png")).status_code == 404


def test_nobody_signed_out_gets_a_file(client, message):
    response = client.get(url(message, "damage.png"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_refused_file_has_nothing_to_serve(alice_client, message):
    assert alice_client.get(url(message, "clip.exe")).status_code == 404


def test_the_conversation_shows_a_thumbnail_a_link_and_what_was_refused(alice_client, message):
    html = alice_client.get(reverse("desk:ticket", kwargs={"pk": message.ticket_id})).content.decode()
    assert f'<img src="{url(message, "damage.png")}" alt="damage.png"' in html
    assert f'<a href="{url(message, "invoice.pdf")}" download>invoice.pdf</a>' in html
    assert "clip.exe — not kept: Type application/x-msdownload is not allowed" in html


def test_the_workspace_reads_files_in_the_same_number_of_queries_for_one_or_many(
    alice_client, account, django_assert_max_num_queries
):
    first = buyer_sends(account, [AttachmentIn("a.png", "image/png", PHOTO)])
    page = reverse("desk:ticket", kwargs={"pk": first.ticket_id})
    with CaptureQueriesContext(connection) as one:
        alice_client.get(page)
    baseline = len(one)  # now: the next request clears the connection's query log
    for n in range(10):
        buyer_sends(
            account, [AttachmentIn(f"{n}.png", "image/png", PHOTO)] * 3, external_id=f"x{n}", buyer=first.ticket.buyer
        )
    with django_assert_max_num_queries(baseline):
        alice_client.get(page)


def send(client, ticket, *files, body="Here is the quick-start guide."):
    data = {
        "mode": "reply",
        "body": body,
        "seen_message_id": 10**9,
        "status_after": "pending",
        "attachments": list(files),
    }
    return client.post(reverse("desk:ticket-reply", kwargs={"pk": ticket.pk}), data)


def test_an_agent_attaches_a_file_to_a_reply(alice_client, message):
    response = send(alice_client, message.ticket, SimpleUploadedFile("guide.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    outbound = OutboundMessage.objects.get()
    assert list(outbound.attachments.values_list("name", "size")) == [("guide.pdf", len(PDF))]


def test_a_reply_with_a_forbidden_file_is_a_form_error_and_nothing_is_sent(alice_client, message):
    response = send(alice_client, message.ticket, SimpleUploadedFile("run.exe", b"MZ", "application/x-msdownload"))
    assert response.status_code == 400
    assert "run.exe: Type application/x-msdownload is not allowed" in response.content.decode()
    assert not OutboundMessage.objects.exists()
    assert Message.objects.filter(direction="outbound").count() == 0
    assert Attachment.objects.filter(outbound__isnull=False).count() == 0
