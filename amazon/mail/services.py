"""The relay mail channel's writes: poll a mailbox, store each mail raw, file it as a buyer
message through the one intake (``tickets.intake.messages.inbound_message_receive``), and
the quarantine's Retry.

Loss-free by construction: a mail is stored (bytes, then its row, with the mailbox's
high-water mark in the same transaction) before anything reads it; reading happens in a
Celery task after commit; a mail that cannot be read is quarantined with the reason, never
dropped; a mailbox is changed (marked read, deleted from) only when the manager chose so,
and only for mail stored whole.
"""

import email.message
import email.parser
import email.policy
import hashlib
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tickets.audit import Actor, audit_record
from tickets.counts import queue_counts_stamped_once
from tickets.intake.claims import a_to_z_claim_record
from tickets.intake.messages import InboundReceipt, inbound_message_receive
from tickets.models import Buyer, Order, OutboundMessage, SellerAccount, Ticket
from tickets.outbound.services import outbound_rejected_by_amazon
from tickets.outbound.threading import outbound_ids_in
from tickets.services import buyer_opt_out_record, buyer_upsert, ticket_update
from tickets.sla.clock import sla_policies_read_once

from ..models import AfterImport, Mailbox, RawEmail
from .imap import HEADER_LIMIT, FetchedMail, ImapError, ImapSession, fetch_batches
from .mime import UnreadableEmail, date_of, email_read
from .notices import AmazonNotice, ForgedNotice, NoticeKind, notice_of
from .relay import NotABuyerMessage, RelayEmail, message_id_normalize, relay_email_of
from .store import raw_read, raw_save
from .threads import thread_hint

logger = logging.getLogger(__name__)

ACTOR = "amazon-mail"
# A Date header further ahead than this is a wrong clock: the time the server received it is used.
CLOCK_SKEW = timedelta(minutes=5)
# The desk's limit on a message body (tickets.compliance.guard: 20,000 for replies).
BODY_LIMIT = 20_000
State = RawEmail.State
HEADER_END = re.compile(rb"\r?\n\r?\n")


# --- Polling -----------------------------------------------------------------------------


@dataclass
class PollResult:
    claimed: bool
    stored: int = 0
    error: str = ""


def poll_lease() -> timedelta:
    """How long a claim lasts before another worker may presume the poller dead."""
    return timedelta(seconds=settings.MAIL_POLL_SECONDS + 2 * settings.MAIL_IMAP_TIMEOUT_SECONDS + 60)


def mailbox_claim(*, mailbox_id: int, now: datetime) -> bool:
    """Take the mailbox for one poll with a conditional UPDATE (like tickets.outbox), so two
    workers, beat's next minute or a redelivered task never poll it together. A mailbox
    backing off after errors is not due; a claim older than the lease was abandoned."""
    return (
        Mailbox.objects.filter(pk=mailbox_id, active=True, kind=Mailbox.Kind.IMAP)
        .filter(Q(backoff_until__isnull=True) | Q(backoff_until__lte=now))
        .filter(Q(polling_since__isnull=True) | Q(polling_since__lt=now - poll_lease()))
        .update(polling_since=now)
        == 1
    )


def backoff_delay(failures: int) -> timedelta:
    """1 min, 2, 4 … capped at an hour: a mailbox with a wrong password or a server down
    is not hammered every minute, and a fixed one is read again soon."""
    return min(timedelta(minutes=2 ** max(failures - 1, 0)), timedelta(hours=1))


