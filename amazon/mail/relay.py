"""Amazon's Buyer-Seller Messaging relay format (notes/amazon.md §9), read from one e-mail.

Amazon publishes no specification of these mails; what is read here is the shape public
helpdesk parsers rely on, a heuristic: the sender ``"<Buyer> - Amazon Marketplace"
<random+suffix@marketplace.amazon.<tld>>``, ``(Order: 3-7-7)`` in the subject, item lines
with ``[ASIN: …]``, the buyer's own text between localised *Begin message* / *End message*
lines, a "no response needed" link carrying ``msg=``, and a ``[commMgrTok:…]`` token. When
Amazon's wording differs from what is listed here, extend the lists below (one place).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from mailparser_reply import EmailReplyParser

from tickets.attachments import AttachmentIn

from .mime import (
    TEXT_LIMIT,
    address_of,
    addresses_of,
    attachment_names,
    attachment_parts,
    auto_reply_reason,
    date_of,
    email_read,
    header,
    text_of,
)

RELAY_DOMAIN = re.compile(r"^marketplace\.(amazon\.[a-z.]{2,12})$")
# Public marketplace ids (SP-API "Marketplace IDs"), by the relay's domain.
MARKETPLACE_IDS = {
    "amazon.com": "ATVPDKIKX0DER",
    "amazon.ca": "A2EUQ1WTGCTBG2",
    "amazon.com.mx": "A1AM78C64UM0Y8",
    "amazon.com.br": "A2Q3Y263D00KWC",
    "amazon.co.uk": "A1F83G8C2ARO7P",
    "amazon.de": "A1PA6795UKMFR9",
    "amazon.fr": "A13V1IB3VIYZZH",
    "amazon.it": "APJ6JRA9NG5V4",
    "amazon.es": "A1RKKUPIHCS9HS",
    "amazon.nl": "A1805IZSGTT6HS",
    "amazon.se": "A2NODRKZP88ZB9",
    "amazon.pl": "A1C3SOZRARQ6R3",
    "amazon.com.be": "AMEN7PMS3EDWL",
    "amazon.com.tr": "A33AVAJ2PDY3EV",
    "amazon.co.jp": "A1VC38T7YXB528",
    "amazon.com.au": "A39IBJ37TRP1C6",
    "amazon.in": "A21TJRUUN4KGV",
    "amazon.sg": "A19VAU5U5O7RUS",
    "amazon.ae": "A2VIGQ35RCS4UG",
    "amazon.sa": "A17E79C6D8DWNP",
    "amazon.eg": "ARBP9OOSHTCHU",
}
# The language the quoted-history remover should expect, by marketplace.
LANGUAGE_OF_MARKETPLACE = {
    "amazon.de": "de",
    "amazon.fr": "fr",
    "amazon.com.be": "fr",
    "amazon.es": "es",
    "amazon.com.mx": "es",
    "amazon.it": "it",
    "amazon.co.jp": "ja",
}
# The lines around the buyer's own text, by language (a heuristic: see the module's docstring).
BEGIN_MARKERS = {
    "en": ["Begin message"],
    "de": ["Beginn der Nachricht", "Nachricht beginnen"],
    "fr": ["Début du message"],
    "es": ["Inicio del mensaje", "Comienzo del mensaje"],
    "it": ["Inizio del messaggio", "Inizio messaggio"],
    "ja": ["メッセージ開始", "メッセージの開始"],
}
END_MARKERS = {
    "en": ["End message"],
    "de": ["Ende der Nachricht", "Nachricht beenden"],
    "fr": ["Fin du message"],
    "es": ["Fin del mensaje"],
    "it": ["Fine del messaggio", "Fine messaggio"],
    "ja": ["メッセージ終了", "メッセージの終了"],
}
# How Amazon begins a message it writes on the buyer's behalf, by language (our reading).
ON_BEHALF = re.compile(
    r"^\W*(?:We(?:'ve| have) been contacted by a customer"
    r"|Wir wurden von einem Kunden\b[^.\n]{0,80}?kontaktiert|Nous avons été contactés par un client"
    r"|Un cliente se ha puesto en contacto con nosotros|Siamo stati contattati da un cliente"
    r"|お客様からお問い合わせがありました)",
    re.IGNORECASE,
)
IMPORTANT = re.compile(r"\[(?:Important|Wichtig|Importante|重要)\]", re.IGNORECASE)
ORDER_ID = re.compile(r"(?<![0-9])[0-9]{3}-[0-9]{7}-[0-9]{7}(?![0-9])")
ASIN = re.compile(r"ASIN\s*[:：]\s*([A-Z0-9]{10})(?![A-Z0-9])")
COMM_MGR_TOKEN = re.compile(r"\[commMgrTok:\s*([A-Za-z0-9._\-]{1,200})\s*\]")
NO_RESPONSE_URL = re.compile(r"https?://[^\s<>\"'\])]{1,1500}[?&]msg=[^\s<>\"'\])]{1,500}")
DISPLAY_NAME_SUFFIX = re.compile(r"\s*[-–—]\s*Amazon(?:\s+Marketplace)?(?:\s+Marketplace)?\s*$", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")
# Cut the buyer's text handed to the quoted-history remover, whose patterns read each line.
BUYER_TEXT_LIMIT = 20_000


def _marker_line(markers: dict[str, list[str]]) -> re.Pattern:
    alternatives = "|".join(re.escape(m) for words in markers.values() for m in words)
    return re.compile(rf"^[ \t\-=*_~#]*(?:{alternatives})[ \t\-=*_~#:：]*$", re.IGNORECASE | re.MULTILINE)


BEGIN_LINE = _marker_line(BEGIN_MARKERS)
END_LINE = _marker_line(END_MARKERS)
LANGUAGE_OF_MARKER = {m.lower(): lang for lang, words in BEGIN_MARKERS.items() for m in words}


class NotABuyerMessage(Exception):
    """The mail is not a relay buyer message: kept in the "not a buyer message" list."""


@dataclass(frozen=True)
class RelayEmail:
    subject: str
    relay_address: str
    buyer_name: str
    text: str  # the buyer's own words, quoted history removed; "" when the mail had none
    amazon_order_id: str = ""
    asins: list[str] = field(default_factory=list)
    marketplace: str = ""
    marketplace_id: str = ""
    language: str = "en"
    important: bool = False
    comm_mgr_token: str = ""
    no_response_url: str = ""
    sent_at: datetime | None = None
    thread_ids: list[str] = field(default_factory=list)  # In-Reply-To and References
    recipients: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    files: list[AttachmentIn] = field(default_factory=list)  # the attachments' bytes, for the intake
    markers_found: bool = False
    written_by_amazon: bool = False  # "We've been contacted by a customer…"


def relay_address_normalize(address: str) -> str:
    """``Abc+X12@Marketplace.Amazon.DE`` → ``abc@marketplace.amazon.de``: the part after ``+``
    changes per message while the address stays the buyer's (notes/amazon.md §9)."""
    local, _, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else ""


