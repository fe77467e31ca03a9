"""A-to-z claims and chargebacks: the order defects a CSM defends, audited on every edit."""

from django.contrib import admin

from ..intake.claims import a_to_z_claim_record, chargeback_record, defence_deadline_sync
from ..models import AtoZClaim, Chargeback
from .base import AuditedAdminMixin


class DefenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """What A-to-z claims and chargebacks share: an order, a deadline, a defence ticket."""

    list_filter = ("status", "seller_account", "order__fulfillment_channel")
    raw_id_fields = ("order", "ticket")
    list_select_related = ("order", "seller_account", "ticket")
    readonly_fields = ("seller_account", "created_at", "updated_at", "audit_history")
    date_hierarchy = "filed_at"

    # Amazon's id of the case, which the intake keys on.
    case_id_field = ""

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            # A new case enters through the intake every channel calls: the same row, the
            # same deadline, the same defence ticket, audit events and webhooks as the API.
            values = {
                name: getattr(obj, name)
                for name in form.cleaned_data
                if name not in ("order", self.case_id_field, "ticket")
            }
            stored = self.record(
                order=obj.order, case_id=getattr(obj, self.case_id_field), values=values, actor=request.user
            )
            obj.pk, obj.ticket_id = stored.pk, stored.ticket_id
            return
        super().save_model(request, obj, form, change)
        if "respond_by" in form.changed_data:
            defence_deadline_sync(case=obj, actor=request.user)

    def record(self, *, order, case_id: str, values: dict, actor):
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

    case_id_field = "claim_id"

    def record(self, *, order, case_id: str, values: dict, actor) -> AtoZClaim:
        return a_to_z_claim_record(order=order, claim_id=case_id, values=values, actor=actor)[0]


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

    case_id_field = "chargeback_id"

    def record(self, *, order, case_id: str, values: dict, actor) -> Chargeback:
        return chargeback_record(order=order, chargeback_id=case_id, values=values, actor=actor)[0]
