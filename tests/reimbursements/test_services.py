"""People move a case: filed with Amazon's case id, paid or denied, assigned; audited."""

import pytest
from django.core.exceptions import ValidationError

from reimbursements.models import ReimbursementCase
from reimbursements.rules import reconcile
from reimbursements.services import reimbursement_case_update
from tickets.audit import audit_trail
from tickets.models.tickets import InvalidTransition

from .fba import NOW, days_ago, refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(account):
    refund(account, at=days_ago(70))
    reconcile(seller_account=account, now=NOW)
    return ReimbursementCase.objects.get()


def test_filing_needs_amazons_case_id(case, alice):
    with pytest.raises(ValidationError) as error:
        reimbursement_case_update(case=case, actor=alice, status="filed")
    assert "amazon_case_id" in error.value.message_dict


def test_a_filed_case_records_the_id_and_the_moment(case, alice):
    case = reimbursement_case_update(case=case, actor=alice, status="filed", amazon_case_id=" 1234567890 ")
    assert (case.status, case.amazon_case_id, case.filed_at is not None) == ("filed", "1234567890", True)


def test_a_case_cannot_be_paid_before_it_is_filed(case, alice):
    with pytest.raises(InvalidTransition):
        reimbursement_case_update(case=case, actor=alice, status="paid")


def test_a_denied_claim_can_be_filed_again(case, alice):
    reimbursement_case_update(case=case, actor=alice, status="filed", amazon_case_id="1")
    reimbursement_case_update(case=case, actor=alice, status="denied")
    assert reimbursement_case_update(case=case, actor=alice, status="filed").status == "filed"


def test_the_assignee_must_work_the_account(case, charlie):
    with pytest.raises(ValidationError):
        reimbursement_case_update(case=case, actor="test", assignee=charlie)


def test_every_change_is_audited_with_its_actor(case, alice, bob):
    reimbursement_case_update(case=case, actor=alice, assignee=bob)
    event = audit_trail(case).first()
    assert (event.action, event.actor_label, event.changes["assignee"][1]) == (
        "reimbursement_case.updated",
        "alice",
        str(bob.pk),
    )


def test_no_change_writes_no_audit(case, alice):
    reimbursement_case_update(case=case, actor=alice, amazon_case_id="")
    assert not audit_trail(case).filter(action="reimbursement_case.updated").exists()
