"""Messaging API files move from the database (OutboundAttachment's bytes) into storage as
Attachment rows, the one model for files (tickets.attachments).

Batches of at most ~32 MB of bytes, each committed on its own (the migration is not atomic):
a batch writes its files to storage, then, in one transaction, creates their Attachment rows
and deletes the OutboundAttachment rows it moved. Stopped anywhere, nothing is lost and running
it again moves the rest (a file written before a crash is found again under its SHA-256).
Backwards, the same the other way (the storage files stay: others may share them).
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, transaction

BATCH_BYTES = 32 * 1024 * 1024
BATCH_ROWS = 200


def _batches(queryset, size_field):
    """Primary keys in pk order, grouped so one batch's bytes stay under BATCH_BYTES."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", size_field)[:BATCH_ROWS])
        if not rows:
            return
        batch, total = [], 0
        for pk, size in rows:
            if batch and total + size > BATCH_BYTES:
                break
            batch.append(pk)
            total += size
        last = batch[-1]
        yield batch


def _store(content: bytes) -> tuple[str, str]:
    # The storage layout of tickets.attachments.attachment_save, frozen here.
    sha256 = hashlib.sha256(content).hexdigest()
    name = f"attachments/{sha256[:2]}/{sha256[2:4]}/{sha256}"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            default_storage.delete(saved)
    if default_storage.size(name) != len(content):
        raise RuntimeError(f"Storage holds {name} with another size: nothing moved, look at it first.")
    return sha256, name


def to_storage(apps, schema_editor):
    OutboundAttachment = apps.get_model("tickets", "OutboundAttachment")
    Attachment = apps.get_model("tickets", "Attachment")
    db = schema_editor.connection.alias
    pending = OutboundAttachment.objects.using(db)
    for batch in _batches(pending, "size"):
        rows = pending.filter(pk__in=batch).values(
            "pk", "file_name", "content_type", "content", "outbound_id", "outbound__message_id", "outbound__created_at"
        )
        moved = []
        for row in rows:
            content = bytes(row["content"])
            sha256, storage_name = _store(content)
            moved.append(
                Attachment(
                    message_id=row["outbound__message_id"],
                    outbound_id=row["outbound_id"],
                    name=row["file_name"],
                    content_type=row["content_type"],
                    size=len(content),
                    sha256=sha256,
                    storage_name=storage_name,
                    created_at=row["outbound__created_at"],
                )
            )
        with transaction.atomic(using=db):
            Attachment.objects.using(db).bulk_create(moved)
            pending.filter(pk__in=batch).delete()


def to_database(apps, schema_editor):
    OutboundAttachment = apps.get_model("tickets", "OutboundAttachment")
    Attachment = apps.get_model("tickets", "Attachment")
    db = schema_editor.connection.alias
    # The Messaging API's files: those of outbox rows of its message types (purpose amazon_*).
    pending = Attachment.objects.using(db).filter(outbound__purpose__startswith="amazon_", refused_reason="")
    for batch in _batches(pending, "size"):
        back = []
        for row in pending.filter(pk__in=batch).values("outbound_id", "name", "content_type", "storage_name"):
            with default_storage.open(row["storage_name"], "rb") as handle:
                content = handle.read()
            back.append(
                OutboundAttachment(
                    outbound_id=row["outbound_id"],
                    file_name=row["name"][:200],
                    content_type=row["content_type"],
                    content=content,
                    size=len(content),
                )
            )
        with transaction.atomic(using=db):
            OutboundAttachment.objects.using(db).bulk_create(back)
            pending.filter(pk__in=batch).delete()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tickets", "0025_attachment_of_a_messaging_api_message"),
    ]

    operations = [migrations.RunPython(to_storage, to_database, elidable=False)]
