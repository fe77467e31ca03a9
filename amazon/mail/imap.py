"""The seller's mailbox, read through IMAP with ``imap-tools`` (maintained; TLS, STARTTLS,
UTF-7 folder names and named errors for each command) over the standard library's imaplib.

Every read is bounded: a socket timeout on every command, at most ``MAIL_POLL_BATCH`` UIDs
a poll, and a mail's size is asked first (RFC822.SIZE) so that one above
``MAIL_MAX_MESSAGE_BYTES`` is never fetched whole: only its header is, capped. Mail is
read with BODY.PEEK, which leaves the \\Seen flag alone; the mailbox is opened read-only
unless the manager chose to mark read or delete after import.
"""

import contextlib
import imaplib
import re
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError

from ..models import AfterImport, Mailbox, MailboxSecurity
from .crypto import SecretUnreadable

# The header of a mail too large to fetch: enough for its Message-ID, Date, From and Subject.
HEADER_LIMIT = 64 * 1024
# UIDs searched at a time: an answer of at most ~50 KB.
SEARCH_WINDOW = 5_000
# Small mails are fetched several at a time (one round trip), up to this many bytes or mails.
FETCH_BATCH_BYTES = 4 * 1024 * 1024
FETCH_BATCH_MAILS = 50
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UID = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "[^"]+"')


class ImapError(Exception):
    """The mailbox could not be read; the text is safe to show (it never holds the password)."""


@dataclass(frozen=True)
class FetchedMail:
    uid: int | None  # None: posted to a webhook, no IMAP position
    content: bytes
    size: int
    complete: bool  # False: only the header, the mail is above the size limit
    internal_date: datetime | None


def _internal_date(line: bytes) -> datetime | None:
    match = _INTERNALDATE.search(line)
    moment = imaplib.Internaldate2tuple(match.group(0)) if match else None
    return datetime.fromtimestamp(time.mktime(moment), tz=UTC) if moment else None


def _literals(data: list, section: bytes) -> dict[int, bytes]:
    """The literal of ``section`` per UID in a FETCH answer."""
    found = {}
    for item in data:
        if isinstance(item, tuple) and section in item[0]:
            uid = _UID.search(item[0])
            if uid:
                found[int(uid.group(1))] = item[1]
    return found


def _safe(exc: BaseException, password: str) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text.replace(password, "•••") if password else text


