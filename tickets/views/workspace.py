"""The ticket workspace: conversation, buyer and order context, the reply box."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from csmdesk.ratelimit import rate_limit_hit
from reviews.highlight import highlight
from reviews.themes import merged_spans

from ..forms import ComplianceCheckForm, ReplyForm, TicketUpdateForm
from ..macros import macro_apply
from ..models import Ticket
from ..models.tickets import InvalidTransition
from ..outbound.services import ComplianceRefused, MessageHeld, message_check
from ..outbound.templating import message_context, template_render
from ..presence import presence_touch
from ..replies import REPLY_ACTIONS, ActionNotAllowed, reply_purpose, ticket_reply
from ..selectors import (
    message_template_get,
    ticket_activity_since,
    ticket_for_workspace,
    ticket_workspace,
)
from ..services import InvalidAssignment, ticket_note_add, ticket_resolve_without_reply, ticket_update
from ..sla.clock import UnansweredMessages
from .base import desk_context, select_options

UPDATE_SELECTS = ("status", "priority", "assignee")
WAITING_ON_US = (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING)


def _draft(request: HttpRequest, ticket: Ticket, *, items: list, templates: list) -> dict:
    """The reply box's starting text: a template (``?template=``) or the template of an
    action (``?action=refund``), rendered for this ticket and agent; ``templates`` are the
    account's, which the page lists anyway."""
    action = REPLY_ACTIONS.get(request.GET.get("action", ""))
    slug = action.template_slug if action else request.GET.get("template", "")
    template = next((t for t in templates if t.slug == slug), None) if slug else None
    body = ""
    if template is not None:
        # The first item's product, from the items the side panel already loaded.
        product = items[0].product if items else None
        context = message_context(ticket=ticket, agent=request.user, product=product)
        body = template_render(body=template.body, context=context)
    return {"body": body, "template": template.slug if template else "", "action": action.slug if action else ""}


def _update_selects(form: TicketUpdateForm, *, agents: list) -> list:
    """The ticket form's drop-downs; the assignee's options from the agents the workspace
    already read (the field's own queryset is the same people: ``assignable_agents``)."""
    people = form.fields["assignee"]
    choices = {"assignee": [("", people.empty_label), *((a.pk, people.label_from_instance(a)) for a in agents)]}
    return [(name, form[name].label, select_options(form[name], choices.get(name))) for name in UPDATE_SELECTS]


def _page(request: HttpRequest, ticket: Ticket, *, reply_form=None, update_form=None, status=200, **extra):
    workspace = ticket_workspace(ticket=ticket)
    templates = workspace.templates
    last_seen = workspace.conversation[-1].pk if workspace.conversation else 0
    if reply_form is None:
        draft = _draft(request, ticket, items=workspace.items, templates=templates)
        reply_form = ReplyForm(
            initial={
                **draft,
                "seen_message_id": last_seen,
                # Replying to a waiting conversation waits on the buyer again; a solved or
                # closed one keeps its status unless the agent chooses otherwise.
                "status_after": Ticket.Status.PENDING if ticket.status in WAITING_ON_US else "",
            }
        )
    update_form = update_form or TicketUpdateForm(ticket=ticket)
    chosen = reply_form["template"].value()
    macro = next((t for t in templates if chosen and t.slug == chosen and t.is_macro), None)
    context = desk_context(
        request,
        ticket=ticket,
        workspace=workspace,
        reply_form=reply_form,
        mode_options=select_options(reply_form["mode"]),
        update_form=update_form,
        update_selects=_update_selects(update_form, agents=workspace.agents),
        templates=templates,
        macro=macro,
        macro_assignee=next((a for a in workspace.agents if macro and a.pk == macro.sets_assignee_id), None),
        actions=REPLY_ACTIONS.values(),
        viewers=presence_touch(ticket_id=ticket.pk, user=request.user),
        last_seen=last_seen,
        **extra,
    )
    if request.htmx and request.htmx.target == "reply-form":
        return render(request, "tickets/_composer.html", context, status=status)
    return render(request, "tickets/ticket.html", context, status=status)


@login_required
@require_GET
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    if ticket.merged_into_id:
        # A merged duplicate lives on in its survivor (tickets.merge).
        survivor = ticket.merged_into_id
        messages.info(request, f"Ticket #{ticket.pk} was merged into #{survivor}: its conversation is here.")
        return redirect("desk:ticket", pk=ticket.merged_into_id)
    return _page(request, ticket)


