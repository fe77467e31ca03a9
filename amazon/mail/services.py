"""The relay mail channel's writes: poll a mailbox, store each mail raw, file it as a buyer
message through the one intake (``tickets.intake.messages.inbound_message_receive``), and
the quarantine's Retry.

Loss-free by construction: a mail is stored (bytes, then its row, with the mailbox's
high-water mark in the same transaction) before anything reads it; reading happens in a
Celery task after commit; a mail that cannot be read is quarantined with the reason, never
dropped; a mailbox is changed (marked read, deleted from) only when the manager chose so,
and only for mail stored whole.
"""

import email.parser
import email.policy
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from tickets.audit import Actor, audit_record
from tickets.intake.claims import a_to_z_claim_record
from tickets.intake.messages import InboundReceipt, inbound_message_receive
from tickets.models import Buyer, Order, OutboundMessage, SellerAccount, Ticket
from tickets.outbound.services import outbound_rejected_by_amazon
from tickets.outbound.threading import outbound_ids_in
from tickets.services import buyer_opt_out_record, buyer_upsert, ticket_update

from ..models import AfterImport, Mailbox, RawEmail
from .imap import HEADER_LIMIT, FetchedMail, ImapError, ImapSession, fetch_batches
from .mime import UnreadableEmail, date_of
from .notices import AmazonNotice, ForgedNotice, NoticeKind, notice_parse
from .relay import NotABuyerMessage, RelayEmail, message_id_normalize, relay_email_parse
from .store import raw_read, raw_save
from .threads import thread_hint

logger = logging.getLogger(__name__)

ACTOR = "amazon-mail"
# A Date header further ahead than this is a wrong clock: the time the server received it is used.
CLOCK_SKEW = timedelta(minutes=5)
# The desk's limit on a message body (tickets.compliance.guard: 20,000 for replies).
BODY_LIMIT = 20_000
State = RawEmail.State


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
                for uid in batch:
                    fetched = found.get(uid)
                    if fetched is None:  # gone since the search
                        Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)
                        continue
                    raw_email_store(mailbox=mailbox, uidvalidity=session.uidvalidity, fetched=fetched)
                    stored += 1
                    if fetched.complete and mailbox.after_import != AfterImport.KEEP:
                        session.after_import(uid)
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


def raw_email_store(
    *, mailbox: Mailbox, uidvalidity: int | None, fetched: FetchedMail, now: datetime | None = None
) -> RawEmail:
    """Keep one fetched mail: its bytes in storage, its row, and the mailbox's high-water
    mark, in one transaction; the import is queued after commit. Idempotent by Message-ID
    (per seller account) and by IMAP position: a mail stored before returns its row."""
    now = now or timezone.now()
    sha256, name = raw_save(fetched.content)
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(fetched.content)
    message_id = message_id_normalize(str(headers.get("Message-ID", "")), content=fetched.content)
    same = Q(seller_account_id=mailbox.seller_account_id, message_id=message_id)
    if fetched.uid is not None:  # a webhook's mail has no IMAP position
        same |= Q(mailbox=mailbox, uidvalidity=uidvalidity, uid=fetched.uid)
    same = RawEmail.objects.filter(same)
    too_large = (
        ""
        if fetched.complete
        else (
            f"The mail is {fetched.size:,} bytes, above the limit of {settings.MAIL_MAX_MESSAGE_BYTES:,} "
            "(MAIL_MAX_MESSAGE_BYTES): only its header was stored. It is still in the mailbox; read it "
            "in Seller Central or the mail client."
        )
    )
    with transaction.atomic():
        if fetched.uid is not None:
            Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=fetched.uid).update(last_uid=fetched.uid)
        existing = same.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                raw = RawEmail.objects.create(
                    seller_account_id=mailbox.seller_account_id,
                    mailbox=mailbox,
                    message_id=message_id,
                    uidvalidity=uidvalidity,
                    uid=fetched.uid,
                    sha256=sha256,
                    storage_name=name,
                    size=max(fetched.size, len(fetched.content)),
                    complete=fetched.complete,
                    received_at=_received_at(headers=headers, internal_date=fetched.internal_date, now=now),
                    fetched_at=now,
                    state=State.NEW if fetched.complete else State.QUARANTINED,
                    error=too_large,
                    subject=" ".join(str(headers.get("Subject", "")).split())[:300],
                )
        except IntegrityError:
            # Stored by another worker meanwhile.
            return same.get()
        if raw.state == State.NEW:
            transaction.on_commit(lambda: raw_email_enqueue(raw_email_id=raw.pk))
    return raw


def raw_email_receive(*, mailbox: Mailbox, content: bytes, now: datetime | None = None) -> RawEmail:
    """A mail a provider posted to the mailbox's inbound webhook (amazon.mail.webhooks):
    kept exactly as an IMAP poll keeps one (``raw_email_store``), so the same mail from
    both channels is one row and one message (its Message-ID, per seller account). A mail
    above ``MAIL_MAX_MESSAGE_BYTES`` keeps only its header and waits in the quarantine."""
    complete = len(content) <= settings.MAIL_MAX_MESSAGE_BYTES
    kept = content if complete else content.split(b"\r\n\r\n", 1)[0][:HEADER_LIMIT]
    fetched = FetchedMail(uid=None, content=kept, size=len(content), complete=complete, internal_date=now)
    return raw_email_store(mailbox=mailbox, uidvalidity=None, fetched=fetched, now=now)


