"""The FBA reimbursement watch against the local Amazon: the four FBA reports and the Finances
API's refund events through their intakes, then the reconciliation (reimbursements.fetch)."""

from datetime import timedelta

import pytest

from amazon.spapi.reports import ReportNotReady
from amazon_sandbox import Sandbox
from amazon_sandbox.fba import history
from reimbursements.fetch import connections_due_for_fba, fba_sync
from reimbursements.models import (
    FbaCustomerReturn,
    FbaLedgerAdjustment,
    FbaRefund,
    FbaReimbursement,
    FbaReplacement,
    ReimbursementCase,
)

from .conftest import CALLBACK


@pytest.fixture
def sandbox(clock):
    # 2,000 orders over 104 days: enough FBA refunds, returns and losses for every rule.
    return Sandbox(clock=clock, seed=1, orders=2000, sellers=2, report_seconds=30, redirect_uris=[CALLBACK])


def sync(connection, advance, clock):
    for _ in range(20):
        try:
            return fba_sync(connection, now=clock.now())
        except ReportNotReady:
            advance(seconds=60)
    raise AssertionError("the reports never finished")


def _assert_stored_once(marketplace, now):
    h = history(marketplace)
    since = now - timedelta(days=180)
    assert FbaRefund.objects.count() == len([r for r in h.refunds if since <= r.posted <= now]) > 10
    assert FbaCustomerReturn.objects.count() == len([r for r in h.returns if since <= r.returned <= now])
    assert FbaReplacement.objects.count() == len([r for r in h.replacements if since <= r.shipped <= now])
    assert FbaReimbursement.objects.count() == len([r for r in h.reimbursements if since <= r.approved <= now])
    assert FbaLedgerAdjustment.objects.count() == len([a for a in h.adjustments if since <= a.at <= now])


def test_every_fba_row_amazon_has_is_stored_once(connection, marketplace, advance, clock):
    sync(connection, advance, clock)
    _assert_stored_once(marketplace, clock.now() - timedelta(minutes=2))


def test_the_next_days_read_adds_only_the_days_rows(connection, marketplace, advance, clock):
    sync(connection, advance, clock)
    advance(days=1)
    sync(connection, advance, clock)
    _assert_stored_once(marketplace, clock.now() - timedelta(minutes=2))


def test_the_refunds_amazon_never_got_back_nor_paid_become_cases(connection, marketplace, advance, clock):
    sync(connection, advance, clock)
    h, now = history(marketplace), clock.now()
    returned = {r.order_id for r in h.returns}
    paid = {r.order_id for r in h.reimbursements if r.approved <= now}
    expected = {
        r.order_id
        for r in h.refunds
        if r.order_id not in returned
        and r.order_id not in paid
        and now - timedelta(days=120) < r.posted <= now - timedelta(days=60)
    }
    cased = set(ReimbursementCase.objects.filter(source="refund").values_list("amazon_order_id", flat=True))
    assert cased == expected


def test_warehouse_losses_neither_found_nor_paid_become_cases(connection, advance, clock):
    sync(connection, advance, clock)
    assert ReimbursementCase.objects.filter(rule="warehouse_lost").exists()


def test_an_account_read_today_is_not_due_again(connection, advance, clock):
    sync(connection, advance, clock)
    assert connections_due_for_fba(now=clock.now()) == []
    assert connections_due_for_fba(now=clock.now() + timedelta(days=1)) == [connection.pk]


def test_the_hourly_beat_reads_each_connected_account_once_a_day(connection, advance, clock):
    from celery.exceptions import Retry

    from reimbursements.models import FbaSync
    from reimbursements.tasks import fetch_fba_account, fetch_fba_data

    with pytest.raises(Retry):  # the four reports asked for, not ready yet: the task retries later
        fetch_fba_account(connection.pk)
    advance(seconds=120)
    fetch_fba_account(connection.pk)
    assert FbaSync.objects.get(connection=connection).synced_on == clock.now().date()
    assert fetch_fba_data() == 0  # read today: nothing due


def test_a_revoked_authorization_is_recorded_not_raised(sandbox, connection, clock):
    from reimbursements.models import FbaSync
    from reimbursements.tasks import fetch_fba_account

    sandbox.revoke(connection.selling_partner_id)
    fetch_fba_account(connection.pk)
    state = FbaSync.objects.get(connection=connection)
    assert (state.synced_on, bool(state.last_error)) == (None, True)
