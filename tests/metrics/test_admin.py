"""The managers' account-health dashboard in the admin, and the read-only history and alerts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.models import MetricSnapshot
from metrics.services import metric_snapshots_record
from tests.factories import (
    AtoZClaimFactory,
    MessageFactory,
    OrderFactory,
    SellerAccountFactory,
    SellerFeedbackFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import FulfillmentChannel, Message, Team
from tickets.sla.clock import sla_due_at_for, sla_record_response

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:metrics_accounthealth_changelist"
RECOMPUTE = "admin:metrics_accounthealth_recompute"


def add_activity(account, count):
    """Orders with defects, snapshots and conversations: everything the dashboard reads."""
    now = timezone.now()
    for index in range(count):
        order = OrderFactory(
            seller_account=account,
            purchased_at=now - timedelta(days=10 + index),
            fulfillment_channel=FulfillmentChannel.FBM if index % 2 else FulfillmentChannel.FBA,
        )
        if index % 3 == 0:
            SellerFeedbackFactory(order=order, rating=1, left_at=now - timedelta(days=5))
        if index % 4 == 0:
            AtoZClaimFactory(order=order, filed_at=now - timedelta(days=4), reason=f"Reason {index % 8}")
        ticket = TicketFactory(seller_account=account)
        received = now - timedelta(days=2)
        # With the response facts the SLA engine stores: due on arrival, stamped by the reply.
        MessageFactory(
            ticket=ticket,
            sent_at=received,
            created_at=received,
            response_due_at=sla_due_at_for(received_at=received, seller_account=account),
        )
        MessageFactory(ticket=ticket, direction=Message.Direction.OUTBOUND, external_id=None, created_at=now)
        sla_record_response(ticket=ticket, at=now)
    for days_ago in range(min(count, 5)):
        metric_snapshots_record(seller_account=account, day=now.date() - timedelta(days=days_ago), alert=False)


def dashboard_queries(client, account) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_a_manager_sees_the_odr_of_each_channel(client, manager, account):
    add_activity(account, 6)
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    assert response.status_code == 200
    assert [row.channel for row in response.context["odr_rows"]] == ["FBA", "FBM", "all"]


def test_the_dashboard_draws_the_trend_as_inline_svg(client, manager, account):
    add_activity(account, 3)
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    chart = str(response.context["chart"])
    assert chart.startswith("<svg") and "<polyline" in chart and "<script" not in chart
    assert chart in response.content.decode()


def record_today(account):
    metric_snapshots_record(seller_account=account, day=timezone.now().date(), alert=False)


def test_defect_causes_link_to_the_orders_behind_them(client, manager, account):
    order = OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    SellerFeedbackFactory(order=order, rating=2, left_at=timezone.now() - timedelta(days=1))
    record_today(account)
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    assert response.context["causes"][0]["label"] == "Negative feedback 2★"
    assert reverse("admin:tickets_order_change", args=[order.pk]) in response.content.decode()


def test_the_cause_link_opens_the_order_changelist_filtered_to_its_orders(client, manager, account):
    order = OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    SellerFeedbackFactory(order=order, rating=1, left_at=timezone.now() - timedelta(days=1))
    record_today(account)
    client.force_login(manager)
    url = client.get(reverse(DASHBOARD), {"seller_account": account.pk}).context["causes"][0]["url"]
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [order]


def test_the_dashboard_costs_the_same_queries_for_little_or_much_data(client, manager, account):
    client.force_login(manager)
    add_activity(account, 2)
    dashboard_queries(client, account)  # warm per-process caches (content types, sessions)
    few = dashboard_queries(client, account)
    add_activity(account, 24)
    SellerAccountFactory.create_batch(3)
    assert dashboard_queries(client, account) == few


def test_the_dashboard_opens_without_any_account(client, manager):
    client.force_login(manager)
    assert client.get(reverse(DASHBOARD)).status_code == 200


def test_an_agent_without_admin_access_cannot_open_it(client, alice):
    client.force_login(alice)
    assert client.get(reverse(DASHBOARD)).status_code == 302  # to the admin login


def test_snapshots_and_alerts_cannot_be_added_by_hand(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:metrics_metricsnapshot_add")).status_code == 403
    assert client.get(reverse("admin:metrics_healthalert_add")).status_code == 403


def test_the_snapshot_and_alert_lists_open(client, manager, account):
    add_activity(account, 2)
    client.force_login(manager)
    assert client.get(reverse("admin:metrics_metricsnapshot_changelist")).status_code == 200
    assert client.get(reverse("admin:metrics_healthalert_changelist")).status_code == 200


def test_the_figures_are_the_latest_recorded_days(client, manager, account):
    add_activity(account, 3)
    today = timezone.now().date()
    recorded = MetricSnapshot.objects.get(seller_account=account, metric="odr", channel="all", day=today)
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    row = response.context["odr_rows"][-1]
    assert (row.orders, row.defective_orders, row.as_of) == (recorded.denominator, recorded.numerator, recorded.day)


def test_new_defects_wait_for_the_next_recording(client, manager, account):
    add_activity(account, 3)
    order = OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    SellerFeedbackFactory(order=order, rating=1, left_at=timezone.now() - timedelta(hours=1))
    client.force_login(manager)
    before = client.get(reverse(DASHBOARD), {"seller_account": account.pk}).context["odr_rows"][-1]
    assert before.orders == 3


def test_recompute_now_records_todays_figures(client, manager, account):
    order = OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    SellerFeedbackFactory(order=order, rating=1, left_at=timezone.now() - timedelta(hours=1))
    client.force_login(manager)
    response = client.post(reverse(RECOMPUTE), {"seller_account": account.pk}, follow=True)
    assert [(r.channel, r.defective_orders) for r in response.context["odr_rows"]] == [
        ("FBA", 0),
        ("FBM", 1),
        ("all", 1),
    ]


def test_recompute_is_refused_for_an_account_out_of_sight(client, account, other_account):
    # A staff member with the dashboard's view permission who is agent of one account only.
    user = UserFactory(username="dora", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_accounthealth"))
    account.agents.add(user)
    client.force_login(user)
    assert client.post(reverse(RECOMPUTE), {"seller_account": other_account.pk}).status_code == 404
    assert not MetricSnapshot.objects.filter(seller_account=other_account).exists()


def test_recompute_only_answers_post(client, manager, account):
    client.force_login(manager)
    assert client.get(reverse(RECOMPUTE), {"seller_account": account.pk}).status_code == 405


def test_an_account_without_recorded_figures_says_so(client, manager, account):
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    assert response.context["odr_rows"] == []
    assert "No figures recorded for this account yet." in response.content.decode()


def test_response_time_is_shown_per_team(client, manager, account, alice, bob):
    team = Team.objects.create(name="Morning shift")
    team.members.add(alice)
    for agent in (alice, bob):
        ticket = TicketFactory(seller_account=account, assignee=agent)
        received = timezone.now() - timedelta(days=2)
        MessageFactory(
            ticket=ticket,
            sent_at=received,
            created_at=received,
            response_due_at=sla_due_at_for(received_at=received, seller_account=account),
        )
    record_today(account)
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    assert [(t["team"], t["unanswered"]) for t in response.context["teams"]] == [("Morning shift", 1)]


def test_the_dashboard_shows_tickets_resolved_without_a_return(client, manager, account):
    now = timezone.now()
    for returned_at in (None, now - timedelta(days=2)):
        order = OrderFactory(seller_account=account, purchased_at=now - timedelta(days=9), returned_at=returned_at)
        TicketFactory(
            seller_account=account, order=order, kind="setup", status="solved", created_at=now - timedelta(days=3)
        )
    metric_snapshots_record(seller_account=account, day=now.date(), alert=False)
    client.force_login(manager)
    html = client.get(reverse(DASHBOARD), {"seller_account": account.pk}).content.decode()
    assert "Tickets resolved without a return (30 days)" in html
    assert "50.00%" in html and "1 / 2 tickets" in html
