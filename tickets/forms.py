"""The agent desk's forms and queue filters. They validate input and offer only choices
the agent may use (accounts and colleagues through the permission gate); the writes are
the services' job."""

from collections.abc import Iterable

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .access import sees_all_seller_accounts, seller_accounts_visible_to, tickets_visible_to
from .models import Ticket
from .models.orders import FulfillmentChannel
from .replies import REPLY_ACTIONS
from .search import tickets_matching
from .selectors import assignable_agents

User = get_user_model()


def colleagues_of(user: AbstractBaseUser) -> QuerySet:
    """Agents on the seller accounts ``user`` can see: the people tickets can go to."""
    accounts = seller_accounts_visible_to(user)
    return User.objects.filter(is_active=True, seller_accounts__in=accounts).distinct().order_by("username")


def queue_filter_choices(user: AbstractBaseUser) -> dict[str, list[tuple[str, str]]]:
    """The queue filter's seller accounts and people, as (value, label) lists that can be
    kept in a cache (``tickets.views.base.kept``)."""
    accounts = seller_accounts_visible_to(user).only("name", "marketplace_id").order_by("name")
    return {
        "accounts": [(str(a.pk), str(a)) for a in accounts],
        "people": [(str(u.pk), u.get_full_name() or u.get_username()) for u in colleagues_of(user)],
    }


class PeopleChoiceIterator(forms.models.ModelChoiceIterator):
    """The people as one plain query: Django's own iterator() opens a server-side cursor on
    PostgreSQL (DECLARE, FETCH, CLOSE) for a list of a few colleagues."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for user in self.queryset:
            yield self.choice(user)


class PersonChoiceField(forms.ModelChoiceField):
    iterator = PeopleChoiceIterator

    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class QueueFilter(filters.FilterSet):
    seller_account = filters.ModelChoiceFilter(queryset=None, label="Account", empty_label="All accounts")
    channel = filters.ChoiceFilter(
        field_name="order__fulfillment_channel", choices=FulfillmentChannel.choices, empty_label="FBA + FBM"
    )
    kind = filters.ChoiceFilter(choices=Ticket.Kind.choices, empty_label="Any kind")
    assignee = filters.ChoiceFilter(method="filter_assignee", choices=[], empty_label="Anyone")
    q = filters.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Ticket
        fields = []

    def __init__(
        self,
        *args,
        user: AbstractBaseUser,
        choices: dict | None = None,
        statuses: Iterable[str] | None = None,
        **kwargs,
    ):
        """``choices``: ``queue_filter_choices(user)``, perhaps kept from an earlier page.
        ``statuses``: the ones the queryset is limited to, if it is (its view's)."""
        super().__init__(*args, **kwargs)
        choices = choices or queue_filter_choices(user)
        self.filters["seller_account"].queryset = seller_accounts_visible_to(user).order_by("name")
        self.account_choices = choices["accounts"]
        self.filters["assignee"].extra["choices"] = [("none", "Unassigned"), *choices["people"]]
        # An agent's search names their accounts to the index (tickets.search); a manager's
        # covers them all.
        self.search_accounts = None if sees_all_seller_accounts(user) else [int(pk) for pk, _ in self.account_choices]
        self.search_statuses = statuses

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(assignee__isnull=True) if value == "none" else queryset.filter(assignee_id=value)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return tickets_matching(queryset, value, seller_account_ids=self.search_accounts, statuses=self.search_statuses)


class BulkForm(forms.Form):
    OPERATIONS = [
        ("assign", "Assign"),
        ("close", "Close"),
        ("no_response_needed", "No response needed"),
        ("merge", "Merge"),
    ]
    tickets = forms.ModelMultipleChoiceField(
        queryset=Ticket.objects.none(),
        error_messages={
            "required": "Select at least one ticket.",
        },
    )
    operation = forms.ChoiceField(choices=OPERATIONS)
    assignee = PersonChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = tickets_visible_to(user).select_related("seller_account")
        self.fields["assignee"].queryset = colleagues_of(user)

    def clean(self):
        data = super().clean()
        if data.get("operation") == "assign" and not data.get("assignee"):
            self.add_error("assignee", "Choose who gets the tickets.")
        return data


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Ticket.Status.choices)
    priority = forms.TypedChoiceField(choices=Ticket.Priority.choices, coerce=int)
    assignee = PersonChoiceField(queryset=User.objects.none(), required=False, empty_label="Unassigned")
    # The answers to "the buyer is still waiting" (tickets.sla.clock.sla_park_check).
    no_response_needed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    force = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, ticket: Ticket, **kwargs):
        kwargs.setdefault(
            "initial", {"status": ticket.status, "priority": ticket.priority, "assignee": ticket.assignee_id}
        )
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        self.fields["assignee"].queryset = assignable_agents(ticket.seller_account)
        allowed = {ticket.status, *ticket.TRANSITIONS[Ticket.Status(ticket.status)]}
        self.fields["status"].choices = [(v, label) for v, label in Ticket.Status.choices if v in allowed]


class ReplyForm(forms.Form):
    """The reply box: a message to the buyer (through the guard) or an internal note."""

    NEXT_STATUS = [
        (Ticket.Status.PENDING, "Send & wait on buyer"),
        (Ticket.Status.SOLVED, "Send & solve"),
        ("", "Send & keep status"),
    ]
    mode = forms.ChoiceField(
        choices=[("reply", "Reply to buyer"), ("note", "Internal note")], initial="reply", widget=forms.RadioSelect
    )
    body = forms.CharField(
        max_length=20_000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 9}),
        error_messages={"required": "Write a message first."},
    )
    template = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("", "—"), *[(a.slug, a.label) for a in REPLY_ACTIONS.values()]], required=False
    )
    status_after = forms.ChoiceField(choices=NEXT_STATUS, required=False, initial=Ticket.Status.PENDING)
    # The newest message the agent had seen when they started writing, for the collision check.
    seen_message_id = forms.IntegerField(min_value=0, max_value=2**63 - 1, widget=forms.HiddenInput)
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ComplianceCheckForm(forms.Form):
    body = forms.CharField(max_length=20_000, required=False, strip=False)
    mode = forms.CharField(required=False)
    template = forms.CharField(required=False, max_length=100)


class MergeForm(forms.Form):
    """The duplicates to merge into a ticket: any ticket the agent sees (the merge's own
    rules, tickets.merge, explain a refusal better than "not a valid choice")."""

    tickets = forms.ModelMultipleChoiceField(
        queryset=Ticket.objects.none(), error_messages={"required": "Choose at least one ticket to merge."}
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = tickets_visible_to(user).select_related("order").order_by("pk")

    def clean_tickets(self):
        tickets = self.cleaned_data["tickets"]
        if len(tickets) > 20:
            raise forms.ValidationError("Merge at most 20 tickets at a time.")
        return tickets
