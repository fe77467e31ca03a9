"""The managers' account-health dashboard in the admin, and the read-only history and alerts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.services import metric_snapshots_record
from tests.factories import (
    AtoZClaimFactory,
    MessageFactory,
    OrderFactory,
    SellerAccountFactory,
    SellerFeedbackFactory,
    TicketFactory,
)
from tickets.models import FulfillmentChannel, Message
from tickets.sla import sla_due_at_for, sla_record_response

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:metrics_accounthealth_changelist"


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


def test_defect_causes_link_to_the_orders_behind_them(client, manager, account):
    order = OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    SellerFeedbackFactory(order=order, rating=2, left_at=timezone.now() - timedelta(days=1))
    client.force_login(manager)
    response = client.get(reverse(DASHBOARD), {"seller_account": account.pk})
    assert response.context["causes"][0]["label"] == "Negative feedback 2★"
    assert reverse("admin:tickets_order_change", args=[order.pk]) in response.content.decode()


def test_the_cause_link_opens_the_order_changelist_filtered_to_its_orders(client, manager, account):
    order = OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    OrderFactory(seller_account=account, purchased_at=timezone.now() - timedelta(days=3))
    SellerFeedbackFactory(order=order, rating=1, left_at=timezone.now() - timedelta(days=1))
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
