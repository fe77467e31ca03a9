"""Threading headers of the e-mail gateway: the signed reply token in our Reply-To, and the
Message-IDs a reply names (notes/amazon.md §9: "Always send In-Reply-To and References").

Amazon's relay may rewrite Message-IDs on the way to the buyer and back, so the buyer's
answer is recognised by either: In-Reply-To / References naming one of our Message-IDs, or
the token in the address the buyer answered (``support+csm-<ticket>-<mac>@seller.example``).
The relay channel (amazon.mail.threads) reads both with the helpers below.
"""

import re
from email.utils import parseaddr

from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Message, OutboundMessage, Ticket

# OutboundMessage.email_message_id()
OUTBOUND_ID = re.compile(r"<outbound-([0-9]{1,18})@csmdesk>")
REPLY_TOKEN = re.compile(r"\+csm-([0-9]{1,18})-([0-9a-f]{12})@", re.IGNORECASE)
# Message-IDs the desk derived itself for mail without one (amazon.mail.relay): no mail
# client knows them, so a reply never names them.
DERIVED_ID = re.compile(r"@csmdesk\.[a-z-]+>$")
MAIL_ID = re.compile(r"^<[^<>\s@]+@[^<>\s@]+>$")
_SALT = "amazon.mail.reply-token"  # unchanged since part 1: tokens already sent stay valid
REFERENCES_KEPT = 10


def _mac(ticket_id: int | str) -> str:
    return salted_hmac(_SALT, str(ticket_id), algorithm="sha256").hexdigest()[:12]


def reply_token_for(ticket: Ticket) -> str:
    """The token that makes ``support+csm-<ticket>-<mac>@seller.example`` lead back to the
    ticket: signed, so no one can steer mail into a ticket by guessing its number."""
    return f"csm-{ticket.pk}-{_mac(ticket.pk)}"


def reply_address_for(*, ticket: Ticket, address: str) -> str:
    """``support@seller.example`` → ``support+csm-<ticket>-<mac>@seller.example`` (a +suffix
    the address already had is replaced: mail servers deliver any suffix to the mailbox)."""
    local, _, domain = parseaddr(address)[1].rpartition("@")
    return f"{local.split('+', 1)[0]}+{reply_token_for(ticket)}@{domain}"


def ticket_id_of_reply_token(addresses: list[str]) -> int | None:
    """The ticket a signed token in one of the addresses names, else None."""
    for address in addresses:
        match = REPLY_TOKEN.search(address)
        if match and constant_time_compare(_mac(match.group(1)), match.group(2).lower()):
            return int(match.group(1))
    return None


def outbound_ids_in(values: list[str]) -> list[int]:
    """The outbox rows our Message-IDs in these header values (or texts) name."""
    return [int(found) for value in values for found in OUTBOUND_ID.findall(value or "")]


def thread_message_ids(outbound: OutboundMessage) -> tuple[str | None, list[str]]:
    """(In-Reply-To, References) of a reply: the buyer's latest mail on the ticket, and the
    conversation's Message-IDs, the buyer's and ours already sent, oldest first, ending with
    the In-Reply-To (the last ``REFERENCES_KEPT``)."""
    if not outbound.ticket_id:
        return None, []
    buyer_ids = (
        Message.objects.filter(
            ticket_id=outbound.ticket_id, direction=Message.Direction.INBOUND, external_id__isnull=False
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "external_id")
    )
    ours = (
        OutboundMessage.objects.filter(ticket_id=outbound.ticket_id, status=OutboundMessage.Status.SENT)
        .exclude(pk=outbound.pk)
        .order_by("sent_at", "pk")
        .values_list("sent_at", "gateway_message_id")
    )
    buyer = [(at, i) for at, i in buyer_ids if MAIL_ID.match(i) and not DERIVED_ID.search(i)]
    if not buyer:
        return None, []
    in_reply_to = buyer[-1][1]
    conversation = sorted([*buyer, *((at, i) for at, i in ours if at and MAIL_ID.match(i))], key=lambda p: p[0])
    references = [i for _, i in conversation if i != in_reply_to][-(REFERENCES_KEPT - 1) :] + [in_reply_to]
    return in_reply_to, list(dict.fromkeys(references))
