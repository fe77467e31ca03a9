"""The manager's admin opens on what needs them, then the models grouped by task; the
response-time tables export to CSV."""

import csv
import io

import pytest

from metrics.services import metric_snapshots_record
from tests.factories import HeldMessageFactory, TicketFactory
from tickets.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_the_front_page_counts_held_replies_and_dead_outbox_rows(manager_client, account):
    ticket = TicketFactory(seller_account=account)
    HeldMessageFactory(ticket=ticket, seller_account=account, buyer=ticket.buyer)
    OutboundMessage.objects.create(
        seller_account=account,
        buyer=ticket.buyer,
        ticket=ticket,
        purpose="reply",
        body="x",
        gateway="console",
        status="dead",
    )
    html = manager_client.get("/admin/").content.decode()
    assert '<td id="overview-held"><strong>1</strong>' in html
    assert '<td id="overview-dead"><strong>1</strong>' in html


def test_account_health_comes_before_the_model_lists(manager_client, account):
    html = manager_client.get("/admin/").content.decode()
    assert html.index("Account health") < html.index("Today&#x27;s work") < html.index("Accounts and people")


def test_the_models_are_grouped_by_task(manager_client):
    groups = [app["name"] for app in manager_client.get("/admin/").context["app_list"]]
    assert groups[:3] == ["Today's work", "Account health", "Claims and chargebacks"]


def test_an_apps_own_page_keeps_its_models(manager_client):
    response = manager_client.get("/admin/tickets/")
    assert response.context["app_list"][0]["app_label"] == "tickets"


def test_the_per_agent_response_table_exports_to_csv(manager_client, account, alice):
    from datetime import date

    metric_snapshots_record(seller_account=account, day=date.today())
    response = manager_client.get(f"/admin/metrics/accounthealth/export/agents.csv?seller_account={account.pk}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert (response["Content-Type"], rows[0][:2]) == ("text/csv; charset=utf-8", ["assignee", "within_sla"])


def test_an_export_of_an_account_the_caller_cannot_see_is_a_404(client, alice, other_account):
    client.force_login(alice)
    response = client.get(f"/admin/metrics/accounthealth/export/teams.csv?seller_account={other_account.pk}")
    assert response.status_code in (302, 403, 404)


def test_the_front_page_costs_the_same_queries_for_one_account_or_five(manager_client, account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SellerAccountFactory

    manager_client.get("/admin/")  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        manager_client.get("/admin/")
    for other in SellerAccountFactory.create_batch(4):
        TicketFactory(seller_account=other)
    with CaptureQueriesContext(connection) as five:
        manager_client.get("/admin/")
    assert len(five.captured_queries) == len(one.captured_queries)