def mailbox_poll(*, mailbox_id: int) -> PollResult:
    """Fetch the mail above the mailbox's high-water mark, store each raw and queue it for
    import. Bounded: ``MAIL_POLL_BATCH`` mails and ``MAIL_POLL_SECONDS`` a poll (the rest
    comes next minute), a timeout on every IMAP command. An error is recorded on the
    mailbox, which backs off; everything stored before it stays stored."""
    now = timezone.now()
    if not mailbox_claim(mailbox_id=mailbox_id, now=now):
        return PollResult(claimed=False)
    mailbox = Mailbox.objects.select_related("seller_account").get(pk=mailbox_id)
    deadline = time.monotonic() + settings.MAIL_POLL_SECONDS
    stored = 0
    try:
        with ImapSession(mailbox) as session:
            if mailbox.uidvalidity != session.uidvalidity:
                # The server renumbered the folder: UIDs mean other mail now. Read it again from
                # the start; Message-IDs keep every mail one message.
                mailbox.uidvalidity, mailbox.last_uid = session.uidvalidity, 0
                mailbox.save(update_fields=["uidvalidity", "last_uid"])
            uids = session.new_uids(after=mailbox.last_uid, limit=settings.MAIL_POLL_BATCH)
            sizes = session.sizes(uids)
            limit = settings.MAIL_MAX_MESSAGE_BYTES
            # Small mails several to a round trip, each batch bounded in bytes (imap.fetch_batches).
            for batch in fetch_batches(uids, sizes=sizes, limit=limit):
                if time.monotonic() > deadline:
                    break
                if len(batch) == 1:
                    size, internal_date = sizes.get(batch[0], (0, None))
                    one = session.fetch(batch[0], size=size, internal_date=internal_date, limit=limit)
                    found = {batch[0]: one} if one is not None else {}
                else:
                    found = session.fetch_batch(batch, sizes=sizes)
                fetched = [found[uid] for uid in batch if uid in found]
                if len(fetched) < len(batch):  # some gone since the search: never asked for again
                    Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=batch[-1]).update(last_uid=batch[-1])
                raw_emails_store(mailbox=mailbox, uidvalidity=session.uidvalidity, fetched=fetched)
                stored += len(fetched)
                if mailbox.after_import != AfterImport.KEEP:
                    for mail in fetched:
                        if mail.complete:  # stored whole and committed: the manager's choice applies
                            session.after_import(mail.uid)
    except ImapError as exc:
        mailbox_poll_failed(mailbox=mailbox, error=str(exc), now=now)
        return PollResult(claimed=True, stored=stored, error=str(exc))
    except BaseException as exc:
        # A bug or a killed task: recorded for the admin, and raised so that it surfaces.
        mailbox_poll_failed(mailbox=mailbox, error=f"Unexpected error: {type(exc).__name__}: {exc}", now=now)
        raise
    Mailbox.objects.filter(pk=mailbox.pk).update(
        polling_since=None,
        last_polled_at=now,
        last_success_at=timezone.now(),
        last_error="",
        consecutive_failures=0,
        backoff_until=None,
    )
    return PollResult(claimed=True, stored=stored)


def mailbox_poll_failed(*, mailbox: Mailbox, error: str, now: datetime) -> None:
    failures = Mailbox.objects.filter(pk=mailbox.pk).values_list("consecutive_failures", flat=True).first() or 0
    Mailbox.objects.filter(pk=mailbox.pk).update(
        polling_since=None,
        last_polled_at=now,
        last_error=error[:2000],
        last_error_at=timezone.now(),
        consecutive_failures=failures + 1,
        backoff_until=timezone.now() + backoff_delay(failures + 1),
    )
    logger.warning("mailbox %s: %s", mailbox.pk, error)


def mailbox_test_connection(*, mailbox: Mailbox, timeout: float | None = None) -> str:
    """Sign in and open the folder, changing nothing; what the manager reads after
    *Test connection*. Raises ``ImapError`` with a message that never holds the password.
    A webhook mailbox has nothing to connect to: it says what it last received."""
    if mailbox.kind == Mailbox.Kind.WEBHOOK:
        last = RawEmail.objects.filter(mailbox=mailbox).order_by("-fetched_at").values_list("fetched_at", flat=True)
        when = last.first()
        heard = f"last mail stored {when:%Y-%m-%d %H:%M} UTC" if when else "no mail received yet"
        return (
            f"{mailbox}: the desk waits for the provider's posts ({heard}). Send a test mail to the relay "
            "address, or use the provider's test button, to check it end to end."
        )
    with ImapSession(mailbox, timeout=timeout) as session:
        return (
            f"Connected to {mailbox.host}:{mailbox.port} as {mailbox.username}: folder “{mailbox.folder}” "
            f"holds {session.messages} mail(s)."
        )


# --- Storing raw -------------------------------------------------------------------------


def _received_at(*, headers, internal_date: datetime | None, now: datetime) -> datetime:
    """When Amazon received the buyer's message: the relay mail's Date header, which Amazon
    writes when it relays it; the server's arrival time when the Date is missing or ahead."""
    sent = date_of(headers)
    if sent is not None and sent <= now + CLOCK_SKEW:
        return sent
    return internal_date if internal_date and internal_date <= now + CLOCK_SKEW else now


