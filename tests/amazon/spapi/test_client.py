"""The SDK adapter: the SDK's habits contained (amazon.spapi.client)."""

import logging
import time

import pytest

from amazon.spapi.client import AuthorizationRefused, AuthorizationRevoked, SpApiClient, _sdk


def test_importing_the_sdk_leaves_the_root_logger_alone():
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    _sdk.cache_clear()
    _sdk()
    assert (list(root.handlers), root.level) == before


def test_a_revoked_refresh_token_fails_at_once_without_sleeping(sandbox, sandbox_url, seller, monkeypatch):
    token = sandbox.self_authorize(seller)
    sandbox.revoke(seller)
    monkeypatch.setattr(time, "sleep", lambda seconds: pytest.fail(f"slept {seconds} s"))
    client = SpApiClient(endpoint=sandbox_url, refresh_token=token)
    with pytest.raises(AuthorizationRevoked):
        client.tokens.get_lwa_access_token()


def test_wrong_app_credentials_are_refused_not_retried(sandbox, sandbox_url, seller, settings):
    settings.SPAPI_LWA_CLIENT_SECRET = "wrong"
    client = SpApiClient(endpoint=sandbox_url, refresh_token=sandbox.self_authorize(seller))
    with pytest.raises(AuthorizationRefused):
        client.tokens.get_lwa_access_token()


def test_the_access_token_is_kept_on_the_desks_clock(sandbox, sandbox_url, seller, desk_clock):
    client = SpApiClient(endpoint=sandbox_url, refresh_token=sandbox.self_authorize(seller))
    first = client.tokens.get_lwa_access_token()
    assert client.tokens.get_lwa_access_token() == first
    desk_clock.shift(3600)
    assert client.tokens.get_lwa_access_token() != first
