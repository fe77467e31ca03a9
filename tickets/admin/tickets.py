"""Tickets and their messages."""

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator

from ..models import Attachment, Message, Ticket
from ..models.orders import amazon_order_id_validator
from ..services import ticket_update
from ..sla.clock import UnansweredMessages, sla_park_check
from .base import (
    AuditedAdminMixin,
    LargeTablePaginator,
    NumericIdSearchMixin,
    ReadOnlyInline,
    SameAccountForm,
    date_filter,
)


class SlaFilter(admin.SimpleListFilter):
    title = "SLA"
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("breached", "Breached"), ("at_risk", "At risk"), ("ok", "On time")]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        # The same states as Ticket.sla_state(), as a query.
        now = timezone.now()
        running = queryset.running()
        if self.value() == "breached":
            return running.breached(now)
        if self.value() == "at_risk":
            return running.at_risk(now)
        if self.value() == "ok":
            return running.on_time(now)
        return queryset


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "direction", "author", "body", "is_automated", "sent_at")
    # Messages are written by the ingest and the outbound path only: the admin shows them.
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("author")


class TicketAdminForm(SameAccountForm):
    same_account_fields = ("buyer", "order")
    force = forms.BooleanField(
        required=False,
        label="Even with unanswered buyer messages",
        help_text="Amazon still counts them: the clock keeps running until someone replies or marks "
        "them “no response needed”.",
    )

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        ticket = self.instance
        # The instance still holds the stored status here; the form applies it later.
        if ticket.pk is not None and not ticket.can_transition_to(status):
            raise forms.ValidationError(
                f"A {ticket.get_status_display().lower()} ticket cannot become {Ticket.Status(status).label.lower()}."
            )
        return status

    def _post_clean(self) -> None:
        # Before the form copies its values onto the instance, which still holds the stored
        # status and clock here: the same question the desk and the API ask.
        status = self.cleaned_data.get("status")
        if self.instance.pk is not None and status:
            try:
                sla_park_check(ticket=self.instance, status=status, force=self.cleaned_data.get("force", False))
            except UnansweredMessages as exc:
                self.add_error("status", f"{exc} Tick “{self.fields['force'].label}” to do it anyway.")
        super()._post_clean()

    def clean(self) -> dict:
        data = super().clean()
        assignee, account = (
            data.get("assignee"),
            data.get("seller_account") or getattr(self.instance, "seller_account", None),
        )
        if assignee and account and assignee.pk != self.instance.assignee_id and not account.has_agent(assignee):
            self.add_error("assignee", f"{assignee.get_username()} is not an agent on {account.name}.")
        return data


# The fields ticket_update owns (transition rule and audit); the admin hands them over.
TICKET_WORKFLOW_FIELDS = ("status", "priority", "assignee")


@admin.register(Ticket)
class TicketAdmin(AuditedAdminMixin, NumericIdSearchMixin, admin.ModelAdmin):
    audit_name = "ticket"
    form = TicketAdminForm
    list_display = (
        "id",
        "subject",
        "seller_account",
        "buyer",
        "status",
        "priority",
        "kind",
        "sla",
        "sla_due_at",
        "fulfillment",
        "assignee",
        "created_at",
    )
    list_display_links = ("id", "subject")
    list_filter = (
        "status",
        SlaFilter,
        "kind",
        "priority",
        "seller_account",
        "order__fulfillment_channel",
        "assignee",
        date_filter("created_at"),
    )
    # Joined OR-searches (subject or buyer or order) scan the million orders: each kind of
    # term gets its own indexed lookup instead (see get_search_results).
    search_fields = ("subject",)
    search_help_text = "A ticket number, an Amazon order id, or words of the subject."
    autocomplete_fields = ("seller_account", "assignee")
    raw_id_fields = ("buyer", "order")
    list_select_related = ("seller_account", "buyer", "order", "assignee")
    # Newest first on the primary key: the model's SLA ordering sorts the whole table.
    ordering = ("-pk",)
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50  # rendering rows, not querying them, is most of the page's time
    inlines = (MessageInline,)
    readonly_fields = (
        "fulfillment",
        "sla",
        "sla_due_at",
        "first_response_at",
        "no_response_needed",
        "last_message_at",
        "created_at",
        "updated_at",
        "audit_history",
    )
    fieldsets = (
        (None, {"fields": ("seller_account", "buyer", "order", "fulfillment", "subject", "kind")}),
        ("Workflow", {"fields": ("status", "force", "priority", "assignee")}),
        # The clock is set and stopped by messages (tickets.sla), never by hand.
        ("SLA", {"fields": ("sla", "sla_due_at", "first_response_at", "no_response_needed", "last_message_at")}),
        ("History", {"fields": ("created_at", "updated_at", "audit_history")}),
    )

    def get_search_results(self, request: HttpRequest, queryset: models.QuerySet, search_term: str):
        term = search_term.strip()
        if amazon_order_id_validator.regex.fullmatch(term):
            return queryset.filter(order__amazon_order_id=term), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="SLA", ordering="sla_due_at")
    def sla(self, obj: Ticket) -> str:
        return obj.sla_state()

    @admin.display(description="FBA/FBM", ordering="order__fulfillment_channel")
    def fulfillment(self, obj: Ticket) -> str:
        return obj.order.fulfillment_channel if obj.order_id else "—"

    def save_model(self, request: HttpRequest, obj: Ticket, form: forms.ModelForm, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        workflow = {name: getattr(obj, name) for name in TICKET_WORKFLOW_FIELDS if name in form.changed_data}
        self.save_audited(
            request=request, obj=obj, names=[n for n in form.changed_data if n not in TICKET_WORKFLOW_FIELDS]
        )
        if not workflow:
            return
        # ticket_update compares against the stored values and records its own event.
        obj.refresh_from_db(fields=list(workflow))
        ticket_update(
            ticket=obj,
            actor=request.user,
            status=workflow.get("status"),
            priority=workflow.get("priority"),
            assignee=workflow.get("assignee"),
            unassign="assignee" in workflow and workflow["assignee"] is None,
            force=form.cleaned_data.get("force", False),
        )


class AttachmentInline(ReadOnlyInline):
    """A message's files: what they are, and why a refused one was not kept. The files
    themselves open in the desk, behind the permission gate."""

    model = Attachment
    fk_name = "message"
    fields = ("name", "content_type", "size", "refused_reason", "outbound")
    readonly_fields = fields
    show_change_link = False


@admin.register(Message)
class MessageAdmin(NumericIdSearchMixin, admin.ModelAdmin):
    """Read-only: messages come from Amazon or leave through the outbound path, and
    a conversation is evidence in A-to-z and chargeback defences."""

    search_id_field = "ticket_id"
    list_display = ("__str__", "ticket", "direction", "author", "excerpt", "is_automated", "created_at", "sent_at")
    list_filter = ("direction", "is_automated", date_filter("created_at"))
    search_fields = ("external_id__exact",)
    search_help_text = "A ticket number or an exact external message id."
    list_select_related = ("ticket", "author")
    ordering = ("-pk",)  # newest first, through the primary key index
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 50  # rendering rows, not querying them, is most of the page's time
    inlines = (AttachmentInline,)

    @admin.display(description="Message")
    def excerpt(self, obj: Message) -> str:
        return Truncator(obj.body).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
