"""Amazon's account health, daily: the Account Health report (GET_V2_SELLER_PERFORMANCE_REPORT,
JSON, schema accountHealthReport-2020-11-18) into the metrics app's intake
(``metrics.amazon.amazon_odr_record``), which keeps Amazon's ODR beside the desk's."""

from datetime import datetime

from django.db import transaction

from metrics.amazon import ReportUnreadable, amazon_odr_record

from .models import SpApiConnection
from .reports import ReportFailed, report_processed, report_ready, report_rows, request_report

HEALTH_REPORT = "GET_V2_SELLER_PERFORMANCE_REPORT"


def account_health_sync(connection: SpApiConnection, *, now: datetime) -> int:
    """Read today's Account Health report; returns the channels stored. ``ReportNotReady``
    while Amazon makes it."""
    report_id = request_report(connection, HEALTH_REPORT, start=None, end=None)
    run = report_ready(connection, report_id)
    documents = list(report_rows(connection, report_id))
    stored = 0
    with transaction.atomic():
        for document in documents[:1]:
            try:
                rows = amazon_odr_record(
                    seller_account=connection.seller_account,
                    document=document,
                    report_id=report_id,
                    reported_at=run.requested_at,
                )
            except ReportUnreadable as exc:
                report_processed(connection, report_id)
                raise ReportFailed(f"Amazon's Account Health report: {exc}") from None
            stored = len(rows)
        report_processed(connection, report_id)
        SpApiConnection.objects.filter(pk=connection.pk).update(health_synced_on=now.date())
        connection.health_synced_on = now.date()
    return stored
