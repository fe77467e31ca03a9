"""The thin adapter between the desk and Amazon's official SP-API SDK (``amzn-sp-api``).

The SDK builds the requests and knows every operation's parameters; this module decides
what the desk needs around it, and contains the SDK's three habits that do not fit a
server whose tests move time instead of sleeping:

- it calls ``logging.basicConfig(level=INFO)`` when imported: ``_sdk()`` imports it with the
  root logger's handlers and level put back afterwards (Django's LOGGING stays in charge);
- its ``AccessTokenCache`` caches the access token on the real ``time.time()`` and retries a
  failed token request three times with real sleeps (2 + 4 + 8 s) — also for a revoked
  refresh token (its ``if e.response`` is false for every 4xx/5xx response), which would
  hold a worker 14 s per revoked account and call LWA four times. ``AccessTokens`` replaces
  it (the SDK's ``Configuration.access_token_cache`` is the hook): the desk's clock
  (``django.utils.timezone.now``, which ``time-machine`` moves in tests), one request with a
  timeout, and named errors; retrying is the task's business;
- the SDK's client fetches a token as soon as it is built: ``SpApiClient`` builds it on
  its first call.

Errors come out as the desk's: ``Throttled`` (429, with the wait the usage plan implies),
``AuthorizationRevoked`` (the seller removed the app: LWA ``invalid_grant`` or a 403 that
says revoked), ``AuthorizationRefused`` (other 401/403: credentials or roles), ``Unavailable``
(5xx, network) and ``SpApiError`` for the rest. Answers come back as Amazon's JSON (camelCase
keys), so the mapping to the desk (``orders.py``) reads Amazon's documented names.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode

import requests
import urllib3
from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

# A 429's wait when Amazon's x-amzn-RateLimit-Limit header is missing.
DEFAULT_RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 15 * 60.0
# Added to the desk's own wait for a token (clock skew between the desk and Amazon).
CLOCK_MARGIN_SECONDS = 1.0
# An access token is renewed this long before LWA says it expires.
TOKEN_MARGIN = timedelta(seconds=60)


class SpApiError(Exception):
    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Throttled(SpApiError):
    """Amazon's 429, or (``by_desk``) the desk's own bucket had no request left: not sent."""

    def __init__(self, message: str, *, retry_after: float, by_desk: bool = False) -> None:
        super().__init__(message, status=429, code="QuotaExceeded")
        self.retry_after, self.by_desk = retry_after, by_desk


class AuthorizationRevoked(SpApiError):
    """The seller removed the app's authorization: every call will fail until reconnected."""


class AuthorizationRefused(SpApiError):
    """Amazon refuses the app itself (client credentials, missing role): a retry will not help."""


class Unavailable(SpApiError):
    """Amazon or the network failed this time (5xx, timeout): try again later."""


@dataclass(frozen=True)
class LwaCredentials:
    client_id: str
    client_secret: str
    token_url: str

    @classmethod
    def from_settings(cls) -> "LwaCredentials":
        return cls(settings.SPAPI_LWA_CLIENT_ID, settings.SPAPI_LWA_CLIENT_SECRET, settings.SPAPI_LWA_TOKEN_URL)


def _timeout() -> float:
    return float(settings.SPAPI_TIMEOUT_SECONDS)


def _lwa_post(credentials: LwaCredentials, form: dict[str, str]) -> dict:
    """One request to LWA's token endpoint; its OAuth errors as the desk's."""
    data = {"client_id": credentials.client_id, "client_secret": credentials.client_secret, **form}
    try:
        response = requests.post(credentials.token_url, data=data, timeout=_timeout())
    except requests.RequestException as exc:
        raise Unavailable(f"Login with Amazon did not answer: {exc.__class__.__name__}") from None
    if response.status_code == 200:
        return response.json()
    try:
        body = response.json()
    except ValueError:
        body = {}
    error, description = body.get("error", ""), body.get("error_description", response.reason)
    message = f"Login with Amazon: {error or response.status_code}: {description}"
    if response.status_code >= 500:
        raise Unavailable(message, status=response.status_code, code=error)
    if error == "invalid_grant" and form.get("grant_type") == "refresh_token":
        raise AuthorizationRevoked(message, status=response.status_code, code=error)
    if error in ("invalid_client", "unauthorized_client") or response.status_code in (401, 403):
        raise AuthorizationRefused(message, status=response.status_code, code=error)
    raise SpApiError(message, status=response.status_code, code=error)