@dataclass(frozen=True)
class _Kept:
    """A fetched mail whose bytes are in storage, with what its row is keyed by."""

    fetched: FetchedMail
    sha256: str
    storage_name: str
    message_id: str
    headers: email.message.Message


def _header_block(content: bytes) -> bytes:
    """The mail up to its first empty line: storing needs only the header, and a header
    parser fed the whole mail would still read every line of its attachments."""
    end = HEADER_END.search(content)
    return content[: end.end()] if end else content


def _kept(fetched: FetchedMail) -> _Kept:
    sha256, name = raw_save(fetched.content)
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(_header_block(fetched.content))
    message_id = message_id_normalize(str(headers.get("Message-ID", "")), content=fetched.content)
    return _Kept(fetched=fetched, sha256=sha256, storage_name=name, message_id=message_id, headers=headers)


def _raw_row(*, mailbox: Mailbox, uidvalidity: int | None, kept: _Kept, now: datetime) -> RawEmail:
    fetched, headers = kept.fetched, kept.headers
    too_large = (
        ""
        if fetched.complete
        else (
            f"The mail is {fetched.size:,} bytes, above the limit of {settings.MAIL_MAX_MESSAGE_BYTES:,} "
            "(MAIL_MAX_MESSAGE_BYTES): only its header was stored. It is still in the mailbox; read it "
            "in Seller Central or the mail client."
        )
    )
    return RawEmail(
        seller_account_id=mailbox.seller_account_id,
        mailbox=mailbox,
        message_id=kept.message_id,
        uidvalidity=uidvalidity,
        uid=fetched.uid,
        sha256=kept.sha256,
        storage_name=kept.storage_name,
        size=max(fetched.size, len(fetched.content)),
        complete=fetched.complete,
        received_at=_received_at(headers=headers, internal_date=fetched.internal_date, now=now),
        fetched_at=now,
        state=State.NEW if fetched.complete else State.QUARANTINED,
        error=too_large,
        subject=" ".join(str(headers.get("Subject", "")).split())[:300],
    )


def _same_rows(*, mailbox: Mailbox, uidvalidity: int | None, kept: list[_Kept]):
    """The rows already stored for these mails: the same Message-ID in the seller account,
    or the same IMAP position in the mailbox."""
    same = Q(seller_account_id=mailbox.seller_account_id, message_id__in=[k.message_id for k in kept])
    uids = [k.fetched.uid for k in kept if k.fetched.uid is not None]
    if uids:  # a webhook's mail has no IMAP position
        same |= Q(mailbox=mailbox, uidvalidity=uidvalidity, uid__in=uids)
    return RawEmail.objects.filter(same)


def _raw_email_keep(*, mailbox: Mailbox, uidvalidity: int | None, kept: _Kept, now: datetime) -> RawEmail:
    """One mail's row, or the one stored before (by another worker meanwhile, too)."""
    same = _same_rows(mailbox=mailbox, uidvalidity=uidvalidity, kept=[kept])
    existing = same.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            raw = _raw_row(mailbox=mailbox, uidvalidity=uidvalidity, kept=kept, now=now)
            raw.save(force_insert=True)
    except IntegrityError:
        return same.get()
    return raw