def relay_domain(address: str) -> str | None:
    """``amazon.de`` for a relay address at ``marketplace.amazon.de``, else None."""
    match = RELAY_DOMAIN.match(address.rpartition("@")[2].lower())
    return match.group(1) if match else None


def message_id_normalize(value: str, *, content: bytes) -> str:
    """The Message-ID as the desk keys it (``external_id``, at most 200 characters); a mail
    without one is keyed by its content, so the same bytes twice are still one message."""
    match = MESSAGE_ID.search(value or "")
    if match and len(match.group(0)) <= 200:
        return match.group(0)
    if match:
        return f"<sha256-{hashlib.sha256(match.group(0).encode()).hexdigest()}@csmdesk.long-id>"
    return f"<sha256-{hashlib.sha256(content).hexdigest()}@csmdesk.no-id>"


def thread_ids_of(*values: str) -> list[str]:
    ids = []
    for value in values:
        ids += MESSAGE_ID.findall(value or "")
    return list(dict.fromkeys(ids))[:50]


def _buyer_segment(text: str) -> tuple[str, str, str | None]:
    """(the buyer's text, Amazon's text around it, the begin marker's language)."""
    begin = BEGIN_LINE.search(text)
    if begin is None:
        return text, "", None
    end = END_LINE.search(text, begin.end())
    stop = end.start() if end else len(text)
    marker = begin.group(0).strip(" \t-=*_~#:：").lower()
    language = next((lang for word, lang in LANGUAGE_OF_MARKER.items() if word in marker), None)
    around = text[: begin.start()] + "\n" + text[end.end() if end else stop :]
    return text[begin.end() : stop], around, language


