"""Mailbox passwords, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, from the
maintained ``cryptography`` package): Amazon's Data Protection Policy wants credentials
never in plain text (notes/amazon.md §10).

Keys come from the environment (``MAILBOX_SECRET_KEYS``, comma-separated, newest first):
the first encrypts, every one decrypts, so a key is rotated by putting a new one in front,
running ``manage.py mailbox_secrets_rotate`` and then dropping the old one. Without the
variable a key is derived from ``SECRET_KEY``.
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
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        # Derived, never stored: a deployment that sets no key of its own still encrypts.
        derived = hashlib.sha256(f"csmdesk.mailbox-secrets:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "MAILBOX_SECRET_KEYS must be Fernet keys (32 url-safe base64-encoded bytes each); make one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.MAILBOX_SECRET_KEYS), settings.SECRET_KEY)


def secret_encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "The stored password cannot be decrypted with the configured MAILBOX_SECRET_KEYS; enter it again."
        ) from None


def secret_rotate(token: str) -> str:
    """The same secret encrypted with the newest key (MultiFernet.rotate)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("The stored password cannot be decrypted with any configured key.") from None