def raw_emails_store(
    *, mailbox: Mailbox, uidvalidity: int | None, fetched: list[FetchedMail], now: datetime | None = None
) -> list[RawEmail]:
    """Keep a batch of fetched mails: each one's bytes in storage first, then their rows and
    the mailbox's high-water mark in one transaction (a few statements for the batch), and
    one import task for the batch's new mail after commit. Idempotent by Message-ID (per
    seller account) and by IMAP position: a mail stored before, or twice in the batch,
    returns the row stored first. Returns a row per fetched mail, in order."""
    now = now or timezone.now()
    kept = [_kept(mail) for mail in fetched]
    rows: list[RawEmail] = []
    with transaction.atomic():
        uids = [mail.uid for mail in fetched if mail.uid is not None]
        if uids:
            Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=max(uids)).update(last_uid=max(uids))
        if not kept:
            return rows
        by_message_id, by_uid = {}, {}
        for row in _same_rows(mailbox=mailbox, uidvalidity=uidvalidity, kept=kept).order_by("pk"):
            by_message_id.setdefault(row.message_id, row)
            if row.mailbox_id == mailbox.pk and row.uidvalidity == uidvalidity and row.uid is not None:
                by_uid.setdefault(row.uid, row)
        new = []
        for one in kept:
            uid = one.fetched.uid
            row = by_message_id.get(one.message_id) or (by_uid.get(uid) if uid is not None else None)
            if row is None:
                row = _raw_row(mailbox=mailbox, uidvalidity=uidvalidity, kept=one, now=now)
                new.append(row)
                by_message_id[one.message_id] = row
                if uid is not None:
                    by_uid[uid] = row
            rows.append(row)
        try:
            with transaction.atomic():
                RawEmail.objects.bulk_create(new)
        except IntegrityError:
            # Another worker (or the webhook) stored one of them meanwhile: one by one.
            rows = [_raw_email_keep(mailbox=mailbox, uidvalidity=uidvalidity, kept=one, now=now) for one in kept]
            new = rows
        queued = list(dict.fromkeys(row.pk for row in new if row.state == State.NEW))
        if queued:
            transaction.on_commit(lambda: raw_emails_enqueue(raw_email_ids=queued))
    return rows


def raw_email_store(
    *, mailbox: Mailbox, uidvalidity: int | None, fetched: FetchedMail, now: datetime | None = None
) -> RawEmail:
    """Keep one fetched mail (``raw_emails_store`` of one)."""
    return raw_emails_store(mailbox=mailbox, uidvalidity=uidvalidity, fetched=[fetched], now=now)[0]


def raw_email_receive(*, mailbox: Mailbox, content: bytes, now: datetime | None = None) -> RawEmail:
    """A mail a provider posted to the mailbox's inbound webhook (amazon.mail.webhooks):
    kept exactly as an IMAP poll keeps one (``raw_email_store``), so the same mail from
    both channels is one row and one message (its Message-ID, per seller account). A mail
    above ``MAIL_MAX_MESSAGE_BYTES`` keeps only its header and waits in the quarantine."""
    complete = len(content) <= settings.MAIL_MAX_MESSAGE_BYTES
    kept = content if complete else content.split(b"\r\n\r\n", 1)[0][:HEADER_LIMIT]
    fetched = FetchedMail(uid=None, content=kept, size=len(content), complete=complete, internal_date=now)
    return raw_email_store(mailbox=mailbox, uidvalidity=None, fetched=fetched, now=now)


def raw_emails_enqueue(*, raw_email_ids: list[int]) -> None:
    """One import task for a batch of stored mail (one transaction, tickets.sla read once)."""
    from ..tasks import process_raw_emails  # the task calls this module: imported when needed

    try:
        process_raw_emails.delay(raw_email_ids)
    except Exception:  # noqa: BLE001 - the broker is down: the beat task re-enqueues new mail
        logger.warning("raw e-mails %s: not enqueued, the sweep will", raw_email_ids, exc_info=True)


def raw_email_enqueue(*, raw_email_id: int) -> None:
    raw_emails_enqueue(raw_email_ids=[raw_email_id])


# --- Importing ---------------------------------------------------------------------------

# What the import writes on a stored mail's row, as soon as the mail is filed: a later mail of
# the same batch may thread by it (amazon.mail.threads reads processed rows).
SETTLED_FIELDS = [
    "state",
    "error",
    "processed_at",
    "attempts",
    "subject",
    "relay_address",
    "buyer_name",
    "amazon_order_id",
    "asins",
    "marketplace",
    "important",
    "comm_mgr_token",
    "no_response_url",
    "buyer_message",
    "notice_kinds",
    "notice_outcome",
]


@dataclass
class _Known:
    """What a batch's buyer messages look up, read once for the batch: their orders and the
    buyers already known by their relay addresses (both keyed by seller account)."""

    orders: dict[tuple[int, str], Order]
    buyers: dict[tuple[int, str], Buyer]

    def buyer_filed(self, *, seller_account_id: int, relay_address: str, buyer: Buyer) -> None:
        """A message was filed for ``buyer`` under this relay address (which it now has)."""
        for key in [k for k, known in self.buyers.items() if known.pk == buyer.pk and k[0] == seller_account_id]:
            del self.buyers[key]
        self.buyers[(seller_account_id, relay_address)] = buyer


