"""Encrypt every SP-API refresh token again with the newest key of ``MAILBOX_SECRET_KEYS``, so
that the older keys can then be removed (README, "Connect a seller account to Amazon")."""

from django.core.management.base import BaseCommand, CommandError

from amazon.secrets import SecretUnreadable, secret_rotate
from amazon.spapi.models import TOKEN_PURPOSE, SpApiConnection


class Command(BaseCommand):
    help = "Re-encrypt every SP-API refresh token with the first key of MAILBOX_SECRET_KEYS."

    def handle(self, *args, **options) -> None:
        rotated, unreadable = 0, []
        for connection in SpApiConnection.objects.exclude(refresh_token_encrypted="").only(
            "pk", "refresh_token_encrypted"
        ):
            try:
                token = secret_rotate(connection.refresh_token_encrypted, purpose=TOKEN_PURPOSE)
            except SecretUnreadable:
                unreadable.append(connection.pk)
                continue
            SpApiConnection.objects.filter(pk=connection.pk).update(refresh_token_encrypted=token)
            rotated += 1
        self.stdout.write(f"{rotated} SP-API refresh token(s) encrypted with the newest key.")
        if unreadable:
            raise CommandError(f"Connections {unreadable}: no configured key reads the token; connect them again.")
