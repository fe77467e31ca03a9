"""The life of a reimbursement case as people move it (the reconciliation moves the rest:
``reimbursements.rules``): ready to file, filed with Amazon's case id, paid or denied, the
assignee. One function, ``reimbursement_case_update``, for the desk, the admin and the API;
each change is audited."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tickets.audit import Actor, audit_record, field_changes
from tickets.models import SellerAccount
from tickets.models.tickets import InvalidTransition

from .models import CaseStatus, ReimbursementCase

UNSET = object()


@transaction.atomic
def reimbursement_case_update(
    *,
    case: ReimbursementCase,
    actor: Actor,
    status: str | None = None,
    amazon_case_id: str | None = None,
    assignee: AbstractBaseUser | None | object = UNSET,
) -> ReimbursementCase:
    """Change a case's status, Amazon case id or assignee.

    Filing needs Amazon's case id (the claim is filed in Seller Central, which gives it);
    a status change outside ``ReimbursementCase.TRANSITIONS`` raises ``InvalidTransition``
    (the API answers 409). The assignee must work the case's seller account."""
    case = ReimbursementCase.objects.select_for_update().get(pk=case.pk)
    values: dict = {}
    if amazon_case_id is not None:
        amazon_case_id = amazon_case_id.strip()
        if len(amazon_case_id) > 32:
            raise ValidationError({"amazon_case_id": "At most 32 characters."})
        values["amazon_case_id"] = amazon_case_id
    if status is not None and status != case.status:
        if status not in CaseStatus.values:
            raise ValidationError({"status": f"Unknown status {status!r}."})
        if not case.can_transition_to(status):
            raise InvalidTransition(f"A {case.get_status_display().lower()} case cannot become {status}.")
        if status == CaseStatus.FILED and not (values.get("amazon_case_id") or case.amazon_case_id):
            raise ValidationError({"amazon_case_id": "Filing needs the case id Seller Central gave the claim."})
        values["status"] = status
        if status == CaseStatus.FILED:
            values["filed_at"] = timezone.now()
        if status in (CaseStatus.PAID, CaseStatus.DENIED, CaseStatus.CLOSED):
            values["resolved_at"] = timezone.now()
    if assignee is not UNSET:
        if assignee is not None and not case.seller_account.has_agent(assignee):
            raise ValidationError({"assignee": "The assignee does not work this seller account."})
        values["assignee"] = assignee
    changes = field_changes({f: getattr(case, f) for f in values}, values)
    if not changes:
        return case
    for name, value in values.items():
        setattr(case, name, value)
    case.save(update_fields=[*values, "updated_at"])
    audit_record(subject=case, action="reimbursement_case.updated", actor=actor, changes=changes)
    return case


def reimbursement_found_emit(*, seller_account: SellerAccount, case_ids: Iterable[int]) -> int:
    """The ``reimbursement.found`` webhook, one event per new case, written in the caller's
    transaction (posted by Celery after commit). Returns the number of events."""
    from api.models import WebhookSubscription
    from api.webhooks import webhook_emit

    if not WebhookSubscription.objects.filter(active=True, seller_accounts=seller_account).exists():
        return 0
    from .selectors import case_payload

    count = 0
    for case in ReimbursementCase.objects.filter(pk__in=list(case_ids)).order_by("pk"):
        count += bool(
            webhook_emit(event="reimbursement.found", seller_account=seller_account, payload=case_payload(case))
        )
    return count
