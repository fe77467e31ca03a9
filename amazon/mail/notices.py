"""Amazon's own notices on the relay address (notes/amazon.md §9): a delivery failure (Amazon
blocked a message we sent), an A-to-z Guarantee claim, a buyer's opt-out of unsolicited
messages. They come from Amazon's own addresses (``…@amazon.<tld>``, never the relay's
``marketplace.`` subdomain) in the marketplace's language.

Like the relay format, this is a heuristic written from the notices' public descriptions,
not from an Amazon specification: the words below are what is recognised, in one place per
language; extend them when a marketplace words a notice differently. A mail that names
Amazon as its sender but fails DMARC at the seller's mail server is no notice.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from email.message import EmailMessage

from .mime import TEXT_LIMIT, address_of, date_of, email_read, header, text_of
from .relay import ORDER_ID, relay_address_normalize

AMAZON_SENDER = re.compile(
    r"(?:^|\.)amazon\.(?:com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|se|pl|com\.be|com\.tr|co\.jp|com\.au|in|sg|ae|sa|eg)$"
)
RELAY_ADDRESS = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}(?:\+[a-z0-9._-]{1,64})?@marketplace\.amazon\.[a-z.]{2,12}", re.I)


class NoticeKind:
    DELIVERY_FAILURE = "delivery_failure"
    A_TO_Z_CLAIM = "a_to_z_claim"
    OPT_OUT = "opt_out"


# What each notice says, by language (our own reading of the notices' wording).
DELIVERY_FAILURE = [
    r"could not be delivered",  # en
    r"konnte nicht zugestellt werden",  # de
    r"n'a pas pu être (?:remis|distribué)",  # fr
    r"no se ha podido entregar",  # es
    r"non è stato possibile (?:recapitare|consegnare)",  # it
    r"配信できませんでした",  # ja
]
A_TO_Z = [
    r"A-to-z Guarantee claim",
    r"A-bis-z-Garantie",
    r"Garantie A à Z",
    r"Garantía de la A a la Z",
    r"Garanzia dalla A alla Z",
    r"Amazonマーケットプレイス保証",
]
OPT_OUT = [
    r"opted out of (?:receiving )?unsolicited messages",
    r"vom Erhalt unaufgeforderter Nachrichten abgemeldet",
    r"refusé de recevoir des messages non sollicités",
    r"optado por no recibir mensajes no solicitados",
    r"scelto di non ricevere messaggi non richiesti",
    r"未承諾のメッセージの受信を停止",
]


def _labelled(*labels: str) -> re.Pattern:
    """``Label: value`` on a line of its own, in any of the languages' labels."""
    alternatives = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"^[ \t]*(?:{alternatives})[ \t]*[:：][ \t]*(.+?)[ \t]*$", re.IGNORECASE | re.MULTILINE)


REASON = _labelled("Reason", "Grund", "Motif", "Motivo", "理由")
CLAIM_ID = _labelled("Claim ID", "Antrags-ID", "Numéro de réclamation", "ID de reclamación", "ID richiesta", "申請ID")
AMOUNT = _labelled(
    "Claim amount", "Antragsbetrag", "Montant de la réclamation", "Importe de la reclamación", "Importo", "申請金額"
)
RESPOND_BY = _labelled(
    "Respond by", "Antworten Sie bis", "Répondez avant le", "Responda antes del", "Rispondi entro il", "回答期限"
)
CLAIM_REASON = _labelled(
    "Claim reason", "Antragsgrund", "Motif de la réclamation", "Motivo de la reclamación", "Motivo", "申請理由"
)
MESSAGE_ID = re.compile(r"<[^<>\s]{1,200}@[^<>\s]{1,200}>")

MONTHS = {
    # en, de, fr, es, it
    **dict.fromkeys(["january", "januar", "janvier", "enero", "gennaio"], 1),
    **dict.fromkeys(["february", "februar", "février", "febrero", "febbraio"], 2),
    **dict.fromkeys(["march", "märz", "mars", "marzo"], 3),
    **dict.fromkeys(["april", "avril", "abril", "aprile"], 4),
    **dict.fromkeys(["may", "mai", "mayo", "maggio"], 5),
    **dict.fromkeys(["june", "juni", "juin", "junio", "giugno"], 6),
    **dict.fromkeys(["july", "juli", "juillet", "julio", "luglio"], 7),
    **dict.fromkeys(["august", "août", "agosto"], 8),
    **dict.fromkeys(["september", "septembre", "septiembre", "settembre"], 9),
    **dict.fromkeys(["october", "oktober", "octobre", "octubre", "ottobre"], 10),
    **dict.fromkeys(["november", "novembre", "noviembre"], 11),
    **dict.fromkeys(["december", "dezember", "décembre", "diciembre", "dicembre"], 12),
}
ZONES = {"utc": 0, "gmt": 0, "pst": -8, "pdt": -7, "cet": 1, "cest": 2, "jst": 9, "bst": 1}
CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "￥": "JPY"}
MONEY = re.compile(
    r"(?P<code>[A-Z]{3})?\s*(?P<sign>[€$£¥￥])?\s*(?P<number>[0-9][0-9.,\s]*)\s*(?P<after>[€$£¥￥円]|[A-Z]{3})?"
)


