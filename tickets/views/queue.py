"""The queue: SLA-ordered views of the tickets an agent can see, filters, bulk actions."""

from datetime import datetime
from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from ..counts import queue_counts_cached, queue_version
from ..forms import BulkForm, QueueFilter
from ..merge import merge_survivor_pick
from ..models import Message, Ticket
from ..models.orders import FulfillmentChannel
from ..selectors import QUEUE_VIEWS, queue_landing_view, queue_tickets
from ..services import tickets_bulk_update
from ..templatetags.desk import desk_url, display_name, initials, sla_countdown
from .base import desk_context, queue_filter_choices_kept, select_options, sidebar_context
from .merge import merge_url

PAGE_SIZE = 50
MAX_PAGE = 10_000  # deep offsets are slow and never useful: search instead


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


@login_required
def queue_home(request: HttpRequest) -> HttpResponse:
    """``/``: the view that needs the person (``queue_landing_view``), at this address."""
    counts = queue_counts_cached(user=request.user, now=timezone.now())
    return queue(request, view=queue_landing_view(user=request.user, counts=counts).slug)


@login_required
def queue(request: HttpRequest, view: str = "mine") -> HttpResponse:
    queue_view = QUEUE_VIEWS.get(view)
    if queue_view is None:
        raise Http404("No such queue view.")
    shared_url = _url_of_set_filters(request)
    if not request.htmx and shared_url != request.get_full_path():
        return redirect(shared_url)  # the form without script sends every field, set or not
    # The live queue's poll: nothing written on the agent's accounts since the page they see
    # was made is answered from the cache, without a query of tickets (tickets.counts).
    version = queue_version(user=request.user)
    live = request.GET.get("live")
    if live is not None and request.htmx and live == version:
        return HttpResponse(status=204)
    now = timezone.now()
    filterset = QueueFilter(
        request.GET or None,
        queryset=queue_tickets(user=request.user, view=queue_view, now=now),
        user=request.user,
        choices=queue_filter_choices_kept(request.user),
        statuses=queue_view.statuses,
    )
    if not filterset.is_bound:
        tickets = filterset.queryset
    else:
        # A filter that does not parse (an account or person not offered, a kind that does
        # not exist) matches nothing: showing every ticket would pass for its answer.
        tickets = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = _page_number(request)
    offset = (page - 1) * PAGE_SIZE
    # One row more than the page tells whether there is a next page, without a COUNT.
    rows = list(tickets[offset : offset + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    sidebar = sidebar_context(request, now=now)
    filtered = bool(filterset.form.is_bound and (filterset.form.errors or any(filterset.form.cleaned_data.values())))
    context = desk_context(
        request,
        **sidebar,
        view=queue_view,
        filterset=filterset,
        tickets=_present(rows, now=now, account_names=_account_names(request.user)),
        page=page,
        first_row=offset + 1,
        last_row=offset + len(rows),
        has_next=has_next,
        has_previous=page > 1,
        total=None if filtered or not queue_view.counted else sidebar["counts"][queue_view.slug],
        view_count=sidebar["counts"][queue_view.slug] if queue_view.counted else None,
        filtered=filtered,
        live_token=version,
        live_seconds=settings.DESK_QUEUE_POLL_SECONDS,
        live_update=live is not None,
        # The bulk bar offers the same people as the assignee filter (one query for both).
        colleagues=filterset.filters["assignee"].extra["choices"][1:],
    )
    if request.htmx and request.htmx.target == "queue-results":
        response = render(request, "tickets/_queue_results.html", context)
        if live is not None:
            return response  # a poll leaves the address as it is
        return push_url(response, shared_url)  # the address bar keeps only what is set
    context["selects"] = _filter_selects(filterset)  # the filter bar: only on the full page
    return render(request, "tickets/queue.html", context)


def _url_of_set_filters(request: HttpRequest) -> str:
    """This page's address with only the filters that are set (and no first page number):
    the one to share or bookmark."""
    kept = [
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if value.strip() and name != "live" and not (name == "page" and value == "1")
    ]
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


FILTER_SELECTS = ("seller_account", "channel", "kind", "assignee")
Select = tuple[str, str, list[tuple[str, str, bool]]]  # name, label, (value, label, selected)


def _filter_selects(filterset: QueueFilter) -> list[Select]:
    """The filter bar's drop-downs as plain option lists (the accounts from the filter's
    kept choices)."""
    form = filterset.form
    selects = []
    for name in FILTER_SELECTS:
        field = form[name]
        choices = None
        if name == "seller_account":
            choices = [("", field.field.empty_label), *filterset.account_choices]
        selects.append((name, field.label, select_options(field, choices)))
    return selects


def _account_names(user) -> dict[int, str] | None:
    """Each seller account's name by id, for the rows' brand badge; None for someone who
    works on a single account (every row would say the same)."""
    accounts = queue_filter_choices_kept(user)["accounts"]
    if len(accounts) < 2:
        return None
    return {int(pk): label for pk, label in accounts}


# A reply's delivery state as the row says it (the outbox's statuses, tickets.models.outbound).
DELIVERY_LABELS = {
    "queued": ("Queued", "queued"),
    "sending": ("Queued", "queued"),
    "sent": ("Sent", "sent"),
    "failed": ("Failed, will retry", "failed"),
    "dead": ("Failed", "failed"),
    "rejected": ("Not delivered", "failed"),
}


def _present(tickets: list[Ticket], *, now: datetime, account_names: dict[int, str] | None = None) -> list[dict]:
    """What each row shows, worked out once in Python as plain strings in a dict: 50 rows of
    template filters, ``{% url %}`` tags and attribute lookups on model instances (Django's
    template engine tries ``row[name]`` first, an exception per lookup on an object) were
    most of the page's time. Each dict's ``html`` is the row as the queue prints it
    (``_row_html``)."""
    ticket_url = desk_url("desk:ticket", 0).removesuffix("0/")  # reversed once per process
    zone = timezone.get_current_timezone()
    # Labels by value rather than get_*_display() per row (it rebuilds the choices each call).
    kinds, priorities = dict(Ticket.Kind.choices), dict(Ticket.Priority.choices)
    short_titles: dict[str, str] = {}  # a page shows the same few products again and again
    rows = []
    for ticket in tickets:
        sla_class = ticket.sla_state(now)
        countdown = sla_countdown(ticket.sla_due_at) if sla_class != "none" else ""
        buyer, order, assignee = ticket.buyer, ticket.order, ticket.assignee
        last_message, product = ticket.last_message or {}, ticket.product or {}
        rows.append(
            {
                # Numbers as text: the template would pass each through number formatting.
                "pk": str(ticket.pk),
                "href": f"{ticket_url}{ticket.pk}/",
                "sla_class": sla_class,
                "countdown": countdown,
                # As the ``date:"c"`` filter wrote it: ISO 8601 in the agent's time zone.
                "due_iso": ticket.sla_due_at.astimezone(zone).isoformat() if countdown else "",
                "clock_note": _clock_note(ticket),
                "subject": ticket.subject,
                "preview": last_message.get("preview"),
                "preview_from": "Buyer" if last_message.get("direction") == Message.Direction.INBOUND else "Us",
                "delivery": DELIVERY_LABELS.get(last_message.get("delivery") or ""),
                "account": account_names.get(ticket.seller_account_id, "") if account_names else "",
                "buyer": buyer.name or buyer.amazon_buyer_id,
                "has_order": order is not None,
                "order_id": order.amazon_order_id if order else "",
                "channel": order.fulfillment_channel if order else "",
                "channel_class": "fbm" if order and order.fulfillment_channel == FulfillmentChannel.FBM else "fba",
                "product_title": product.get("title"),
                "product_short": _short_title(product.get("title"), short_titles),
                "product_asin": product.get("asin"),
                "kind": str(kinds.get(ticket.kind, ticket.kind)),
                "priority": str(ticket.priority),
                # Only high and urgent get a badge.
                "priority_label": str(priorities.get(ticket.priority, ticket.priority)) if ticket.priority >= 3 else "",
                "assignee_id": ticket.assignee_id,
                "assignee_name": display_name(assignee),
                "assignee_initials": initials(assignee),
            }
        )
        rows[-1]["html"] = _row_html(rows[-1])
    return rows


def _row_html(row: dict) -> SafeString:
    """A queue row's ``<tr>``, every text escaped (``html.escape``, as the template's
    autoescape does). Written here rather than in the template: 50 rows of some 30 template
    nodes each (a variable lookup and an escape per node) were still the largest part of the
    page's time, several times what these f-strings cost."""
    pk, href = row["pk"], escape(row["href"])
    if row["countdown"]:
        due, countdown = escape(row["due_iso"]), escape(row["countdown"])
        sla = f'<span class="sla {row["sla_class"]}" data-due="{due}">{countdown}</span>'
    else:
        sla = f'<span class="sla none">{escape(row["clock_note"])}</span>'
    conversation = f'<a class="subject" href="{href}">{escape(row["subject"])}</a>'
    if row["account"]:
        conversation += f' <span class="badge account" title="Seller account">{escape(row["account"])}</span>'
    if row["preview"]:
        conversation += (
            f'<span class="preview"><span class="from">{row["preview_from"]}:</span> {escape(row["preview"])}</span>'
        )
    if row["delivery"]:
        label, css = row["delivery"]
        conversation += f'<span class="delivery {css}">{label}</span>'
    if row["has_order"]:
        order = (
            f'<span class="mono nowrap">{escape(row["order_id"])}</span><br>'
            f'<span class="badge {row["channel_class"]}">{escape(row["channel"])}</span>'
        )
    else:
        order = '<span class="muted">—</span>'
    if row["product_title"]:
        product = (
            f'<span title="{escape(row["product_title"])}">{escape(row["product_short"])}</span><br>'
            f'<small class="mono">{escape(str(row["product_asin"]))}</small>'
        )
    else:
        product = '<span class="muted">—</span>'
    kind = escape(row["kind"])
    if row["priority_label"]:
        kind += f' <span class="badge p{row["priority"]}">{escape(row["priority_label"])}</span>'
    if row["assignee_id"]:
        assignee = (
            f'<span class="avatar" title="{escape(row["assignee_name"])}">{escape(row["assignee_initials"])}</span>'
        )
    else:
        assignee = '<span class="muted">Unassigned</span>'
    # Every text above went through escape().
    return mark_safe(
        f'<tr data-href="{href}" data-ticket="{pk}">\n'
        f'<td><input type="checkbox" name="tickets" value="{pk}" aria-label="Select ticket {pk}"></td>\n'
        f"<td>{sla}</td>\n<td>{conversation}</td>\n<td>{escape(row['buyer'])}</td>\n"
        f"<td>{order}</td>\n<td>{product}</td>\n<td>{kind}</td>\n<td>{assignee}</td>\n</tr>\n"
    )


def _short_title(title: str | None, seen: dict[str, str]) -> str:
    """A product title cut to 28 characters, as ``truncatechars:28`` cut it."""
    if not title:
        return ""
    if title not in seen:
        seen[title] = Truncator(title).chars(28) if len(title) > 28 else title
    return seen[title]


def _clock_note(ticket: Ticket) -> str:
    """The SLA cell of a ticket without a running clock."""
    if ticket.status == Ticket.Status.PENDING:
        return "waiting"
    if ticket.no_response_needed:
        return "no reply needed"
    return "—"


@login_required
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, user=request.user)
    back = request.POST.get("next") or reverse("desk:queue")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("desk:queue")  # never redirect off-site
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    operation = data["operation"]
    if operation == "merge":
        # A merge is previewed first: the merge page, keeping the oldest ticket.
        chosen = list(data["tickets"])
        survivor = merge_survivor_pick(chosen)
        return redirect(merge_url(survivor.pk, [t.pk for t in chosen if t.pk != survivor.pk]))
    result = tickets_bulk_update(
        tickets=list(data["tickets"]),
        actor=request.user,
        status="closed" if operation == "close" else None,
        assignee=data["assignee"] if operation == "assign" else None,
        no_response_needed=operation == "no_response_needed",
    )
    label = dict(BulkForm.OPERATIONS)[operation]
    messages.success(request, f"{label}: {result.changed} ticket{'s' if result.changed != 1 else ''} updated.")
    for reason in result.skipped:
        messages.warning(request, f"Skipped {reason}")
    return redirect(back)
