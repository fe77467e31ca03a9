"""Relay mail posted by a provider to a mailbox's inbound webhook, in each provider's own
payload shape as django-anymail's tests post them (Amazon SES through SNS, Mailgun's
forward() route, Postmark's inbound JSON, SendGrid's Inbound Parse), read by anymail and
then by the same intake as IMAP mail. A post that fails its proof stores nothing."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from amazon.mail.imap import FetchedMail
from amazon.mail.services import mailbox_poll, raw_email_store
from amazon.mail.webhooks import webhook_mailbox_prepare
from amazon.models import Mailbox, RawEmail
from tests.amazon.mails import relay_mail
from tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
MAIL = relay_mail(message_id="<w1@amazonses.example>", files=[("tank.jpg", "image/jpeg", PHOTO)])
SIGNING_KEY = "key-mailgun-signing-0123456789"


@pytest.fixture(autouse=True)
def _after_the_mail():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=False):
        yield


def webhook_mailbox(account, provider: str, secret: str = "") -> tuple[Mailbox, str]:
    box = Mailbox(seller_account=account, kind=Mailbox.Kind.WEBHOOK, provider=provider)
    made = webhook_mailbox_prepare(mailbox=box, secret=secret)
    box.save()
    return box, secret or made


def basic(secret: str) -> str:
    return "Basic " + base64.b64encode(f"csmdesk:{secret}".encode()).decode()


def url(box: Mailbox) -> str:
    return f"/amazon/mail/inbound/{box.webhook_key}/"


# --- Each provider's payload, shaped as anymail's own tests post it ------------------------------


def post_ses(client, box, secret, content=MAIL):
    ses_event = {
        "notificationType": "Received",
        "mail": {
            "timestamp": "2026-11-03T14:22:32.636Z",
            "source": "0100018f@marketplace.amazon.com",
            "messageId": "jili9m351il3gkburn7o2f0u6788stij94c8ld01",
            "destination": ["support@brewline.example"],
        },
        "receipt": {
            "recipients": ["support@brewline.example"],
            "spamVerdict": {"status": "PASS"},
            "action": {
                "type": "SNS",
                "topicArn": "arn:aws:sns:us-east-1:111111111111:SES_Inbound",
                "encoding": "BASE64",
            },
        },
        "content": base64.b64encode(content).decode("ascii"),
    }
    sns = {
        "Type": "Notification",
        "MessageId": "8f6dee70-c885-558a-be7d-bd48bbf5335e",
        "TopicArn": "arn:aws:sns:us-east-1:111111111111:SES_Inbound",
        "Subject": "Amazon SES Email Receipt Notification",
        "Message": json.dumps(ses_event),
        "Timestamp": "2026-11-03T14:22:33.516Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLE_SIGNATURE==",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-12345abcde.pem",
    }
    headers = {"x-amz-sns-message-type": "Notification", "x-amz-sns-message-id": sns["MessageId"]}
    if secret is not None:
        headers["Authorization"] = basic(secret)
    return client.post(url(box), json.dumps(sns), content_type="text/plain; charset=UTF-8", headers=headers)


def post_mailgun(client, box, key, content=MAIL):
    timestamp, token = "1793716952", "06c96bafc3f42a66b9edd546347a2fe18dc23461fe80dc52f0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    data = {
        "recipient": "support@brewline.example",
        "sender": "7xq2m4k9zt1v8bn+a1gh7tq2zx9k3l@marketplace.amazon.com",
        "subject": "Inquiry from Amazon customer Emily R. (Order: 113-4820193-5531207)",
        "body-mime": content.decode("utf-8"),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }
    return client.post(url(box) + "mime", data)


def post_postmark(client, box, secret, content=MAIL):
    mail = message_from_bytes(content, policy=policy.default)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    event = {
        "FromFull": {
            "Email": "7xq2m4k9zt1v8bn+A1GH7TQ2ZX9K3L@marketplace.amazon.com",
            "Name": "Emily R. - Amazon Marketplace",
        },
        "ToFull": [{"Email": "support@brewline.example", "Name": "", "MailboxHash": ""}],
        "OriginalRecipient": "support@brewline.example",
        "Subject": str(mail["Subject"]),
        "MessageID": "22c74902-a0c1-4511-804f2-341342852c90",
        "Date": str(mail["Date"]),
        "TextBody": text,
        "HtmlBody": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<0100018f@marketplace.amazon.com>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "MIME-Version", "Value": "1.0"},
            {"Name": "Message-ID", "Value": str(mail["Message-ID"])},
        ],
        "Attachments": [
            {
                "Name": part.get_filename(),
                "Content": base64.b64encode(part.get_content()).decode("ascii"),
                "ContentType": part.get_content_type(),
                "ContentLength": len(part.get_content()),
            }
            for part in mail.iter_attachments()
        ],
    }
    headers = {"Authorization": basic(secret)} if secret is not None else {}
    return client.post(url(box), json.dumps(event), content_type="application/json", headers=headers)


def post_sendgrid(client, box, secret, content=MAIL):
    """Inbound Parse's default (parsed) fields, the photo as an uploaded file."""
    mail = message_from_bytes(content, policy=policy.default)
    header_block = "".join(f"{k}: {v}\n" for k, v in mail.items() if k.lower() not in ("content-type", "mime-version"))
    photo = next(mail.iter_attachments())
    data = {
        "headers": header_block,
        "text": mail.get_body(preferencelist=("plain",)).get_content(),
        "from": str(mail["From"]),
        "to": "support@brewline.example",
        "subject": str(mail["Subject"]),
        "envelope": json.dumps({"to": ["support@brewline.example"], "from": "0100018f@marketplace.amazon.com"}),
        "charsets": json.dumps({"to": "UTF-8", "subject": "UTF-8", "from": "UTF-8", "text": "utf-8"}),
        "SPF": "pass",
        "attachments": "1",
        "attachment-info": json.dumps(
            {"attachment1": {"filename": "tank.jpg", "name": "tank.jpg", "type": "image/jpeg"}}
        ),
        "attachment1": SimpleUploadedFile("tank.jpg", photo.get_content(), "image/jpeg"),
    }
    headers = {"Authorization": basic(secret)} if secret is not None else {}
    return client.post(url(box), data, headers=headers)


