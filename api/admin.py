"""Managers create and revoke API keys and webhook subscriptions here, and read the
webhook delivery log (read-only, with "retry now")."""

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from .models import ApiKey, WebhookDelivery, WebhookSubscription
from .webhooks import webhook_retry_now


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scope", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["created_by"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["seller_accounts"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None):
        # A key's scope cannot grow after it was handed out: issue a new key instead.
        return [*self.readonly_fields, "scope"] if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        raw_key = obj.issue()
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # The only time the key is shown: only its hash is stored.
        self.message_user(
            request,
            f"The new key is {raw_key} — copy it now: it is stored hashed and will never be shown again.",
            messages.WARNING,
        )

    @admin.action(description="Revoke selected keys")
    def revoke(self, request: HttpRequest, queryset) -> None:
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{revoked} key(s) revoked.", messages.SUCCESS)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    filter_horizontal = ["seller_accounts"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "subscription", "status", "attempts", "last_status_code", "delivered_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    show_full_result_count = False
    actions = ["retry_now"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Retry now", permissions=["view"])
    def retry_now(self, request: HttpRequest, queryset) -> None:
        retried = sum(webhook_retry_now(delivery=d) for d in queryset)
        self.message_user(request, f"{retried} delivery(ies) queued again.", messages.SUCCESS)
