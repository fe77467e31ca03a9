"""The generic Reports API client (amazon.spapi.reports) against the sandbox: request once,
wait with back-off on the clock, stream flat files (plain and gzipped) and JSON, resume."""

from datetime import timedelta

import pytest

from amazon.spapi.models import ReportRun
from amazon.spapi.reports import (
    ReportFailed,
    ReportNotReady,
    report_poll,
    report_processed,
    report_progress,
    report_rows,
    report_wait,
    request_report,
)

from .conftest import connect

BY_ORDER_DATE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"
FEEDBACK = "GET_SELLER_FEEDBACK_DATA"
PERFORMANCE = "GET_V2_SELLER_PERFORMANCE_REPORT"


@pytest.fixture
def wait(advance):
    """report_wait whose sleeps move both clocks instead of taking time."""

    def run(connection, report_id, **kwargs):
        return report_wait(connection, report_id, sleep=lambda seconds: advance(seconds=seconds), **kwargs)

    return run


def week(clock):
    end = clock.now().replace(microsecond=0) - timedelta(hours=1)
    return end - timedelta(days=7), end


def ordered_in(marketplace, start, end, at) -> set[str]:
    return {o.order_id for o in marketplace.visible(at) if start <= o.created <= end}


def test_the_order_report_gives_one_row_per_item_of_the_orders_in_the_range(connection, marketplace, clock, wait):
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, report_id)
    rows = list(report_rows(connection, report_id))
    assert {r["amazon-order-id"] for r in rows} == ordered_in(marketplace, start, end, clock.now())


def test_a_gzipped_document_reads_the_same_as_a_plain_one(connection, sandbox, clock, wait):
    start, end = week(clock)
    plain_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, plain_id)
    plain = list(report_rows(connection, plain_id))
    report_processed(connection, plain_id)
    sandbox.reports.gzip_over = 0
    gzipped_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, gzipped_id)
    assert gzipped_id != plain_id and list(report_rows(connection, gzipped_id)) == plain


def test_asking_again_for_an_open_report_returns_it_without_asking_amazon(connection, sandbox, clock):
    start, end = week(clock)
    first = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    again = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    assert (first, len(sandbox.reports.reports), ReportRun.objects.count()) == (again, 1, 1)


def test_a_processed_report_is_asked_for_anew(connection, clock, wait):
    start, end = week(clock)
    first = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, first)
    report_processed(connection, first)
    assert request_report(connection, BY_ORDER_DATE, start=start, end=end) != first


def test_a_run_killed_before_amazon_answered_is_completed_by_the_next_request(connection, sandbox, clock):
    start, end = week(clock)
    ReportRun.objects.create(
        connection=connection, report_type=BY_ORDER_DATE, marketplace_ids=connection.marketplace_ids,
        data_start=start, data_end=end,
    )  # fmt: skip
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    run = ReportRun.objects.get()
    assert (run.report_id, run.status, len(sandbox.reports.reports)) == (report_id, "IN_QUEUE", 1)


def test_polling_waits_for_its_time_instead_of_calling_amazon(connection, sandbox, seller, clock):
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    ReportRun.objects.update(next_poll_at=None)
    report_poll(connection, report_id)
    tokens = sandbox.limiter.bucket(selling_partner_id=seller, operation_id="getReport").tokens
    for _ in range(5):
        report_poll(connection, report_id)
    assert sandbox.limiter.bucket(selling_partner_id=seller, operation_id="getReport").tokens == tokens


def test_polls_back_off_until_the_report_is_done(connection, clock, wait):
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    run = wait(connection, report_id)
    # 30 s of processing: polls at 5, 15 (+10), 35 (+20) seconds.
    assert (run.status, run.polls, bool(run.document_id)) == ("DONE", 3, True)


def test_a_wait_longer_than_its_limit_says_when_to_come_back(connection, clock, wait):
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    with pytest.raises(ReportNotReady) as raised:
        wait(connection, report_id, timeout=10)
    assert 0 < raised.value.retry_after <= 120


def test_rows_are_not_read_before_the_report_is_done(connection, clock):
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    with pytest.raises(ReportNotReady):
        list(report_rows(connection, report_id))


def test_a_resumed_consumer_skips_the_rows_it_stored(connection, clock, wait):
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, report_id)
    everything = list(report_rows(connection, report_id))
    report_progress(connection, report_id, rows_done=7)
    run = ReportRun.objects.get(report_id=report_id)
    assert list(report_rows(connection, report_id, skip=run.rows_done)) == everything[7:]


def test_the_performance_report_is_one_json_document(connection, clock, wait):
    report_id = request_report(connection, PERFORMANCE, start=None, end=None)
    wait(connection, report_id)
    (document,) = report_rows(connection, report_id)
    assert set(document["performanceMetrics"][0]["orderDefectRate"]) == {"mfn", "afn"}


def test_a_report_amazon_cancels_for_no_data_has_no_rows(connection, clock, wait):
    end = clock.now().replace(microsecond=0) - timedelta(days=200)
    report_id = request_report(connection, FEEDBACK, start=end - timedelta(days=1), end=end)
    run = wait(connection, report_id)
    assert (run.status, list(report_rows(connection, report_id))) == ("CANCELLED", [])


def test_a_document_over_the_size_bound_is_refused(connection, clock, wait, settings):
    settings.SPAPI_REPORT_MAX_BYTES = 2000
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, report_id)
    with pytest.raises(ReportFailed):
        list(report_rows(connection, report_id))


def test_a_gzip_bomb_is_refused_before_it_fills_memory(connection, sandbox, clock, wait, settings):
    settings.SPAPI_REPORT_MAX_BYTES = 5000
    sandbox.reports.gzip_over = 0
    start, end = week(clock)
    report_id = request_report(connection, BY_ORDER_DATE, start=start, end=end)
    wait(connection, report_id)
    with pytest.raises(ReportFailed):
        list(report_rows(connection, report_id))


def test_another_accounts_report_id_is_not_found(connection, sandbox, sandbox_url, other_seller_account, clock):
    other = connect(sandbox, sandbox_url, other_seller_account)
    start, end = week(clock)
    report_id = request_report(other, BY_ORDER_DATE, start=start, end=end)
    with pytest.raises(ReportFailed):
        report_poll(connection, report_id)
