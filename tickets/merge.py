"""Merging duplicate tickets: the rule that one buyer's conversation about one thing lives in
one ticket. An agent finds two tickets of the same buyer about the same order (or a relay
thread split in two) and merges them into a survivor: the conversation, the held replies,
the outbox rows, the claims and chargebacks, the feedback and outreach cases and the SLA
events move to it, its clock is set again by the one SLA clock (tickets.sla.clock), and each
duplicate is closed with ``merged_into`` pointing at the survivor (the desk redirects there,
the API says so). The duplicates' audit trails read as part of the survivor's
(``tickets.audit.audit_trail``); the events themselves are never rewritten.

``ticket_merge_preview`` tells the agent what would move before anything does, which is why
there is no unmerge."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from api.webhooks import webhook_emit
from reviews.models import ReviewOutreachCase, SellerFeedback

from .api.serializers import ticket_payload
from .audit import Actor, audit_record, iso
from .models import (
    AtoZClaim,
    AuditEvent,
    BlockedMessage,
    Chargeback,
    HeldMessage,
    Message,
    Notification,
    OutboundMessage,
    SlaEvent,
    Ticket,
)
from .models.tickets import UNANSWERED, InvalidTransition
from .sla.clock import sla_clock_of, sla_clock_recompute

# A merge is a deliberate act on a few duplicates, not a bulk clean-up.
MAX_DUPLICATES = 20


class MergeRefused(Exception):
    """These tickets cannot be merged (another buyer or seller account, a different order,
    a closed survivor…): the message says why, for the agent or the API client."""


class MergeConflict(InvalidTransition):
    """A ticket in the merge was merged meanwhile (the API answers 409)."""


@dataclass
class MergePreview:
    """What a merge would move to the survivor, counted before anything moves."""

    survivor: Ticket
    duplicates: list[Ticket]
    buyer_messages: int
    replies: int
    notes: int
    unanswered: int
    held: int
    claims: int
    chargebacks: int
    audit_events: int
    clock_before: datetime | None
    clock_after: datetime | None
    status_after: str

    @property
    def messages(self) -> int:
        return self.buyer_messages + self.replies + self.notes

    def as_dict(self) -> dict:
        return {
            "survivor": self.survivor.pk,
            "tickets": [t.pk for t in self.duplicates],
            "messages": {"buyer": self.buyer_messages, "replies": self.replies, "notes": self.notes},
            "unanswered_messages": self.unanswered,
            "held_messages": self.held,
            "claims": self.claims,
            "chargebacks": self.chargebacks,
            "audit_events": self.audit_events,
            "sla_due_at": {"before": self.clock_before, "after": self.clock_after},
            "status": {"before": self.survivor.status, "after": self.status_after},
        }


def ticket_merge_check(*, survivor: Ticket, duplicates: list[Ticket]) -> None:
    """The rules of a merge: duplicates of the same buyer on the same seller account (the
    buyer id is Amazon's per account), about the same order or none, into a ticket that
    is neither closed nor itself merged; defence tickets only with defence tickets (their
    clock is Amazon's claim deadline, not a buyer message's). Raises ``MergeRefused``."""
    if not duplicates:
        raise MergeRefused("Choose at least one ticket to merge into this one.")
    if len(duplicates) > MAX_DUPLICATES:
        raise MergeRefused(f"Merge at most {MAX_DUPLICATES} tickets at a time.")
    if any(d.pk == survivor.pk for d in duplicates):
        raise MergeRefused(f"#{survivor.pk} cannot be merged into itself.")
    if survivor.merged_into_id:
        raise MergeConflict(f"#{survivor.pk} was merged into #{survivor.merged_into_id}; merge into that one.")
    if survivor.status == Ticket.Status.CLOSED:
        raise MergeRefused(f"#{survivor.pk} is closed: merge into a ticket that is still open.")
    for duplicate in duplicates:
        if duplicate.merged_into_id:
            raise MergeConflict(f"#{duplicate.pk} was already merged into #{duplicate.merged_into_id}.")
        if duplicate.seller_account_id != survivor.seller_account_id:
            raise MergeRefused(
                f"#{duplicate.pk} belongs to another seller account: only one account's tickets can be merged."
            )
        if duplicate.buyer_id != survivor.buyer_id:
            raise MergeRefused(f"#{duplicate.pk} is another buyer's: only one buyer's duplicates can be merged.")
        if duplicate.order_id and survivor.order_id and duplicate.order_id != survivor.order_id:
            raise MergeRefused(f"#{duplicate.pk} is about another order: each order keeps its own conversation.")
        if duplicate.is_defence != survivor.is_defence:
            raise MergeRefused(
                f"#{duplicate.pk} and #{survivor.pk}: a claim or chargeback defence merges only with another "
                "defence (its clock is Amazon's deadline)."
            )
    orders = {d.order_id for d in duplicates if d.order_id} - {None}
    if not survivor.order_id and len(orders) > 1:
        raise MergeRefused("These tickets are about different orders: each order keeps its own conversation.")


def ticket_merge_preview(*, survivor: Ticket, duplicates: list[Ticket]) -> MergePreview:
    """Check the merge and count what would move, changing nothing."""
    ticket_merge_check(survivor=survivor, duplicates=duplicates)
    ids = [d.pk for d in duplicates]
    counts = Message.objects.filter(ticket__in=ids).aggregate(
        buyer=Count("pk", filter=Q(direction=Message.Direction.INBOUND)),
        replies=Count("pk", filter=Q(direction=Message.Direction.OUTBOUND)),
        notes=Count("pk", filter=Q(direction=Message.Direction.NOTE)),
        unanswered=Count("pk", filter=UNANSWERED),
    )
    clock_after = sla_clock_of(ticket=survivor, with_tickets=ids)
    return MergePreview(
        survivor=survivor,
        duplicates=duplicates,
        buyer_messages=counts["buyer"],
        replies=counts["replies"],
        notes=counts["notes"],
        unanswered=counts["unanswered"],
        held=HeldMessage.objects.filter(ticket__in=ids, status=HeldMessage.Status.HELD).count(),
        claims=AtoZClaim.objects.filter(ticket__in=ids).count(),
        chargebacks=Chargeback.objects.filter(ticket__in=ids).count(),
        audit_events=AuditEvent.objects.filter(
            content_type__app_label="tickets", content_type__model="ticket", object_id__in=[str(i) for i in ids]
        ).count(),
        clock_before=survivor.sla_due_at,
        clock_after=clock_after,
        status_after=_status_after(survivor, waiting=bool(counts["unanswered"])),
    )


def _status_after(survivor: Ticket, *, waiting: bool) -> str:
    # A buyer message that moves in unanswered opens a waiting or solved survivor again,
    # as the same message arriving there would have (tickets.intake.messages).
    if waiting and not survivor.is_defence and survivor.status in (Ticket.Status.PENDING, Ticket.Status.SOLVED):
        return Ticket.Status.OPEN
    return survivor.status


@transaction.atomic
def ticket_merge(*, survivor: Ticket, duplicates: list[Ticket], actor: Actor) -> MergePreview:
    """Merge ``duplicates`` into ``survivor`` (rules: ``ticket_merge_check``), in one
    transaction: every row that belongs to a duplicate's conversation moves to the
    survivor, the survivor's clock is set again from its rows (tickets.sla.clock), each
    duplicate is closed and points at the survivor, both sides are audited and the account's
    ``ticket.merged`` webhooks are told. Returns what moved (the preview's counts)."""
    # Lock in id order so that two merges over the same tickets wait rather than deadlock.
    ids = sorted({survivor.pk, *(d.pk for d in duplicates)})
    locked = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    survivor = locked[survivor.pk]
    duplicates = [locked[d.pk] for d in duplicates if d.pk in locked]
    moved = ticket_merge_preview(survivor=survivor, duplicates=duplicates)
    dup_ids = [d.pk for d in duplicates]
    now = timezone.now()

    Message.objects.filter(ticket__in=dup_ids).update(ticket=survivor)
    for model in (OutboundMessage, HeldMessage, BlockedMessage, AtoZClaim, Chargeback, Notification):
        model.objects.filter(ticket__in=dup_ids).update(ticket=survivor)
    SellerFeedback.objects.filter(ticket__in=dup_ids).update(ticket=survivor)
    ReviewOutreachCase.objects.filter(ticket__in=dup_ids).update(ticket=survivor)
    # One SLA event per clock and kind: an event the survivor already has for the same
    # deadline stays with the duplicate rather than break that rule.
    same_on_survivor = SlaEvent.objects.filter(ticket=survivor, kind=OuterRef("kind"), due_at=OuterRef("due_at"))
    SlaEvent.objects.filter(ticket__in=dup_ids).exclude(Exists(same_on_survivor)).update(ticket=survivor)
    # Tickets merged into a duplicate earlier now point at the survivor, so that one hop
    # always reaches the living ticket (and its audit trail holds theirs).
    Ticket.objects.filter(merged_into__in=dup_ids).update(merged_into=survivor)

    before = {"status": survivor.status, "sla_due_at": iso(survivor.sla_due_at)}
    changed = set(sla_clock_recompute(ticket=survivor))
    stamps = Ticket.objects.filter(pk__in=ids).aggregate(
        first_response_at=Min("first_response_at"), last_message_at=Max("last_message_at")
    )
    for name, value in stamps.items():
        if value != getattr(survivor, name):
            setattr(survivor, name, value)
            changed.add(name)
    if not survivor.order_id and (order_id := next((d.order_id for d in duplicates if d.order_id), None)):
        survivor.order_id = order_id
        changed.add("order")
    if moved.status_after != survivor.status:
        survivor.status = moved.status_after
        changed.add("status")
    survivor.save(update_fields=[*changed, "updated_at"])

    for duplicate in duplicates:
        duplicate_before = {"status": duplicate.status, "sla_due_at": iso(duplicate.sla_due_at)}
        duplicate.merged_into, duplicate.merged_at = survivor, now
        duplicate.status, duplicate.sla_due_at = Ticket.Status.CLOSED, None
        duplicate.save(update_fields=["merged_into", "merged_at", "status", "sla_due_at", "updated_at"])
        audit_record(
            subject=duplicate,
            action="ticket.merged_into",
            actor=actor,
            changes={
                "merged_into": survivor.pk,
                "status": [duplicate_before["status"], Ticket.Status.CLOSED],
                "sla_due_at": [duplicate_before["sla_due_at"], None],
            },
        )
    audit_record(
        subject=survivor,
        action="ticket.merged",
        actor=actor,
        changes={
            "merged_from": dup_ids,
            "moved": moved.as_dict()["messages"] | {"claims": moved.claims, "chargebacks": moved.chargebacks},
            "status": [before["status"], survivor.status],
            "sla_due_at": [before["sla_due_at"], iso(survivor.sla_due_at)],
        },
    )
    webhook_emit(
        event="ticket.merged",
        seller_account=survivor.seller_account,
        payload={**ticket_payload(survivor), "merged_tickets": dup_ids},
    )
    return moved


def merge_survivor_pick(tickets: list[Ticket]) -> Ticket:
    """The ticket a bulk merge keeps: the oldest that is not closed (the conversation began
    there), else the oldest."""
    ordered = sorted(tickets, key=lambda t: (t.created_at, t.pk))
    return next((t for t in ordered if t.status != Ticket.Status.CLOSED), ordered[0])


def merge_candidates(*, ticket: Ticket, tickets) -> list[Ticket]:
    """The tickets the merge page offers: the same buyer's others on the same account, not
    merged yet, newest first, among ``tickets`` (the caller's visible ones)."""
    return list(
        tickets.filter(seller_account_id=ticket.seller_account_id, buyer_id=ticket.buyer_id, merged_into__isnull=True)
        .exclude(pk=ticket.pk)
        .select_related("order")
        .order_by("-created_at", "-pk")[:MAX_DUPLICATES]
    )
