"""Amazon's account health, daily: its ODR per channel stored beside the desk's, the reasons
they differ, the managers' alert over one defective order, the API and the header badge."""

from datetime import timedelta

import pytest
from django.urls import reverse

from amazon.spapi.reports import report_rows
from amazon.spapi.services import connection_sync
from amazon_sandbox import Sandbox
from amazon_sandbox.documents import odr_figures
from amazon_sandbox.marketplace import AFN, MFN
from metrics.amazon import amazon_odr_record
from metrics.models import AmazonOdr, HealthAlert
from metrics.selectors import odr_badges_for
from tickets.intake.claims import a_to_z_claim_record, chargeback_record
from tickets.models import Order

from .conftest import CALLBACK


@pytest.fixture
def sandbox(clock):
    # 2,000 orders: enough defects in the 60-day window for claims and chargebacks in both channels.
    return Sandbox(clock=clock, seed=1, orders=2000, sellers=2, report_seconds=30, redirect_uris=[CALLBACK])


def amazon_says(marketplace, at, channel) -> tuple[int, int]:
    block = odr_figures(marketplace, at=at, channel=channel)
    return block["orderCount"], block["orderWithDefects"]["count"]


def test_amazons_odr_of_each_channel_is_stored_for_the_day(synced, marketplace, clock):
    reported_at = clock.now() - timedelta(seconds=60)  # the report was made one sync earlier
    rows = {r.channel: (r.orders, r.defective_orders) for r in AmazonOdr.objects.filter(day=clock.now().date())}
    assert rows == {
        "FBA": amazon_says(marketplace, reported_at, AFN),
        "FBM": amazon_says(marketplace, reported_at, MFN),
    }
    assert synced.health_synced_on == clock.now().date()


def test_the_desk_says_why_its_figure_differs(synced):
    # The SP-API gives no claims and no chargebacks: the desk cannot know Amazon's.
    row = AmazonOdr.objects.filter(a_to_z_claims__gt=0).first()
    assert row is not None and row.details["desk"]["a_to_z_claims"] == 0
    assert any("A-to-z claims the desk does not know" in reason for reason in row.details["reasons"])


def test_a_gap_over_one_defective_order_alerts_the_managers(synced):
    gaps = {r.channel: r.details["defect_gap"] for r in AmazonOdr.objects.all()}
    alerted = set(HealthAlert.objects.filter(kind=HealthAlert.Kind.AMAZON_GAP).values_list("channel", flat=True))
    assert alerted == {channel for channel, gap in gaps.items() if abs(gap) > 1} and alerted


def test_with_the_claims_and_chargebacks_the_desk_matches_amazon(synced, marketplace, clock):
    """Claims and chargebacks reach the desk by e-mail or the REST API: given them, the figures agree."""
    reported_at = clock.now() - timedelta(seconds=60)
    orders = {o.amazon_order_id: o for o in Order.objects.filter(seller_account=synced.seller_account)}
    for source in marketplace.visible(reported_at):
        order = orders.get(source.order_id)
        for claim in source.claims if order else []:
            values = {"status": claim.status_at(reported_at), "filed_at": claim.filed_at, "amount": claim.amount}
            values |= {"buy_shipping_protected": claim.buy_shipping_protected, "decided_at": claim.decided_at}
            a_to_z_claim_record(order=order, claim_id=claim.claim_id, values=values, actor="api")
        for chargeback in source.chargebacks if order else []:
            values = {"status": chargeback.status_at(reported_at), "filed_at": chargeback.filed_at}
            values |= {"kind": chargeback.kind, "amount": chargeback.amount, "decided_at": chargeback.decided_at}
            chargeback_record(order=order, chargeback_id=chargeback.chargeback_id, values=values, actor="api")
    run = synced.report_runs.get(report_type="GET_V2_SELLER_PERFORMANCE_REPORT")
    (document,) = report_rows(synced, run.report_id)  # the same report, read again
    rows = amazon_odr_record(
        seller_account=synced.seller_account, document=document, report_id=run.report_id, reported_at=run.requested_at
    )
    assert [(r.channel, r.details["defect_gap"], r.details["reasons"]) for r in rows] == [
        ("FBA", 0, []),
        ("FBM", 0, []),
    ]


def test_the_api_gives_amazons_figure_beside_the_desks(synced, client, manager):
    client.force_login(manager)
    body = client.get(reverse("api:metrics-odr"), {"seller_account": synced.seller_account_id, "channel": "FBM"}).json()
    stored = AmazonOdr.objects.get(channel="FBM")
    assert (body["amazon"]["orders"], body["amazon"]["defective_orders"], body["amazon"]["reasons"]) == (
        stored.orders,
        stored.defective_orders,
        stored.details["reasons"],
    )


def test_the_header_badge_shows_amazons_figure_too(synced, manager):
    from metrics.services import metric_snapshots_record

    metric_snapshots_record(seller_account=synced.seller_account, day=synced.health_synced_on, alert=False)
    (badge,) = [b for b in odr_badges_for(manager) if b.seller_account_id == synced.seller_account_id]
    assert badge.amazon_value == AmazonOdr.objects.get(channel=badge.channel).value


def test_the_account_health_report_is_read_once_a_day(synced, sandbox, advance):
    reports = len(sandbox.reports.reports)
    advance(minutes=10)
    connection_sync(connection_id=synced.pk)
    advance(days=1)
    connection_sync(connection_id=synced.pk)
    assert len(sandbox.reports.reports) == reports + 2  # tomorrow's feedback and account health
