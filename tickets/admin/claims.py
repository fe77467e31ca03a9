"""A-to-z claims and chargebacks: the order defects a CSM defends, audited on every edit."""

from django.contrib import admin

from ..intake.claims import a_to_z_claim_opened, chargeback_opened, defence_deadline_sync
from ..models import AtoZClaim, Chargeback
from .base import AuditedAdminMixin


class DefenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """What A-to-z claims and chargebacks share: an order, a deadline, a defence ticket."""

    list_filter = ("status", "seller_account", "order__fulfillment_channel")
    raw_id_fields = ("order", "ticket")
    list_select_related = ("order", "seller_account", "ticket")
    readonly_fields = ("seller_account", "created_at", "updated_at", "audit_history")
    date_hierarchy = "filed_at"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # The same services the API calls: a deadline and a defence ticket due then.
        if not change:
            self.defence_open(obj=obj, actor=request.user)
        elif "respond_by" in form.changed_data:
            defence_deadline_sync(case=obj, actor=request.user)

    def defence_open(self, *, obj, actor) -> None:
        raise NotImplementedError


@admin.register(AtoZClaim)
class AtoZClaimAdmin(DefenceAdmin):
    audit_name = "a_to_z_claim"
    list_display = (
        "claim_id",
        "order",
        "seller_account",
        "status",
        "amount",
        "currency",
        "filed_at",
        "respond_by",
        "buy_shipping_protected",
        "ticket",
    )
    list_filter = (*DefenceAdmin.list_filter, "buy_shipping_protected")
    search_fields = ("claim_id__exact", "order__amazon_order_id__exact")

    def defence_open(self, *, obj, actor) -> None:
        a_to_z_claim_opened(claim=obj, actor=actor)


@admin.register(Chargeback)
class ChargebackAdmin(DefenceAdmin):
    audit_name = "chargeback"
    list_display = (
        "chargeback_id",
        "order",
        "seller_account",
        "kind",
        "status",
        "amount",
        "currency",
        "filed_at",
        "respond_by",
        "ticket",
    )
    list_filter = (*DefenceAdmin.list_filter, "kind")
    search_fields = ("chargeback_id__exact", "order__amazon_order_id__exact")

    def defence_open(self, *, obj, actor) -> None:
        chargeback_opened(chargeback=obj, actor=actor)