def _without_quoted_history(text: str, language: str) -> str:
    """The buyer's newest words: a reply written above quoted earlier mail ("On … wrote:",
    "Am … schrieb", Outlook headers) keeps only the reply (mail-parser-reply)."""
    text = text[:BUYER_TEXT_LIMIT]
    reply = EmailReplyParser(languages=[language]).read(text)
    latest = reply.latest_reply
    return latest if latest and latest.strip() else text


def relay_email_parse(content: bytes) -> RelayEmail:
    """Read a relay buyer message. Raises ``NotABuyerMessage`` for auto-replies, bounces and
    mail that did not come through the relay, and ``mime.UnreadableEmail`` for mail that
    cannot be read reliably."""
    return relay_email_of(email_read(content))


def relay_email_of(message: EmailMessage) -> RelayEmail:
    """``relay_email_parse`` of a mail already parsed (``mime.email_read``): the import parses
    each mail once and hands the result to the notice reader and to this one."""
    reason = auto_reply_reason(message)
    if reason:
        raise NotABuyerMessage(f"Written by a machine: {reason}.")
    display_name, sender = address_of(message, "From")
    marketplace = relay_domain(sender)
    if marketplace is None:
        _, reply_to = address_of(message, "Reply-To")
        marketplace = relay_domain(reply_to)
        if marketplace is None:
            raise NotABuyerMessage(
                f"Not from Amazon's Buyer-Seller Messaging relay (the sender is {sender or 'missing'})."
            )
        sender = reply_to
    subject = header(message, "Subject")[:300]
    text = text_of(message) or ""
    segment, around, marker_language = _buyer_segment(text)
    language = marker_language or LANGUAGE_OF_MARKETPLACE.get(marketplace, "en")
    buyer_text = COMM_MGR_TOKEN.sub("", _without_quoted_history(segment, language)).strip()
    amazon_part = f"{subject}\n{around}"
    order = ORDER_ID.search(subject) or ORDER_ID.search(around)
    token = COMM_MGR_TOKEN.search(subject) or COMM_MGR_TOKEN.search(text[:TEXT_LIMIT])
    no_response = NO_RESPONSE_URL.search(around)
    return RelayEmail(
        subject=subject,
        relay_address=relay_address_normalize(sender),
        buyer_name=DISPLAY_NAME_SUFFIX.sub("", display_name).strip()[:200],
        text=buyer_text,
        amazon_order_id=order.group(0) if order else "",
        asins=list(dict.fromkeys(ASIN.findall(amazon_part)))[:50],
        marketplace=marketplace,
        marketplace_id=MARKETPLACE_IDS.get(marketplace, ""),
        language=language,
        important=bool(IMPORTANT.search(subject)),
        comm_mgr_token=token.group(1) if token else "",
        no_response_url=no_response.group(0) if no_response else "",
        sent_at=date_of(message),
        thread_ids=thread_ids_of(header(message, "In-Reply-To"), header(message, "References")),
        recipients=addresses_of(message, "To", "Cc", "Delivered-To", "X-Original-To", "Reply-To"),
        attachments=attachment_names(message),
        files=attachment_parts(message),
        markers_found=marker_language is not None,
        written_by_amazon=bool(ON_BEHALF.search(buyer_text[:500]) or ON_BEHALF.search(text.lstrip()[:500])),
    )
