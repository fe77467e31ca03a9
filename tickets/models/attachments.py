"""Files that came with a buyer message or went with a reply (buyers send photos of damage).

The bytes live in Django's storage under their SHA-256 (``tickets.attachments``); the row
says what the file is and which message (and, for a reply, which outbox row) it belongs
to. A file the rules refused (too large, a forbidden type) is a row too, without bytes,
with the reason: the message is never lost for it, and the agent sees what was left out.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .outbound import HeldMessage, OutboundMessage
from .tickets import Message


class Attachment(models.Model):
    # The conversation entry it belongs to; empty while its reply is held for a manager.
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    # A held reply's files, sent with it when a manager approves it (tickets.held).
    held = models.ForeignKey(HeldMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    # A reply's files: the outbox row sends them, and sends them again on each retry.
    outbound = models.ForeignKey(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    storage_name = models.CharField(max_length=255, blank=True, help_text="Empty when the file was refused.")
    refused_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(storage_name="") | ~Q(refused_reason=""), name="attachment_stored_or_refused"
            ),
            models.CheckConstraint(
                condition=Q(message__isnull=False) | Q(held__isnull=False), name="attachment_has_a_message"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def refused(self) -> bool:
        return bool(self.refused_reason)

    @property
    def is_image(self) -> bool:
        from ..attachments import INLINE_TYPES

        return self.content_type in INLINE_TYPES
