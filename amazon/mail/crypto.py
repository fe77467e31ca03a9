"""Mailbox passwords at rest: the app's secret key ring (``amazon.secrets``, Fernet with
``MAILBOX_SECRET_KEYS``) under the purpose ``mailbox-secrets``, the derivation mailbox
passwords have always used, so stored passwords stay readable."""

from .. import secrets
from ..secrets import SecretUnreadable

PURPOSE = "mailbox-secrets"

__all__ = ["SecretUnreadable", "secret_decrypt", "secret_encrypt"]


def secret_encrypt(plain: str) -> str:
    return secrets.secret_encrypt(plain, purpose=PURPOSE)


def secret_decrypt(token: str) -> str:
    try:
        return secrets.secret_decrypt(token, purpose=PURPOSE)
    except SecretUnreadable:
        raise SecretUnreadable(
            "The stored password cannot be decrypted with the configured MAILBOX_SECRET_KEYS; enter it again."
        ) from None
