"""Login with Amazon: consent → callback parameters → code exchange → refresh; revoked and expired tokens."""

from urllib.parse import parse_qs, urlsplit

import requests

from amazon_sandbox.app import DEFAULT_APPLICATION_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URI

from .spapi_client import SpApiTestClient


def consent(url, seller, state="xyz-state"):
    page = requests.get(
        f"{url}/apps/authorize/consent", params={"application_id": DEFAULT_APPLICATION_ID, "state": state}
    )
    assert page.status_code == 200 and seller in page.text
    return requests.post(
        f"{url}/apps/authorize/consent",
        data={"application_id": DEFAULT_APPLICATION_ID, "state": state, "selling_partner_id": seller},
        allow_redirects=False,
    )


def callback_params(response) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def client(url) -> SpApiTestClient:
    return SpApiTestClient(url, client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET)


def test_consent_redirects_to_the_app_with_code_seller_and_state(sandbox_url, seller):
    response = consent(sandbox_url, seller)
    params = callback_params(response)
    assert response.headers["Location"].startswith(DEFAULT_REDIRECT_URI)
    assert (params["state"], params["selling_partner_id"], params["spapi_oauth_code"] != "") == (
        "xyz-state",
        seller,
        True,
    )


def test_the_code_exchanges_for_tokens_that_call_the_api_and_refresh(sandbox_url, seller):
    code = callback_params(consent(sandbox_url, seller))["spapi_oauth_code"]
    spapi = client(sandbox_url)
    tokens = spapi.token(grant_type="authorization_code", code=code, redirect_uri=DEFAULT_REDIRECT_URI).json()
    spapi.refresh_token = tokens["refresh_token"]
    spapi.authenticate()
    answer = spapi.call("searchOrders", createdAfter="2026-06-10T00:00:00Z")
    assert (tokens["token_type"], tokens["expires_in"], answer.status) == ("bearer", 3600, 200)


def test_a_code_works_once(sandbox_url, seller):
    code = callback_params(consent(sandbox_url, seller))["spapi_oauth_code"]
    spapi = client(sandbox_url)
    spapi.token(grant_type="authorization_code", code=code)
    again = spapi.token(grant_type="authorization_code", code=code)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_a_code_expires_after_five_minutes(sandbox_url, seller, clock):
    code = callback_params(consent(sandbox_url, seller))["spapi_oauth_code"]
    clock.advance(minutes=6)
    response = client(sandbox_url).token(grant_type="authorization_code", code=code)
    assert response.json()["error"] == "invalid_grant"


def test_a_wrong_client_secret_is_invalid_client(sandbox_url, sandbox, seller):
    spapi = SpApiTestClient(sandbox_url, client_id=DEFAULT_CLIENT_ID, client_secret="wrong")
    response = spapi.token(grant_type="refresh_token", refresh_token=sandbox.self_authorize(seller))
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_an_unregistered_redirect_uri_is_refused(sandbox_url, seller):
    response = requests.post(
        f"{sandbox_url}/apps/authorize/consent",
        data={
            "application_id": DEFAULT_APPLICATION_ID,
            "selling_partner_id": seller,
            "redirect_uri": "https://evil.example/",
        },
        allow_redirects=False,
    )
    assert response.status_code == 400


def test_a_call_without_a_token_is_403(sandbox_url):
    answer = client(sandbox_url).call("searchOrders", createdAfter="2026-06-10T00:00:00Z")
    assert (answer.status, answer.body["errors"][0]["code"]) == (403, "Unauthorized")


def test_a_revoked_authorization_answers_403_and_refuses_refresh(spapi, sandbox, seller):
    sandbox.revoke(seller)
    answer = spapi.call("searchOrders", createdAfter="2026-06-10T00:00:00Z")
    refresh = spapi.token(grant_type="refresh_token", refresh_token=spapi.refresh_token)
    assert (answer.status, answer.body["errors"][0]["message"], refresh.json()["error"]) == (
        403,
        "The access token you provided is revoked, malformed or invalid.",
        "invalid_grant",
    )


def test_revoking_over_http_works_like_seller_central(spapi, sandbox_url, seller):
    requests.post(f"{sandbox_url}/_sandbox/revoke", data={"selling_partner_id": seller})
    assert spapi.call("searchOrders", createdAfter="2026-06-10T00:00:00Z").status == 403


def test_an_access_token_expires_after_an_hour(spapi, clock):
    clock.advance(seconds=3600)
    answer = spapi.call("searchOrders", createdAfter="2026-06-10T00:00:00Z")
    assert (answer.status, answer.body["errors"][0]["message"]) == (403, "The access token you provided has expired.")


def test_other_sellers_tokens_see_other_orders(spapi, sandbox, sandbox_url):
    from .conftest import make_client

    other = make_client(sandbox, sandbox_url, sandbox.selling_partner_ids[1])
    since = {"createdAfter": "2026-06-01T00:00:00Z"}
    mine = {o["orderId"] for o in spapi.call("searchOrders", **since).body["orders"]}
    theirs = {o["orderId"] for o in other.call("searchOrders", **since).body["orders"]}
    assert mine and theirs and not mine & theirs


def test_token_refresh_keeps_working_across_days(spapi, clock):
    clock.advance(days=2)
    spapi.authenticate()
    assert spapi.call("searchOrders", createdAfter="2026-06-10T00:00:00Z").status == 200
