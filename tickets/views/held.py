"""Held replies in the desk: the managers' queue of replies the guard held, and their
approve / reject buttons (here and on the ticket). The decisions are the services'
(``tickets.held``); these views fetch through the permission gate and map the outcomes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..access import may_decide_held_messages
from ..held import held_message_approve, held_message_reject
from ..models.tickets import InvalidTransition
from ..outbound.services import ComplianceRefused
from ..replies import ActionNotAllowed
from ..selectors import held_message_for_decision, held_messages_pending
from .base import desk_context, sidebar_context


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, strip=True)


def _back(request: HttpRequest, held) -> HttpResponse:
    # From the queue, back to the queue; from the ticket, back to the held reply on it.
    if request.POST.get("back") == "held" or held.ticket_id is None:
        return redirect("desk:held")
    return redirect(reverse("desk:ticket", kwargs={"pk": held.ticket_id}) + f"#held{held.pk}")


@login_required
@require_GET
def held_queue(request: HttpRequest) -> HttpResponse:
    """Every reply waiting for a manager's decision on the accounts they see, oldest first."""
    if not may_decide_held_messages(request.user):
        raise PermissionDenied("Only managers decide held replies.")
    context = desk_context(
        request,
        **sidebar_context(request),
        section="held",
        held_messages=held_messages_pending(user=request.user),
    )
    return render(request, "tickets/held_queue.html", context)


@login_required
@require_POST
def held_approve(request: HttpRequest, pk: int) -> HttpResponse:
    held = held_message_for_decision(user=request.user, pk=pk)
    try:
        approved = held_message_approve(held=held, actor=request.user)
    except ComplianceRefused as refused:
        rules = ", ".join(sorted({v.rule for v in refused.result.violations}))
        messages.error(request, f"Not sent: the compliance guard now refuses this message ({rules}). Reject it.")
        return _back(request, held)
    except (ActionNotAllowed, InvalidTransition) as exc:
        messages.error(request, f"Not sent: {exc}")
        return _back(request, held)
    if approved:
        messages.success(request, "Approved: the reply is queued for delivery to the buyer.")
    else:
        messages.warning(request, f"Already {held.get_status_display().lower()}: nothing more was done.")
    return _back(request, held)


@login_required
@require_POST
def held_reject(request: HttpRequest, pk: int) -> HttpResponse:
    held = held_message_for_decision(user=request.user, pk=pk)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if held_message_reject(held=held, actor=request.user, reason=reason):
        messages.success(request, "Rejected: nothing was sent, and the agent is told on the ticket.")
    else:
        messages.warning(request, f"Already {held.get_status_display().lower()}: nothing more was done.")
    return _back(request, held)
