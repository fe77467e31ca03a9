"""The outbound path as managers see it: templates and extra forbidden phrases are
edited here; the outbox and the blocked attempts are records, shown read-only; held
messages are decided here (approve / reject, through ``tickets.held`` like the desk) and
their decisions exported as labelled data.

Messages themselves are only ever created by ``tickets.outbound.services.message_send``
(compliance guard included), never by an admin form.
"""

import json

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import Truncator

from ..access import may_decide_held_messages
from ..held import held_message_approve, held_message_reject, held_messages_labelled
from ..models import Attachment, BlockedMessage, ForbiddenPhrase, HeldMessage, MessageTemplate, OutboundMessage
from ..models.tickets import InvalidTransition
from ..outbound.services import ComplianceRefused, outbound_retry_now
from ..replies import ActionNotAllowed
from .base import date_filter


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: viewable, never added, edited or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    # MessageTemplate.clean runs the compliance guard, so a form save cannot store a
    # template the guard would refuse.
    list_display = ("name", "slug", "purpose", "language", "seller_account", "macro", "is_active", "updated_at")
    list_filter = ("purpose", "language", "is_active", "seller_account")
    search_fields = ("name", "slug")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)
    readonly_fields = ("updated_at",)
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "seller_account",
                    "name",
                    "slug",
                    "purpose",
                    "language",
                    "subject",
                    "body",
                    "is_active",
                    "updated_at",
                )
            },
        ),
        (
            "Macro: what sending a reply from it also does",
            {
                "description": "One action with the reply (tickets.macros): the status follows the reply (a held "
                "reply takes it on approval); the note is never sent to the buyer.",
                "fields": ("sets_status", "sets_priority", "sets_kind", "sets_assignee", "adds_note"),
            },
        ),
    ]

    @admin.display(boolean=True, description="Macro")
    def macro(self, template: MessageTemplate) -> bool:
        return template.is_macro

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sets_assignee":
            # Agents only (people on some seller account), not every login.
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_active=True, seller_accounts__isnull=False).distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ForbiddenPhrase)
class ForbiddenPhraseAdmin(admin.ModelAdmin):
    # action "hold": a match holds the message for a manager's approval instead of refusing it.
    list_display = ("phrase", "action", "reason", "seller_account", "created_at")
    list_filter = ("action", "seller_account")
    search_fields = ("phrase", "reason")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)


class OutboundAttachmentInline(admin.TabularInline):
    """The files an outbox row sends (a reply's, attached by the e-mail gateway; a Messaging
    API message's, uploaded through the Uploads API), read-only."""

    model = Attachment
    fk_name = "outbound"
    fields = ("name", "content_type", "size", "refused_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    inlines = [OutboundAttachmentInline]
    list_display = (
        "created_at",
        "seller_account",
        "buyer",
        "ticket",
        "purpose",
        "gateway",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error",
    )
    list_filter = ("status", "purpose", "gateway", "seller_account", date_filter("created_at"))
    search_fields = ("gateway_message_id__exact", "dedupe_key__exact")
    list_select_related = ("seller_account", "buyer", "ticket")
    show_full_result_count = False  # one row per message sent: grows like Message
    actions = ["retry_now"]

    @admin.display(description="Last error")
    def error(self, obj: OutboundMessage) -> str:
        return Truncator(obj.last_error).chars(80)

    def get_actions(self, request: HttpRequest):
        # The read-only base hides actions; "retry now" is the one thing managers do here.
        actions = super().get_actions(request)
        if not request.user.has_perm("tickets.change_outboundmessage"):
            actions.pop("retry_now", None)
        return actions

    @admin.action(description="Retry now (dead or failed messages)")
    def retry_now(self, request: HttpRequest, queryset) -> None:
        retried = sum(outbound_retry_now(outbound=o, actor=request.user) for o in queryset.select_related("ticket"))
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} message(s) were not dead or failed and were left alone.", messages.WARNING
            )


@admin.register(BlockedMessage)
class BlockedMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "seller_account", "ticket", "purpose", "rules", "channel", "actor_label", "excerpt")
    list_filter = ("purpose", "channel", "seller_account", date_filter("created_at"))
    search_fields = ("=actor_label",)
    list_select_related = ("seller_account", "ticket")

    @admin.display(description="Rules broken")
    def rules(self, obj: BlockedMessage) -> str:
        return ", ".join(sorted({v.get("rule", "?") for v in obj.violations if isinstance(v, dict)}))

    @admin.display(description="Message")
    def excerpt(self, obj: BlockedMessage) -> str:
        return Truncator(obj.body).chars(80)


@admin.register(HeldMessage)
class HeldMessageAdmin(ReadOnlyAdmin):
    """Messages the guard was unsure about. Managers approve (sent once, through the
    outbound path) or reject them with the actions, which call the same services as the
    desk's buttons (audited there); the export gives the decided ones as JSONL."""

    list_display = (
        "created_at",
        "seller_account",
        "ticket",
        "purpose",
        "status",
        "doubted",
        "actor_label",
        "excerpt",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "seller_account", "purpose", date_filter("created_at"))
    search_fields = ("=actor_label",)
    list_select_related = ("seller_account", "ticket", "decided_by")
    raw_id_fields = ("ticket", "buyer", "order", "outbound")
    actions = ["approve", "reject", "export_labelled"]

    @admin.display(description="Doubts")
    def doubted(self, obj: HeldMessage) -> str:
        return ", ".join(sorted({d.get("rule", "?") for d in obj.doubts if isinstance(d, dict)}))

    @admin.display(description="Message")
    def excerpt(self, obj: HeldMessage) -> str:
        return Truncator(obj.body).chars(80)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return may_decide_held_messages(request.user)

    @admin.action(description="Approve and send (held messages)", permissions=["decide"])
    def approve(self, request: HttpRequest, queryset) -> None:
        approved, problems = 0, []
        for held in queryset.select_related("ticket", "buyer", "order"):
            try:
                approved += held_message_approve(held=held, actor=request.user)
            except (ComplianceRefused, ActionNotAllowed, InvalidTransition, PermissionDenied) as exc:
                problems.append(f"#{held.pk}: {exc}")
        self.message_user(request, f"{approved} message(s) approved and queued for delivery.", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, f"Not sent, still held: {problem}", messages.ERROR)

    @admin.action(description="Reject (held messages; nothing is sent)", permissions=["decide"])
    def reject(self, request: HttpRequest, queryset) -> None:
        rejected = 0
        for held in queryset.select_related("ticket"):
            try:
                rejected += held_message_reject(held=held, actor=request.user, reason="Rejected in the admin.")
            except PermissionDenied as exc:
                self.message_user(request, f"#{held.pk}: {exc}", messages.ERROR)
        self.message_user(request, f"{rejected} message(s) rejected; the agents are told on their tickets.")

    @admin.action(description="Export decided ones as labelled data (JSONL)", permissions=["view"])
    def export_labelled(self, request: HttpRequest, queryset) -> HttpResponse:
        lines = (
            json.dumps(line, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
            for line in held_messages_labelled(held_messages=queryset)
        )
        response = HttpResponse("".join(lines), content_type="application/x-ndjson")
        name = f"held-decisions-{timezone.now():%Y%m%d-%H%M}.jsonl"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
