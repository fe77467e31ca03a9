"""Secrets of the Amazon channels at rest: relay mailbox passwords and SP-API refresh tokens,
encrypted with Fernet (AES-128-CBC + HMAC-SHA256, the maintained ``cryptography`` package).
Amazon's Data Protection Policy wants credentials never in plain text (notes/amazon.md §10).

One key ring for the app, ``MAILBOX_SECRET_KEYS`` (comma-separated, newest first): the first
key encrypts, every key decrypts (MultiFernet), so a key is rotated by putting a new one in
front, re-encrypting (``manage.py mailbox_secrets_rotate``, ``spapi_tokens_rotate``) and then
dropping the old one. Without the variable a key is derived from ``SECRET_KEY`` and the
secret's *purpose*, so a mailbox password and a refresh token never share a derived key.

``amazon.mail.crypto`` applies it to mailbox passwords (purpose ``mailbox-secrets``).
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretUnreadable(Exception):
    """The stored secret was encrypted with a key that is no longer configured."""


@cache
def _fernet(keys: tuple[str, ...], secret_key: str, purpose: str) -> MultiFernet:
    if not keys:
        # Derived, never stored: a deployment that sets no key of its own still encrypts.
        derived = hashlib.sha256(f"csmdesk.{purpose}:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "MAILBOX_SECRET_KEYS must be Fernet keys (32 url-safe base64-encoded bytes each); make one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        ) from None


def fernet(*, purpose: str) -> MultiFernet:
    return _fernet(tuple(settings.MAILBOX_SECRET_KEYS), settings.SECRET_KEY, purpose)


def secret_encrypt(plain: str, *, purpose: str) -> str:
    return fernet(purpose=purpose).encrypt(plain.encode()).decode()


def secret_decrypt(token: str, *, purpose: str) -> str:
    try:
        return fernet(purpose=purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            f"The stored {purpose.replace('-', ' ')} cannot be decrypted with the configured MAILBOX_SECRET_KEYS."
        ) from None


def secret_rotate(token: str, *, purpose: str) -> str:
    """The same secret encrypted with the newest key (MultiFernet.rotate)."""
    try:
        return fernet(purpose=purpose).rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            f"The stored {purpose.replace('-', ' ')} cannot be decrypted with any configured key."
        ) from None


def secrets_rotate_all(queryset, *, field: str, purpose: str) -> tuple[int, list[int]]:
    """Re-encrypt ``field`` of every row of ``queryset`` with the newest key, one UPDATE
    per row; returns (rows rotated, pks no configured key reads)."""
    rotated, unreadable = 0, []
    for pk, token in queryset.exclude(**{field: ""}).values_list("pk", field):
        try:
            fresh = secret_rotate(token, purpose=purpose)
        except SecretUnreadable:
            unreadable.append(pk)
            continue
        queryset.model.objects.filter(pk=pk).update(**{field: fresh})
        rotated += 1
    return rotated, unreadable
