"""The automation around tickets as managers see it: SLA policies are edited here; order
events, SLA transitions, proactive guides and notifications are records, read-only."""

from django.contrib import admin

from ..models import Notification, OrderEvent, ProactiveGuide, SellerAccount, SlaEvent, SlaPolicy
from ..sla.clock import sla_at_risk_refresh
from .base import ReadOnlyInline, date_filter
from .outbound import ReadOnlyAdmin


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("type", "occurred_at", "source", "carrier", "tracking_number", "event_id")
    show_change_link = False
    verbose_name_plural = "order events (API, admin, sync, amazon_promise = estimated)"


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "order", "type", "source", "carrier", "tracking_number", "event_id")
    list_filter = ("type", "source", date_filter("occurred_at"))
    search_fields = ("order__amazon_order_id__exact", "event_id__exact")
    list_select_related = ("order",)
    show_full_result_count = False  # grows with the orders


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("seller_account", "ticket_kind", "response_hours", "at_risk_hours")
    list_filter = ("seller_account", "ticket_kind")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)

    # A policy's warning moves the at-risk moment of its account's running clocks.
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        accounts = {obj.seller_account_id, form.initial.get("seller_account")} - {None}
        for account in SellerAccount.objects.filter(pk__in=accounts):
            sla_at_risk_refresh(seller_account=account)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        sla_at_risk_refresh(seller_account=obj.seller_account)

    def delete_queryset(self, request, queryset) -> None:
        accounts = list(SellerAccount.objects.filter(sla_policies__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for account in accounts:
            sla_at_risk_refresh(seller_account=account)


@admin.register(SlaEvent)
class SlaEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "ticket", "kind", "due_at")
    list_filter = ("kind", date_filter("occurred_at"))
    raw_id_fields = ("ticket",)
    list_select_related = ("ticket",)
    show_full_result_count = False


@admin.register(ProactiveGuide)
class ProactiveGuideAdmin(ReadOnlyAdmin):
    list_display = ("order", "status", "send_after", "skip_reason", "outbound", "updated_at")
    list_filter = ("status", date_filter("send_after"))
    search_fields = ("order__amazon_order_id__exact",)
    raw_id_fields = ("order", "outbound")
    list_select_related = ("order", "outbound", "outbound__buyer")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "text", "ticket", "read_at")
    list_filter = ("kind", date_filter("created_at"))
    raw_id_fields = ("recipient", "ticket")
    list_select_related = ("recipient", "ticket")
    show_full_result_count = False
