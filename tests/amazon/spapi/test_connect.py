"""Connect to Amazon: the website authorization workflow end to end, through the Django test
client and the sandbox's consent page (redirects followed by hand, as a browser would)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection as db
from django.urls import reverse

from amazon.spapi.models import SpApiAuthorization, SpApiConnection
from tests.factories import UserFactory


def start(client, account) -> str:
    response = client.post(reverse("admin:amazon_spapiconnection_connect_account", args=[account.pk]))
    assert response.status_code == 302, response
    return response["Location"]


def consent(consent_url: str, *, selling_partner_id: str) -> str:
    """The seller confirms on the sandbox's consent page; the address Amazon sends them back to."""
    page = requests.get(consent_url, timeout=5)
    assert page.status_code == 200 and "Authorize" in page.text
    fields = {k: v[-1] for k, v in parse_qs(urlsplit(consent_url).query).items()}
    answer = requests.post(
        consent_url.split("?")[0],
        data={**fields, "selling_partner_id": selling_partner_id},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_a_manager_connects_an_account_through_amazons_consent(manager_client, sandbox, sandbox_url, seller_account):
    consent_url = start(manager_client, seller_account)
    assert consent_url.startswith(f"{sandbox_url}/apps/authorize/consent?")
    back = consent(consent_url, selling_partner_id=seller_account.merchant_id)
    response = manager_client.get(callback_path(back))
    connection = SpApiConnection.objects.get(seller_account=seller_account)
    assert response["Location"] == reverse("admin:amazon_spapiconnection_change", args=[connection.pk])
    assert (connection.status, connection.selling_partner_id, connection.endpoint, connection.marketplace_ids) == (
        "connected",
        seller_account.merchant_id,
        sandbox_url,
        ["ATVPDKIKX0DER"],
    )


def test_the_exchanged_refresh_token_works_at_amazon(manager_client, sandbox, sandbox_url, seller_account):
    back = consent(start(manager_client, seller_account), selling_partner_id=seller_account.merchant_id)
    manager_client.get(callback_path(back))
    token = SpApiConnection.objects.get().refresh_token()
    answer = requests.post(
        f"{sandbox_url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": token,
            "client_id": sandbox.application.client_id,
            "client_secret": sandbox.application.client_secret,
        },
        timeout=5,
    )
    assert answer.status_code == 200 and answer.json()["access_token"].startswith("Atza|")


def test_the_database_holds_no_plain_refresh_token(manager_client, sandbox_url, seller_account):
    back = consent(start(manager_client, seller_account), selling_partner_id=seller_account.merchant_id)
    manager_client.get(callback_path(back))
    token = SpApiConnection.objects.get().refresh_token()
    with db.cursor() as cursor:
        cursor.execute(f"SELECT refresh_token_encrypted FROM {SpApiConnection._meta.db_table}")
        (stored,) = cursor.fetchone()
    assert token.startswith("Atzr|") and token not in stored and "Atzr" not in stored


def test_the_state_is_stored_only_as_its_digest(manager_client, sandbox_url, seller_account):
    state = parse_qs(urlsplit(start(manager_client, seller_account)).query)["state"][0]
    assert not SpApiAuthorization.objects.filter(state_sha256=state).exists()
    assert SpApiAuthorization.objects.get().state_sha256 != state


def test_a_state_is_good_once(manager_client, sandbox_url, seller_account):
    back = consent(start(manager_client, seller_account), selling_partner_id=seller_account.merchant_id)
    manager_client.get(callback_path(back))
    SpApiConnection.objects.all().delete()
    manager_client.get(callback_path(back))
    assert not SpApiConnection.objects.exists()


def test_an_expired_state_is_refused(manager_client, sandbox_url, seller_account, desk_clock):
    back = consent(start(manager_client, seller_account), selling_partner_id=seller_account.merchant_id)
    desk_clock.shift(timedelta(minutes=16))
    response = manager_client.get(callback_path(back), follow=True)
    assert not SpApiConnection.objects.exists() and "expired" in response.content.decode()


def test_a_state_started_by_another_manager_is_refused(client, manager, sandbox_url, seller_account):
    client.force_login(manager)
    back = consent(start(client, seller_account), selling_partner_id=seller_account.merchant_id)
    other = UserFactory(username="manager2", is_staff=True)
    other.groups.set(manager.groups.all())
    client.force_login(other)
    client.get(callback_path(back))
    assert not SpApiConnection.objects.exists()


def test_a_state_the_desk_never_issued_is_refused(manager_client, sandbox_url, seller_account):
    response = manager_client.get(
        reverse("spapi-oauth-callback"),
        {"state": "forged", "spapi_oauth_code": "ANDx", "selling_partner_id": seller_account.merchant_id},
        follow=True,
    )
    assert not SpApiConnection.objects.exists() and "unknown state" in response.content.decode()


def test_another_sellers_consent_is_refused(manager_client, sandbox, sandbox_url, seller_account):
    other_seller = sandbox.selling_partner_ids[1]
    back = consent(start(manager_client, seller_account), selling_partner_id=other_seller)
    response = manager_client.get(callback_path(back), follow=True)
    assert not SpApiConnection.objects.exists() and other_seller in response.content.decode()


def test_an_agent_cannot_start_a_connection(client, alice, sandbox_url, seller_account):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    response = client.post(reverse("admin:amazon_spapiconnection_connect_account", args=[seller_account.pk]))
    assert response.status_code == 403 and not SpApiAuthorization.objects.exists()


def test_an_agent_cannot_complete_a_connection(client, manager, alice, sandbox_url, seller_account):
    client.force_login(manager)
    back = consent(start(client, seller_account), selling_partner_id=seller_account.merchant_id)
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get(callback_path(back)).status_code == 403
    assert not SpApiConnection.objects.exists()


def test_connecting_needs_a_post(manager_client, sandbox_url, seller_account):
    response = manager_client.get(reverse("admin:amazon_spapiconnection_connect_account", args=[seller_account.pk]))
    assert response.status_code == 405


def test_the_connect_page_lists_the_accounts(manager_client, seller_account):
    response = manager_client.get(reverse("admin:amazon_spapiconnection_connect"))
    assert response.status_code == 200 and "Connect to Amazon" in response.content.decode()
