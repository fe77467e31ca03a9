"""Attachments: the one place for what a file may be (Amazon's limits) and how it is kept.

Amazon's Buyer-Seller Messaging takes files up to 10 MB each, of the kinds buyers and
sellers exchange: images, PDF, text and common office documents (notes/amazon.md §9).
The Messaging API (Message via Amazon) has its own rules: 10 MB, any type its Uploads API
takes, at most five per message (``MESSAGING_API``). Every channel calls ``attachments_store``:
the e-mail relay and the REST ingest for a buyer's files (through ``inbound_message_receive``),
the outbound path for a reply's or a Messaging API message's. A file outside the rules is
recorded as refused with the reason — the message itself is always kept.
The bytes go through Django's storage API (the file system by default, S3-compatible by
setting, README "Connect your Amazon inbox"), content-addressed, and are served only
through the permission gate (``tickets.access.attachments_visible_to``), never a public URL.
"""

import hashlib
import mimetypes
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .models import Attachment, HeldMessage, Message, OutboundMessage

PREFIX = "attachments"
# Shown in the page (inline): raster images only. SVG can carry script, so it is not on the list.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
ALLOWED_TYPES = INLINE_TYPES | {
    "image/heic",
    "image/heif",
    "image/bmp",
    "image/tiff",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/rtf",
}
# A reply carries at most this many files (Amazon's messaging API takes up to 5).
MAX_FILES = 5
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\\"<>:|?*]+")


@dataclass(frozen=True)
class AttachmentRules:
    """What one channel to the buyer takes: Amazon's limits differ between them."""

    label: str
    allowed_types: frozenset[str] | None  # None: any type
    max_files: int
    fixed_max_bytes: int | None = None  # None: the relay's ATTACHMENT_MAX_BYTES setting

    @property
    def max_bytes(self) -> int:
        return self.fixed_max_bytes or settings.ATTACHMENT_MAX_BYTES


# Buyer-Seller Messaging through the relay (and the REST ingest): the types above, 10 MB by setting.
RELAY = AttachmentRules(label="Amazon", allowed_types=ALLOWED_TYPES, max_files=MAX_FILES)
# The Messaging API: 10 MB per file (notes/amazon.md §3), at most 5 per message (messaging.json;
# each type's own count is in tickets.outbound.amazon_actions), any type the Uploads API takes.
MESSAGING_API = AttachmentRules(
    label="Amazon's Messaging API", allowed_types=None, max_files=5, fixed_max_bytes=10 * 1024 * 1024
)


@dataclass(frozen=True)
class AttachmentIn:
    """A file as a channel received it: the sender's name and type, and the bytes."""

    name: str
    content_type: str
    content: bytes


class AttachmentRefused(Exception):
    """A reply's file breaks the rules: nothing is sent (the agent fixes it and sends again)."""


def attachment_name_clean(name: str) -> str:
    """A file name safe in a header and on a page: no path, no control or quoting characters."""
    name = _UNSAFE_NAME.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" ._")
    return name[-200:] or "attachment"


def attachment_type_of(*, name: str, declared: str) -> str:
    """The file's type: the declared one, else (absent or generic) the one its name gives."""
    declared = (declared or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared[:100]
    guessed, _ = mimetypes.guess_type(name)
    return (guessed or "application/octet-stream").lower()[:100]


def attachment_refusal(*, content_type: str, size: int, rules: AttachmentRules = RELAY) -> str:
    """Why a file may not be kept or sent through the channel, or "" when it may."""
    limit = rules.max_bytes
    if size > limit:
        return f"Too large: {size:,} bytes; {rules.label} takes files up to {limit:,} bytes."
    if size == 0:
        return "Empty file."
    if rules.allowed_types is not None and content_type not in rules.allowed_types:
        return f"Type {content_type} is not allowed (images, PDF, text and office documents are)."
    return ""


def attachment_save(content: bytes) -> tuple[str, str]:
    """Store the bytes once under their SHA-256; returns (sha256, storage name)."""
    sha256 = hashlib.sha256(content).hexdigest()
    name = f"{PREFIX}/{sha256[:2]}/{sha256[2:4]}/{sha256}"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # stored meanwhile by another process: keep the one copy
            default_storage.delete(saved)
    return sha256, name


def attachments_store(
    *,
    message: Message | None,
    files: list[AttachmentIn] | tuple = (),
    outbound: OutboundMessage | None = None,
    held: HeldMessage | None = None,
    rules: AttachmentRules = RELAY,
) -> list[Attachment]:
    """Keep a message's files: each allowed one in storage, each refused one as a row with
    the reason (its bytes are not kept). Call inside the transaction that writes the message."""
    rows = []
    for file in files:
        name = attachment_name_clean(file.name)
        content_type = attachment_type_of(name=name, declared=file.content_type)
        reason = attachment_refusal(content_type=content_type, size=len(file.content), rules=rules)
        sha256, storage_name = ("", "") if reason else attachment_save(file.content)
        rows.append(
            Attachment(
                message=message,
                outbound=outbound,
                held=held,
                name=name,
                content_type=content_type,
                size=len(file.content),
                sha256=sha256,
                storage_name=storage_name,
                refused_reason=reason,
            )
        )
    return Attachment.objects.bulk_create(rows)


def attachments_check(files: list[AttachmentIn] | tuple, *, rules: AttachmentRules = RELAY) -> list[str]:
    """A reply's files against the channel's rules, before anything is written: the problems, by file."""
    problems = []
    if len(files) > rules.max_files:
        problems.append(f"At most {rules.max_files} files per message.")
    for file in files:
        name = attachment_name_clean(file.name)
        reason = attachment_refusal(
            content_type=attachment_type_of(name=name, declared=file.content_type), size=len(file.content), rules=rules
        )
        if reason:
            problems.append(f"{name}: {reason}")
    return problems


def attachment_read(attachment: Attachment) -> bytes:
    limit = max(RELAY.max_bytes, MESSAGING_API.max_bytes)
    with default_storage.open(attachment.storage_name, "rb") as handle:
        return handle.read(limit + 1)


def attachment_disposition(attachment: Attachment) -> str:
    """Images show in the page; every other file downloads (never rendered by the browser)."""
    return "inline" if attachment.content_type in INLINE_TYPES else "attachment"


def attachments_of_held(held: HeldMessage) -> list[AttachmentIn]:
    """A held reply's files, to send with it on approval."""
    return [
        AttachmentIn(name=a.name, content_type=a.content_type, content=attachment_read(a))
        for a in held.attachments.filter(refused_reason="").order_by("pk")
    ]
