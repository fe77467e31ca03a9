"""Orders, with their items and everything a CSM handles about them (tickets, claims, chargebacks)."""

from django.contrib import admin

from ..models import AtoZClaim, Chargeback, Order, OrderItem, Ticket
from ..proactive.services import order_mark_delivered
from .automation import OrderEventInline
from .base import LargeTablePaginator, ReadOnlyInline, SameAccountForm, date_filter


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    autocomplete_fields = ("product",)


class OrderTicketInline(ReadOnlyInline):
    model = Ticket
    fields = ("subject", "kind", "status", "created_at")
    verbose_name_plural = "tickets about this order"


class OrderAtoZClaimInline(ReadOnlyInline):
    model = AtoZClaim
    fields = ("claim_id", "status", "amount", "currency", "filed_at", "respond_by")


class OrderChargebackInline(ReadOnlyInline):
    model = Chargeback
    fields = ("chargeback_id", "kind", "status", "amount", "currency", "filed_at", "respond_by")


class OrderAdminForm(SameAccountForm):
    same_account_fields = ("buyer",)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderAdminForm
    list_display = (
        "amazon_order_id",
        "seller_account",
        "buyer",
        "purchased_at",
        "fulfillment_channel",
        "status",
        "order_total",
        "currency",
    )
    list_filter = (
        "seller_account",
        "fulfillment_channel",
        "status",
        date_filter("purchased_at"),
        "cancelled_by_buyer",
        "delivery_estimated",
    )
    # Exact and case-sensitive, so the unique index answers it among a million orders.
    search_fields = ("amazon_order_id__exact",)
    search_help_text = "Exact Amazon order id, e.g. 113-1234567-1234567."
    autocomplete_fields = ("seller_account",)
    raw_id_fields = ("buyer",)
    list_select_related = ("seller_account", "buyer")
    # An estimate is the FBA sync's to set; entering a delivery date makes the delivery known.
    readonly_fields = ("delivery_estimated", "created_at", "updated_at")
    inlines = (OrderItemInline, OrderTicketInline, OrderAtoZClaimInline, OrderChargebackInline, OrderEventInline)
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50  # rendering rows, not querying them, is most of the page's time

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # After the items are saved: the guide needs to know the products on the order.
        if "delivered_at" in form.changed_data and form.instance.delivered_at:
            order_mark_delivered(
                order=form.instance, delivered_at=form.instance.delivered_at, actor=request.user, source="admin"
            )