POSTS = {"amazon_ses": post_ses, "mailgun": post_mailgun, "postmark": post_postmark, "sendgrid": post_sendgrid}


@pytest.fixture(params=sorted(POSTS))
def provider(request):
    return request.param


@pytest.fixture
def box(account, provider):
    return webhook_mailbox(account, provider, SIGNING_KEY if provider == "mailgun" else "")


def test_a_posted_relay_mail_is_a_buyer_message_with_its_photo_in_the_queue(
    client, box, provider, django_capture_on_commit_callbacks
):
    mailbox, secret = box
    with django_capture_on_commit_callbacks(execute=True):
        response = POSTS[provider](client, mailbox, secret)
    assert response.status_code == 200, response.content
    raw = RawEmail.objects.get()
    assert (raw.mailbox, raw.message_id, raw.state) == (mailbox, "<w1@amazonses.example>", "processed")
    message = Message.objects.get()
    assert "water tank" in message.body and message.created_at == RECEIVED
    assert message.ticket.order_id is None or message.ticket.seller_account == mailbox.seller_account
    [photo] = message.attachments.all()
    assert (photo.name, photo.size, photo.refused) == ("tank.jpg", len(PHOTO), False)


def test_a_post_that_fails_its_proof_is_refused_and_nothing_is_stored(client, box, provider, tmp_path):
    mailbox, _ = box
    response = POSTS[provider](client, mailbox, "not-the-secret")
    assert response.status_code == 403
    assert not RawEmail.objects.exists() and not Message.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.eml"))


