"""*Connect to Amazon* in the admin, in a real browser, against the local SP-API sandbox: the
manager presses the button, confirms on the sandbox's Seller Central consent page, and comes
back to a connected account whose refresh token is stored encrypted."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from amazon.spapi.models import SpApiConnection
from amazon_sandbox import Sandbox, SystemClock, serve_in_thread
from tests.factories import SellerAccountFactory, UserFactory
from tickets.roles import MANAGERS

PASSWORD = "connect-amazon-test-9Vq"


@pytest.fixture
def sandbox(live_server, settings):
    callback = f"{live_server.url}{reverse('spapi-oauth-callback')}"
    sandbox = Sandbox(clock=SystemClock(), seed=3, orders=50, sellers=2, redirect_uris=[callback])
    running = serve_in_thread(sandbox)
    settings.SPAPI_LWA_TOKEN_URL = f"{running.url}/auth/o2/token"
    settings.SPAPI_CONSENT_URL = f"{running.url}/apps/authorize/consent"
    settings.SPAPI_ENDPOINTS = {"NA": running.url, "EU": running.url, "FE": running.url}
    settings.SPAPI_REDIRECT_URI = callback
    yield sandbox
    running.stop()
    assert sandbox.violations == []


@pytest.fixture
def manager(transactional_db):
    user = UserFactory(username="morgan", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=MANAGERS)[0])
    return user


@pytest.mark.django_db(transaction=True)
def test_a_manager_connects_a_seller_account_through_amazons_consent_page(page: Page, sandbox, manager, screenshot):
    seller = sandbox.selling_partner_ids[0]
    account = SellerAccountFactory(name="Brewline Espresso", merchant_id=seller, marketplace_id="ATVPDKIKX0DER")
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("morgan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(reverse("admin:amazon_spapiconnection_connect"))
    row = page.get_by_role("row").filter(has_text="Brewline Espresso")
    expect(row).to_contain_text("not connected")
    row.get_by_role("button", name="Connect to Amazon").click()

    expect(page.get_by_role("heading", name="Authorize")).to_be_visible()  # the sandbox's Seller Central
    screenshot(page, "connect-amazon-consent")
    page.get_by_label(seller, exact=False).check()
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text(f"is connected to Amazon as seller {seller}")).to_be_visible()
    screenshot(page, "connect-amazon-connected")
    connection = SpApiConnection.objects.get(seller_account=account)
    assert (connection.status, connection.selling_partner_id, connection.connected_by_id) == (
        "connected",
        seller,
        manager.pk,
    )
    assert connection.refresh_token() and connection.refresh_token() not in connection.refresh_token_encrypted