def _known_for(relays: list[tuple[RawEmail, RelayEmail]]) -> _Known:
    order_ids: dict[int, set[str]] = defaultdict(set)
    addresses: dict[int, set[str]] = defaultdict(set)
    for raw, relay in relays:
        addresses[raw.seller_account_id].add(relay.relay_address)
        if relay.amazon_order_id:
            order_ids[raw.seller_account_id].add(relay.amazon_order_id)
    known = _Known(orders={}, buyers={})
    for account_id, ids in order_ids.items():
        # Only this account's orders: another account's order with the same id is not ours.
        for order in Order.objects.filter(seller_account_id=account_id, amazon_order_id__in=ids).select_related(
            "buyer"
        ):
            known.orders[(account_id, order.amazon_order_id)] = order
    for account_id, relay_addresses in addresses.items():
        # Relay addresses are lower-case (relay_address_normalize); a stored one may not be.
        buyers = (
            Buyer.objects.annotate(relay=Lower("email"))
            .filter(seller_account_id=account_id, relay__in=relay_addresses)
            .order_by("pk")
        )
        for buyer in buyers:
            known.buyers.setdefault((account_id, buyer.relay), buyer)
    return known


def _buyer_for(*, seller_account: SellerAccount, relay: RelayEmail, order: Order | None, known: Buyer | None) -> Buyer:
    """The account's buyer behind a relay address. The relay mail carries no Amazon buyer id,
    so the buyer is the one already known by this relay address (``known``), else the order's
    buyer, else a new buyer whose id is derived from the address (``relay:`` + 32 hex digits
    of its SHA-256: stable, per account as every buyer id, and never a real Amazon id)."""
    if known is None and order is not None and order.buyer_id:
        known = order.buyer
    if known is not None:
        amazon_buyer_id = known.amazon_buyer_id
    else:
        amazon_buyer_id = "relay:" + hashlib.sha256(relay.relay_address.encode()).hexdigest()[:32]
    # The relay's display name is short ("Jane D."): it never replaces a name the order gave.
    name = relay.buyer_name if known is None or not known.name else ""
    buyer, _ = buyer_upsert(
        seller_account=seller_account, amazon_buyer_id=amazon_buyer_id, name=name, email=relay.relay_address
    )
    return buyer


def _body_of(raw: RawEmail, relay: RelayEmail) -> str:
    text = relay.text
    if not text:
        # Still a buyer message on Amazon's clock: the CSM must see that it came.
        parts = f" It carried: {', '.join(relay.attachments)}." if relay.attachments else ""
        return f"(This message had no text.{parts} Read it in Seller Central; raw e-mail #{raw.pk}.)"
    if len(text) > BODY_LIMIT:
        return text[:BODY_LIMIT] + f"\n\n[… cut at {BODY_LIMIT:,} characters: the whole text is raw e-mail #{raw.pk}]"
    return text


def _receive(raw: RawEmail, relay: RelayEmail, known: _Known) -> tuple[InboundReceipt, Buyer]:
    account = raw.seller_account
    order = known.orders.get((account.pk, relay.amazon_order_id)) if relay.amazon_order_id else None
    buyer = _buyer_for(
        seller_account=account, relay=relay, order=order, known=known.buyers.get((account.pk, relay.relay_address))
    )
    receipt = inbound_message_receive(
        seller_account=account,
        buyer=buyer,
        body=_body_of(raw, relay),
        received_at=raw.received_at,
        external_id=raw.message_id,
        order=order,
        subject=relay.subject,
        thread=thread_hint(seller_account=account, relay=relay, order_known=order is not None),
        written_by_amazon=relay.written_by_amazon,
        attachments=relay.files,
        actor=ACTOR,
    )
    ticket = receipt.message.ticket
    if relay.important and receipt.created and ticket.priority < Ticket.Priority.HIGH:
        # Amazon marks critical messages "[Important]".
        ticket_update(ticket=ticket, actor=ACTOR, priority=Ticket.Priority.HIGH)
    return receipt, buyer


