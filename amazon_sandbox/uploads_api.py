"""Uploads API: where a Messaging API attachment is put before a message names it.

``createUploadDestinationForResource`` answers an ``uploadDestinationId`` and a URL (Amazon's
is a pre-signed S3 URL; the sandbox's is ``/_sandbox/uploads/<id>``) to ``PUT`` the file to,
with the ``Content-MD5`` the destination was created for. The sandbox keeps what Amazon
checks later: the file arrived whole (its MD5), it is at most 10 MB (Amazon's attachment
limit, notes/amazon.md §3), and a message names only a destination of its own seller, made
for that order and message type.
"""

import base64
import binascii
import hashlib
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .errors import ApiError

MAX_FILE_BYTES = 10 * 1024 * 1024
# Amazon's pre-signed upload URLs expire; so do the sandbox's.
DESTINATION_TTL = timedelta(minutes=5)
# "/messaging/v1/orders/{amazonOrderId}/messages/legalDisclosure" (the model's example), with or
# without the leading slash.
MESSAGING_RESOURCE = re.compile(r"^/?messaging/v1/orders/(?P<order>[^/]+)/messages/(?P<action>[A-Za-z]+)$")


@dataclass
class Destination:
    destination_id: str
    selling_partner_id: str
    order_id: str
    action: str
    content_md5: str
    content_type: str
    created_at: datetime
    content: bytes | None = None


@dataclass
class Uploads:
    destinations: dict[str, Destination] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(
        self, *, selling_partner_id: str, params: dict, known_actions: set[str], now: datetime, base_url: str
    ) -> dict:
        match = MESSAGING_RESOURCE.match(params["resource"])
        if match is None or match["action"] not in known_actions:
            raise ApiError(400, "InvalidInput", f"The resource {params['resource']!r} takes no uploads.")
        try:
            if len(base64.b64decode(params["contentMD5"], validate=True)) != 16:
                raise ValueError
        except (binascii.Error, ValueError):
            raise ApiError(400, "InvalidInput", "contentMD5 is not a base64-encoded MD5 digest.") from None
        destination = Destination(
            destination_id=f"sc/{uuid.uuid4()}",
            selling_partner_id=selling_partner_id,
            order_id=match["order"],
            action=match["action"],
            content_md5=params["contentMD5"],
            content_type=params.get("contentType") or "application/octet-stream",
            created_at=now,
        )
        with self._lock:
            self.destinations[destination.destination_id] = destination
        url = f"{base_url}/_sandbox/uploads/{destination.destination_id.removeprefix('sc/')}"
        headers = {"Content-MD5": destination.content_md5, "Content-Type": destination.content_type}
        return {"payload": {"uploadDestinationId": destination.destination_id, "url": url, "headers": headers}}

    def put(self, *, key: str, content: bytes, now: datetime) -> None:
        """The file's PUT to its destination URL (S3 answers 200, or 400 for a wrong digest)."""
        destination = self.destinations.get(f"sc/{key}")
        if destination is None or now > destination.created_at + DESTINATION_TTL:
            raise ApiError(403, "AccessDenied", "Request has expired or the destination is unknown.")
        if len(content) > MAX_FILE_BYTES:
            raise ApiError(413, "EntityTooLarge", "Attachments are at most 10 MB.")
        digest = base64.b64encode(hashlib.md5(content).digest()).decode()  # noqa: S324 (S3's Content-MD5)
        if digest != destination.content_md5:
            raise ApiError(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
        destination.content = content

    def attached(self, *, selling_partner_id: str, order_id: str, action: str, attachment: dict) -> Destination:
        """The uploaded file a message's attachment names, if Amazon would accept it there."""
        destination = self.destinations.get(attachment["uploadDestinationId"])
        if destination is None or destination.selling_partner_id != selling_partner_id:
            raise ApiError(400, "InvalidInput", f"Unknown uploadDestinationId {attachment['uploadDestinationId']}.")
        if (destination.order_id, destination.action) != (order_id, action):
            raise ApiError(400, "InvalidInput", "The upload destination was created for another order or message.")
        if destination.content is None:
            raise ApiError(400, "InvalidInput", "Nothing was uploaded to the destination.")
        return destination


def read_upload(environ: dict) -> bytes:
    """The PUT's body, read no further than one byte past the limit."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_FILE_BYTES:
        raise ApiError(413, "EntityTooLarge", "Attachments are at most 10 MB.")
    return environ["wsgi.input"].read(length) if length else b""