@pytest.mark.parametrize("provider", ["amazon_ses", "postmark", "sendgrid"])
def test_a_post_without_credentials_is_challenged_as_sns_expects(client, box, provider):
    mailbox, _ = box
    response = POSTS[provider](client, mailbox, None)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Basic")
    assert not RawEmail.objects.exists()


def test_an_unknown_or_inactive_webhook_is_a_404(client, account):
    mailbox, secret = webhook_mailbox(account, "postmark")
    assert post_postmark(client, Mailbox(webhook_key="nope"), secret).status_code == 404
    Mailbox.objects.filter(pk=mailbox.pk).update(active=False)
    assert post_postmark(client, mailbox, secret).status_code == 404


def test_a_tracking_event_posted_to_the_inbound_webhook_is_a_400(client, account):
    mailbox, secret = webhook_mailbox(account, "postmark")
    response = client.post(
        url(mailbox),
        json.dumps({"RecordType": "Delivery"}),
        content_type="application/json",
        headers={"Authorization": basic(secret)},
    )
    assert response.status_code == 400 and not RawEmail.objects.exists()


def test_the_same_mail_through_imap_and_a_webhook_is_one_message(client, account, django_capture_on_commit_callbacks):
    imap = Mailbox(seller_account=account, host="imap.example.com", username="support")
    imap.password_set("secret")
    imap.save()
    webhook, secret = webhook_mailbox(account, "amazon_ses")
    with django_capture_on_commit_callbacks(execute=True):
        raw_email_store(
            mailbox=imap,
            uidvalidity=7,
            fetched=FetchedMail(uid=1, content=MAIL, size=len(MAIL), complete=True, internal_date=None),
        )
        assert post_ses(client, webhook, secret).status_code == 200
    assert RawEmail.objects.count() == 1 and Message.objects.count() == 1 and Ticket.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_the_same_post_twice_is_one_message(client, account, django_capture_on_commit_callbacks):
    mailbox, _ = webhook_mailbox(account, "mailgun", SIGNING_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_mailgun(client, mailbox, SIGNING_KEY).status_code == 200
        assert post_mailgun(client, mailbox, SIGNING_KEY).status_code == 200
    assert RawEmail.objects.count() == 1 and Message.objects.count() == 1


def test_the_secret_is_stored_encrypted_and_rotated_with_the_key_ring(account, settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MAILBOX_SECRET_KEYS = [old]
    mailbox, _ = webhook_mailbox(account, "mailgun", SIGNING_KEY)
    assert SIGNING_KEY not in mailbox.webhook_secret_encrypted
    settings.MAILBOX_SECRET_KEYS = [new, old]
    call_command("mailbox_secrets_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.MAILBOX_SECRET_KEYS = [new]
    mailbox.refresh_from_db()
    assert mailbox.webhook_secret() == SIGNING_KEY


def test_the_poll_leaves_webhook_mailboxes_alone(account):
    mailbox, _ = webhook_mailbox(account, "postmark")
    assert mailbox_poll(mailbox_id=mailbox.pk).claimed is False


def test_sns_asking_to_confirm_the_subscription_shows_the_link_on_the_mailbox(client, account):
    mailbox, secret = webhook_mailbox(account, "amazon_ses")
    sns = {
        "Type": "SubscriptionConfirmation",
        "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "Token": "2336412f37f",
        "TopicArn": "arn:aws:sns:us-east-1:111111111111:SES_Inbound",
        "Message": "You have chosen to subscribe to the topic arn:aws:sns:us-east-1:111111111111:SES_Inbound.",
        "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37f",
    }
    headers = {
        "x-amz-sns-message-type": "SubscriptionConfirmation",
        "x-amz-sns-message-id": sns["MessageId"],
        "Authorization": basic(secret),
    }
    response = client.post(url(mailbox), json.dumps(sns), content_type="text/plain; charset=UTF-8", headers=headers)
    assert response.status_code == 200 and not RawEmail.objects.exists()
    mailbox.refresh_from_db()
    assert sns["SubscribeURL"] in mailbox.last_error
