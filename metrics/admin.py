"""The managers' side of account health: the dashboard, the snapshot history, the alerts.

The dashboard is the changelist of the ``AccountHealth`` proxy model
(/admin/metrics/accounthealth/), so it sits in the admin index like any model and is
guarded by its view permission. It shows one account at a time: its cost is a fixed
number of queries whatever the number of orders, days or accounts.
"""

import csv
from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from reimbursements.selectors import account_reimbursement_line
from tickets.access import seller_accounts_visible_to

from .amazon import amazon_odr_as_dict, amazon_odr_latest
from .charts import odr_trend_svg
from .models import AccountHealth, HealthAlert, MetricSnapshot, OrderDayCount
from .odr import CHANNELS, TARGET_PERCENT, warning_percent
from .selectors import (
    CAUSE_LINK_ORDERS,
    CAUSES_SHOWN,
    HISTORY_DAYS,
    RESPONSE_BREAKDOWN_DAYS,
    account_health,
    latest_odr_by_account,
)
from .services import metric_snapshots_record


def _orders_url(changelist: str, order_ids: list[int]) -> str:
    """The order changelist showing exactly these orders (a local-field lookup the admin allows)."""
    return f"{changelist}?{urlencode({'id__in': ','.join(map(str, order_ids))})}"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Computed rows: recomputed by the services, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "seller_account",
        "metric",
        "channel",
        "value",
        "target_condition",
        "target",
        "status",
        "numerator",
        "denominator",
        "window_start",
        "window_end",
    )
    list_filter = ("metric", "channel", "status", "seller_account")
    list_select_related = ("seller_account",)
    date_hierarchy = "day"
    show_full_result_count = False


@admin.register(OrderDayCount)
class OrderDayCountAdmin(ReadOnlyAdmin):
    """The ODR's denominator per day, as the triggers keep it: several rows of a day are
    changes not yet folded by the beat task (their sum is the count)."""

    list_display = ("day", "seller_account", "fulfillment_channel", "orders")
    list_filter = ("fulfillment_channel", "seller_account")
    list_select_related = ("seller_account",)
    date_hierarchy = "day"
    ordering = ("-day", "seller_account", "fulfillment_channel")
    show_full_result_count = False


@admin.register(HealthAlert)
class HealthAlertAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "seller_account", "channel", "kind", "previous_status", "status", "odr",
                    "headroom_orders", "notified_at")  # fmt: skip
    list_filter = ("kind", "status", "channel", "seller_account")
    list_select_related = ("seller_account",)
    readonly_fields = [f.name for f in HealthAlert._meta.fields]


