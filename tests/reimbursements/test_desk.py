"""The desk's queue of reimbursement cases: the caller's cases by deadline, the claim text to
copy, and recording the filing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reimbursements.models import ReimbursementCase
from reimbursements.rules import reconcile

from .fba import refund

pytestmark = pytest.mark.django_db
URL = "/reimbursements/"


@pytest.fixture
def cases(account):
    now = timezone.now()
    refund(account, at=now - timedelta(days=80), order="111-0000001-0000001")
    refund(account, at=now - timedelta(days=110), order="111-0000002-0000002")
    reconcile(seller_account=account, now=now)
    return list(ReimbursementCase.objects.order_by("sla_due_at"))


def _desk_url(path: str) -> str:
    from django.urls import reverse

    return reverse("desk:reimbursements") + path


def test_the_queue_lists_the_nearest_deadline_first(cases, alice, client):
    client.force_login(alice)
    body = client.get(_desk_url("")).content.decode()
    assert body.index("111-0000002-0000002") < body.index("111-0000001-0000001")


def test_each_case_offers_its_claim_text_to_copy(cases, alice, client):
    client.force_login(alice)
    body = client.get(_desk_url("")).content.decode()
    assert f'data-copy="claim-{cases[0].pk}"' in body
    assert "Order ID: 111-0000002-0000002" in body


def test_another_accounts_agent_sees_none_of_them(cases, charlie, client):
    client.force_login(charlie)
    assert "111-0000001-0000001" not in client.get(_desk_url("")).content.decode()


def test_recording_the_filing(cases, alice, client):
    client.force_login(alice)
    response = client.post(_desk_url(f"{cases[0].pk}/filed/"), {"amazon_case_id": "1234567890"})
    cases[0].refresh_from_db()
    assert (response.status_code, cases[0].status, cases[0].amazon_case_id) == (302, "filed", "1234567890")


def test_filing_without_a_case_id_changes_nothing(cases, alice, client):
    client.force_login(alice)
    client.post(_desk_url(f"{cases[0].pk}/filed/"), {"amazon_case_id": ""})
    cases[0].refresh_from_db()
    assert cases[0].status == "ready"


def test_another_accounts_agent_cannot_file(cases, charlie, client):
    client.force_login(charlie)
    assert client.post(_desk_url(f"{cases[0].pk}/filed/"), {"amazon_case_id": "1"}).status_code == 404


def test_the_queue_has_a_query_budget(account, alice, client, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(40):
        refund(account, at=now - timedelta(days=70 + i), order=f"111-0000003-{i:07d}")
    reconcile(seller_account=account, now=now)
    client.force_login(alice)
    with django_assert_max_num_queries(25):
        assert client.get(_desk_url("")).status_code == 200
