"""GET/PATCH /api/v1/reimbursement-cases/: scoped like every resource (a foreign case is a
404), read needs ``read``, changes need ``agent``, bad input a 400 with field messages, a
forbidden status change a 409, and the list's queries do not grow with its rows."""

from datetime import timedelta

import pytest

from reimbursements.models import ReimbursementCase
from reimbursements.rules import reconcile
from tests.api.conftest import KeyClient, make_key

from .fba import NOW, days_ago, ledger, refund

pytestmark = pytest.mark.django_db
URL = "/api/v1/reimbursement-cases/"


@pytest.fixture
def cases(account):
    refund(account, at=days_ago(100))
    ledger(account, at=days_ago(40), quantity=-2)
    reconcile(seller_account=account, now=NOW)
    return list(ReimbursementCase.objects.order_by("sla_due_at"))


@pytest.fixture
def agent_client(account, alice):
    return KeyClient(make_key(accounts=[account], scope="agent", created_by=alice)[1])


@pytest.fixture
def read_client(account):
    return KeyClient(make_key(accounts=[account], scope="read")[1])


@pytest.fixture
def charlie_client(other_account, charlie):
    return KeyClient(make_key(accounts=[other_account], scope="agent", created_by=charlie)[1])


def test_the_list_is_ordered_by_claim_deadline(cases, read_client):
    body = read_client.get(URL).json()
    assert [c["id"] for c in body["results"]] == [c.pk for c in cases]


def test_a_case_shows_its_value_deadline_and_claim_text(cases, read_client):
    case = read_client.get(f"{URL}{cases[0].pk}/").json()
    assert (case["rule"], case["estimated_value"], case["claim_deadline"][:10]) == (
        "refunded_not_returned",
        {"amount": "40.00", "currency": "USD"},
        (days_ago(100) + timedelta(days=120)).date().isoformat(),
    )
    assert "Order ID: 111-0000001-0000001" in case["claim_text"]


def test_another_accounts_case_is_not_found(cases, charlie_client):
    assert charlie_client.get(f"{URL}{cases[0].pk}/").status_code == 404
    assert charlie_client.patch(f"{URL}{cases[0].pk}/", {"assignee": None}).status_code == 404
    assert charlie_client.get(URL).json()["results"] == []


def test_a_read_key_cannot_change_a_case(cases, read_client):
    assert read_client.patch(f"{URL}{cases[0].pk}/", {"status": "filed", "amazon_case_id": "1"}).status_code == 403


def test_filing_records_amazons_case_id(cases, agent_client):
    response = agent_client.patch(f"{URL}{cases[0].pk}/", {"status": "filed", "amazon_case_id": "1234567890"})
    assert (response.status_code, response.json()["status"], response.json()["amazon_case_id"]) == (
        200,
        "filed",
        "1234567890",
    )


def test_filing_without_the_case_id_is_a_400_naming_the_field(cases, agent_client):
    response = agent_client.patch(f"{URL}{cases[0].pk}/", {"status": "filed"})
    assert (response.status_code, list(response.json())) == (400, ["amazon_case_id"])
    assert ReimbursementCase.objects.get(pk=cases[0].pk).status == "ready"


def test_paying_an_unfiled_case_is_a_409(cases, agent_client):
    assert agent_client.patch(f"{URL}{cases[0].pk}/", {"status": "paid"}).status_code == 409


@pytest.mark.parametrize(
    "body",
    [{"status": "found"}, {"status": "nonsense"}, {"amazon_case_id": "x" * 33}, {"assignee": "nobody"}],
)
def test_bad_input_is_a_400(cases, agent_client, body):
    assert agent_client.patch(f"{URL}{cases[0].pk}/", body).status_code == 400


def test_an_unknown_filter_is_a_400(cases, read_client):
    assert read_client.get(URL, {"status": "lost"}).status_code == 400


def test_assigning_to_a_teammate(cases, agent_client, bob):
    assert agent_client.patch(f"{URL}{cases[0].pk}/", {"assignee": "bob"}).json()["assignee"] == "bob"


def test_the_list_has_a_query_budget(account, read_client, django_assert_max_num_queries):
    for n in range(30):
        refund(account, at=days_ago(70 + n), order=f"111-0000001-{n:07d}")
    reconcile(seller_account=account, now=NOW)
    with django_assert_max_num_queries(8):
        assert len(read_client.get(URL).json()["results"]) == 30
