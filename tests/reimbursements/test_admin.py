"""The managers' Reimbursements view and the line on Account health."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reimbursements.models import (
    FbaCustomerReturn,
    FbaLedgerAdjustment,
    FbaRefund,
    FbaReimbursement,
    FbaReplacement,
    ReimbursementCase,
    ReimbursementWindow,
)
from reimbursements.rules import reconcile
from reimbursements.selectors import reimbursement_summary
from reimbursements.services import reimbursement_case_update

from .fba import customer_return, ledger, refund, reimbursement, replacement

pytestmark = pytest.mark.django_db
URL = "/admin/reimbursements/reimbursementcase/"


def _cases(account, *, n: int, now):
    for i in range(n):
        refund(account, at=now - timedelta(days=70 + i), order=f"111-0000009-{i:07d}", amount="10.00")
    reconcile(seller_account=account, now=now)


def test_the_summary_counts_open_value_deadlines_recovered_and_won_rate(account, manager):
    now = timezone.now()
    refund(account, at=now - timedelta(days=115), order="111-0000001-0000001", amount="40.00")  # due in 5 days
    refund(account, at=now - timedelta(days=70), order="111-0000002-0000002", amount="25.00")
    ledger(account, at=now - timedelta(days=40), quantity=-1)
    reconcile(seller_account=account, now=now)
    second = ReimbursementCase.objects.get(amazon_order_id="111-0000002-0000002")
    lost = ReimbursementCase.objects.get(rule="warehouse_lost")
    reimbursement_case_update(case=second, actor="test", status="filed", amazon_case_id="1")
    reimbursement(account, at=now, order="111-0000002-0000002", per_unit="25.00")
    reimbursement_case_update(case=lost, actor="test", status="filed", amazon_case_id="2")
    reimbursement_case_update(case=lost, actor="test", status="denied")
    reconcile(seller_account=account, now=now + timedelta(minutes=1))
    summary = reimbursement_summary(user=manager, now=now + timedelta(minutes=2))
    assert (summary.due_this_week, summary.recovered_this_month, summary.won, summary.denied) == (
        1,
        Decimal("25.00"),
        1,
        1,
    )
    assert [(a.open_cases, a.open_value) for a in summary.accounts] == [(1, Decimal("40.00"))]
    assert summary.won_rate == 50.0


def test_the_changelist_shows_the_summary(account, manager, client):
    _cases(account, n=3, now=timezone.now())
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Recovered this month" in response.content


def test_the_changelist_has_a_query_budget(account, manager, client, django_assert_max_num_queries):
    _cases(account, n=40, now=timezone.now())
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


def test_an_agent_without_admin_access_cannot_open_it(account, alice, client):
    client.force_login(alice)
    assert client.get(URL).status_code == 302


def test_the_change_page_files_through_the_service(account, manager, client):
    _cases(account, n=1, now=timezone.now())
    case = ReimbursementCase.objects.get()
    client.force_login(manager)
    response = client.post(f"{URL}{case.pk}/change/", {"status": "filed", "amazon_case_id": "55555", "assignee": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.amazon_case_id) == ("filed", "55555")


def test_a_refused_change_saves_nothing(account, manager, client):
    _cases(account, n=1, now=timezone.now())
    case = ReimbursementCase.objects.get()
    client.force_login(manager)
    client.post(f"{URL}{case.pk}/change/", {"status": "paid", "amazon_case_id": "", "assignee": ""})
    case.refresh_from_db()
    assert case.status == "ready"


def test_account_health_has_a_reimbursements_line(account, manager, client):
    _cases(account, n=2, now=timezone.now())
    client.force_login(manager)
    response = client.get(f"/admin/metrics/accounthealth/?seller_account={account.pk}")
    assert b"2 open claims worth about 20.00" in response.content


def _sample_case(account):
    _cases(account, n=1, now=timezone.now())
    return ReimbursementCase.objects.get(seller_account=account)


SAMPLES = {
    ReimbursementCase: _sample_case,
    FbaRefund: lambda account: refund(account, at=timezone.now()) or FbaRefund.objects.get(seller_account=account),
    FbaCustomerReturn: lambda account: (
        customer_return(account, at=timezone.now()) or FbaCustomerReturn.objects.get(seller_account=account)
    ),
    FbaReplacement: lambda account: (
        replacement(account, at=timezone.now()) or FbaReplacement.objects.get(seller_account=account)
    ),
    FbaReimbursement: lambda account: (
        reimbursement(account, at=timezone.now()) and FbaReimbursement.objects.get(seller_account=account)
    ),
    FbaLedgerAdjustment: lambda account: (
        ledger(account, at=timezone.now()) or FbaLedgerAdjustment.objects.get(seller_account=account)
    ),
    ReimbursementWindow: lambda account: (
        ReimbursementWindow.objects.first() or ReimbursementWindow.objects.create(marketplace_id="ATVPDKIKX0DER")
    ),
}


def test_every_reimbursements_model_in_the_admin_has_a_sample():
    from django.contrib import admin

    assert {m for m in admin.site._registry if m._meta.app_label == "reimbursements"} == set(SAMPLES)


@pytest.mark.parametrize("model", SAMPLES, ids=lambda m: m.__name__)
def test_a_manager_opens_the_change_page_of_every_reimbursements_model(account, manager, client, model):
    obj = SAMPLES[model](account)
    client.force_login(manager)
    url = f"/admin/reimbursements/{model._meta.model_name}/{obj.pk}/change/"
    assert client.get(url).status_code == 200
