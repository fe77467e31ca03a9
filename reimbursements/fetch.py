"""The scheduled read of Amazon's FBA data, per connected account, once a UTC day: the four FBA
reports through the Reports client (``amazon.spapi.reports``: persisted runs, Amazon's rates,
resumable) and the Finances API's refund events, each through its intake; then the
reconciliation. Within Amazon's limits: four ``createReport`` a day (0.0167/s, burst 15) and
one ``listFinancialEvents`` page per 100 refunds (0.5/s, burst 30).

A report still in progress raises ``ReportNotReady``: the task retries after its wait, and the
run (same range) is reused, so nothing is asked twice nor stored twice.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from amazon.spapi.models import SpApiConnection
from amazon.spapi.reports import (
    report_processed,
    report_ready,
    report_rows,
    report_runs_open,
    request_report,
    spapi_client,
)

from .intake import (
    IntakeResult,
    customer_returns_intake,
    ledger_adjustments_intake,
    refund_items,
    refunds_intake,
    reimbursements_intake,
    replacements_intake,
)
from .models import FbaSync
from .rules import reconcile

END_MARGIN = timedelta(minutes=2)  # Amazon's: data up to two minutes before the request
FINANCES_MAX_DAYS = 179  # listFinancialEvents answers nothing for a range over 180 days
MAX_REFUND_PAGES = 500  # bounds one read (50,000 refund items)

REPORTS = {
    "GET_FBA_REIMBURSEMENTS_DATA": reimbursements_intake,
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": customer_returns_intake,
    "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA": replacements_intake,
    "GET_LEDGER_DETAIL_VIEW_DATA": ledger_adjustments_intake,
}


@dataclass
class FetchResult:
    rows: dict[str, IntakeResult] = field(default_factory=dict)
    cases_found: int = 0


def _range(connection: SpApiConnection, report_type: str, now: datetime) -> tuple[datetime, datetime]:
    for run in report_runs_open(connection, report_type):
        if run.data_start and run.data_end:
            return run.data_start, run.data_end
    end = (now - END_MARGIN).replace(microsecond=0)
    return end - timedelta(days=settings.REIMBURSEMENT_FETCH_DAYS), end


def fba_reports_read(connection: SpApiConnection, *, now: datetime) -> dict[str, IntakeResult]:
    """Each FBA report of the account's last ``REIMBURSEMENT_FETCH_DAYS`` into its intake.
    Raises ``ReportNotReady`` while Amazon still prepares one (the ones read are processed)."""
    # All four asked for first: Amazon prepares them side by side.
    report_ids = {}
    for report_type in REPORTS:
        start, end = _range(connection, report_type, now)
        report_ids[report_type] = request_report(connection, report_type, start=start, end=end)
    results = {}
    for report_type, intake in REPORTS.items():
        report_id = report_ids[report_type]
        report_ready(connection, report_id)
        results[report_type] = intake(seller_account=connection.seller_account, rows=report_rows(connection, report_id))
        report_processed(connection, report_id)
    return results


def fba_refunds_read(connection: SpApiConnection, *, now: datetime) -> IntakeResult:
    """The Finances API's refund events of the last 179 days into the refund intake."""
    client = spapi_client(connection)
    before = (now - END_MARGIN).replace(microsecond=0)
    after = before - timedelta(days=FINANCES_MAX_DAYS)
    result, token = IntakeResult(), None
    for _ in range(MAX_REFUND_PAGES):
        page = client.list_financial_events(posted_after=after, posted_before=before, next_token=token)
        events = (page.get("FinancialEvents") or {}).get("RefundEventList") or []
        result += refunds_intake(seller_account=connection.seller_account, rows=refund_items(events))
        token = page.get("NextToken")
        if not token:
            break
    return result


def fba_sync(connection: SpApiConnection, *, now: datetime) -> FetchResult:
    """Read the account's FBA reports and refunds, then reconcile; once a UTC day."""
    result = FetchResult()
    result.rows = fba_reports_read(connection, now=now)
    result.rows["refunds"] = fba_refunds_read(connection, now=now)
    reconciled = reconcile(seller_account=connection.seller_account, now=now)
    result.cases_found = len(reconciled.found)
    with transaction.atomic():
        FbaSync.objects.update_or_create(connection=connection, defaults={"synced_on": now.date(), "last_error": ""})
    return result


def connections_due_for_fba(*, now: datetime) -> list[int]:
    """Connected accounts whose FBA data was not read today."""
    read_today = FbaSync.objects.filter(synced_on=now.date()).values("connection_id")
    return list(
        SpApiConnection.objects.filter(status=SpApiConnection.Status.CONNECTED)
        .exclude(pk__in=read_today)
        .values_list("pk", flat=True)
    )
