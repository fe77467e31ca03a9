"""The agent desk's FBA reimbursements: a queue of the caller's cases, the nearest claim
deadline first, each with its claim text to copy into Seller Central and a form to record
the filing (Amazon's case id). Thin: selectors and ``reimbursement_case_update``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tickets.models.tickets import InvalidTransition
from tickets.views.base import desk_context, sidebar_context

from .models import CaseStatus
from .selectors import case_claim_text, reimbursement_queue
from .services import reimbursement_case_update

PAGE_SIZE = 50
FILTERS = [("open", "Open"), *((s, label) for s, label in CaseStatus.choices)]


@login_required
def reimbursement_queue_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in dict(FILTERS):
        status = "open"
    cases = list(reimbursement_queue(user=request.user, status=status)[:PAGE_SIZE])
    now = timezone.now()
    rows = [(case, case.sla_state(now), case_claim_text(case)) for case in cases]
    context = desk_context(request, **sidebar_context(request), filters=FILTERS, status=status, rows=rows)
    return render(request, "reimbursements/queue.html", context)


@login_required
@require_POST
def reimbursement_case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent filed the claim in Seller Central: record Amazon's case id."""
    case = get_object_or_404(reimbursement_queue(user=request.user, status=""), pk=pk)
    try:
        case = reimbursement_case_update(
            case=case,
            actor=request.user,
            status=CaseStatus.FILED,
            amazon_case_id=request.POST.get("amazon_case_id", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Claim #{case.pk} recorded as filed with Amazon case {case.amazon_case_id}.")
    return redirect("desk:reimbursements")