@login_required
@require_POST
def ticket_reply_send(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page(request, ticket, reply_form=form, status=400)
    data = form.cleaned_data
    # Someone else wrote on the ticket since the agent opened it: show what, keep the draft,
    # and let them send it anyway once they have read it.
    newer = ticket_activity_since(
        ticket=ticket, seen_message_id=data["seen_message_id"], user=request.user, notes=False
    )
    # A note is for the team: nothing the buyer reads can contradict it, so it is never held.
    if newer and not data["send_anyway"] and data["mode"] != "note":
        form = ReplyForm({**request.POST.dict(), "send_anyway": "on"})
        form.is_valid()
        return _page(request, ticket, reply_form=form, status=409, collision=newer)
    if data["mode"] == "note":
        ticket_note_add(ticket=ticket, body=data["body"], actor=request.user)
        messages.success(request, "Internal note added.")
        return redirect("desk:ticket", pk=ticket.pk)
    template = (
        message_template_get(seller_account=ticket.seller_account, slug=data["template"]) if data["template"] else None
    )
    # A macro's template also changes the ticket and may add a note: one action (tickets.macros).
    send = macro_apply if template is not None and template.is_macro else ticket_reply
    try:
        send(
            ticket=ticket,
            body=data["body"],
            actor=request.user,
            channel="ui",
            template=template,
            action=REPLY_ACTIONS.get(data["action"]),
            status_after=data["status_after"] or None,
        )
    except ComplianceRefused as refused:
        return _page(request, ticket, reply_form=form, status=422, refusal=refused.result)
    except MessageHeld as held:
        # Kept on the ticket with its doubts marked, for a manager to approve or reject.
        messages.warning(
            request,
            "Held for approval: the compliance guard is unsure about this reply, so a manager must approve it "
            "before it is sent. The buyer is still waiting (the clock keeps running).",
        )
        return redirect(reverse("desk:ticket", kwargs={"pk": ticket.pk}) + f"#held{held.held.pk}")
    except (ActionNotAllowed, InvalidTransition, InvalidAssignment) as exc:
        form.add_error(None, str(exc))
        return _page(request, ticket, reply_form=form, status=409)
    if send is macro_apply:
        messages.success(request, f"Reply queued for delivery to the buyer; macro “{template.name}” applied.")
    else:
        messages.success(request, "Reply queued for delivery to the buyer.")
    return redirect("desk:ticket", pk=ticket.pk)


@login_required
@require_POST
def ticket_change(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    form = TicketUpdateForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _page(request, ticket, update_form=form, status=400)
    data = form.cleaned_data
    try:
        ticket_update(
            ticket=ticket,
            actor=request.user,
            status=data["status"],
            priority=data["priority"],
            assignee=data["assignee"],
            unassign=data["assignee"] is None,
            no_response_needed=data["no_response_needed"],
            force=data["force"],
        )
    except UnansweredMessages as unanswered:
        # Ask first: reply, mark "no response needed", or do it anyway (the clock runs on).
        answers = [
            ("no_response_needed", f"Mark “no response needed” & {unanswered.action.lower()}"),
            ("force", f"{unanswered.action} anyway (the message still counts)"),
        ]
        return _page(
            request,
            ticket,
            update_form=form,
            status=409,
            unanswered=unanswered,
            unanswered_answers=answers,
            parking=data,
        )
    except (InvalidTransition, InvalidAssignment) as exc:
        form.add_error(None, str(exc))
        return _page(request, ticket, update_form=form, status=409)
    if data["force"]:
        messages.warning(request, "Ticket updated. The buyer's message still counts: its clock keeps running.")
    else:
        messages.success(request, "Ticket updated.")
    return redirect("desk:ticket", pk=ticket.pk)


@login_required
@require_POST
def ticket_no_response(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    ticket_resolve_without_reply(ticket=ticket, actor=request.user)
    messages.success(request, "Marked “no response needed”: the clock stopped and the ticket is solved.")
    return redirect("desk:ticket", pk=ticket.pk)


@login_required
@require_POST
def ticket_compliance_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply box's live check (htmx, debounced): the guard's verdict on the draft,
    with the offending words marked, exactly as sending would judge it. Limited per person
    (``COMPLIANCE_LIVE_CHECK_RATE``): past it the box says the check is paused; sending
    still runs the full guard, so a pause never lets a violation through."""
    hit = rate_limit_hit(scope="live-check", ident=str(request.user.pk), rate=settings.COMPLIANCE_LIVE_CHECK_RATE)
    if not hit.allowed:
        response = render(request, "tickets/_compliance.html", {"paused": True}, status=429)
        response["Retry-After"] = str(hit.retry_after)
        return response
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    form = ComplianceCheckForm(request.POST)
    form.is_valid()
    body = (form.cleaned_data.get("body") or "").strip()
    if form.cleaned_data.get("mode") == "note" or not body:
        return render(request, "tickets/_compliance.html", {"result": None, "body": body})
    template = message_template_get(seller_account=ticket.seller_account, slug=form.cleaned_data.get("template") or "")
    result = message_check(
        body=body,
        purpose=reply_purpose(template),
        seller_account=ticket.seller_account,
        order=ticket.order,
        ticket=ticket,
    )
    # Refused: the broken rules are marked; held: the doubts.
    marks = result.violations if not result.allowed else result.doubts
    spans = merged_spans([(v.start, v.end) for v in marks if v.end > v.start])
    return render(request, "tickets/_compliance.html", {"result": result, "marked": highlight(body, spans)})


@login_required
@require_GET
def ticket_presence(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the workspace: who else is here, and what was written since the page loaded."""
    ticket = ticket_for_workspace(user=request.user, pk=pk)
    try:
        seen = int(request.GET.get("seen", "0"))
    except ValueError:
        seen = 0
    context = {
        "viewers": presence_touch(ticket_id=ticket.pk, user=request.user),
        "newer": ticket_activity_since(ticket=ticket, seen_message_id=max(seen, 0), user=request.user),
        "ticket": ticket,
    }
    return render(request, "tickets/_presence.html", context)