def lwa_exchange_code(*, code: str, redirect_uri: str, credentials: LwaCredentials | None = None) -> str:
    """The refresh token for a consent's ``spapi_oauth_code`` (LWA ``authorization_code`` grant)."""
    body = _lwa_post(
        credentials or LwaCredentials.from_settings(),
        {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
    )
    return body["refresh_token"]


def consent_url(*, state: str, redirect_uri: str) -> str:
    """Seller Central's consent page for this app (Amazon's website authorization workflow)."""
    query = {"application_id": settings.SPAPI_APPLICATION_ID, "state": state, "redirect_uri": redirect_uri}
    return f"{settings.SPAPI_CONSENT_URL}?{urlencode(query)}"


class AccessTokens:
    """The SDK's ``access_token_cache`` (same method), on the desk's clock, without sleeps."""

    def __init__(self, *, credentials: LwaCredentials, refresh_token: str) -> None:
        self.credentials, self.refresh_token = credentials, refresh_token
        self._token: str | None = None
        self._expires_at: datetime | None = None

    def get_lwa_access_token(self) -> str:
        now = timezone.now()
        if self._token is None or self._expires_at is None or now >= self._expires_at:
            body = _lwa_post(self.credentials, {"grant_type": "refresh_token", "refresh_token": self.refresh_token})
            self._token = body["access_token"]
            self._expires_at = now + timedelta(seconds=int(body.get("expires_in", 3600))) - TOKEN_MARGIN
        return self._token

    def drop(self) -> None:
        self._token = self._expires_at = None


@cache
def _sdk():
    """The SDK's modules, imported without letting its ``logging.basicConfig`` take the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from spapi import ApiClient, Configuration
        from spapi.api.orders_v2026_01_01.search_orders_api import SearchOrdersApi
        from spapi.api.reports_v2021_06_30.reports_api import ReportsApi
        from spapi.models.reports_v2021_06_30.create_report_specification import CreateReportSpecification
        from spapi.rest import ApiException
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return ApiClient, Configuration, SearchOrdersApi, ApiException, ReportsApi, CreateReportSpecification


def _retry_after(headers: Any) -> float:
    """A 429's wait: one token of the usage plan's rate (``x-amzn-RateLimit-Limit``, per second)."""
    try:
        rate = float(dict(headers or {}).get("x-amzn-RateLimit-Limit", ""))
    except ValueError:
        return DEFAULT_RETRY_AFTER
    return min(MAX_RETRY_AFTER, 1.0 / rate) if rate > 0 else DEFAULT_RETRY_AFTER


def _error_message(body: Any) -> str:
    try:
        errors = json.loads(body)["errors"]
        return "; ".join(f"{e.get('code', '')}: {e.get('message', '')}" for e in errors)
    except (TypeError, ValueError, KeyError):
        return str(body or "")[:300]


class SpApiClient:
    """One seller's SP-API, at ``endpoint`` (the sandbox's URL in tests and the demo).

    With ``selling_partner_id``, every call first takes a token of the seller's bucket for the
    operation (``ratelimit.token_buckets``, shared by every worker): a call the usage plan has
    no room for is not sent, it raises ``Throttled`` with the wait. Amazon's
    ``x-amzn-RateLimit-Limit`` sets the bucket's rate; Amazon's 429 empties it."""

    def __init__(
        self,
        *,
        endpoint: str,
        refresh_token: str,
        credentials: LwaCredentials | None = None,
        selling_partner_id: str = "",
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.selling_partner_id = selling_partner_id
        self.tokens = AccessTokens(
            credentials=credentials or LwaCredentials.from_settings(), refresh_token=refresh_token
        )
        self._api_client = None

    def _client(self):
        if self._api_client is None:
            ApiClient, Configuration, *_ = _sdk()
            configuration = Configuration()
            configuration.host = self.endpoint
            configuration.access_token_cache = self.tokens
            self._api_client = ApiClient(configuration=configuration)
        return self._api_client

    def _call(self, operation, *, operation_id: str):
        """``operation(api_client)`` with Amazon's errors as the desk's, within the seller's
        usage plan; an access token that expired under way (Amazon's clock, not ours,
        decides) is renewed once."""
        from .ratelimit import token_buckets

        ApiException = _sdk()[3]
        buckets = token_buckets() if self.selling_partner_id else None
        for attempt in (1, 2):
            if buckets is not None:
                wait = buckets.take(selling_partner_id=self.selling_partner_id, operation=operation_id)
                if wait > 0:
                    raise Throttled(
                        f"{operation_id}: the seller's usage plan has no request left (rate limit): "
                        f"the next one in {wait:.0f} s.",
                        # A second more: Amazon's bucket runs on Amazon's clock, not ours.
                        retry_after=min(MAX_RETRY_AFTER, wait + CLOCK_MARGIN_SECONDS),
                        by_desk=True,
                    )
            try:
                client = self._client()
                data, _status, headers = operation(client)
                self._rate_learned(buckets, operation_id, headers)
                return client.sanitize_for_serialization(data)
            except ApiException as exc:
                message = _error_message(exc.body)
                if exc.status == 403 and "expired" in message and attempt == 1:
                    self.tokens.drop()
                    continue
                self._rate_learned(buckets, operation_id, exc.headers)
                if exc.status == 429 and buckets is not None:
                    buckets.drain(selling_partner_id=self.selling_partner_id, operation=operation_id)
                raise self._error(exc.status, message, exc.headers) from None
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                raise Unavailable(f"SP-API did not answer: {exc.__class__.__name__}") from None
        raise AssertionError("unreachable")

    def sdk_call(self, operation, *, operation_id: str):
        """``operation(api_client)`` (an SDK ``*_with_http_info`` call) with Amazon's errors as
        the desk's and its usage plan's token taken first: for the API modules beside this one
        (messaging.py, solicitations.py). ``operation_id`` is Amazon's name of the operation."""
        return self._call(operation, operation_id=operation_id)

    def _rate_learned(self, buckets, operation_id: str, headers: Any) -> None:
        if buckets is None:
            return
        try:
            rate = float(dict(headers or {}).get("x-amzn-RateLimit-Limit", ""))
        except ValueError:
            return
        buckets.rate_update(selling_partner_id=self.selling_partner_id, operation=operation_id, rate=rate)

    @staticmethod
    def _error(status: int | None, message: str, headers: Any) -> SpApiError:
        if status == 429:
            return Throttled(message or "QuotaExceeded", retry_after=_retry_after(headers))
        if status == 403 and "revoked" in message.lower():
            return AuthorizationRevoked(message, status=status, code="Unauthorized")
        if status in (401, 403):
            return AuthorizationRefused(message, status=status, code="Unauthorized")
        if status is None or status >= 500:
            return Unavailable(message, status=status)
        return SpApiError(message, status=status)

    def search_orders(
        self,
        *,
        last_updated_after: datetime,
        marketplace_ids: list[str],
        page_size: int,
        pagination_token: str | None = None,
        included_data: list[str],
    ) -> dict:
        """One page of Orders v2026-01-01 ``searchOrders`` by last update (Amazon's JSON)."""

        def operation(client):
            SearchOrdersApi = _sdk()[2]
            params: dict[str, Any] = {
                "last_updated_after": last_updated_after,
                "max_results_per_page": page_size,
                "included_data": included_data,
                "_request_timeout": (_timeout(), _timeout()),
            }
            if marketplace_ids:
                params["marketplace_ids"] = marketplace_ids
            if pagination_token:
                params["pagination_token"] = pagination_token
            return SearchOrdersApi(client).search_orders_with_http_info(**params)

        return self._call(operation, operation_id="searchOrders")

    # --- Reports API 2021-06-30 ----------------------------------------------------------

    def create_report(
        self, *, report_type: str, marketplace_ids: list[str], start: datetime | None, end: datetime | None
    ) -> str:
        """``createReport``: Amazon's report id."""

        def operation(client):
            ReportsApi, Specification = _sdk()[4], _sdk()[5]
            body = Specification(
                report_type=report_type, marketplace_ids=marketplace_ids, data_start_time=start, data_end_time=end
            )
            return ReportsApi(client).create_report_with_http_info(body, _request_timeout=(_timeout(), _timeout()))

        return self._call(operation, operation_id="createReport")["reportId"]

    def get_report(self, *, report_id: str) -> dict:
        """``getReport``: the report's processing status and, once DONE, its document id."""

        def operation(client):
            return _sdk()[4](client).get_report_with_http_info(report_id, _request_timeout=(_timeout(), _timeout()))

        return self._call(operation, operation_id="getReport")

    def get_report_document(self, *, document_id: str) -> dict:
        """``getReportDocument``: the document's pre-signed URL (valid 5 minutes) and compression."""

        def operation(client):
            return _sdk()[4](client).get_report_document_with_http_info(
                document_id, _request_timeout=(_timeout(), _timeout())
            )

        return self._call(operation, operation_id="getReportDocument")

    # --- Finances API v0 -----------------------------------------------------------------

    def list_financial_events(
        self, *, posted_after: datetime, posted_before: datetime, next_token: str | None = None
    ) -> dict:
        """One page of ``listFinancialEvents`` (Amazon's payload: ``FinancialEvents``, ``NextToken``)."""

        def operation(client):
            _sdk()  # the SDK's modules, imported without its root logger
            from spapi.api.finances_v0.finances_v0_api import FinancesV0Api

            params: dict[str, Any] = {
                "posted_after": posted_after,
                "posted_before": posted_before,
                "max_results_per_page": 100,
                "_request_timeout": (_timeout(), _timeout()),
            }
            if next_token:
                params["next_token"] = next_token
            return FinancesV0Api(client).list_financial_events_with_http_info(**params)

        return self._call(operation, operation_id="listFinancialEvents").get("payload") or {}
