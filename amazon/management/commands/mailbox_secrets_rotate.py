"""Encrypt every mailbox password again with the newest key of ``MAILBOX_SECRET_KEYS``, so
that the older keys can then be removed (README, "Connect your Amazon inbox")."""

from django.core.management.base import BaseCommand, CommandError

from amazon.mail.crypto import PURPOSE
from amazon.models import Mailbox
from amazon.secrets import secrets_rotate_all


class Command(BaseCommand):
    help = "Re-encrypt every mailbox password with the first key of MAILBOX_SECRET_KEYS."

    def handle(self, *args, **options) -> None:
        rotated, unreadable = secrets_rotate_all(Mailbox.objects.all(), field="password_encrypted", purpose=PURPOSE)
        self.stdout.write(f"{rotated} mailbox password(s) encrypted with the newest key.")
        # The webhook mailboxes' signing secrets are on the same key ring.
        signed, unsigned = secrets_rotate_all(Mailbox.objects.all(), field="webhook_secret_encrypted", purpose=PURPOSE)
        self.stdout.write(f"{signed} webhook secret(s) encrypted with the newest key.")
        unreadable += unsigned
        if unreadable:
            raise CommandError(f"Mailboxes {unreadable}: no configured key reads the password; enter it again.")
