"""A case's claim deadline on the desk's SLA sweep: at risk seven days before, expired when
it passes, each transition once, with notices and the ``reimbursement.deadline_soon`` webhook."""

import json
from datetime import timedelta

import pytest

from api.models import WebhookDelivery, WebhookSubscription
from reimbursements.models import DeadlineEvent, ReimbursementCase
from reimbursements.rules import reconcile
from tickets.models import AuditEvent, Notification
from tickets.sla.sweep import sla_sweep

from .fba import NOW, days_ago, refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(account, alice):
    refund(account, at=days_ago(100))  # deadline: day 120, in 20 days
    reconcile(seller_account=account, now=NOW)
    return ReimbursementCase.objects.get()


@pytest.fixture
def subscription(account):
    subscription = WebhookSubscription.objects.create(
        name="CRM", url="http://127.0.0.1:9/", events=["reimbursement.deadline_soon", "reimbursement.found"]
    )
    subscription.seller_accounts.add(account)
    return subscription


def test_the_deadline_is_ok_until_seven_days_before(case):
    sla_sweep(now=case.sla_due_at - timedelta(days=7, seconds=1))
    assert (case.sla_state(now=case.sla_due_at - timedelta(days=8)), DeadlineEvent.objects.count()) == ("ok", 0)


def test_seven_days_before_it_is_at_risk_once_and_the_team_is_told(case, alice):
    at = case.sla_due_at - timedelta(days=7)
    sla_sweep(now=at)
    sla_sweep(now=at + timedelta(minutes=1))
    assert list(DeadlineEvent.objects.values_list("kind", flat=True)) == ["reimbursement_due_soon"]
    assert Notification.objects.get(recipient=alice).kind == "reimbursement_due_soon"


def test_at_risk_emits_the_deadline_soon_webhook(case, subscription):
    sla_sweep(now=case.sla_due_at - timedelta(days=6))
    delivery = WebhookDelivery.objects.get(event="reimbursement.deadline_soon")
    assert json.loads(delivery.body)["data"]["claim_deadline"] == case.sla_due_at.isoformat().replace("+00:00", "Z")


def test_when_the_deadline_passes_the_unfiled_case_expires(case):
    sla_sweep(now=case.sla_due_at)
    case.refresh_from_db()
    assert (case.status, case.sla_state(now=case.sla_due_at)) == ("expired", "none")
    assert AuditEvent.objects.filter(action="reimbursement_case.expired", object_id=str(case.pk)).exists()


def test_a_filed_claim_runs_no_clock(case):
    from reimbursements.services import reimbursement_case_update

    reimbursement_case_update(case=case, actor="test", status="filed", amazon_case_id="9876543210")
    sla_sweep(now=case.sla_due_at + timedelta(days=1))
    case.refresh_from_db()
    assert (case.status, DeadlineEvent.objects.count()) == ("filed", 0)


def test_a_new_case_emits_reimbursement_found(account, subscription):
    refund(account, at=days_ago(70))
    reconcile(seller_account=account, now=NOW)
    delivery = WebhookDelivery.objects.get(event="reimbursement.found")
    assert json.loads(delivery.body)["data"]["rule"] == "refunded_not_returned"
