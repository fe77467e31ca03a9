"""Merging duplicates from the desk: a preview of what moves, then the merge
(tickets.merge owns the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from ..access import tickets_visible_to
from ..forms import MergeForm
from ..merge import MergeRefused, merge_candidates, ticket_merge, ticket_merge_preview
from ..models.tickets import InvalidTransition
from ..selectors import ticket_for_workspace
from .base import desk_context


def merge_url(survivor_pk: int, duplicate_pks: list[int]) -> str:
    """The merge page of ``survivor_pk`` with these duplicates chosen (the preview)."""
    query = urlencode([("tickets", pk) for pk in duplicate_pks])
    return reverse("desk:ticket-merge", args=[survivor_pk]) + (f"?{query}" if query else "")


@login_required
@require_http_methods(["GET", "POST"])
def ticket_merge_page(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else (request.GET if "tickets" in request.GET else None)
    form = MergeForm(data, user=request.user)
    preview, refusal, status = None, None, 200
    if form.is_bound and form.is_valid():
        duplicates = list(form.cleaned_data["tickets"])
        try:
            if request.method == "POST":
                moved = ticket_merge(survivor=ticket, duplicates=duplicates, actor=request.user)
                ids = ", ".join(f"#{d.pk}" for d in duplicates)
                count = f"{moved.messages} message{'s' if moved.messages != 1 else ''}"
                messages.success(request, f"Merged {ids} into this ticket: {count} moved.")
                return redirect("desk:ticket", pk=ticket.pk)
            preview = ticket_merge_preview(survivor=ticket, duplicates=duplicates)
        except (MergeRefused, InvalidTransition) as exc:
            refusal, status = str(exc), 400 if isinstance(exc, MergeRefused) else 409
    elif form.is_bound:
        status = 400
    chosen = [d.pk for d in preview.duplicates] if preview else []
    context = desk_context(
        request,
        ticket=ticket,
        form=form,
        preview=preview,
        refusal=refusal,
        candidates=merge_candidates(ticket=ticket, tickets=tickets_visible_to(request.user)),
        chosen=chosen,
        # Keep another of the chosen tickets instead: the same merge the other way round.
        swaps=[(d, merge_url(d.pk, [ticket.pk, *(o for o in chosen if o != d.pk)])) for d in preview.duplicates]
        if preview
        else [],
    )
    return render(request, "tickets/merge.html", context, status=status)
