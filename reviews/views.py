"""The agent desk's review outreach: a queue of cases and one page per case, worked only
through Amazon's two Contact Customer templates (the services enforce it)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tickets.access import outreach_cases_visible_to
from tickets.outbound.services import ComplianceRefused
from tickets.views.base import desk_context, sidebar_context

from . import services
from .highlight import match_snippet
from .models import ProductReview, ReviewOutreachCase, ReviewThemeMatch, ThemePolarity

PAGE_SIZE = 50
Status = ReviewOutreachCase.Status


class ContactForm(forms.Form):
    contact_reason = forms.ChoiceField(choices=ReviewOutreachCase.ContactReason.choices)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(choices=ReviewOutreachCase.Resolution.choices)


def _cases(user):
    # The prefetch sets each match's review to the case's review: no join back to it.
    # The outreach queue is about what went wrong: complaint themes only.
    matches = (
        ReviewThemeMatch.objects.filter(polarity=ThemePolarity.COMPLAINT)
        .select_related("theme")
        .order_by("theme__position")
    )
    return (
        outreach_cases_visible_to(user)
        .select_related("review__product", "review__order__buyer", "review__buyer", "review__seller_account", "ticket")
        .prefetch_related(Prefetch("review__theme_matches", queryset=matches))
    )


@login_required
def outreach_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Status.NEW)
    if status not in Status.values:
        status = Status.NEW
    counts = outreach_cases_visible_to(request.user).aggregate(
        **{value: Count("id", filter=Q(status=value)) for value in Status.values}
    )
    # Oldest review first: Amazon's Contact Customer button is meant for fresh reviews.
    cases = _cases(request.user).filter(status=status).order_by("review__reviewed_at", "pk")
    if status == Status.NEW:
        # New cases nobody can contact yet (no buyer or order linked) wait apart, for a
        # manager to link, instead of sitting among the ones an agent can work.
        contactable = ProductReview.CASE_CONTACTABLE
        sections = [
            ("", list(cases.filter(contactable)[:PAGE_SIZE])),
            ("Cannot be contacted yet: no buyer or order linked", list(cases.exclude(contactable)[:PAGE_SIZE])),
        ]
    else:
        sections = [("", list(cases[:PAGE_SIZE]))]
    context = desk_context(
        request,
        **sidebar_context(request),
        statuses=[(value, label, counts[value]) for value, label in Status.choices],
        status=status,
        sections=[(title, rows) for title, rows in sections if rows or not title],
        cases=any(rows for _, rows in sections),
    )
    return render(request, "reviews/outreach_queue.html", context)


def _case_page(request: HttpRequest, case: ReviewOutreachCase, *, status: int = 200, error: str = "") -> HttpResponse:
    snippets = [(m.theme, match_snippet(m, width=400)) for m in case.review.theme_matches.all()]
    context = desk_context(
        request,
        case=case,
        review=case.review,
        snippets=snippets,
        contact_form=ContactForm(),
        resolve_form=ResolveForm(),
        error=error,
    )
    return render(request, "reviews/outreach_case.html", context, status=status)


@login_required
def outreach_case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, get_object_or_404(_cases(request.user), pk=pk))


@login_required
@require_POST
def outreach_case_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    case = get_object_or_404(_cases(request.user), pk=pk)
    try:
        if step == "contact":
            form = ContactForm(request.POST)
            if not form.is_valid():
                return _case_page(request, case, status=400, error="Choose Courtesy Refund or Customer Support.")
            services.outreach_contact(
                case=case, contact_reason=form.cleaned_data["contact_reason"], actor=request.user, channel="ui"
            )
            messages.success(request, "Contact recorded: Amazon sends its fixed email to the buyer.")
        elif step == "resolve":
            form = ResolveForm(request.POST)
            if not form.is_valid():
                return _case_page(request, case, status=400, error="Choose how the case was resolved.")
            services.outreach_resolve(case=case, resolution=form.cleaned_data["resolution"], actor=request.user)
            messages.success(request, "Case resolved.")
        elif step == "close":
            services.outreach_close(case=case, actor=request.user)
            messages.success(request, "Case closed.")
        else:
            return _case_page(request, case, status=404, error="Unknown step.")
    except (services.OutreachError, ComplianceRefused) as exc:
        case.refresh_from_db()
        return _case_page(request, case, status=409, error=str(exc))
    return redirect("desk:outreach-case", pk=case.pk)