@dataclass(frozen=True)
class AmazonNotice:
    kinds: frozenset[str]
    subject: str
    sender: str
    sent_at: datetime | None
    text: str
    amazon_order_id: str = ""
    relay_address: str = ""
    reason: str = ""
    # Message-IDs the notice names (ours among them when it quotes the blocked message).
    message_ids: list[str] = field(default_factory=list)
    claim_id: str = ""
    claim_reason: str = ""
    amount: Decimal | None = None
    currency: str = ""
    respond_by: datetime | None = None


class ForgedNotice(Exception):
    """Names Amazon as its sender, but the seller's mail server found it forged."""


def _any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _first(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return match.group(1).strip()[:500] if match else ""


def deadline_parse(value: str) -> datetime | None:
    """Amazon's "respond by" in the notice's language: ``November 6, 2026 14:22 PST``,
    ``6. November 2026``, ``6 de noviembre de 2026``, ``2026年11月6日 14:22 JST``. Without a
    time, the start of that day (UTC): an early deadline rather than a missed one."""
    text = value.lower()
    year = re.search(r"(20[0-9]{2})", text)
    if year is None:
        return None
    japanese = re.search(r"([0-9]{1,2})月\s*([0-9]{1,2})日", text)
    if japanese:
        month, day = int(japanese.group(1)), int(japanese.group(2))
    else:
        month = next((n for word, n in MONTHS.items() if re.search(rf"(?<![a-zé]){word}(?![a-zé])", text)), None)
        day_match = re.search(r"(?<![0-9:])([0-9]{1,2})(?![0-9:])", text.replace(year.group(1), " "))
        if month is None or day_match is None:
            return None
        day = int(day_match.group(1))
    clock = re.search(r"([0-9]{1,2}):([0-9]{2})", text)
    zone = next((hours for name, hours in ZONES.items() if re.search(rf"\b{name}\b", text)), 0)
    try:
        moment = datetime(int(year.group(1)), month, day, tzinfo=UTC)
    except ValueError:
        return None
    if clock:
        moment += timedelta(hours=int(clock.group(1)) - zone, minutes=int(clock.group(2)))
    return moment


def money_parse(value: str) -> tuple[Decimal | None, str]:
    """``USD 89.99``, ``89,99 €``, ``EUR 1.089,00``, ``¥12,800`` → (amount, ISO currency)."""
    match = MONEY.search(value)
    if match is None:
        return None, ""
    code = match.group("code") or match.group("after") or ""
    sign = match.group("sign") or code
    currency = CURRENCY_SIGNS.get(sign, "") or ("JPY" if code == "円" else code)
    number = re.sub(r"\s", "", match.group("number")).rstrip(".,")
    decimal_mark = max(number.rfind(","), number.rfind("."))
    if decimal_mark != -1 and len(number) - decimal_mark - 1 == 2:
        number = re.sub(r"[.,]", "", number[:decimal_mark]) + "." + number[decimal_mark + 1 :]
    else:
        number = re.sub(r"[.,]", "", number)
    try:
        return Decimal(number), currency
    except InvalidOperation:
        return None, currency


def _dmarc_failed(message) -> bool:
    results = " ".join(str(v) for v in message.get_all("Authentication-Results", []) or []).lower()
    return "dmarc=fail" in results


def notice_parse(content: bytes) -> AmazonNotice | None:
    """The notice this mail is, or None when it is not from Amazon's own addresses or says
    none of the things recognised. Raises ``ForgedNotice`` for a forged Amazon sender."""
    return notice_of(email_read(content))


def notice_of(message: EmailMessage) -> AmazonNotice | None:
    """``notice_parse`` of a mail already parsed (``mime.email_read``)."""
    _, sender = address_of(message, "From")
    domain = sender.rpartition("@")[2].lower()
    if not AMAZON_SENDER.search(domain) or domain.startswith("marketplace."):
        return None
    if _dmarc_failed(message):
        raise ForgedNotice(f"The mail names {sender} as its sender, but the mail server found it forged (DMARC).")
    subject = header(message, "Subject")[:300]
    text = (text_of(message) or "")[:TEXT_LIMIT]
    both = f"{subject}\n{text}"
    kinds = set()
    if _any(A_TO_Z, both):
        kinds.add(NoticeKind.A_TO_Z_CLAIM)
    else:
        if _any(DELIVERY_FAILURE, both):
            kinds.add(NoticeKind.DELIVERY_FAILURE)
        if _any(OPT_OUT, both):
            kinds.add(NoticeKind.OPT_OUT)
    if not kinds:
        return None
    order = ORDER_ID.search(subject) or ORDER_ID.search(text)
    relay = RELAY_ADDRESS.search(text)
    amount, currency = money_parse(_first(AMOUNT, text))
    ids = MESSAGE_ID.findall(" ".join([header(message, "In-Reply-To"), header(message, "References"), text]))
    return AmazonNotice(
        kinds=frozenset(kinds),
        subject=subject,
        sender=sender.lower(),
        sent_at=date_of(message),
        text=text,
        amazon_order_id=order.group(0) if order else "",
        relay_address=relay_address_normalize(relay.group(0)) if relay else "",
        reason=_first(REASON, text),
        message_ids=list(dict.fromkeys(ids))[:50],
        claim_id=_first(CLAIM_ID, text)[:64],
        claim_reason=_first(CLAIM_REASON, text)[:200],
        amount=amount,
        currency=currency[:3],
        respond_by=deadline_parse(_first(RESPOND_BY, text)),
    )
