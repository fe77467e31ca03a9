"""Files that came with a buyer message or went with a reply or a Messaging API message
(buyers send photos of damage; sellers send warranties and invoices): one model for all.

The bytes live in Django's storage under their SHA-256 (``tickets.attachments``); the row
says what the file is and which message (and, for what the desk sends, which outbox row)
it belongs to. A file the rules refused (too large, a forbidden type) is a row too, without bytes,
with the reason: the message is never lost for it, and the agent sees what was left out.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .outbound import HeldMessage, OutboundMessage
from .tickets import Message


def outbound_deleted(collector, field, sub_objs, using) -> None:
    """A file keeps its conversation entry when its outbox row goes; a file with nothing else
    to belong to (a Messaging API file whose ticket was deleted, moved from the old
    OutboundAttachment table) goes with its outbox row, as it did there."""
    orphans = [a for a in sub_objs if a.message_id is None and a.held_id is None]
    kept = [a for a in sub_objs if a.message_id is not None or a.held_id is not None]
    if orphans:
        models.CASCADE(collector, field, orphans, using)
    if kept:
        models.SET_NULL(collector, field, kept, using)


class Attachment(models.Model):
    # The conversation entry it belongs to; empty while its reply is held for a manager.
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    # A held reply's files, sent with it when a manager approves it (tickets.held).
    held = models.ForeignKey(HeldMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    # A reply's or a Messaging API message's files: the outbox row sends them (the e-mail
    # gateway attaches them, the Messaging API gateway uploads them), again on each retry.
    outbound = models.ForeignKey(
        OutboundMessage, on_delete=outbound_deleted, null=True, blank=True, related_name="attachments"
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
                condition=Q(message__isnull=False) | Q(held__isnull=False) | Q(outbound__isnull=False),
                name="attachment_has_a_message",
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