def _settle(raw: RawEmail, *, state: str, error: str = "", relay: RelayEmail | None = None, receipt=None) -> RawEmail:
    """The outcome on the row (saved by ``raw_emails_import``: ``SETTLED_FIELDS``)."""
    raw.state, raw.error, raw.processed_at = state, error[:4000], timezone.now()
    raw.attempts += 1
    if relay is not None:
        raw.subject = relay.subject
        raw.relay_address = relay.relay_address[:254]
        raw.buyer_name = relay.buyer_name
        raw.amazon_order_id = relay.amazon_order_id
        raw.asins = relay.asins
        raw.marketplace = relay.marketplace
        raw.important = relay.important
        raw.comm_mgr_token = relay.comm_mgr_token
        raw.no_response_url = relay.no_response_url[:2000]
    if receipt is not None:
        raw.buyer_message = receipt.message
    return raw


def _relay_import(raw: RawEmail, relay: RelayEmail, known: _Known) -> None:
    """File a buyer message through the intake in a savepoint of its own: a mail that
    cannot be filed is quarantined without undoing the rest of its batch."""
    try:
        with transaction.atomic():
            receipt, buyer = _receive(raw, relay, known)
    except (OperationalError, InterfaceError):
        raise  # the database is away: the task retries, the batch stays new
    except Exception as exc:  # noqa: BLE001
        logger.exception("raw e-mail %s could not be filed", raw.pk)
        _settle(raw, state=State.QUARANTINED, error=f"Could not be filed: {type(exc).__name__}: {exc}", relay=relay)
        return
    known.buyer_filed(seller_account_id=raw.seller_account_id, relay_address=relay.relay_address, buyer=buyer)
    _settle(raw, state=State.PROCESSED, relay=relay, receipt=receipt)


# --- Amazon's notices --------------------------------------------------------------------


class NoticeNotFiled(Exception):
    """The notice is read but cannot be filed yet (its order is unknown): quarantined, so
    that Retry files it once the order is imported."""


def _rejected_reply(account: SellerAccount, notice: AmazonNotice) -> OutboundMessage | None:
    """The reply a delivery failure is about: the one its quoted Message-ID names (ours), else
    the newest reply sent before the notice to its relay address about its order."""
    ours = outbound_ids_in(notice.message_ids)
    rows = OutboundMessage.objects.filter(seller_account=account).select_related("ticket")
    if ours:
        return rows.filter(pk__in=ours).order_by("-pk").first()
    if not notice.relay_address:
        return None
    candidates = rows.filter(
        buyer__email__iexact=notice.relay_address,
        status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.SENDING],
    )
    if notice.amazon_order_id:
        candidates = candidates.filter(order__amazon_order_id=notice.amazon_order_id)
    if notice.sent_at:
        candidates = candidates.filter(created_at__lte=notice.sent_at)
    return candidates.order_by("-created_at", "-pk").first()


def _notice_buyer(account: SellerAccount, notice: AmazonNotice) -> Buyer | None:
    if notice.relay_address:
        buyer = Buyer.objects.filter(seller_account=account, email__iexact=notice.relay_address).order_by("pk").first()
        if buyer is not None:
            return buyer
    if notice.amazon_order_id:
        order = Order.objects.filter(seller_account=account, amazon_order_id=notice.amazon_order_id).first()
        return order.buyer if order is not None else None
    return None


def _claim_record(raw: RawEmail, notice: AmazonNotice) -> str:
    # Only this account's orders: another account's order with the same id is not ours.
    order = Order.objects.filter(seller_account=raw.seller_account, amazon_order_id=notice.amazon_order_id).first()
    if not notice.amazon_order_id or order is None:
        raise NoticeNotFiled(
            f"An A-to-z claim on order {notice.amazon_order_id or '(no order id found)'}, which this account does "
            "not have in the desk: import the order, then Retry."
        )
    values = {
        "filed_at": notice.sent_at or raw.received_at,
        "reason": notice.claim_reason,
        # The notice may leave out the amount: 0 until the claims report or the admin says.
        "amount": notice.amount if notice.amount is not None else 0,
        "respond_by": notice.respond_by,
    }
    if notice.currency:
        values["currency"] = notice.currency
    # Without Amazon's claim id, one claim per order (Amazon allows one per order).
    claim_id = notice.claim_id or f"mail:{order.amazon_order_id}"
    claim, created = a_to_z_claim_record(order=order, claim_id=claim_id, values=values, actor=ACTOR)
    return (
        f"A-to-z claim {claim.claim_id} {'recorded' if created else 'updated'}: respond by "
        f"{claim.respond_by:%Y-%m-%d %H:%M} UTC, defence ticket #{claim.ticket_id}."
    )