class ImapSession:
    """One connection to a mailbox's folder: ``with ImapSession(mailbox) as session: …``."""

    def __init__(self, mailbox: Mailbox, *, timeout: float | None = None) -> None:
        self.mailbox = mailbox
        self.timeout = timeout or settings.MAIL_IMAP_TIMEOUT_SECONDS
        self.box: BaseMailBox | None = None
        self.uidvalidity: int | None = None
        self.uidnext: int | None = None
        self.messages = 0
        self._password = ""

    def __enter__(self) -> "ImapSession":
        mailbox = self.mailbox
        try:
            self._password = mailbox.password()
            if mailbox.security == MailboxSecurity.TLS:
                context = ssl.create_default_context()
                box = MailBox(mailbox.host, mailbox.port, timeout=self.timeout, ssl_context=context)
            elif mailbox.security == MailboxSecurity.STARTTLS:
                box = MailBoxStartTls(
                    mailbox.host, mailbox.port, timeout=self.timeout, ssl_context=ssl.create_default_context()
                )
            else:
                box = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=self.timeout)
            self.box = box
            box.login(mailbox.username, self._password, initial_folder=None)
            # Read-only unless the manager chose to change the mailbox after import.
            selected = box.folder.set(mailbox.folder, readonly=mailbox.after_import == AfterImport.KEEP)
            self.messages = int((selected[1] or [b"0"])[0] or 0)
            self.uidvalidity = int(box.client.untagged_responses.get("UIDVALIDITY", [b"0"])[-1])
            uidnext = box.client.untagged_responses.get("UIDNEXT")
            self.uidnext = int(uidnext[-1]) if uidnext else None
        except SecretUnreadable as exc:
            self.close()
            raise ImapError(str(exc)) from None
        except (ImapToolsError, imaplib.IMAP4.error, OSError, ValueError) as exc:
            self.close()
            raise ImapError(_safe(exc, self._password)) from None
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self.box is None:
            return
        try:
            self.box.logout()
        except Exception:  # noqa: BLE001 - a connection already broken closes quietly
            with contextlib.suppress(Exception):
                self.box.client.shutdown()
        self.box = None

    def _command(self, *args) -> list:
        try:
            status, data = self.box.client.uid(*args)
        except (imaplib.IMAP4.error, OSError, ValueError) as exc:
            raise ImapError(_safe(exc, self._password)) from None
        if status != "OK":
            raise ImapError(f"The server refused {args[0]}: {data!r}"[:500])
        return data

    def new_uids(self, *, after: int, limit: int) -> list[int]:
        """UIDs above the high-water mark, oldest first, at most ``limit``. Searched in
        windows of UIDs below UIDNEXT, so that a folder with years of mail never answers in
        one line longer than imaplib reads (1 MB). (``N:*`` always matches the newest mail
        even below N, hence the filter.)"""
        if self.uidnext is None:
            data = self._command("SEARCH", f"UID {after + 1}:*")
            return sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > after)[:limit]
        found: list[int] = []
        start = after + 1
        while start < self.uidnext and len(found) < limit:
            end = min(start + SEARCH_WINDOW - 1, self.uidnext - 1)
            data = self._command("SEARCH", f"UID {start}:{end}")
            found += sorted(int(uid) for uid in (data[0] or b"").split() if start <= int(uid) <= end)
            start = end + 1
        return found[:limit]

    def sizes(self, uids: list[int]) -> dict[int, tuple[int, datetime | None]]:
        if not uids:
            return {}
        data = self._command("FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE INTERNALDATE)")
        sizes = {}
        for line in data:
            line = line[0] if isinstance(line, tuple) else line
            uid, size = _UID.search(line or b""), _SIZE.search(line or b"")
            if uid and size:
                sizes[int(uid.group(1))] = (int(size.group(1)), _internal_date(line))
        return sizes

    def fetch(self, uid: int, *, size: int, internal_date: datetime | None, limit: int) -> FetchedMail | None:
        """The mail (or, above ``limit``, only its header); None when it is gone meanwhile."""
        if size > limit:
            data = self._command("FETCH", str(uid), f"(UID BODY.PEEK[HEADER]<0.{HEADER_LIMIT}>)")
            content = _literals(data, b"BODY[HEADER]").get(uid)
            complete = False
        else:
            data = self._command("FETCH", str(uid), "(UID BODY.PEEK[])")
            content = _literals(data, b"BODY[]").get(uid)
            complete = content is not None and len(content) <= limit
            if content is not None and not complete:
                content = content.split(b"\r\n\r\n", 1)[0][:HEADER_LIMIT]
        if content is None:
            return None
        return FetchedMail(uid=uid, content=content, size=size, complete=complete, internal_date=internal_date)

    def fetch_batch(self, uids: list[int], *, sizes: dict) -> dict[int, FetchedMail]:
        """Mails known to be below the size limit, in one UID FETCH; the ones gone meanwhile
        are missing from the answer. The caller keeps a batch within ``FETCH_BATCH_BYTES``."""
        if not uids:
            return {}
        data = self._command("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        found = {}
        for uid, content in _literals(data, b"BODY[]").items():
            size, internal_date = sizes.get(uid, (len(content), None))
            found[uid] = FetchedMail(
                uid=uid, content=content, size=max(size, len(content)), complete=True, internal_date=internal_date
            )
        return found

    def after_import(self, uid: int) -> None:
        """The manager's choice for a mail stored whole: mark it read, or delete it."""
        action = self.mailbox.after_import
        if action == AfterImport.MARK_READ:
            self._command("STORE", str(uid), "+FLAGS", "(\\Seen)")
        elif action == AfterImport.DELETE:
            self._command("STORE", str(uid), "+FLAGS", "(\\Deleted)")
            # UID EXPUNGE (RFC 4315) removes this mail only, never others flagged by a person.
            self._command("EXPUNGE", str(uid))


def fetch_batches(uids: list[int], *, sizes: dict, limit: int) -> list[list[int]]:
    """The UIDs in fetch order, grouped: small mails together (at most ``FETCH_BATCH_BYTES``
    and ``FETCH_BATCH_MAILS`` a group), a mail above ``limit`` (or of unknown size) alone."""
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, (0, None))[0]
        if size <= 0 or size > limit:
            if current:
                batches.append(current)
                current, total = [], 0
            batches.append([uid])
            continue
        if current and (total + size > FETCH_BATCH_BYTES or len(current) >= FETCH_BATCH_MAILS):
            batches.append(current)
            current, total = [], 0
        current.append(uid)
        total += size
    if current:
        batches.append(current)
    return batches
