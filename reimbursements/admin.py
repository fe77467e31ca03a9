"""The managers' Reimbursements view: the cases (with open value by account, deadlines this
week, money recovered this month and the won/denied rate above the list), Amazon's FBA rows
(read-only: they come from Amazon's reports) and the per-marketplace windows. A case edited
here goes through ``reimbursement_case_update`` like the desk's and the API's."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tickets.access import reimbursement_cases_visible_to, seller_accounts_visible_to
from tickets.models.tickets import InvalidTransition

from .models import (
    FbaCustomerReturn,
    FbaLedgerAdjustment,
    FbaRefund,
    FbaReimbursement,
    FbaReplacement,
    ReimbursementCase,
    ReimbursementWindow,
)
from .selectors import case_claim_text, reimbursement_summary, with_estimated_value
from .services import reimbursement_case_update


@admin.register(ReimbursementCase)
class ReimbursementCaseAdmin(admin.ModelAdmin):
    change_list_template = "admin/reimbursements/changelist.html"
    list_display = (
        "id",
        "seller_account",
        "rule",
        "status",
        "amazon_order_id",
        "fnsku",
        "quantity",
        "reimbursed_quantity",
        "estimated",
        "sla_due_at",
        "assignee",
    )
    list_filter = ("status", "rule", "seller_account")
    list_select_related = ("seller_account", "assignee")
    search_fields = ("=amazon_order_id", "=fnsku", "=amazon_case_id", "=case_key")
    ordering = ("sla_due_at", "id")
    fields = (
        "seller_account",
        "rule",
        "status",
        "amazon_case_id",
        "assignee",
        "amazon_order_id",
        "sku",
        "fnsku",
        "asin",
        "quantity",
        "reimbursed_quantity",
        "reimbursed_amount",
        "unit_value",
        "event_at",
        "claimable_from",
        "sla_due_at",
        "evidence",
        "claim_text",
    )
    raw_id_fields = ("assignee",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f for f in self.fields if f not in ("status", "amazon_case_id", "assignee")]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return with_estimated_value(reimbursement_cases_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases come from Amazon's reports only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="estimated value", ordering="estimated")
    def estimated(self, case: ReimbursementCase):
        return case.estimated

    @admin.display(description="claim text")
    def claim_text(self, case: ReimbursementCase) -> str:
        return case_claim_text(case)

    def save_model(self, request: HttpRequest, obj: ReimbursementCase, form, change: bool) -> None:
        try:
            reimbursement_case_update(
                case=obj,
                actor=request.user,
                status=form.cleaned_data.get("status"),
                amazon_case_id=form.cleaned_data.get("amazon_case_id"),
                assignee=form.cleaned_data.get("assignee"),
            )
        except (ValidationError, InvalidTransition) as error:
            # The form was valid; the workflow refused: tell the manager, change nothing.
            self.message_user(request, f"Not saved: {error}", level="error")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        summary = reimbursement_summary(user=request.user, now=timezone.now())
        return super().changelist_view(request, {**(extra_context or {}), "summary": summary})


class FbaRowAdmin(admin.ModelAdmin):
    """Amazon's rows, as the reports gave them: read-only, scoped to the manager's accounts."""

    list_select_related = ("seller_account",)
    list_filter = ("seller_account",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(seller_account__in=seller_accounts_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FbaReimbursement)
class FbaReimbursementAdmin(FbaRowAdmin):
    list_display = (
        "reimbursement_id",
        "approval_date",
        "reason",
        "amazon_order_id",
        "fnsku",
        "quantity_total",
        "amount_total",
    )
    search_fields = ("=reimbursement_id", "=amazon_order_id", "=fnsku")


@admin.register(FbaCustomerReturn)
class FbaCustomerReturnAdmin(FbaRowAdmin):
    list_display = ("amazon_order_id", "return_date", "sku", "fnsku", "quantity", "detailed_disposition")
    search_fields = ("=amazon_order_id", "=fnsku", "=license_plate_number")


@admin.register(FbaReplacement)
class FbaReplacementAdmin(FbaRowAdmin):
    list_display = ("replacement_amazon_order_id", "original_amazon_order_id", "shipment_date", "sku", "quantity")
    search_fields = ("=replacement_amazon_order_id", "=original_amazon_order_id")


@admin.register(FbaLedgerAdjustment)
class FbaLedgerAdjustmentAdmin(FbaRowAdmin):
    list_display = ("reference_id", "adjusted_at", "fnsku", "reason", "quantity", "fulfillment_center")
    search_fields = ("=reference_id", "=fnsku")


@admin.register(FbaRefund)
class FbaRefundAdmin(FbaRowAdmin):
    list_display = ("amazon_order_id", "posted_at", "sku", "quantity", "amount")
    search_fields = ("=amazon_order_id",)


@admin.register(ReimbursementWindow)
class ReimbursementWindowAdmin(admin.ModelAdmin):
    list_display = (
        "marketplace_id",
        "return_window_days",
        "return_claim_from_days",
        "return_claim_until_days",
        "warehouse_wait_days",
        "warehouse_claim_days",
    )