def _notice_file(raw: RawEmail, notice: AmazonNotice) -> str:
    """Do what the notice says, through the domain's own services; returns what was done."""
    account = raw.seller_account
    if NoticeKind.A_TO_Z_CLAIM in notice.kinds:
        return _claim_record(raw, notice)
    done = []
    if NoticeKind.DELIVERY_FAILURE in notice.kinds:
        reply = _rejected_reply(account, notice)
        if reply is None:
            done.append("Delivery failure: no reply of ours matches it.")
        else:
            changed = outbound_rejected_by_amazon(outbound=reply, reason=notice.reason, actor=ACTOR)
            done.append(
                f"Delivery failure: reply #{reply.pk} {'marked not delivered' if changed else 'already marked'}."
            )
    if NoticeKind.OPT_OUT in notice.kinds:
        buyer = _notice_buyer(account, notice)
        if buyer is None:
            done.append("Opt-out: no buyer of this account matches it.")
        else:
            buyer_opt_out_record(buyer=buyer, actor=ACTOR)
            done.append(f"Opt-out recorded on buyer #{buyer.pk}.")
    return " ".join(done)


def _settle_notice(raw: RawEmail, notice: AmazonNotice, *, outcome: str, state: str = State.NOTICE, error: str = ""):
    raw.state, raw.error, raw.processed_at = state, error[:4000], timezone.now()
    raw.attempts += 1
    raw.notice_kinds = ",".join(sorted(notice.kinds))
    raw.notice_outcome = outcome[:4000]
    raw.relay_address = notice.relay_address[:254]
    raw.amazon_order_id = notice.amazon_order_id
    raw.subject = notice.subject
    return raw


