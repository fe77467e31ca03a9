"""Raw mail kept first, content-addressed: the file's name is its SHA-256, written through
Django's storage API (the file system by default, any storage backend in production), so
the same bytes are stored once however often they arrive."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PREFIX = "amazon-mail/raw"


def raw_name(sha256: str) -> str:
    # Two levels of fan-out keep any one folder small.
    return f"{PREFIX}/{sha256[:2]}/{sha256[2:4]}/{sha256}.eml"


def raw_save(content: bytes) -> tuple[str, str]:
    """Store ``content`` (once) and return its SHA-256 and storage name."""
    sha256 = hashlib.sha256(content).hexdigest()
    name = raw_name(sha256)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            # Another process stored the same bytes meanwhile and the storage picked a new
            # name for ours: keep the one copy.
            default_storage.delete(saved)
    return sha256, name


def raw_read(name: str, *, limit: int) -> bytes:
    """The stored bytes, at most ``limit`` of them (the size limit bounds every read)."""
    with default_storage.open(name, "rb") as handle:
        return handle.read(limit)
