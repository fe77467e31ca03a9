"""Login with Amazon as SP-API uses it: the website authorization workflow and the token endpoint.

- Consent (Amazon's "website authorization workflow"): the seller opens
  ``/apps/authorize/consent?application_id=…&state=…`` (Seller Central in real life),
  confirms, and is redirected to the application's registered redirect URI with
  ``spapi_oauth_code``, ``selling_partner_id`` and the ``state`` it was given.
- ``POST /auth/o2/token``: ``grant_type=authorization_code`` exchanges the code (valid five
  minutes, once) for a refresh token and an access token; ``grant_type=refresh_token``
  gives a new access token (valid one hour, ``expires_in: 3600``).
- The seller can revoke an application (Seller Central › Manage Your Apps); its refresh and
  access tokens then stop working, and SP-API calls answer 403 Unauthorized.

Errors use LWA's OAuth 2.0 shape: ``{"error": "invalid_grant", "error_description": …}``.
"""

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .clock import Clock

ACCESS_TOKEN_SECONDS = 3600
AUTHORIZATION_CODE_SECONDS = 300


class LwaError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


class AccessDenied(Exception):
    """An SP-API call without a valid access token: 403 with Amazon's message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Application:
    application_id: str  # amzn1.sp.solution.… (what the consent URL names)
    client_id: str  # amzn1.application-oa2-client.… (LWA credentials)
    client_secret: str
    redirect_uris: list[str]
    name: str = "CSM Desk"


@dataclass
class Grant:
    client_id: str
    selling_partner_id: str
    revoked: bool = False


@dataclass
class AuthorizationCode:
    grant: Grant
    redirect_uri: str
    expires_at: datetime
    used: bool = False


@dataclass
class AccessToken:
    grant: Grant
    expires_at: datetime


@dataclass
class Lwa:
    clock: Clock
    applications: dict[str, Application] = field(default_factory=dict)  # by application_id
    _codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    _refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    _access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def register_application(self, application: Application) -> Application:
        self.applications[application.application_id] = application
        return application

    def application_by_client_id(self, client_id: str) -> Application | None:
        return next((app for app in self.applications.values() if app.client_id == client_id), None)

    # --- consent --------------------------------------------------------------------

    def consent(self, *, application_id: str, selling_partner_id: str, redirect_uri: str | None) -> tuple[str, str]:
        """The seller authorised the application: (authorization code, redirect URI)."""
        app = self.applications.get(application_id)
        if app is None:
            raise LwaError(400, "invalid_request", "Unknown application_id.")
        uri = redirect_uri or app.redirect_uris[0]
        if uri not in app.redirect_uris:
            # Amazon redirects only to an OAuth redirect URI registered for the app.
            raise LwaError(400, "invalid_request", "redirect_uri is not registered for this application.")
        code = "ANDsandbox" + secrets.token_hex(10)
        with self._lock:
            self._codes[code] = AuthorizationCode(
                grant=Grant(client_id=app.client_id, selling_partner_id=selling_partner_id),
                redirect_uri=uri,
                expires_at=self.clock.now() + timedelta(seconds=AUTHORIZATION_CODE_SECONDS),
            )
        return code, uri

    def self_authorize(self, *, client_id: str, selling_partner_id: str) -> str:
        """A refresh token without the consent pages (Amazon's self-authorization for one's own account)."""
        return self._new_refresh_token(Grant(client_id=client_id, selling_partner_id=selling_partner_id))

    # --- the token endpoint ----------------------------------------------------------

    def token(self, form: dict[str, str]) -> dict:
        app = self.application_by_client_id(form.get("client_id", ""))
        if app is None or not secrets.compare_digest(app.client_secret, form.get("client_secret", "")):
            raise LwaError(401, "invalid_client", "Client authentication failed")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange_code(app, form)
        if grant_type == "refresh_token":
            return self._refresh(app, form)
        raise LwaError(400, "unsupported_grant_type", "The authorization grant type is not supported")

    def _exchange_code(self, app: Application, form: dict[str, str]) -> dict:
        with self._lock:
            code = self._codes.get(form.get("code", ""))
            if code is None or code.used or code.expires_at < self.clock.now() or code.grant.client_id != app.client_id:
                raise LwaError(400, "invalid_grant", "The request has an invalid grant parameter : code")
            if form.get("redirect_uri") and form["redirect_uri"] != code.redirect_uri:
                raise LwaError(400, "invalid_grant", "The redirect_uri does not match the authorization request")
            code.used = True
        refresh_token = self._new_refresh_token(code.grant)
        return self._token_response(code.grant, refresh_token)

    def _refresh(self, app: Application, form: dict[str, str]) -> dict:
        refresh_token = form.get("refresh_token", "")
        grant = self._refresh_tokens.get(refresh_token)
        if grant is None or grant.revoked or grant.client_id != app.client_id:
            raise LwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
        return self._token_response(grant, refresh_token)

    def _new_refresh_token(self, grant: Grant) -> str:
        token = "Atzr|" + secrets.token_urlsafe(48)
        with self._lock:
            self._refresh_tokens[token] = grant
        return token

    def _token_response(self, grant: Grant, refresh_token: str) -> dict:
        access = "Atza|" + secrets.token_urlsafe(48)
        with self._lock:
            self._access_tokens[access] = AccessToken(
                grant=grant, expires_at=self.clock.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
            )
        return {
            "access_token": access,
            "refresh_token": refresh_token,
            "token_type": "bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
        }

    # --- checking and revoking ---------------------------------------------------------

    def selling_partner_for(self, access_token: str | None) -> str:
        """The selling partner an SP-API call acts for, or AccessDenied (403)."""
        if not access_token:
            raise AccessDenied("Access to requested resource is denied.")
        token = self._access_tokens.get(access_token)
        if token is None or token.grant.revoked:
            raise AccessDenied("The access token you provided is revoked, malformed or invalid.")
        if token.expires_at <= self.clock.now():
            raise AccessDenied("The access token you provided has expired.")
        return token.grant.selling_partner_id

    def revoke(self, *, selling_partner_id: str, client_id: str | None = None) -> int:
        """The seller removed the app's authorization: every grant of the pair stops working."""
        revoked = 0
        with self._lock:
            for grant in {id(g): g for g in self._refresh_tokens.values()}.values():
                if grant.selling_partner_id == selling_partner_id and client_id in (None, grant.client_id):
                    grant.revoked = True
                    revoked += 1
            for token in self._access_tokens.values():
                if token.grant.selling_partner_id == selling_partner_id and client_id in (None, token.grant.client_id):
                    token.grant.revoked = True
        return revoked