def _notice_import(raw: RawEmail, notice: AmazonNotice) -> None:
    try:
        with transaction.atomic():
            outcome = _notice_file(raw, notice)
    except (OperationalError, InterfaceError):
        raise
    except NoticeNotFiled as exc:
        _settle_notice(raw, notice, outcome="", state=State.QUARANTINED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - never a lost notice: the quarantine keeps it
        logger.exception("raw e-mail %s: the notice could not be filed", raw.pk)
        error = f"The notice could not be filed: {type(exc).__name__}: {exc}"
        _settle_notice(raw, notice, outcome="", state=State.QUARANTINED, error=error)
    else:
        _settle_notice(raw, notice, outcome=outcome)


class _NotRead(Exception):
    """The stored bytes could not be fetched from storage now: the mail stays new (the beat
    task's sweep imports it again)."""


def _read(raw: RawEmail) -> AmazonNotice | RelayEmail | None:
    """The stored mail, parsed once and read as an Amazon notice or a relay buyer message;
    None when it is neither (``raw`` is then settled: quarantined, or not a buyer message)."""
    try:
        content = raw_read(raw.storage_name, limit=settings.MAIL_MAX_MESSAGE_BYTES)
    except OSError as exc:
        raise _NotRead(str(exc)) from exc
    try:
        message = email_read(content)
        notice = notice_of(message)
        if notice is not None:
            return notice
        return relay_email_of(message)
    except (ForgedNotice, NotABuyerMessage) as exc:
        _settle(raw, state=State.NOT_BUYER_MESSAGE, error=str(exc))
    except UnreadableEmail as exc:
        _settle(raw, state=State.QUARANTINED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - never a lost message: the quarantine keeps it
        logger.exception("raw e-mail %s could not be read", raw.pk)
        _settle(raw, state=State.QUARANTINED, error=f"Could not be read: {type(exc).__name__}: {exc}")
    return None


def _lock_order(item: tuple[RawEmail, AmazonNotice | RelayEmail]) -> tuple[str, int]:
    return (item[1].relay_address, item[0].pk)


def raw_emails_import(*, raw_email_ids: list[int]) -> list[RawEmail]:
    """Read a batch of stored mails and file each: Amazon's notices do what they say
    (amazon.mail.notices: a reply not delivered, an A-to-z claim, an opt-out), a relay buyer
    message goes through the intake (its clock starts at ``received_at``), a machine's or a
    stranger's mail to the "not a buyer message" list, mail that cannot be read to the
    quarantine.

    One transaction for the batch, a savepoint per mail (a mail that fails is quarantined,
    the others are filed); each mail parsed once; orders, known buyers and the SLA policies
    read once for the batch. Runs once per mail: only new rows are read, under a row lock. A
    database outage raises (the task retries the batch). Returns the rows in ``raw_email_ids``
    order."""
    with transaction.atomic(), sla_policies_read_once(), queue_counts_stamped_once():
        rows = list(
            RawEmail.objects.select_for_update(of=("self",))
            .select_related("seller_account")
            .filter(pk__in=raw_email_ids, state=State.NEW)
            .order_by("pk")
        )
        read, left_new = [], set()
        for raw in rows:
            try:
                parsed = _read(raw)
            except _NotRead as exc:
                logger.warning("raw e-mail %s: storage not readable now (%s), left for the sweep", raw.pk, exc)
                left_new.add(raw.pk)
                continue
            if parsed is None:  # settled by the reading: quarantined, or not a buyer message
                raw.save(update_fields=SETTLED_FIELDS)
            else:
                read.append((raw, parsed))
        known = _known_for([(raw, parsed) for raw, parsed in read if isinstance(parsed, RelayEmail)])
        # The buyer row locks of the intake are taken in one order (relay address) by every
        # batch, so two workers never wait on each other in a circle; one buyer's mails keep
        # the order they were fetched in.
        for raw, parsed in sorted(read, key=_lock_order):
            if isinstance(parsed, AmazonNotice):
                _notice_import(raw, parsed)
            else:
                _relay_import(raw, parsed, known)
            raw.save(update_fields=SETTLED_FIELDS)
    done = {raw.pk: raw for raw in rows if raw.pk not in left_new}
    done.update(RawEmail.objects.in_bulk([pk for pk in raw_email_ids if pk not in done]))
    return [done[pk] for pk in raw_email_ids if pk in done]


def raw_email_import(*, raw_email_id: int) -> RawEmail:
    """``raw_emails_import`` of one stored mail (the quarantine's Retry, the sweep)."""
    [raw] = raw_emails_import(raw_email_ids=[raw_email_id]) or [RawEmail.objects.get(pk=raw_email_id)]
    return raw


# --- The quarantine ----------------------------------------------------------------------


class RetryRefused(Exception):
    pass


def raw_email_retry(*, raw_email: RawEmail, actor: Actor) -> RawEmail:
    """The quarantine's Retry: read the stored mail again (after a fix: a corrected mail, a
    new version of the reader). Mail of which only the header was stored cannot be read
    again from here."""
    if raw_email.state != State.QUARANTINED:
        raise RetryRefused(f"Only quarantined mail is retried; this one is {raw_email.get_state_display()}.")
    if not raw_email.complete:
        raise RetryRefused("Only the header of this mail was stored (too large); read it in Seller Central.")
    with transaction.atomic():
        updated = RawEmail.objects.filter(pk=raw_email.pk, state=State.QUARANTINED).update(state=State.NEW, error="")
        if updated:
            audit_record(subject=raw_email, action="raw_email.retried", actor=actor, changes={"error": raw_email.error})
            transaction.on_commit(lambda: raw_email_enqueue(raw_email_id=raw_email.pk))
    raw_email.refresh_from_db()
    return raw_email


def raw_email_replace(*, raw_email: RawEmail, content: bytes, actor: Actor) -> RawEmail:
    """Put a corrected copy of a quarantined mail in its place (a manager saved it again
    from the mail client, or repaired it). The first copy stays in storage and in the audit
    trail; the Message-ID the desk keys it by stays the same. Retry reads the new copy."""
    if raw_email.state != State.QUARANTINED:
        raise RetryRefused("Only a quarantined mail can be replaced.")
    if not content or len(content) > settings.MAIL_MAX_MESSAGE_BYTES:
        raise RetryRefused(f"The corrected mail must be 1 to {settings.MAIL_MAX_MESSAGE_BYTES:,} bytes.")
    sha256, name = raw_save(content)
    before = raw_email.sha256
    raw_email.sha256, raw_email.storage_name, raw_email.size, raw_email.complete = sha256, name, len(content), True
    raw_email.save(update_fields=["sha256", "storage_name", "size", "complete"])
    audit_record(subject=raw_email, action="raw_email.replaced", actor=actor, changes={"sha256": [before, sha256]})
    return raw_email
