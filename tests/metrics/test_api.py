"""GET /api/v1/metrics/… (metrics/api.py): the same figures as the formulas, behind the gate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metrics.odr import odr_compute
from metrics.services import metric_snapshots_record
from tests.factories import MessageFactory, OrderFactory, SellerFeedbackFactory, TicketFactory
from tickets.models import Team

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.metrics.urls")]

ODR = "/api/v1/metrics/odr/"
HISTORY = "/api/v1/metrics/odr/history/"
RESPONSE_TIME = "/api/v1/metrics/response-time/"
FULFILLMENT = "/api/v1/metrics/fulfillment/"


@pytest.fixture
def defective_fbm(account):
    now = timezone.now()
    orders = [OrderFactory(seller_account=account, purchased_at=now - timedelta(days=3)) for _ in range(120)]
    SellerFeedbackFactory(order=orders[0], rating=1, left_at=now - timedelta(days=1))
    return orders


def test_the_odr_answer_is_the_formulas(client, manager, account, defective_fbm):
    client.force_login(manager)
    response = client.get(ODR, {"seller_account": account.pk, "channel": "FBM"})
    assert response.status_code == 200
    expected = odr_compute(seller_account=account, channel="FBM", as_of=timezone.now().date()).as_dict()
    assert response.json() == {**expected, "amazon": None}  # not connected to Amazon


def test_the_odr_answer_has_the_contracts_keys(client, manager, account, defective_fbm):
    client.force_login(manager)
    body = client.get(ODR, {"seller_account": account.pk, "channel": "FBM"}).json()
    assert (body["orders"], body["defective_orders"], body["odr"], body["status"]) == (120, 1, 0.833, "warning")
    assert body["negative_feedback"] == {"orders": 1, "rate": 0.833}
    assert body["headroom_orders"] == 0 and body["target"] == 1.0


def test_an_agent_sees_the_odr_of_their_account(client, alice, account):
    client.force_login(alice)
    assert client.get(ODR, {"seller_account": account.pk}).status_code == 200


# One request per test: a refused request rolls the test's transaction back (api.exceptions).
@pytest.mark.parametrize("url", [ODR, HISTORY, RESPONSE_TIME, FULFILLMENT])
def test_an_agent_of_another_account_gets_404(client, charlie, account, url):
    client.force_login(charlie)
    assert client.get(url, {"seller_account": account.pk}).status_code == 404


def test_an_anonymous_caller_is_refused(client, account):
    assert client.get(ODR, {"seller_account": account.pk}).status_code in (401, 403)


def test_an_unknown_channel_is_a_400(client, manager, account):
    client.force_login(manager)
    response = client.get(ODR, {"seller_account": account.pk, "channel": "AFN"})
    assert response.status_code == 400
    assert "channel" in response.json()


def test_as_of_moves_the_window(client, manager, account, defective_fbm):
    client.force_login(manager)
    as_of = (timezone.now() - timedelta(days=30)).date()
    body = client.get(ODR, {"seller_account": account.pk, "channel": "FBM", "as_of": as_of.isoformat()}).json()
    assert (body["as_of"], body["orders"]) == (as_of.isoformat(), 0)


def test_history_gives_one_point_per_recorded_day(client, manager, account, defective_fbm):
    today = timezone.now().date()
    for days_ago in (2, 1, 0):
        metric_snapshots_record(seller_account=account, day=today - timedelta(days=days_ago), alert=False)
    client.force_login(manager)
    body = client.get(HISTORY, {"seller_account": account.pk, "channel": "FBM", "days": 90}).json()
    assert [p["day"] for p in body["points"]] == [(today - timedelta(days=d)).isoformat() for d in (2, 1, 0)]
    assert body["points"][-1]["odr"] == 0.833


def test_history_refuses_more_than_a_year(client, manager, account):
    client.force_login(manager)
    assert client.get(HISTORY, {"seller_account": account.pk, "days": 400}).status_code == 400


def test_response_time_gives_the_shares(client, manager, account):
    ticket = TicketFactory(seller_account=account)
    received = timezone.now() - timedelta(days=2)
    due = received + timedelta(hours=account.sla_hours)  # as tickets.sla stores it on arrival
    MessageFactory(ticket=ticket, sent_at=received, created_at=received, response_due_at=due)
    client.force_login(manager)
    body = client.get(RESPONSE_TIME, {"seller_account": account.pk, "days": 7}).json()
    assert (body["messages"], body["unanswered"], body["within_sla"]["rate"]) == (
        1,
        {"messages": 1, "rate": 100.0},
        0.0,
    )


def test_response_time_accepts_only_7_30_or_90_days(client, manager, account):
    client.force_login(manager)
    assert client.get(RESPONSE_TIME, {"seller_account": account.pk, "days": 14}).status_code == 400


def unanswered_message(account, assignee=None):
    ticket = TicketFactory(seller_account=account, assignee=assignee)
    received = timezone.now() - timedelta(days=2)
    MessageFactory(ticket=ticket, sent_at=received, created_at=received, response_due_at=received + timedelta(hours=24))


def test_response_time_of_one_team(client, manager, account, alice, bob):
    team = Team.objects.create(name="Mornings")
    team.members.add(alice)
    unanswered_message(account, alice)
    unanswered_message(account, bob)
    client.force_login(manager)
    body = client.get(RESPONSE_TIME, {"seller_account": account.pk, "days": 7, "team": team.pk}).json()
    assert (body["team"], body["agent"], body["messages"]) == (team.pk, None, 1)


def test_response_time_of_one_agent(client, manager, account, alice, bob):
    unanswered_message(account, alice)
    unanswered_message(account, bob)
    unanswered_message(account, bob)
    client.force_login(manager)
    body = client.get(RESPONSE_TIME, {"seller_account": account.pk, "days": 7, "agent": bob.pk}).json()
    assert (body["agent"], body["messages"]) == (bob.pk, 2)


def test_an_unknown_team_is_a_400(client, manager, account):
    client.force_login(manager)
    response = client.get(RESPONSE_TIME, {"seller_account": account.pk, "team": 999})
    assert (response.status_code, response.json()) == (400, {"team": ["No such team."]})


def test_without_team_or_agent_the_answer_says_null(client, manager, account):
    client.force_login(manager)
    body = client.get(RESPONSE_TIME, {"seller_account": account.pk}).json()
    assert (body["team"], body["agent"]) == (None, None)


def test_a_team_filter_does_not_open_another_account(client, charlie, account, alice):
    team = Team.objects.create(name="Mornings")
    team.members.add(alice, charlie)
    client.force_login(charlie)
    assert client.get(RESPONSE_TIME, {"seller_account": account.pk, "team": team.pk}).status_code == 404


def test_the_fulfillment_figures_are_the_formulas(client, manager, account):
    now = timezone.now()
    late = OrderFactory(
        seller_account=account,
        purchased_at=now - timedelta(days=6),
        latest_ship_date=now - timedelta(days=4),
        shipped_at=now - timedelta(days=3),
        tracking_number="1Z999",
    )
    TicketFactory(seller_account=account, order=late, kind="setup", status="solved", created_at=now - timedelta(days=2))
    client.force_login(manager)
    response = client.get(FULFILLMENT, {"seller_account": account.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["late_shipment_10"] == {
        "value": 100.0,
        "numerator": 1,
        "denominator": 1,
        "days": 10,
        "target": 4.0,
        "target_condition": "LESS_THAN",
        "status": "critical",
    }
    assert (body["valid_tracking"]["value"], body["valid_tracking"]["status"]) == (100.0, "ok")
    assert body["returns_prevented"] == {
        "value": 100.0,
        "numerator": 1,
        "denominator": 1,
        "days": 30,
        "target": None,
        "target_condition": "",
        "status": "none",
    }


def test_the_fulfillment_figures_refuse_a_malformed_date(client, manager, account):
    client.force_login(manager)
    response = client.get(FULFILLMENT, {"seller_account": account.pk, "as_of": "31/10/2026"})
    assert response.status_code == 400
    assert "as_of" in response.json()
