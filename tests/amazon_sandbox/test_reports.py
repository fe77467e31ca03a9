"""Reports API: the report lifecycle, the orders flat file, seller feedback, account health (ODR)."""

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest

from amazon_sandbox import Sandbox
from amazon_sandbox.marketplace import US_MARKETPLACE_ID, iso
from amazon_sandbox.spec import validate_account_health

from .conftest import START, walk

ORDERS_BY_UPDATE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"


def run_report(spapi, clock, report_type, **spec):
    """createReport → (clock moves) → getReport until done → getReportDocument → the content."""
    created = spapi.call(
        "createReport", body={"reportType": report_type, "marketplaceIds": [US_MARKETPLACE_ID], **spec}
    )
    assert created.status == 202, created.body
    report_id = created.body["reportId"]
    clock.advance(seconds=31)
    report = spapi.call("getReport", reportId=report_id).body
    if report["processingStatus"] != "DONE":
        return report, None
    document = spapi.call("getReportDocument", reportDocumentId=report["reportDocumentId"]).body
    return report, spapi.fetch(document["url"])


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.text), delimiter="\t"))


def test_a_report_is_queued_then_done_on_the_clock(spapi, clock):
    created = spapi.call("createReport", body={"reportType": ORDERS_BY_UPDATE, "marketplaceIds": [US_MARKETPLACE_ID]})
    first = spapi.call("getReport", reportId=created.body["reportId"]).body["processingStatus"]
    clock.advance(seconds=10)
    middle = spapi.call("getReport", reportId=created.body["reportId"]).body["processingStatus"]
    clock.advance(seconds=30)
    last = spapi.call("getReport", reportId=created.body["reportId"]).body["processingStatus"]
    assert (first, middle, last) == ("IN_QUEUE", "IN_PROGRESS", "DONE")


def test_the_order_report_matches_search_orders(spapi, clock):
    start, end = START - timedelta(days=7), START - timedelta(hours=1)
    searched, _ = walk(
        spapi, clock, lastUpdatedAfter=iso(start), lastUpdatedBefore=iso(end), includedData=["FULFILLMENT"]
    )
    _, document = run_report(spapi, clock, ORDERS_BY_UPDATE, dataStartTime=iso(start), dataEndTime=iso(end))
    words = {"Pending": "PENDING", "Unshipped": "UNSHIPPED", "Shipped": "SHIPPED", "Cancelled": "CANCELLED"}
    reported = {(r["amazon-order-id"], words[r["order-status"]]) for r in rows(document)}
    expected = {(o["orderId"], o["fulfillment"]["fulfillmentStatus"]) for o in searched}
    assert reported == expected and len(expected) > 100


def test_the_order_report_has_one_row_per_item_with_amazons_columns(spapi, clock, marketplace):
    _, document = run_report(spapi, clock, "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL")
    table = rows(document)
    order = marketplace.by_id[table[0]["amazon-order-id"]]
    header = document.text.splitlines()[0].split("\t")
    assert header[:5] == ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status"]
    assert sum(1 for r in table if r["amazon-order-id"] == order.order_id) == len(order.items)


def test_the_feedback_report_lists_negative_and_neutral_feedback_not_removed(spapi, clock, marketplace):
    _, document = run_report(spapi, clock, "GET_SELLER_FEEDBACK_DATA")
    listed = {r["Order ID"]: int(r["Rating"]) for r in rows(document)}
    start, at = START - timedelta(days=90), START
    expected = {
        o.order_id: o.feedback.rating
        for o in marketplace.orders
        if o.feedback
        and o.feedback.rating <= 3
        and start <= o.feedback.left_at <= at
        and not (o.feedback.removed_at and o.feedback.removed_at <= at)
    }
    assert listed == expected and listed


def test_a_feedback_report_without_data_is_cancelled(clock):
    from amazon_sandbox import serve_in_thread

    from .conftest import make_client

    quiet = Sandbox(clock=clock, seed=1, orders=3, sellers=1)
    running = serve_in_thread(quiet)
    try:
        spapi = make_client(quiet, running.url, quiet.selling_partner_ids[0])
        report, document = run_report(spapi, clock, "GET_SELLER_FEEDBACK_DATA")
    finally:
        running.stop()
    assert (report["processingStatus"], document, quiet.violations) == ("CANCELLED", None, [])


