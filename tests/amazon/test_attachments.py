"""Buyers' photos in relayed mail: kept with the message through the one intake, within
Amazon's limits; a file outside them is recorded as refused and the message still arrives."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.amazon.mails import relay_mail
from tests.amazon.test_services import make_mailbox, receive
from tickets.attachments import attachment_read
from tickets.models import Message

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def _after_the_mail():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=False):
        yield


@pytest.fixture
def mailbox(account):
    return make_mailbox(account)


def test_a_buyer_s_photo_is_kept_with_the_message(mailbox):
    receive(mailbox, relay_mail(message_id="<p1@amazonses.example>", files=[("tank.jpg", "image/jpeg", PHOTO)]))
    [photo] = Message.objects.get().attachments.all()
    assert (photo.name, photo.content_type, photo.size) == ("tank.jpg", "image/jpeg", len(PHOTO))
    assert attachment_read(photo) == PHOTO


def test_a_file_above_10_mb_is_refused_and_the_message_arrives(mailbox):
    big = b"\0" * (10 * 1024 * 1024 + 10)
    receive(mailbox, relay_mail(message_id="<p2@amazonses.example>", files=[("video.jpg", "image/jpeg", big)]))
    message = Message.objects.get()
    [video] = message.attachments.all()
    assert video.refused and "Too large" in video.refused_reason
    assert "water tank" in message.body


def test_an_executable_is_refused_and_the_photo_beside_it_kept(mailbox):
    files = [("invoice.exe", "application/x-msdownload", b"MZ\x90"), ("tank.jpg", "image/jpeg", PHOTO)]
    receive(mailbox, relay_mail(message_id="<p3@amazonses.example>", files=files))
    kept = dict(Message.objects.get().attachments.values_list("name", "refused_reason"))
    assert kept["tank.jpg"] == "" and "not allowed" in kept["invoice.exe"]


def test_a_mail_with_only_a_photo_says_so_and_keeps_the_photo(mailbox):
    content = relay_mail(message_id="<p4@amazonses.example>", text="", files=[("tank.jpg", "image/jpeg", PHOTO)])
    receive(mailbox, content)
    message = Message.objects.get()
    assert message.attachments.get().name == "tank.jpg"
