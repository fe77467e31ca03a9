"""Reading any e-mail, whatever its sender did to it: the headers, the text (plain, else
HTML turned into text), charsets that are wrong or unknown, and whether a machine wrote it
(auto-replies and bounces, which must never start a 24 h clock).

Bounded: the mail itself is at most ``MAIL_MAX_MESSAGE_BYTES`` (amazon.mail.imap), and the
text handed on is cut at ``TEXT_LIMIT`` characters.
"""

import email
import email.policy
import email.utils
from datetime import UTC, datetime
from email.errors import MultipartInvariantViolationDefect, NoBoundaryInMultipartDefect, StartBoundaryNotFoundDefect
from email.message import EmailMessage
from html.parser import HTMLParser

from tickets.attachments import AttachmentIn

# The buyer's text is at most a few thousand characters; what is longer is cut (the desk's
# limit on a message body is 20,000) before any pattern reads it.
TEXT_LIMIT = 100_000
# Files read from one mail at most; the mail itself is bounded by MAIL_MAX_MESSAGE_BYTES.
FILES_LIMIT = 20
# Defects after which the parts of a multipart mail cannot be trusted.
BROKEN_STRUCTURE = (StartBoundaryNotFoundDefect, NoBoundaryInMultipartDefect, MultipartInvariantViolationDefect)


class UnreadableEmail(Exception):
    """The mail cannot be read reliably: it goes to the quarantine with this reason."""


def email_read(content: bytes) -> EmailMessage:
    message = email.message_from_bytes(content, policy=email.policy.default)
    defects = [d for part in message.walk() for d in part.defects if isinstance(d, BROKEN_STRUCTURE)]
    if defects:
        names = ", ".join(sorted({type(d).__name__ for d in defects}))
        raise UnreadableEmail(
            f"The MIME structure is broken ({names}): the mail declares parts that cannot be found, "
            "so its text cannot be read reliably."
        )
    return message


def header(message: EmailMessage, name: str) -> str:
    """A header as text; a header too broken to decode is read as its raw characters."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, LookupError, AttributeError):
        value = ""
    return " ".join(str(value or "").split())[:2000]


def address_of(message: EmailMessage, name: str) -> tuple[str, str]:
    """(display name, address) of the first address in a header: as the header's own
    parser reads it (encoded words and all), else as plain text."""
    try:
        addresses = getattr(message[name], "addresses", None)
        if addresses:
            return addresses[0].display_name.strip(), addresses[0].addr_spec.strip()
    except (ValueError, IndexError, TypeError, LookupError, AttributeError):
        pass
    display, address = email.utils.parseaddr(header(message, name))
    return display.strip(), address.strip()


def addresses_of(message: EmailMessage, *names: str) -> list[str]:
    values = []
    for name in names:
        values += [str(v) for v in message.get_all(name, []) or []]
    return [addr for _, addr in email.utils.getaddresses(values) if addr][:50]


def date_of(message: EmailMessage) -> datetime | None:
    """The Date header as an aware UTC moment, or None when missing or unreadable."""
    raw = header(message, "Date")
    if not raw:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # RFC 5322 "-0000": no zone known, taken as UTC
    return moment.astimezone(UTC)


def auto_reply_reason(message: EmailMessage) -> str | None:
    """Why a machine wrote this mail (RFC 3834 Auto-Submitted, the common X-Autoreply
    headers, delivery and read reports), or None. Auto-responders are no buyer message and
    no answer either (Amazon: "Auto-responders are not considered a valid response")."""
    auto_submitted = header(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        if name != "X-Auto-Response-Suppress" and header(message, name):
            return f"{name} header"
    if header(message, "Precedence").lower() in {"auto_reply", "auto-reply"}:
        return "Precedence: auto_reply"
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type", "") or "report"
        return f"a {report} report (multipart/report)"
    if header(message, "X-Failed-Recipients"):
        return "a delivery failure (X-Failed-Recipients)"
    _, sender = address_of(message, "From")
    if sender.split("@")[0].lower() in {"mailer-daemon", "postmaster"}:
        return f"a message from {sender.split('@')[0].lower()}"
    return None


def _decoded(part: EmailMessage) -> str:
    """A text part's characters. A wrong or unknown declared charset never loses the text:
    the declared one is tried, then UTF-8, then Windows-1252, which reads any byte."""
    payload = part.get_payload(decode=True) or b""
    payload = payload[: TEXT_LIMIT * 4]
    declared = part.get_content_charset() or "us-ascii"
    for charset in (declared, "utf-8", "cp1252"):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote", "hr"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html[:TEXT_LIMIT])
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.chunks).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def text_of(message: EmailMessage) -> str | None:
    """The mail's text: its plain-text body, else its HTML body as text, else None."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, LookupError, ValueError):
        body = None
    if body is None:
        return None
    text = _decoded(body)
    if body.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")[:TEXT_LIMIT]


def attachment_names(message: EmailMessage) -> list[str]:
    names = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text" and not part.get_filename():
            continue
        names.append(f"{part.get_filename() or 'unnamed'} ({part.get_content_type()})")
    return names[:20]


def _is_file(part: EmailMessage) -> bool:
    """A leaf part that is a file: not a text body (text without a file name is the body or
    its alternative), not a report's machine part."""
    if part.is_multipart():
        return False
    return bool(part.get_filename()) or part.get_content_maintype() not in ("text", "message")


def attachment_parts(message: EmailMessage) -> list[AttachmentIn]:
    """The mail's files (photos, PDFs…) with their bytes, at most ``FILES_LIMIT``. A part
    whose encoding is broken gives what its bytes decode to; the rules (size, type) are
    applied where they are kept (``tickets.attachments``)."""
    files = []
    for part in message.walk():
        if not _is_file(part):
            continue
        try:
            content = part.get_payload(decode=True) or b""
        except (ValueError, TypeError, LookupError):
            content = b""
        name = part.get_filename() or f"attachment-{len(files) + 1}"
        files.append(AttachmentIn(name=str(name), content_type=part.get_content_type(), content=content))
        if len(files) >= FILES_LIMIT:
            break
    return files
