"""django-filter FilterSets of the API's lists (query parameters documented in the schema)."""

from datetime import UTC

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from ..access import sees_all_seller_accounts, seller_accounts_visible_to
from ..models import AtoZClaim, Chargeback, HeldMessage, Message, Order, Ticket
from ..models.orders import FulfillmentChannel
from ..models.tickets import sla_at_risk_q, sla_on_time_q, sla_running_q
from ..search import tickets_matching

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A row id: a whole number in the database's range (a huge one is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class DateTimeRangeFilter(filters.IsoDateTimeFromToRangeFilter):
    """``<name>_after`` / ``<name>_before`` in ISO 8601, compared in UTC. PostgreSQL refuses
    offsets beyond ±15:59 that Python accepts, and a date at the edge of the calendar can
    overflow when moved to UTC: both are a 400, never a 500."""

    def filter(self, queryset: QuerySet, value) -> QuerySet:
        if value:
            try:
                value = slice(*(bound.astimezone(UTC) if bound else None for bound in (value.start, value.stop)))
            except OverflowError:
                raise ValidationError({self.field_name: ["Date out of range."]}) from None
        return super().filter(queryset, value)


class TicketFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Ticket.Status.choices)
    kind = filters.MultipleChoiceFilter(choices=Ticket.Kind.choices)
    seller_account = IdFilter(field_name="seller_account_id")
    assignee = filters.CharFilter(method="filter_assignee", help_text="A username, or `none` for unassigned.")
    fulfillment_channel = filters.ChoiceFilter(
        field_name="order__fulfillment_channel", choices=FulfillmentChannel.choices
    )
    sla = filters.ChoiceFilter(
        method="filter_sla",
        choices=[("breached", "Breached"), ("at_risk", "At risk"), ("ok", "OK"), ("none", "No running clock")],
    )
    created = DateTimeRangeFilter(field_name="created_at")
    updated = DateTimeRangeFilter(field_name="updated_at")
    q = filters.CharFilter(
        method="filter_q",
        help_text="An Amazon order id, an ASIN, a buyer (name or Amazon id), or text in the subject or messages.",
    )

    class Meta:
        model = Ticket
        fields = []

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__username=value)

    def filter_sla(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The same states as Ticket.sla_state(), as SQL.
        now = timezone.now()
        running = sla_running_q()
        if value == "breached":
            return queryset.filter(running, sla_due_at__lte=now)
        if value == "at_risk":
            return queryset.filter(running, sla_at_risk_q(now))
        if value == "ok":
            return queryset.filter(running, sla_on_time_q(now))
        return queryset.exclude(running)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = self.request.user if self.request else None
        accounts = None
        if user is not None and not sees_all_seller_accounts(user):
            accounts = list(seller_accounts_visible_to(user).values_list("pk", flat=True))
        return tickets_matching(queryset, value, seller_account_ids=accounts)


class OrderFilter(filters.FilterSet):
    seller_account = IdFilter(field_name="seller_account_id")
    fulfillment_channel = filters.ChoiceFilter(choices=FulfillmentChannel.choices)
    status = filters.MultipleChoiceFilter(choices=Order.Status.choices)
    purchased = DateTimeRangeFilter(field_name="purchased_at")
    updated = DateTimeRangeFilter(field_name="updated_at")
    amazon_buyer_id = filters.CharFilter(field_name="buyer__amazon_buyer_id")

    class Meta:
        model = Order
        fields = []


class MessageFilter(filters.FilterSet):
    ticket = IdFilter(field_name="ticket_id")
    seller_account = IdFilter(field_name="ticket__seller_account_id")
    direction = filters.ChoiceFilter(choices=Message.Direction.choices)
    created = DateTimeRangeFilter(field_name="created_at")
    external_id = filters.CharFilter()

    class Meta:
        model = Message
        fields = []


class HeldMessageFilter(filters.FilterSet):
    ticket = IdFilter(field_name="ticket_id")
    seller_account = IdFilter(field_name="seller_account_id")
    status = filters.MultipleChoiceFilter(choices=HeldMessage.Status.choices)
    created = DateTimeRangeFilter(field_name="created_at")

    class Meta:
        model = HeldMessage
        fields = []


class ClaimFilter(filters.FilterSet):
    seller_account = IdFilter(field_name="order__seller_account_id")
    status = filters.MultipleChoiceFilter(choices=AtoZClaim.Status.choices)
    filed = DateTimeRangeFilter(field_name="filed_at")
    respond_by = DateTimeRangeFilter(field_name="respond_by")
    amazon_order_id = filters.CharFilter(field_name="order__amazon_order_id")

    class Meta:
        model = AtoZClaim
        fields = []


class ChargebackFilter(ClaimFilter):
    status = filters.MultipleChoiceFilter(choices=Chargeback.Status.choices)
    kind = filters.ChoiceFilter(choices=Chargeback.Kind.choices)

    class Meta:
        model = Chargeback
        fields = []
