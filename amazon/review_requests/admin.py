"""The managers' review requests: every order's decision (sent, or skipped and why), and
above the list the figures per seller account and product. The switch and the day are on
the seller account's page (Review requests, After delivery … get)."""

from datetime import timedelta

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from tickets.access import seller_accounts_visible_to

from .models import ReviewRequest
from .selectors import review_request_figures

FIGURES_DAYS = 90


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin):
    change_list_template = "admin/amazon/reviewrequest/change_list.html"
    list_display = (
        "order",
        "seller_account",
        "fulfillment_channel",
        "product",
        "due_at",
        "status",
        "skip_reason",
        "sent_at",
        "manual",
    )
    list_filter = ("status", "skip_reason", "fulfillment_channel", "manual", "seller_account")
    search_fields = ("=order__amazon_order_id",)
    list_select_related = ("order", "seller_account", "product")
    date_hierarchy = "due_at"
    show_full_result_count = False

    # The desk writes these rows (the sweep, the workspace's button); managers read them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(seller_account__in=seller_accounts_visible_to(request.user))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        since = timezone.now() - timedelta(days=FIGURES_DAYS)
        figures = review_request_figures(accounts=seller_accounts_visible_to(request.user), since=since)
        reasons = ReviewRequest.Reason.choices
        context = {"figures": figures, "figures_days": FIGURES_DAYS, "reasons": reasons, **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)
