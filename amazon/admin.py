"""The managers' pages for the relay mail channel: mailboxes (with *Test connection*), every
raw e-mail, the quarantine (with *Retry* and a corrected copy) and the mail that was not a
buyer message. Mail is never deleted here: the raw record is what proves nothing was lost."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from tickets.admin.base import AuditedAdminMixin, NumericIdSearchMixin
from tickets.audit import audit_record

from .mail.imap import ImapError
from .mail.services import RetryRefused, mailbox_test_connection, raw_email_replace, raw_email_retry
from .mail.store import raw_read
from .mail.webhooks import SIGNING, webhook_mailbox_prepare, webhook_url
from .models import LOOPBACK_HOSTS, Mailbox, NotBuyerMessage, QuarantinedEmail, RawEmail

# The admin's connection test answers within this, whatever the server does.
TEST_TIMEOUT_SECONDS = 10


class MailboxForm(forms.ModelForm):
    password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored encrypted and never shown again. Leave empty to keep the stored one.",
    )

    webhook_secret = forms.CharField(
        required=False,
        strip=True,
        label="Signing key",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Mailgun: the domain's HTTP webhook signing key (required). Amazon SES, Postmark, SendGrid: leave "
        "empty and the desk makes the basic-auth password of the webhook URL, shown once after saving. Stored "
        "encrypted and never shown again; leave empty to keep the stored one.",
    )

    class Meta:
        model = Mailbox
        fields = (
            "seller_account",
            "kind",
            "provider",
            "host",
            "port",
            "security",
            "username",
            "folder",
            "active",
            "after_import",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Mailbox.Kind.WEBHOOK:
            provider = cleaned.get("provider")
            if not provider:
                self.add_error("provider", "A webhook mailbox needs its provider.")
            has_secret = self.instance.pk and self.instance.webhook_secret_encrypted
            if provider in SIGNING and not cleaned.get("webhook_secret") and not has_secret:
                self.add_error("webhook_secret", "Mailgun's posts are checked with its signing key: enter it.")
            return cleaned
        for name in ("host", "username"):
            if not cleaned.get(name):
                self.add_error(name, "An IMAP mailbox needs this.")
        if not self.instance.pk and not cleaned.get("password"):
            self.add_error("password", "A new mailbox needs its password.")
        host = (cleaned.get("host") or "").strip().lower()
        if cleaned.get("security") == Mailbox.Security.NONE and host and host not in LOOPBACK_HOSTS:
            # The password would cross the network readable.
            self.add_error("security", "Without TLS only a server on this machine (127.0.0.1) may be used.")
        return cleaned


def _test_and_report(request: HttpRequest, mailbox: Mailbox) -> None:
    try:
        text = mailbox_test_connection(mailbox=mailbox, timeout=TEST_TIMEOUT_SECONDS)
    except ImapError as exc:
        messages.error(request, f"{mailbox}: the connection failed: {exc}")
    else:
        messages.success(request, text)


@admin.register(Mailbox)
class MailboxAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MailboxForm
    change_form_template = "admin/amazon/mailbox/change_form.html"
    list_display = (
        "__str__",
        "seller_account",
        "kind",
        "active",
        "after_import",
        "last_success_at",
        "last_error_short",
        "backoff_until",
    )
    list_filter = ("kind", "active", "after_import", "seller_account")
    search_fields = ("username", "host", "seller_account__name")
    list_select_related = ("seller_account",)
    autocomplete_fields = ("seller_account",)
    actions = ("test_connection",)
    readonly_fields = (
        "password_stored",
        "webhook_secret_stored",
        "webhook_endpoint",
        "last_polled_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "consecutive_failures",
        "backoff_until",
        "uidvalidity",
        "last_uid",
        "audit_history",
    )
    fieldsets = (
        (None, {"fields": ("seller_account", "kind", "active")}),
        ("IMAP", {"fields": ("host", "port", "security", "username", "password", "password_stored", "folder")}),
        ("Inbound webhook", {"fields": ("provider", "webhook_secret", "webhook_secret_stored", "webhook_endpoint")}),
        ("After import", {"fields": ("after_import",)}),
        (
            "Polling",
            {
                "fields": (
                    "last_polled_at",
                    "last_success_at",
                    "last_error",
                    "last_error_at",
                    "consecutive_failures",
                    "backoff_until",
                    "uidvalidity",
                    "last_uid",
                )
            },
        ),
        ("History", {"fields": ("audit_history",)}),
    )

    @admin.display(description="Password")
    def password_stored(self, obj: Mailbox) -> str:
        return "stored, encrypted" if obj and obj.password_encrypted else "none"

    @admin.display(description="Signing secret")
    def webhook_secret_stored(self, obj: Mailbox) -> str:
        return "stored, encrypted" if obj and obj.webhook_secret_encrypted else "none"

    @admin.display(description="Webhook path")
    def webhook_endpoint(self, obj: Mailbox) -> str:
        if not obj or not obj.webhook_key:
            return "—"
        return reverse("amazon-mail-inbound", kwargs={"key": obj.webhook_key})

    @admin.display(description="Last error")
    def last_error_short(self, obj: Mailbox) -> str:
        return Truncator(obj.last_error).chars(80) if obj.last_error else "—"

    def save_model(self, request: HttpRequest, obj: Mailbox, form: MailboxForm, change: bool) -> None:
        password = form.cleaned_data.get("password")
        if password:
            obj.password_set(password)
        secret = form.cleaned_data.get("webhook_secret") or ""
        made = ""
        if obj.kind == Mailbox.Kind.WEBHOOK:
            made = webhook_mailbox_prepare(mailbox=obj, secret=secret)
        names = [name for name in form.changed_data if name not in ("password", "webhook_secret")]
        if not change:
            super().save_model(request, obj, form, change)
        else:
            if password or secret or made or obj.kind == Mailbox.Kind.WEBHOOK:
                obj.save(update_fields=["password_encrypted", "webhook_secret_encrypted", "webhook_key"])
            if password or secret or made:
                # That it changed, never what it is (not even encrypted).
                changed = {"password": "changed"} if password else {"webhook_secret": "changed"}
                audit_record(subject=obj, action="mailbox.updated", actor=request.user, changes=changed)
            self.save_audited(request=request, obj=obj, names=names)
        if obj.kind == Mailbox.Kind.WEBHOOK:
            url = webhook_url(mailbox=obj, base_url=request.build_absolute_uri("/"), secret=made)
            if made:
                messages.warning(
                    request,
                    f"Give {obj.get_provider_display()} this webhook URL now: {url} — its password is shown only "
                    "this once (stored encrypted). To get a new one, enter a new secret.",
                )
            else:
                messages.info(request, f"{obj.get_provider_display()} posts to {url}")

    def response_change(self, request: HttpRequest, obj: Mailbox) -> HttpResponse:
        if "_test_connection" in request.POST:
            _test_and_report(request, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request: HttpRequest, obj: Mailbox, post_url_continue=None) -> HttpResponse:
        if "_test_connection" in request.POST:
            _test_and_report(request, obj)
            return HttpResponseRedirect(reverse("admin:amazon_mailbox_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Test connection")
    def test_connection(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for mailbox in queryset[:20]:
            _test_and_report(request, mailbox)


class RawEmailAdmin(NumericIdSearchMixin, admin.ModelAdmin):
    """Every mail fetched, as stored: read-only, never deleted."""

    list_display = (
        "fetched_at",
        "received_at",
        "seller_account",
        "subject_short",
        "relay_address",
        "amazon_order_id",
        "state",
        "ticket_link",
    )
    list_filter = ("state", "important", "seller_account")
    search_fields = ("=message_id", "=amazon_order_id", "=relay_address", "=comm_mgr_token")
    list_select_related = ("seller_account", "buyer_message")
    show_full_result_count = False
    readonly_fields = (
        "seller_account",
        "mailbox",
        "state",
        "error",
        "ticket_link",
        "raw_link",
        "message_id",
        "uidvalidity",
        "uid",
        "size",
        "complete",
        "sha256",
        "received_at",
        "fetched_at",
        "processed_at",
        "attempts",
        "subject",
        "relay_address",
        "buyer_name",
        "amazon_order_id",
        "asins",
        "marketplace",
        "important",
        "comm_mgr_token",
        "no_response_url",
        "notice_kinds",
        "notice_outcome",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name="{}_{}_raw".format(*info)),
            *super().get_urls(),
        ]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The stored bytes as a download (never rendered: it is the sender's content)."""
        if not self.has_view_permission(request):
            raise Http404
        raw = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            content = raw_read(raw.storage_name, limit=settings.MAIL_MAX_MESSAGE_BYTES)
        except OSError:
            raise Http404("The stored mail is missing from the storage.") from None
        response = FileResponse(iter([content]), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="raw-email-{raw.pk}.eml"'
        return response

    @admin.display(description="Subject")
    def subject_short(self, obj: RawEmail) -> str:
        return Truncator(obj.subject).chars(70) or "—"

    @admin.display(description="Ticket")
    def ticket_link(self, obj: RawEmail) -> str:
        if obj.buyer_message is None:
            return "—"
        ticket_id = obj.buyer_message.ticket_id
        return format_html('<a href="{}">#{}</a>', reverse("admin:tickets_ticket_change", args=[ticket_id]), ticket_id)

    @admin.display(description="Stored mail")
    def raw_link(self, obj: RawEmail) -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_raw", args=[obj.pk])
        return format_html('<a href="{}">Download the .eml ({} bytes)</a>', url, obj.size)


admin.site.register(RawEmail, RawEmailAdmin)


class CorrectedMailForm(forms.ModelForm):
    corrected_mail = forms.FileField(
        required=False,
        help_text="A corrected copy of this mail (.eml). Saving replaces the stored copy (the first one is "
        "kept) and retries it.",
    )

    class Meta:
        model = QuarantinedEmail
        fields = ()


@admin.register(QuarantinedEmail)
class QuarantinedEmailAdmin(RawEmailAdmin):
    """Mail that could not be read: the error, the stored mail, Retry."""

    form = CorrectedMailForm
    list_display = ("fetched_at", "seller_account", "subject_short", "error_short", "complete", "attempts")
    list_filter = ("seller_account",)
    actions = ("retry",)
    fields = ("corrected_mail", *RawEmailAdmin.readonly_fields)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).filter(state=RawEmail.State.QUARANTINED)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("amazon.change_quarantinedemail")

    @admin.display(description="Error")
    def error_short(self, obj: RawEmail) -> str:
        return Truncator(obj.error).chars(100)

    def save_model(self, request: HttpRequest, obj: RawEmail, form: CorrectedMailForm, change: bool) -> None:
        upload = form.cleaned_data.get("corrected_mail")
        if not upload:
            return
        try:
            raw_email_replace(
                raw_email=obj, content=upload.read(settings.MAIL_MAX_MESSAGE_BYTES + 1), actor=request.user
            )
            raw_email_retry(raw_email=obj, actor=request.user)
        except RetryRefused as exc:
            messages.error(request, str(exc))
            return
        obj.refresh_from_db()
        messages.info(request, f"Retried: {obj.get_state_display()}.")

    @admin.action(description="Retry the selected mail")
    def retry(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        done = 0
        for raw in queryset:
            try:
                raw_email_retry(raw_email=raw, actor=request.user)
                done += 1
            except RetryRefused as exc:
                messages.warning(request, f"#{raw.pk}: {exc}")
        if done:
            messages.success(request, f"{done} mail(s) queued to be read again.")


@admin.register(NotBuyerMessage)
class NotBuyerMessageAdmin(RawEmailAdmin):
    """Auto-replies, bounces and mail that did not come through the relay: kept, never on a
    clock, with the reason."""

    list_display = ("fetched_at", "seller_account", "subject_short", "error_short")
    list_filter = ("seller_account",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).filter(state=RawEmail.State.NOT_BUYER_MESSAGE)

    @admin.display(description="Why")
    def error_short(self, obj: RawEmail) -> str:
        return Truncator(obj.error).chars(100)
