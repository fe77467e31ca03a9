"""Authentication and scopes: Token keys for integrations, sessions with CSRF for browsers."""

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from api.models import ApiKey
from tests.api.conftest import KeyClient, make_key
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"


def test_anonymous_callers_get_401(client):
    response = client.get(TICKETS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_key_is_refused(db):
    assert KeyClient("deadbeef.not-a-real-key").get(TICKETS).status_code == 401


def test_a_malformed_authorization_header_is_refused(db):
    response = Client(headers={"Authorization": "Token a b"}).get(TICKETS)
    assert response.status_code == 401


def test_a_revoked_key_is_refused(alice_key):
    key, raw = alice_key
    key.revoked_at = timezone.now()
    key.save()
    assert KeyClient(raw).get(TICKETS).status_code == 401


def test_only_the_hash_of_a_key_is_stored(alice_key):
    key, raw = alice_key
    stored = ApiKey.objects.values_list("hashed_key", "prefix").get(pk=key.pk)
    assert raw not in stored[0]
    assert raw.startswith(stored[1])


def test_last_used_is_written_at_most_once_a_minute(alice_key):
    key, raw = alice_key
    client = KeyClient(raw)
    with time_machine.travel("2026-11-26 10:00:00Z", tick=False):
        client.get(TICKETS)
    with time_machine.travel("2026-11-26 10:00:30Z", tick=False):
        client.get(TICKETS)
    key.refresh_from_db()
    assert key.last_used_at.isoformat() == "2026-11-26T10:00:00+00:00"


def test_a_read_key_can_list_tickets(bob_read_api):
    assert bob_read_api.get(TICKETS).status_code == 200


def test_a_read_key_cannot_ingest(bob_read_api, account):
    from tests.api.payloads import order_payload

    response = bob_read_api.post("/api/v1/orders/", order_payload(account))
    assert response.status_code == 403


def test_an_ingest_key_cannot_change_a_ticket(ingest_api, account):
    ticket = TicketFactory(seller_account=account)
    response = ingest_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "open"})
    assert response.status_code == 403


def test_an_agent_key_can_change_a_ticket(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    response = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "open"})
    assert response.status_code == 200


def test_a_signed_in_agent_uses_the_session(client, alice, account):
    TicketFactory(seller_account=account)
    client.force_login(alice)
    assert len(client.get(TICKETS).json()["results"]) == 1


def test_a_session_write_without_csrf_token_is_refused(alice, account):
    ticket = TicketFactory(seller_account=account)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "open"}, content_type="application/json")
    assert response.status_code == 403


def test_a_key_for_several_accounts_sees_all_of_them(account, other_account):
    TicketFactory(seller_account=account)
    TicketFactory(seller_account=other_account)
    _, raw = make_key(accounts=[account, other_account], scope="read")
    assert len(KeyClient(raw).get(TICKETS).json()["results"]) == 2