def raw_email_enqueue(*, raw_email_id: int) -> None:
    from ..tasks import process_raw_email  # the task calls this module: imported when needed

    try:
        process_raw_email.delay(raw_email_id)
    except Exception:  # noqa: BLE001 - the broker is down: the beat task re-enqueues new mail
        logger.warning("raw e-mail %s: not enqueued, the sweep will", raw_email_id, exc_info=True)


# --- Importing ---------------------------------------------------------------------------


def _buyer_for(*, seller_account: SellerAccount, relay: RelayEmail, order: Order | None) -> Buyer:
    """The account's buyer behind a relay address. The relay mail carries no Amazon buyer id,
    so the buyer is the one already known by this relay address, else the order's buyer,
    else a new buyer whose id is derived from the address (``relay:`` + 32 hex digits of its
    SHA-256: stable, per account as every buyer id, and never a real Amazon id)."""
    known = (
        Buyer.objects.filter(seller_account=seller_account, email__iexact=relay.relay_address).order_by("pk").first()
    )
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


def _receive(raw: RawEmail, relay: RelayEmail) -> InboundReceipt:
    account = raw.seller_account
    order = None
    if relay.amazon_order_id:
        # Only this account's orders: another account's order with the same id is not ours.
        order = Order.objects.filter(seller_account=account, amazon_order_id=relay.amazon_order_id).first()
    buyer = _buyer_for(seller_account=account, relay=relay, order=order)
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
    return receipt


def _settle(raw: RawEmail, *, state: str, error: str = "", relay: RelayEmail | None = None, receipt=None) -> RawEmail:
    raw.state, raw.error, raw.processed_at = state, error[:4000], timezone.now()
    fields = ["state", "error", "processed_at", "attempts"]
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
        fields += [
            "subject",
            "relay_address",
            "buyer_name",
            "amazon_order_id",
            "asins",
            "marketplace",
            "important",
            "comm_mgr_token",
            "no_response_url",
        ]
    if receipt is not None:
        raw.buyer_message = receipt.message
        fields.append("buyer_message")
    raw.save(update_fields=fields)
    return raw


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
    raw.save(
        update_fields=[
            "state",
            "error",
            "processed_at",
            "attempts",
            "notice_kinds",
            "notice_outcome",
            "relay_address",
            "amazon_order_id",
            "subject",
        ]
    )
    return raw


def raw_email_import(*, raw_email_id: int) -> RawEmail:
    """Read a stored mail and file it: Amazon's notices do what they say (amazon.mail.notices:
    a reply not delivered, an A-to-z claim, an opt-out), a relay buyer message goes through
    the intake (its clock starts at ``received_at``), a machine's or a stranger's mail to the
    "not a buyer message" list, mail that cannot be read to the quarantine. Runs once per mail: only a
    new row is read, under a row lock. A database outage raises (the task retries)."""
    with transaction.atomic():
        raw = (
            RawEmail.objects.select_for_update(of=("self",))
            .select_related("seller_account")
            .filter(pk=raw_email_id, state=State.NEW)
            .first()
        )
        if raw is None:
            return RawEmail.objects.get(pk=raw_email_id)
        content = raw_read(raw.storage_name, limit=settings.MAIL_MAX_MESSAGE_BYTES)
        try:
            notice = notice_parse(content)
        except ForgedNotice as exc:
            return _settle(raw, state=State.NOT_BUYER_MESSAGE, error=str(exc))
        except UnreadableEmail as exc:
            return _settle(raw, state=State.QUARANTINED, error=str(exc))
        if notice is not None:
            try:
                with transaction.atomic():
                    outcome = _notice_file(raw, notice)
            except (OperationalError, InterfaceError):
                raise
            except NoticeNotFiled as exc:
                return _settle_notice(raw, notice, outcome="", state=State.QUARANTINED, error=str(exc))
            except Exception as exc:  # noqa: BLE001 - never a lost notice: the quarantine keeps it
                logger.exception("raw e-mail %s: the notice could not be filed", raw.pk)
                error = f"The notice could not be filed: {type(exc).__name__}: {exc}"
                return _settle_notice(raw, notice, outcome="", state=State.QUARANTINED, error=error)
            return _settle_notice(raw, notice, outcome=outcome)
        try:
            relay = relay_email_parse(content)
        except NotABuyerMessage as exc:
            return _settle(raw, state=State.NOT_BUYER_MESSAGE, error=str(exc))
        except UnreadableEmail as exc:
            return _settle(raw, state=State.QUARANTINED, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - never a lost message: the quarantine keeps it
            logger.exception("raw e-mail %s could not be read", raw.pk)
            return _settle(raw, state=State.QUARANTINED, error=f"Could not be read: {type(exc).__name__}: {exc}")
        try:
            with transaction.atomic():
                receipt = _receive(raw, relay)
        except (OperationalError, InterfaceError):
            raise  # the database is away: the task retries, the mail stays new
        except Exception as exc:  # noqa: BLE001
            logger.exception("raw e-mail %s could not be filed", raw.pk)
            return _settle(
                raw, state=State.QUARANTINED, error=f"Could not be filed: {type(exc).__name__}: {exc}", relay=relay
            )
        return _settle(raw, state=State.PROCESSED, relay=relay, receipt=receipt)


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
