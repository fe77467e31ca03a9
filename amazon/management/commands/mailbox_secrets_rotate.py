"""Encrypt every mailbox password again with the newest key of ``MAILBOX_SECRET_KEYS``, so
that the older keys can then be removed (README, "Connect your Amazon inbox")."""

from django.core.management.base import BaseCommand, CommandError

from amazon.mail.crypto import SecretUnreadable, secret_rotate
from amazon.models import Mailbox


class Command(BaseCommand):
    help = "Re-encrypt every mailbox password with the first key of MAILBOX_SECRET_KEYS."

    def handle(self, *args, **options) -> None:
        rotated, unreadable = 0, []
        for mailbox in Mailbox.objects.exclude(password_encrypted="").only("pk", "password_encrypted"):
            try:
                token = secret_rotate(mailbox.password_encrypted)
            except SecretUnreadable:
                unreadable.append(mailbox.pk)
                continue
            Mailbox.objects.filter(pk=mailbox.pk).update(password_encrypted=token)
            rotated += 1
        self.stdout.write(f"{rotated} mailbox password(s) encrypted with the newest key.")
        if unreadable:
            raise CommandError(f"Mailboxes {unreadable}: no configured key reads the password; enter it again.")
