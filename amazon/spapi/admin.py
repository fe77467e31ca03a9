"""The managers' page for SP-API connections: *Connect to Amazon* per seller account, each
connection's status, high-water mark, last error and orders synced, *Sync now*. A connection
is made only through Amazon's consent (never typed in), and its token is never shown."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from tickets.access import seller_accounts_visible_to
from tickets.admin.base import AuditedAdminMixin

from . import views
from .models import ReportRun, SpApiConnection
from .tasks import sync_connection


@admin.register(SpApiConnection)
class SpApiConnectionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/amazon/spapiconnection/change_list.html"
    change_form_template = "admin/amazon/spapiconnection/change_form.html"
    list_display = (
        "seller_account",
        "selling_partner_id",
        "status",
        "last_sync_at",
        "orders_updated_after",
        "orders_synced",
        "last_error_short",
    )
    list_filter = ("status", "region")
    search_fields = ("seller_account__name", "=selling_partner_id")
    list_select_related = ("seller_account",)
    actions = ("sync_now",)
    readonly_fields = (
        "seller_account",
        "selling_partner_id",
        "region",
        "endpoint",
        "marketplace_ids",
        "token_stored",
        "status",
        "connected_at",
        "connected_by",
        "backfilled_at",
        "feedback_synced_on",
        "feedback_orders_missing",
        "health_synced_on",
        "orders_updated_after",
        "orders_synced",
        "last_sync_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "backoff_until",
        "audit_history",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only through Amazon's consent: *Connect to Amazon*

    @admin.display(description="Refresh token")
    def token_stored(self, obj: SpApiConnection) -> str:
        return "stored, encrypted" if obj.refresh_token_encrypted else "none"

    @admin.display(description="Last error")
    def last_error_short(self, obj: SpApiConnection) -> str:
        return Truncator(obj.last_error).chars(80) if obj.last_error else "—"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("connect/", wrap(self.connect_view), name="amazon_spapiconnection_connect"),
            path("connect/<int:account_id>/", wrap(views.connect), name="amazon_spapiconnection_connect_account"),
            *super().get_urls(),
        ]

    def connect_view(self, request: HttpRequest) -> HttpResponse:
        """The seller accounts, each with *Connect to Amazon* (or *Connect again*) and its status."""
        views._manager(request)
        accounts = (
            seller_accounts_visible_to(request.user)
            .annotate(connected=Exists(SpApiConnection.objects.filter(seller_account=OuterRef("pk"))))
            .select_related("spapi_connection")
            .order_by("name")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Connect a seller account to Amazon",
            "accounts": accounts,
        }
        return views.consent_allowed(TemplateResponse(request, "admin/amazon/spapiconnection/connect.html", context))

    def response_change(self, request: HttpRequest, obj: SpApiConnection) -> HttpResponse:
        if "_sync_now" in request.POST:
            self.sync_now(request, SpApiConnection.objects.filter(pk=obj.pk))
            return HttpResponseRedirect(reverse("admin:amazon_spapiconnection_change", args=[obj.pk]))
        return super().response_change(request, obj)

    @admin.action(description="Sync orders now")
    def sync_now(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        connected = queryset.filter(status=SpApiConnection.Status.CONNECTED)
        try:
            for connection_id in connected.values_list("pk", flat=True)[:50]:
                sync_connection.delay(connection_id)
        except (KombuError, RedisError, OSError):
            # The task queue (Redis) is down: say so; the beat syncs every account once it is back.
            messages.error(request, "The task queue does not answer: the sync was not queued. Try again later.")
            return
        stopped = queryset.exclude(status=SpApiConnection.Status.CONNECTED).count()
        if stopped:
            messages.warning(request, f"{stopped} connection(s) are not connected: connect them to Amazon again.")
        messages.info(request, f"{connected.count()} sync(s) queued.")


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """What the desk asked Amazon's Reports API for, read-only (the sync writes these rows)."""

    list_display = ("report_type", "connection", "report_id", "status", "requested_at", "rows_done", "processed_at")
    list_filter = ("status", "report_type")
    search_fields = ("=report_id", "connection__seller_account__name")
    list_select_related = ("connection__seller_account",)
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .filter(connection__seller_account__in=seller_accounts_visible_to(request.user))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
