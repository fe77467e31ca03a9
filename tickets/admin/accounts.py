"""Seller accounts, their catalogue and their buyers."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from ..models import Buyer, Product, SellerAccount, Ticket
from ..models.tickets import OPEN_STATUSES
from ..validators import validate_plain_text


class PlainTextForm(forms.ModelForm):
    """The admin's form (model and fields come from the ModelAdmin) whose
    ``plain_text_fields`` must be plain text (tickets.validators): names and titles go into
    buyer messages, which the compliance guard refuses with HTML in them."""

    plain_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_text_fields:
            if name in self.fields:
                self.fields[name].validators.append(validate_plain_text)


def plain_text_form(*names: str) -> type[PlainTextForm]:
    return type("PlainTextForm", (PlainTextForm,), {"plain_text_fields": names})


@admin.register(SellerAccount)
class SellerAccountAdmin(admin.ModelAdmin):
    form = plain_text_form("name")
    list_display = (
        "name",
        "merchant_id",
        "marketplace_id",
        "region",
        "open_tickets",
        "sla_hours",
        "odr_window_days",
        "odr_offset_days",
        "proactive_guides_enabled",
        "review_requests_enabled",
    )
    list_filter = ("region", "proactive_guides_enabled", "review_requests_enabled")
    search_fields = ("name", "=merchant_id")
    autocomplete_fields = ("agents",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Counted in the list query (a subquery on the account/status index), not per row.
        open_tickets = (
            Ticket.objects.filter(seller_account=OuterRef("pk"), status__in=OPEN_STATUSES)
            .order_by()
            .values("seller_account")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(open_ticket_count=Coalesce(Subquery(open_tickets), 0))

    @admin.display(description="Open tickets", ordering="open_ticket_count")
    def open_tickets(self, obj: SellerAccount) -> int:
        return obj.open_ticket_count


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = plain_text_form("title")
    list_display = ("title", "asin", "sku", "seller_account", "category")
    list_filter = ("seller_account", "category")
    search_fields = ("title", "=asin", "=sku")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)


@admin.register(Buyer)
class BuyerAdmin(admin.ModelAdmin):
    form = plain_text_form("name")
    list_display = ("__str__", "amazon_buyer_id", "seller_account", "email", "opted_out_of_proactive_messages")
    list_filter = ("seller_account", "opted_out_of_proactive_messages")
    search_fields = ("amazon_buyer_id__exact", "name", "email__exact")
    autocomplete_fields = ("seller_account",)
    list_select_related = ("seller_account",)
    readonly_fields = ("created_at",)
    ordering = ("-pk",)  # newest first: sorting hundreds of thousands of names costs a second
    show_full_result_count = False  # about one buyer per order
