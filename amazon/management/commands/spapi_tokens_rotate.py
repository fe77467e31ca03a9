"""Encrypt every SP-API refresh token again with the newest key of ``MAILBOX_SECRET_KEYS``, so
that the older keys can then be removed (README, "Connect a seller account to Amazon")."""

from django.core.management.base import BaseCommand, CommandError

from amazon.secrets import secrets_rotate_all
from amazon.spapi.models import TOKEN_PURPOSE, SpApiConnection


class Command(BaseCommand):
    help = "Re-encrypt every SP-API refresh token with the first key of MAILBOX_SECRET_KEYS."

    def handle(self, *args, **options) -> None:
        rotated, unreadable = secrets_rotate_all(
            SpApiConnection.objects.all(), field="refresh_token_encrypted", purpose=TOKEN_PURPOSE
        )
        self.stdout.write(f"{rotated} SP-API refresh token(s) encrypted with the newest key.")
        if unreadable:
            raise CommandError(f"Connections {unreadable}: no configured key reads the token; connect them again.")
