"""Message via Amazon in the agent desk: the types Amazon allows for the ticket's order (asked
live), each with its own form and limits, sent through ``amazon_message_send`` like the API."""

from datetime import UTC, datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tickets.attachments import MESSAGING_API, AttachmentIn
from tickets.models import Ticket
from tickets.outbound.amazon_actions import (
    AMAZON_ACTIONS,
    AmazonActionInvalid,
    amazon_action_proposal,
    amazon_actions_offered,
)
from tickets.outbound.services import ComplianceRefused
from tickets.selectors import ticket_for_workspace
from tickets.views.base import desk_context

from ..review_requests.services import ReviewRequestRefused, review_request_now
from .messaging import MessagingUnavailable, amazon_message_send, messaging_options


class AmazonMessageForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    coverage_start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    coverage_end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _moment(day) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def _page(request: HttpRequest, ticket: Ticket, *, status: int = 200, options=None, form=None, **extra):
    unavailable = extra.pop("unavailable", None)
    if options is None and unavailable is None:
        try:
            options = messaging_options(ticket=ticket)
        except MessagingUnavailable as exc:
            unavailable = exc.message
    offered = amazon_actions_offered(offered=options.actions) if options else []
    chosen = AMAZON_ACTIONS.get(request.GET.get("action") or extra.pop("chosen_name", ""))
    if chosen is not None and chosen not in offered:
        chosen = None
    template = None
    if chosen is not None and form is None:
        text, template = amazon_action_proposal(ticket=ticket, action=chosen, locale=options.locale, agent=request.user)
        form = AmazonMessageForm(initial={"text": text})
    context = desk_context(
        request,
        ticket=ticket,
        options=options,
        offered=offered,
        chosen=chosen,
        form=form,
        proposed_template=template,
        unavailable=unavailable,
        max_mb=MESSAGING_API.max_bytes // (1024 * 1024),
        **extra,
    )
    return render(request, "amazon/ticket_amazon.html", context, status=status)


@login_required
@require_GET
def ticket_amazon(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, ticket_for_workspace(user=request.user, pk=pk))


@login_required
@require_POST
def ticket_amazon_send(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    form = AmazonMessageForm(request.POST)
    files = request.FILES.getlist("attachments")[: MESSAGING_API.max_files + 1]
    if not form.is_valid() or action not in AMAZON_ACTIONS:
        return _page(request, ticket, form=form, status=400, chosen_name=action)
    if any(f.size > MESSAGING_API.max_bytes for f in files):
        form.add_error(None, "Attachments are at most 10 MB each.")
        return _page(request, ticket, form=form, status=400, chosen_name=action)
    attachments = [
        AttachmentIn(name=f.name, content_type=f.content_type or "application/octet-stream", content=f.read())
        for f in files
    ]
    data = form.cleaned_data
    try:
        amazon_message_send(
            ticket=ticket,
            action_name=action,
            text=data["text"],
            attachments=attachments,
            coverage=(_moment(data["coverage_start"]), _moment(data["coverage_end"])),
            actor=request.user,
            channel="ui",
        )
    except MessagingUnavailable as exc:
        return _page(request, ticket, form=form, status=503, unavailable=exc.message, chosen_name=action)
    except AmazonActionInvalid as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _page(request, ticket, form=form, status=409 if exc.not_offered else 400, chosen_name=action)
    except ComplianceRefused as refused:
        return _page(request, ticket, form=form, status=422, refusal=refused.result, chosen_name=action)
    messages.success(request, f"{AMAZON_ACTIONS[action].label} queued for Amazon's Messaging API.")
    return redirect("desk:ticket", pk=ticket.pk)


@login_required
@require_POST
def ticket_review_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The workspace's *Request a review*: Amazon's solicitation for the ticket's order now,
    by the same rules as the automatic one; when it cannot, the agent reads why."""
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    try:
        review_request_now(ticket=ticket, user=request.user)
    except ReviewRequestRefused as refused:
        messages.warning(request, f"No review requested: {refused.message}")
    else:
        messages.success(request, "Review requested: Amazon sends the buyer its Request a Review e-mail.")
    return redirect("desk:ticket", pk=ticket.pk)
