"""The outbound path as managers see it: templates and extra forbidden phrases are
edited here; the outbox and the blocked attempts are records, shown read-only.

Messages themselves are only ever created by ``tickets.outbound.services.message_send``
(compliance guard included), never by an admin form.
"""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.text import Truncator

from ..models import BlockedMessage, ForbiddenPhrase, MessageTemplate, OutboundMessage
from ..outbound.services import outbound_retry_now
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
    list_display = ("name", "slug", "purpose", "seller_account", "is_active", "updated_at")
    list_filter = ("purpose", "is_active", "seller_account")
    search_fields = ("name", "slug")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)
    readonly_fields = ("updated_at",)


@admin.register(ForbiddenPhrase)
class ForbiddenPhraseAdmin(admin.ModelAdmin):
    list_display = ("phrase", "reason", "seller_account", "created_at")
    list_filter = ("seller_account",)
    search_fields = ("phrase", "reason")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
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