def test_an_unserved_report_type_is_a_400(spapi):
    answer = spapi.call(
        "createReport", body={"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": [US_MARKETPLACE_ID]}
    )
    assert answer.status == 400


def test_a_report_body_against_the_model_is_checked(spapi):
    answer = spapi.call("createReport", body={"reportType": ORDERS_BY_UPDATE, "marketplaceIds": []})
    assert (answer.status, answer.body["errors"][0]["code"]) == (400, "InvalidInput")


def test_another_sellers_report_is_not_found(spapi, sandbox, sandbox_url, clock):
    from .conftest import make_client

    created = spapi.call("createReport", body={"reportType": ORDERS_BY_UPDATE, "marketplaceIds": [US_MARKETPLACE_ID]})
    other = make_client(sandbox, sandbox_url, sandbox.selling_partner_ids[1])
    assert other.call("getReport", reportId=created.body["reportId"]).status == 404


def test_get_reports_lists_this_sellers_reports(spapi):
    spapi.call("createReport", body={"reportType": ORDERS_BY_UPDATE, "marketplaceIds": [US_MARKETPLACE_ID]})
    listed = spapi.call("getReports", reportTypes=[ORDERS_BY_UPDATE]).body["reports"]
    assert [r["reportType"] for r in listed] == [ORDERS_BY_UPDATE]


# --- Account health: the ODR recomputed straightforwardly from the sandbox's own data ----


def recompute_odr(marketplace, at: datetime, channel: str) -> dict:
    """notes/amazon.md §1: distinct orders with ≥1 counted defect ÷ orders, order dates in the
    60 days before the report's day; 1–2★ feedback not removed; claims except denied,
    withdrawn, appeal won (once decided) and Buy-Shipping protected; service chargebacks
    except those decided for the seller."""
    end = datetime.combine(at.date(), time.min, tzinfo=UTC)
    orders = [o for o in marketplace.orders if o.channel == channel and end - timedelta(days=60) <= o.created < end]

    def negative(o):
        f = o.feedback
        return f is not None and f.rating <= 2 and f.left_at <= at and not (f.removed_at and f.removed_at <= at)

    def decided(d):
        return d.decided_at is None or d.decided_at <= at

    def claim(o):
        return any(
            c.filed_at <= at
            and not c.buy_shipping_protected
            and not (c.status in {"denied", "withdrawn", "appeal_won"} and decided(c))
            for c in o.claims
        )

    def chargeback(o):
        return any(
            c.filed_at <= at and c.kind == "service" and not (c.status == "decided_for_seller" and decided(c))
            for c in o.chargebacks
        )

    defective = [o for o in orders if negative(o) or claim(o) or chargeback(o)]
    return {
        "orderCount": len(orders),
        "orderWithDefects": len(defective),
        "negativeFeedback": sum(map(negative, orders)),
        "claims": sum(map(claim, orders)),
        "chargebacks": sum(map(chargeback, orders)),
        "rate": len(defective) / len(orders),
    }


def performance_report(spapi, clock) -> dict:
    _, document = run_report(spapi, clock, "GET_V2_SELLER_PERFORMANCE_REPORT")
    return document.json()


def test_the_performance_report_validates_against_amazons_schema(spapi, clock):
    validate_account_health(performance_report(spapi, clock))


@pytest.mark.parametrize("channel", ["AFN", "MFN"])
def test_the_reported_odr_equals_a_recomputation_from_the_sandboxs_orders(spapi, clock, marketplace, channel):
    created_at = clock.now()
    block = performance_report(spapi, clock)["performanceMetrics"][0]["orderDefectRate"][channel.lower()]
    reported = {
        "orderCount": block["orderCount"],
        "orderWithDefects": block["orderWithDefects"]["count"],
        "negativeFeedback": block["negativeFeedback"]["count"],
        "claims": block["claims"]["count"],
        "chargebacks": block["chargebacks"]["count"],
        "rate": block["rate"],
    }
    expected = recompute_odr(marketplace, created_at, channel)
    assert reported == expected and expected["orderWithDefects"] > 0


def test_the_account_is_at_risk_when_a_channel_is_above_one_percent(spapi, clock):
    report = performance_report(spapi, clock)
    odr = report["performanceMetrics"][0]["orderDefectRate"]
    bad = any(block["rate"] >= 0.01 for block in odr.values())
    assert report["accountStatuses"][0]["status"] == ("AT_RISK" if bad else "NORMAL")