@admin.register(AccountHealth)
class AccountHealthAdmin(ReadOnlyAdmin):
    """The dashboard: ODR per channel with components and headroom, the 90-day trend,
    response times (per period, agent and team), FBM shipping figures and the top defect
    causes of one account, as recorded by its latest snapshot; *Recompute now* records
    today's again."""

    def get_urls(self) -> list:
        recompute = self.admin_site.admin_view(self.recompute_view)
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("recompute/", recompute, name="metrics_accounthealth_recompute"),
            path("export/<slug:table>.csv", export, name="metrics_accounthealth_export"),
            *super().get_urls(),
        ]

    # The response-time tables a manager can take to a spreadsheet: (figures key, first column).
    EXPORTS = {"agents": ("response_by_agent", "assignee"), "teams": ("response_by_team", "team")}
    EXPORT_COLUMNS = ("within_sla", "late", "unanswered", "pending")

    def export_view(self, request: HttpRequest, table: str) -> HttpResponse:
        """One response-time table of one account as CSV: the figures the dashboard shows,
        from the same latest snapshot (``account_health``)."""
        accounts = self._accounts(request)
        if table not in self.EXPORTS:
            raise Http404("No such table.")
        account = accounts.filter(pk=request.GET.get("seller_account") or 0).first()
        if account is None:
            raise Http404("No such seller account.")
        key, label = self.EXPORTS[table]
        rows = getattr(account_health(seller_account=account), key)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"response-time-{table}-{account.pk}-{timezone.now().date().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow([label, *self.EXPORT_COLUMNS, "days"])
        for row in rows:
            # A leading = + - @ would run as a formula in a spreadsheet: names are people's input.
            first = str(row.get(label, ""))
            writer.writerow(
                ["'" + first if first[:1] in "=+-@" else first, *(row.get(c, 0) for c in self.EXPORT_COLUMNS)]
                + [RESPONSE_BREAKDOWN_DAYS]
            )
        return response

    def _accounts(self, request: HttpRequest):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return seller_accounts_visible_to(request.user)

    def recompute_view(self, request: HttpRequest) -> HttpResponse:
        """Record today's snapshots of one account now (as the daily task does, alerts included)."""
        accounts = self._accounts(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        account = accounts.filter(pk=request.POST.get("seller_account") or 0).first()
        if account is None:
            raise Http404("No such seller account.")
        metric_snapshots_record(seller_account=account, day=timezone.now().date())
        self.message_user(request, f"Figures of {account.name} recomputed.", messages.SUCCESS)
        changelist = reverse("admin:metrics_accounthealth_changelist")
        return HttpResponseRedirect(f"{changelist}?{urlencode({'seller_account': account.pk})}")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        accounts = self._accounts(request)
        account_list = list(accounts.only("pk", "name", "marketplace_id", "sla_hours"))
        if not account_list:
            context = {**self.admin_site.each_context(request), "title": "Account health", "opts": self.model._meta}
            return TemplateResponse(request, "admin/metrics/dashboard.html", context)
        selected = request.GET.get("seller_account", "")
        account = next((a for a in account_list if str(a.pk) == selected), account_list[0])
        health = account_health(seller_account=account)
        amazon = amazon_odr_latest(seller_account=account, as_of=health.as_of)
        latest = latest_odr_by_account(accounts=accounts)
        order_changelist = reverse("admin:tickets_order_changelist")
        causes = [
            {
                "label": cause.label,
                "orders": cause.orders,
                "url": _orders_url(order_changelist, cause.order_ids[:CAUSE_LINK_ORDERS]),
                "examples": [(pk, reverse("admin:tickets_order_change", args=[pk])) for pk in cause.order_ids[:5]],
            }
            for cause in health.causes[:CAUSES_SHOWN]
        ]
        series = {channel: health.history[channel] for channel in ("FBA", "FBM")}
        context = {
            **self.admin_site.each_context(request),
            "title": f"Account health: {account.name}",
            "opts": self.model._meta,
            "accounts": [
                {
                    "account": a,
                    "selected": a.pk == account.pk,
                    "fba": latest.get((a.pk, "FBA")),
                    "fbm": latest.get((a.pk, "FBM")),
                }
                for a in account_list
            ],
            "account": account,
            "health": health,
            "odr_rows": [health.odr[channel] for channel in CHANNELS if channel in health.odr],
            "amazon_rows": [amazon_odr_as_dict(amazon, channel) for channel in ("FBA", "FBM") if channel in amazon],
            "target": float(TARGET_PERCENT),
            "chart": odr_trend_svg(
                series=series,
                until=health.as_of,
                days=HISTORY_DAYS,
                target=float(TARGET_PERCENT),
                warning=float(warning_percent()),
            ),
            "history_days": HISTORY_DAYS,
            "reimbursements": account_reimbursement_line(seller_account_id=account.pk, now=timezone.now()),
            "reimbursements_url": reverse("admin:reimbursements_reimbursementcase_changelist"),
            "history_start": health.as_of - timedelta(days=HISTORY_DAYS - 1),
            "response_rows": [health.response_time[days] for days in sorted(health.response_time)],
            "response_breakdown_days": RESPONSE_BREAKDOWN_DAYS,
            "agents": health.response_by_agent,
            "teams": health.response_by_team,
            "fulfillment": health.fulfillment,
            "causes": causes,
            "alerts": health.alerts,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/metrics/dashboard.html", context)
