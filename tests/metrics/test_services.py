"""Snapshots, alerts and their email (metrics/services.py), the daily task and the backfill."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from metrics.models import HealthAlert, MetricSnapshot
from metrics.services import health_alert_notify, metric_snapshots_record
from metrics.tasks import record_daily_snapshots
from tests.factories import MessageFactory, OrderFactory, SellerFeedbackFactory, TicketFactory, UserFactory
from tickets.models import Team
from tickets.roles import MANAGERS

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 31)
IN_WINDOW = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture
def managers(db):
    group = Group.objects.get(name=MANAGERS)
    with_email = UserFactory(username="mia", email="mia@example.com")
    without_email = UserFactory(username="max", email="")
    for user in (with_email, without_email):
        user.groups.add(group)
    return with_email


def fbm_orders(account, count):
    return [OrderFactory(seller_account=account, purchased_at=IN_WINDOW) for _ in range(count)]


def defect(order, *, left_at=datetime(2026, 10, 20, tzinfo=UTC)):
    SellerFeedbackFactory(order=order, rating=1, left_at=left_at)


def test_a_day_is_recorded_like_the_account_health_report(account):
    orders = fbm_orders(account, 120)
    defect(orders[0])
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    odr = MetricSnapshot.objects.get(seller_account=account, metric="odr", channel="FBM", day=DAY)
    assert (odr.value, odr.target, odr.target_condition, odr.status) == (Decimal("0.833"), 1, "LESS_THAN", "warning")
    assert (odr.numerator, odr.denominator, odr.window_start, odr.window_end) == (
        1,
        120,
        date(2026, 9, 1),
        date(2026, 10, 30),
    )
    assert odr.details == {"headroom_orders": 0, "recoverable_orders": 0}


def test_recording_a_day_twice_keeps_one_row_per_figure(account):
    fbm_orders(account, 3)
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    first = MetricSnapshot.objects.count()
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    assert MetricSnapshot.objects.count() == first


def test_a_recomputed_day_takes_the_new_figure(account):
    orders = fbm_orders(account, 50)
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    defect(orders[0])
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    assert MetricSnapshot.objects.get(metric="odr", channel="FBM", day=DAY).numerator == 1


def test_a_worse_status_raises_one_alert_and_mails_managers(account, managers, django_capture_on_commit_callbacks):
    orders = fbm_orders(account, 120)
    metric_snapshots_record(seller_account=account, day=DAY - timedelta(days=1), alert=False)
    defect(orders[0])
    with django_capture_on_commit_callbacks(execute=True):
        metric_snapshots_record(seller_account=account, day=DAY)
    alert = HealthAlert.objects.get(kind=HealthAlert.Kind.STATUS_WORSENED)
    assert (alert.channel, alert.previous_status, alert.status) == ("FBM", "ok", "warning")
    assert [m.to for m in mail.outbox if "worsened" in m.subject] == [["mia@example.com"]]
    assert alert.notified_at is not None


def test_recomputing_the_day_does_not_alert_again(account, managers, django_capture_on_commit_callbacks):
    orders = fbm_orders(account, 120)
    metric_snapshots_record(seller_account=account, day=DAY - timedelta(days=1), alert=False)
    defect(orders[0])
    with django_capture_on_commit_callbacks(execute=True):
        metric_snapshots_record(seller_account=account, day=DAY)
        metric_snapshots_record(seller_account=account, day=DAY)
    assert HealthAlert.objects.filter(kind=HealthAlert.Kind.STATUS_WORSENED).count() == 1
    assert len([m for m in mail.outbox if "worsened" in m.subject]) == 1


def test_worse_again_the_same_day_escalates_the_days_alert_and_mails_again(
    account, managers, django_capture_on_commit_callbacks, monkeypatch
):
    hooked = []
    monkeypatch.setattr("metrics.services.odr_status_changed_emit", lambda *, alert: hooked.append(alert.status))
    orders = fbm_orders(account, 120)
    metric_snapshots_record(seller_account=account, day=DAY - timedelta(days=1), alert=False)
    defect(orders[0])
    with django_capture_on_commit_callbacks(execute=True):
        metric_snapshots_record(seller_account=account, day=DAY)  # this morning: warning
    defect(orders[1])
    with django_capture_on_commit_callbacks(execute=True):
        metric_snapshots_record(seller_account=account, day=DAY)  # the hourly run later: critical
        metric_snapshots_record(seller_account=account, day=DAY)  # and again: nothing new
    alert = HealthAlert.objects.get(kind=HealthAlert.Kind.STATUS_WORSENED)
    assert (alert.previous_status, alert.status, alert.odr) == ("ok", "critical", Decimal("1.667"))
    assert "Status ok → critical" in alert.message
    assert len([m for m in mail.outbox if "worsened" in m.subject]) == 2
    assert hooked == ["warning", "critical"]


def test_low_headroom_raises_an_alert(account, settings, managers):
    settings.METRICS_ODR_HEADROOM_ALERT_ORDERS = 3
    fbm_orders(account, 250)  # headroom 2 with no defect at all
    metric_snapshots_record(seller_account=account, day=DAY)
    assert HealthAlert.objects.filter(kind=HealthAlert.Kind.HEADROOM_LOW, channel="FBM").exists()


def test_an_unchanged_status_raises_no_alert(account):
    fbm_orders(account, 1000)
    metric_snapshots_record(seller_account=account, day=DAY - timedelta(days=1), alert=False)
    metric_snapshots_record(seller_account=account, day=DAY)
    assert not HealthAlert.objects.exists()


def test_an_alert_is_mailed_once_even_if_notified_twice(account, managers):
    alert = HealthAlert.objects.create(
        seller_account=account,
        channel="FBM",
        kind="status_worsened",
        day=DAY,
        status="warning",
        odr=0.8,
        headroom_orders=0,
        message="x",
        created_at=datetime(2026, 10, 31, tzinfo=UTC),
    )
    assert health_alert_notify(alert_id=alert.pk) is True
    assert health_alert_notify(alert_id=alert.pk) is False
    assert len(mail.outbox) == 1


def test_the_daily_task_records_today_for_every_account(account, other_account):
    with time_machine.travel(datetime(2026, 11, 3, 2, tzinfo=UTC), tick=False):
        assert record_daily_snapshots() == 2
    assert set(MetricSnapshot.objects.filter(metric="odr", channel="all").values_list("day", flat=True)) == {
        date(2026, 11, 3)
    }
    assert MetricSnapshot.objects.filter(metric="odr", channel="all").count() == 2


def test_the_backfill_records_every_day_without_alerting(account, managers):
    orders = fbm_orders(account, 120)
    defect(orders[0], left_at=datetime(2026, 10, 25, tzinfo=UTC))
    call_command("metrics_backfill", "--days", "10", "--until", "2026-10-31")
    days = MetricSnapshot.objects.filter(metric="odr", channel="FBM").values_list("day", flat=True)
    assert len(set(days)) == 10
    assert not HealthAlert.objects.exists()
    assert MetricSnapshot.objects.get(metric="odr", channel="FBM", day=date(2026, 10, 24)).numerator == 0
    assert MetricSnapshot.objects.get(metric="odr", channel="FBM", day=date(2026, 10, 25)).numerator == 1


def test_a_worse_status_goes_to_the_odr_status_changed_hook(account, monkeypatch):
    calls = []
    monkeypatch.setattr("metrics.services.odr_status_changed_emit", lambda *, alert: calls.append(alert))
    orders = fbm_orders(account, 120)
    metric_snapshots_record(seller_account=account, day=DAY - timedelta(days=1), alert=False)
    defect(orders[0])
    metric_snapshots_record(seller_account=account, day=DAY)
    assert [(a.channel, a.status) for a in calls] == [("FBM", "warning")]


def test_the_day_keeps_the_dashboards_response_tables(account, alice):
    team = Team.objects.create(name="Mornings")
    team.members.add(alice)
    received = datetime(2026, 10, 30, 9, tzinfo=UTC)
    MessageFactory(
        ticket=TicketFactory(seller_account=account, assignee=alice),
        sent_at=received,
        created_at=received,
        response_due_at=received + timedelta(hours=24),
    )
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    details = MetricSnapshot.objects.get(metric="response_within_sla", day=DAY).details
    assert details["now"] == "2026-11-01T00:00:00+00:00"  # a past day stops at its end
    assert sorted(details["periods"]) == ["30", "7", "90"]
    assert details["by_agent"] == [
        {"assignee_id": alice.pk, "assignee": "alice", "within_sla": 0, "late": 0, "unanswered": 1, "pending": 0}
    ]
    assert details["by_team"] == [
        {"team_id": team.pk, "team": "Mornings", "within_sla": 0, "late": 0, "unanswered": 1, "pending": 0}
    ]


def test_the_combined_odr_row_keeps_the_top_defect_causes(account):
    orders = fbm_orders(account, 10)
    defect(orders[0])
    defect(orders[1])
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    details = MetricSnapshot.objects.get(metric="odr", channel="all", day=DAY).details
    assert details["causes"] == [
        {"label": "Negative feedback 1★", "orders": 2, "order_ids": [orders[1].pk, orders[0].pk]}
    ]
