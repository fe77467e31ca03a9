"""The queue: SLA-ordered views of the tickets an agent can see, filters, bulk actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..forms import BulkForm, QueueFilter
from ..selectors import QUEUE_VIEWS, queue_counts, queue_tickets
from ..services import tickets_bulk_update
from .base import desk_context

PAGE_SIZE = 50
MAX_PAGE = 10_000  # deep offsets are slow and never useful: search instead


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


@login_required
def queue(request: HttpRequest, view: str = "mine") -> HttpResponse:
    queue_view = QUEUE_VIEWS.get(view)
    if queue_view is None:
        raise Http404("No such queue view.")
    now = timezone.now()
    filterset = QueueFilter(
        request.GET or None, queryset=queue_tickets(user=request.user, view=queue_view, now=now), user=request.user
    )
    tickets = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = _page_number(request)
    offset = (page - 1) * PAGE_SIZE
    # One row more than the page tells whether there is a next page, without a COUNT.
    rows = list(tickets[offset : offset + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    counts = queue_counts(user=request.user, now=now)
    filtered = bool(filterset.form.is_bound and any(filterset.form.cleaned_data.values()))
    context = desk_context(
        request,
        views=QUEUE_VIEWS.values(),
        view=queue_view,
        counts=counts,
        filterset=filterset,
        tickets=rows,
        page=page,
        first_row=offset + 1,
        last_row=offset + len(rows),
        has_next=has_next,
        has_previous=page > 1,
        total=None if filtered or not queue_view.counted else counts[queue_view.slug],
        filtered=filtered,
        bulk_form=BulkForm(user=request.user),
        now=now,
    )
    if request.htmx and request.htmx.target == "queue-results":
        return render(request, "tickets/_queue_results.html", context)
    return render(request, "tickets/queue.html", context)


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
