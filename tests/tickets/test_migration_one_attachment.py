"""Migrations 0025–0027: the Messaging API's files leave the database (OutboundAttachment's
bytes) for storage as Attachment rows, the one model for files — and come back if reversed."""

import importlib

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import MessageFactory, TicketFactory
from tickets.attachments import AttachmentIn
from tickets.models import Attachment, Gateway, OutboundMessage
from tickets.outbound.services import message_send

BEFORE = ("tickets", "0025_attachment_of_a_messaging_api_message")
MOVE = importlib.import_module("tickets.migrations.0026_outbound_attachments_to_storage")


@pytest.fixture
def migrate(transactional_db):
    """Moves the tickets app to a migration; the database is back at the latest one afterwards."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()

    def to(target):
        executor.loader.build_graph()
        executor.migrate([target] if target != "latest" else latest)
        return executor.loader.project_state([target] if target != "latest" else latest).apps

    yield to
    to("latest")


@pytest.fixture
def small_batches(monkeypatch):
    # Two rows a batch: the move goes over several batches, as on a large table.
    monkeypatch.setattr(MOVE, "BATCH_ROWS", 2)


def amazon_outbound(*, message):
    ticket = message.ticket if message else TicketFactory()
    return OutboundMessage.objects.create(
        seller_account=ticket.seller_account,
        buyer=ticket.buyer,
        ticket=ticket if message else None,
        message=message,
        purpose="amazon_invoice",
        body="Invoice sent through Amazon's Messaging API (1 attachment).",
        gateway=Gateway.SP_API,
    )


def test_the_old_rows_bytes_are_files_in_storage_on_their_message(migrate, small_batches):
    message = MessageFactory(direction="outbound")
    outbound = amazon_outbound(message=message)
    old = migrate(BEFORE).get_model("tickets", "OutboundAttachment")
    files = {f"invoice-{n}.pdf": b"%PDF-1.7 invoice " + bytes([n]) * n for n in range(5)}
    for name, content in files.items():
        old.objects.create(outbound_id=outbound.pk, file_name=name, content=content, size=len(content))
    migrate("latest")
    moved = Attachment.objects.filter(outbound=outbound, message=message)
    assert {a.name: default_storage.open(a.storage_name).read() for a in moved} == files


def test_a_file_whose_ticket_was_deleted_is_kept_with_its_outbox_row(migrate):
    outbound = amazon_outbound(message=None)
    old = migrate(BEFORE).get_model("tickets", "OutboundAttachment")
    old.objects.create(outbound_id=outbound.pk, file_name="w.pdf", content=b"%PDF warranty", size=13)
    migrate("latest")
    kept = Attachment.objects.get(outbound=outbound)
    assert default_storage.open(kept.storage_name).read() == b"%PDF warranty"


def test_the_outbox_row_deleted_later_takes_its_orphan_file_with_it(migrate):
    outbound = amazon_outbound(message=None)
    old = migrate(BEFORE).get_model("tickets", "OutboundAttachment")
    old.objects.create(outbound_id=outbound.pk, file_name="w.pdf", content=b"%PDF warranty", size=13)
    migrate("latest")
    OutboundMessage.objects.filter(pk=outbound.pk).delete()
    assert not Attachment.objects.exists()


def test_reversed_the_files_are_bytes_in_the_database_again(migrate, small_batches):
    ticket = TicketFactory()
    invoices = [AttachmentIn(f"invoice-{n}.pdf", "application/pdf", b"%PDF-1.7 " + bytes([n]) * 3) for n in range(3)]
    outbound = message_send(
        body="Invoice sent through Amazon's Messaging API (3 attachments).",
        actor=None,
        channel="test",
        ticket=ticket,
        purpose="amazon_invoice",
        gateway=Gateway.SP_API,
        hold_allowed=False,
        attachments=invoices,
    )
    old = migrate(BEFORE).get_model("tickets", "OutboundAttachment")
    back = old.objects.filter(outbound_id=outbound.pk).order_by("pk")
    assert [(a.file_name, bytes(a.content)) for a in back] == [(f.name, f.content) for f in invoices]


def test_a_replys_files_stay_where_they_are_when_reversed(migrate):
    ticket = TicketFactory()
    guide = AttachmentIn("guide.pdf", "application/pdf", b"%PDF-1.7 the guide")
    message_send(body="Here is the guide.", actor=None, channel="test", ticket=ticket, attachments=[guide])
    old_apps = migrate(BEFORE)
    assert (
        old_apps.get_model("tickets", "OutboundAttachment").objects.count(),
        old_apps.get_model("tickets", "Attachment").objects.filter(name="guide.pdf").count(),
    ) == (0, 1)
