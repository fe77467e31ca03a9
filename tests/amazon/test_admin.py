"""The managers' pages of the relay mail channel: a mailbox is added with its password
(stored encrypted, never shown again), tested against a real IMAP server, and the
quarantine and the "not a buyer message" list show what could not be filed, with Retry."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amazon.mail.imap import FetchedMail
from amazon.mail.services import raw_email_import, raw_email_store
from amazon.models import Mailbox, NotBuyerMessage, QuarantinedEmail, RawEmail, ReviewRequest, SpApiConnection
from amazon.spapi.models import ReportRun
from tests.amazon.mails import crlf, relay_mail
from tests.factories import OrderFactory, SellerAccountFactory
from tickets.models import AuditEvent

pytestmark = pytest.mark.django_db

BROKEN = crlf(
    b'From: "Emily R. - Amazon Marketplace" <7xq2m4k9zt1v8bn+Q1@marketplace.amazon.com>\n'
    b"Subject: Inquiry (Order: 113-4820193-5531207)\nMessage-ID: <broken@ses>\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="a"\n\n--b\nContent-Type: text/plain\n\n'
    b"------------- Begin message -------------\nThe tank leaks.\n------------- End message -------------\n--b--\n"
)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:amazon_{model._meta.model_name}_{view}", args=args)


def stored(account, content: bytes, uid: int = 1) -> RawEmail:
    box, _ = Mailbox.objects.get_or_create(seller_account=account, host="imap.example.com", username="support")
    fetched = FetchedMail(uid=uid, content=content, size=len(content), complete=True, internal_date=None)
    raw = raw_email_store(mailbox=box, uidvalidity=1, fetched=fetched)
    return raw_email_import(raw_email_id=raw.pk)


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def mailbox_form(imap_server, account, **extra) -> dict:
    return {
        "seller_account": account.pk,
        "host": imap_server.host,
        "port": imap_server.port,
        "security": "none",
        "username": imap_server.user,
        "password": imap_server.password,
        "folder": "INBOX",
        "active": "on",
        "after_import": "keep",
        **extra,
    }


def test_a_manager_adds_a_mailbox_and_tests_the_connection(signed_in, imap_server, account):
    form = mailbox_form(imap_server, account, _test_connection="1")
    response = signed_in.post(url(Mailbox, "add"), form, follow=True)
    assert "Connected to" in response.content.decode()
    assert Mailbox.objects.get().password() == imap_server.password


def test_the_password_is_never_shown_again(signed_in, imap_server, account):
    signed_in.post(url(Mailbox, "add"), mailbox_form(imap_server, account))
    page = signed_in.get(url(Mailbox, "change", Mailbox.objects.get().pk)).content.decode()
    assert imap_server.password not in page and "stored, encrypted" in page


def test_a_new_mailbox_needs_a_password(signed_in, imap_server, account):
    response = signed_in.post(url(Mailbox, "add"), mailbox_form(imap_server, account, password=""))
    assert response.status_code == 200 and not Mailbox.objects.exists()


def test_saving_without_a_password_keeps_the_stored_one(signed_in, imap_server, account):
    signed_in.post(url(Mailbox, "add"), mailbox_form(imap_server, account))
    mailbox = Mailbox.objects.get()
    signed_in.post(url(Mailbox, "change", mailbox.pk), mailbox_form(imap_server, account, password="", folder="Amazon"))
    mailbox.refresh_from_db()
    assert (mailbox.folder, mailbox.password()) == ("Amazon", imap_server.password)


def test_a_password_change_is_audited_without_the_password(signed_in, imap_server, account):
    signed_in.post(url(Mailbox, "add"), mailbox_form(imap_server, account))
    mailbox = Mailbox.objects.get()
    signed_in.post(url(Mailbox, "change", mailbox.pk), mailbox_form(imap_server, account, password="new-pass-1"))
    changes = [event.changes for event in AuditEvent.objects.filter(action="mailbox.updated")]
    assert changes == [{"password": "changed"}] and "new-pass-1" not in str(AuditEvent.objects.values_list())


def test_a_failed_connection_test_says_why_without_the_password(signed_in, imap_server, account):
    mailbox = Mailbox(seller_account=account, host=imap_server.host, port=imap_server.port, security="none")
    mailbox.username = imap_server.user
    mailbox.password_set("wrong-password-123")
    mailbox.save()
    response = signed_in.post(
        url(Mailbox, "changelist"), {"action": "test_connection", "_selected_action": [mailbox.pk]}, follow=True
    )
    page = response.content.decode()
    assert "the connection failed" in page and "wrong-password-123" not in page


def test_the_quarantine_lists_the_error_and_retry_after_a_corrected_copy_files_it(
    signed_in, account, django_capture_on_commit_callbacks
):
    raw = stored(account, BROKEN)
    assert "MIME structure is broken" in signed_in.get(url(QuarantinedEmail, "changelist")).content.decode()
    fixed = BROKEN.replace(b'boundary="a"', b'boundary="b"')
    upload = BytesIO(fixed)
    upload.name = "fixed.eml"
    page = signed_in.get(url(QuarantinedEmail, "change", raw.pk))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url(QuarantinedEmail, "change", raw.pk), {"corrected_mail": upload})
    raw.refresh_from_db()
    assert raw.state == RawEmail.State.PROCESSED and raw.buyer_message.body == "The tank leaks."


def test_the_retry_action_reads_quarantined_mail_again(signed_in, account, django_capture_on_commit_callbacks):
    raw = stored(account, BROKEN)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url(QuarantinedEmail, "changelist"), {"action": "retry", "_selected_action": [raw.pk]})
    raw.refresh_from_db()
    # Still broken (nothing was fixed), still kept, tried twice.
    assert (raw.state, raw.attempts) == (RawEmail.State.QUARANTINED, 2)


def test_an_auto_reply_is_in_the_not_a_buyer_message_list(signed_in, account):
    stored(account, relay_mail(message_id="<ooo@ses>", headers={"Auto-Submitted": "auto-replied"}))
    page = signed_in.get(url(NotBuyerMessage, "changelist")).content.decode()
    assert "Auto-Submitted" in page


def test_the_stored_mail_downloads_as_an_attachment(signed_in, account):
    raw = stored(account, relay_mail(message_id="<m1@ses>"))
    response = signed_in.get(url(RawEmail, "raw", raw.pk))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == relay_mail(message_id="<m1@ses>")


def test_raw_mail_is_never_deleted_in_the_admin(signed_in, account):
    raw = stored(account, relay_mail(message_id="<m1@ses>"))
    assert signed_in.get(url(RawEmail, "delete", raw.pk)).status_code == 403


@pytest.mark.parametrize("model", [RawEmail, QuarantinedEmail, NotBuyerMessage, Mailbox], ids=lambda m: m.__name__)
def test_a_list_costs_the_same_queries_for_3_or_30_rows(signed_in, model):
    account = SellerAccountFactory()

    def rows(start: int, n: int) -> None:
        for i in range(start, start + n):
            Mailbox.objects.create(seller_account=account, host=f"h{i}.example.com", username="u")
            stored(account, relay_mail(message_id=f"<m{i}@ses>"), uid=i)
            stored(account, BROKEN.replace(b"<broken@ses>", f"<b{i}@ses>".encode()), uid=1000 + i)
            stored(account, relay_mail(message_id=f"<o{i}@ses>", headers={"X-Autoreply": "yes"}), uid=2000 + i)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url(model, "changelist")).status_code == 200
        return len(queries.captured_queries)

    rows(0, 3)
    count()
    with_3 = count()
    rows(3, 27)
    assert count() == with_3


SAMPLES = {
    Mailbox: lambda account: Mailbox.objects.create(seller_account=account, host="imap.example.com", username="u"),
    RawEmail: lambda account: stored(account, relay_mail(message_id="<m1@ses>")),
    QuarantinedEmail: lambda account: stored(account, BROKEN),
    NotBuyerMessage: lambda account: stored(account, relay_mail(message_id="<o@ses>", headers={"X-Autoreply": "1"})),
    SpApiConnection: lambda account: SpApiConnection.objects.create(
        seller_account=account, selling_partner_id="A1", region="NA", endpoint="http://127.0.0.1:8100"
    ),
    ReviewRequest: lambda account: review_request_sample(account),
    ReportRun: lambda account: ReportRun.objects.create(
        connection=SpApiConnection.objects.create(
            seller_account=account, selling_partner_id="A1", region="NA", endpoint="http://127.0.0.1:8100"
        ),
        report_type="GET_SELLER_FEEDBACK_DATA",
        report_id="50012345678",
    ),
}


def review_request_sample(account):
    order = OrderFactory(seller_account=account, delivered_at=timezone.now())
    return ReviewRequest.objects.create(
        seller_account=account,
        order=order,
        fulfillment_channel=order.fulfillment_channel,
        delivered_at=order.delivered_at,
        due_at=order.delivered_at,
    )


def test_every_registered_model_of_the_app_has_a_sample():
    from django.contrib import admin

    assert {m for m in admin.site._registry if m._meta.app_label == "amazon"} == set(SAMPLES)


@pytest.mark.parametrize("model", SAMPLES, ids=lambda m: m.__name__)
def test_a_manager_opens_each_change_page(signed_in, account, model):
    obj = SAMPLES[model](account)
    assert signed_in.get(url(model, "change", obj.pk)).status_code == 200


def test_plain_text_sign_in_is_refused_for_a_server_on_another_machine(signed_in, imap_server, account):
    response = signed_in.post(url(Mailbox, "add"), mailbox_form(imap_server, account, host="imap.example.com"))
    assert "Without TLS" in response.content.decode() and not Mailbox.objects.exists()
