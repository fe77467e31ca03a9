"""Who is calling: ``Authorization: Token <key>`` for integrations, the session (with
CSRF) for browsers. A key's request runs with the key itself as ``request.user``, so
the permission gate (``tickets.access``) and the scopes see one principal."""

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tickets.audit import Actor

from .models import ApiKey, key_digest


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send 'Authorization: Token <key>' with the key and nothing else.")
        try:
            raw_key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid key.") from None
        key = ApiKey.objects.filter(hashed_key=key_digest(raw_key), revoked_at__isnull=True).first()
        if key is None:
            # Unknown and revoked keys get the same answer.
            raise exceptions.AuthenticationFailed("Invalid or revoked key.")
        key.touch()
        return key, key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to anonymous callers.
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; keys are created by managers in the admin.",
        }


def request_actor(request: Request) -> Actor:
    """The actor the audit trail records: the user, or the key's label ("api-key:ab12cd34")."""
    if isinstance(request.user, AbstractBaseUser):
        return request.user
    return request.user.get_username()
