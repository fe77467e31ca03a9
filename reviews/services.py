"""Writes for product reviews, review outreach and seller feedback.

Every channel (API ingest, admin, demo seed, tasks) records reviews and feedback and
moves outreach cases through these functions, so the rules and the audit trail live in
one place. Product reviews never touch ODR; seller feedback does (notes/amazon.md §1, §4).
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from tickets.audit import Actor, actor_label, audit_record, field_changes
from tickets.models import Buyer, Message, MessagePurpose, Order, Product, SellerAccount, Ticket
from tickets.outbound.services import message_send
from tickets.services import ticket_open

from .aspects import ReviewClassifier
from .models import (
    OutreachContactReason,
    OutreachResolution,
    OutreachStatus,
    ProductReview,
    ReviewOutreachCase,
    ReviewRatingChange,
    ReviewTheme,
    ReviewThemeCorrection,
    ReviewThemeMatch,
    SellerFeedback,
    ThemePhrase,
    ThemePolarity,
)
from .themes import PhraseRule

logger = logging.getLogger(__name__)


class OutreachError(Exception):
    """An outreach step the workflow or Amazon's rules do not allow (the API answers 409)."""


class ReviewDataError(ValueError):
    """Ingested data that does not fit together (the API answers 400)."""


# --- Themes -------------------------------------------------------------------------


def theme_classifier_load() -> tuple[ReviewClassifier, dict[str, int]]:
    """The classifier of the active themes (the built-in lexicon plus their phrase rules in
    the database), and slug → theme id."""
    theme_ids = dict(ReviewTheme.objects.filter(is_active=True).values_list("slug", "pk"))
    rows = ThemePhrase.objects.filter(theme__is_active=True).values_list(
        "theme__slug", "pattern", "is_regex", "negatable", "polarity"
    )
    rules = [
        PhraseRule(theme=slug, pattern=pattern, is_regex=is_regex, negatable=negatable, polarity=polarity)
        for slug, pattern, is_regex, negatable, polarity in rows
    ]
    return ReviewClassifier(rules, themes=set(theme_ids)), theme_ids


def review_themes_refresh(*, reviews: list[ProductReview], classifier=None, theme_ids=None) -> int:
    """Recompute the theme matches of ``reviews`` from their text. Returns matches written.

    A review a manager corrected keeps the corrected themes (with the classifier's spans
    where it found the same theme and polarity)."""
    if classifier is None:
        classifier, theme_ids = theme_classifier_load()
    corrections = dict(
        ReviewThemeCorrection.objects.filter(review__in=[r.pk for r in reviews]).values_list("review_id", "themes")
    )
    matches = []
    for review in reviews:
        found = classifier.classify(review.theme_text, rating=review.rating)
        if review.pk in corrections:
            wanted = [(t["theme"], t["polarity"]) for t in corrections[review.pk] if t["theme"] in theme_ids]
            found = {aspect: found.get(aspect, []) for aspect in wanted}
        matches += [
            ReviewThemeMatch(
                review=review, theme_id=theme_ids[slug], polarity=polarity, spans=[list(span) for span in spans]
            )
            for (slug, polarity), spans in found.items()
        ]
    with transaction.atomic():
        ReviewThemeMatch.objects.filter(review__in=[r.pk for r in reviews]).delete()
        ReviewThemeMatch.objects.bulk_create(matches)
    return len(matches)


@transaction.atomic
def review_themes_correct(
    *, review: ProductReview, themes: list[tuple[str, str]], actor: Actor
) -> ReviewThemeCorrection:
    """A manager's reading of ``review``'s themes, [(slug, polarity), …]: it replaces the
    classifier's for this review (also after later recomputes) and is kept as labelled data."""
    known = set(ReviewTheme.objects.values_list("slug", flat=True))
    for slug, polarity in themes:
        if slug not in known or polarity not in ThemePolarity.values:
            raise ReviewDataError(f"Unknown theme or polarity: {slug} / {polarity}.")
    labels = [{"theme": slug, "polarity": polarity} for slug, polarity in sorted(set(themes))]
    before = ReviewThemeCorrection.objects.filter(review=review).values_list("themes", flat=True).first()
    correction, _ = ReviewThemeCorrection.objects.update_or_create(
        review=review,
        defaults={
            "themes": labels,
            "corrected_by": actor if getattr(actor, "pk", None) else None,
            "corrected_at": timezone.now(),
        },
    )
    audit_record(
        subject=review, action="product_review.themes_corrected", actor=actor, changes={"themes": [before, labels]}
    )
    review_themes_refresh(reviews=[review])
    return correction


def review_themes_recompute_all(*, batch_size: int = 1000) -> int:
    """After a rule change: reclassify every review, a batch at a time (idempotent)."""
    classifier, theme_ids = theme_classifier_load()
    written, last_pk = 0, 0
    while True:
        batch = list(
            ProductReview.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "title", "body")[:batch_size]
        )
        if not batch:
            return written
        written += review_themes_refresh(reviews=batch, classifier=classifier, theme_ids=theme_ids)
        last_pk = batch[-1].pk


def theme_rules_changed(*, actor: Actor) -> None:
    """A manager changed a theme or a phrase: reclassify every review after commit."""
    from .tasks import recompute_review_themes

    logger.info("Theme rules changed by %s: reclassifying every review.", actor_label(actor))
    transaction.on_commit(lambda: recompute_review_themes.delay())


# --- Reviews ------------------------------------------------------------------------


def _locked_or_created(existing: QuerySet, **values) -> tuple[Model, bool]:
    """The locked row of ``existing`` (a select_for_update queryset on a unique key), or a
    new one. When a concurrent ingest of the same Amazon record inserts first, the unique
    index refuses ours: lock and return theirs, so the caller updates it like a replay."""
    row = existing.first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return existing.model.objects.create(**values), True
    except IntegrityError:
        return existing.get(), False


@transaction.atomic
def review_record(
    *,
    seller_account: SellerAccount,
    product: Product,
    amazon_review_id: str,
    rating: int,
    title: str,
    body: str,
    reviewed_at: datetime,
    verified_purchase: bool,
    order: Order | None = None,
    buyer: Buyer | None = None,
    actor: Actor,
    observed_at: datetime | None = None,
) -> tuple[ProductReview, bool]:
    """Create or update a product review by Amazon's review id within ``seller_account`` (never
    another account's review); returns (review, created).

    The same payload twice changes nothing. A new rating is appended to the review's
    history and, when an outreach case exists, recorded on it (``review_updated_from`` is
    the rating the case was opened on). Every verified 1–3★ review has exactly one case:
    Amazon's Contact Customer tool offers outreach for 1–3★ reviews only (notes/amazon.md
    §4), so a 4–5★ review opens nothing until it drops to 3★ or less. A case stays when
    the buyer later raises the rating. ``observed_at`` (default: now) dates a rating change.
    """
    if product.seller_account_id != seller_account.pk:
        raise ReviewDataError("The product belongs to another seller account.")
    if order is not None and order.seller_account_id != seller_account.pk:
        raise ReviewDataError("The order belongs to another seller account.")
    buyer = buyer or (order.buyer if order else None)
    if buyer is not None and buyer.seller_account_id != seller_account.pk:
        raise ReviewDataError("The buyer belongs to another seller account.")
    observed_at = observed_at or timezone.now()
    values = {
        "seller_account": seller_account,
        "product": product,
        "order": order,
        "buyer": buyer,
        "rating": rating,
        "title": title,
        "body": body,
        "reviewed_at": reviewed_at,
        "verified_purchase": verified_purchase,
    }
    review, created = _locked_or_created(
        ProductReview.objects.select_for_update().filter(
            seller_account=seller_account, amazon_review_id=amazon_review_id
        ),
        amazon_review_id=amazon_review_id,
        **values,
    )
    if created:
        old_rating, text_changed = None, True
    else:
        old_rating, old_text = review.rating, review.theme_text
        changed = [name for name, value in values.items() if getattr(review, name) != value]
        if not changed:
            return review, False
        for name in changed:
            setattr(review, name, values[name])
        review.save(update_fields=[*changed, "updated_at"])
        text_changed = review.theme_text != old_text
        if old_rating != rating:
            ReviewRatingChange.objects.create(
                review=review, from_rating=old_rating, to_rating=rating, changed_at=observed_at
            )
    if text_changed:
        review_themes_refresh(reviews=[review])
    _outreach_follow_rating(review=review, old_rating=old_rating, actor=actor)
    return review, created


def _outreach_follow_rating(*, review: ProductReview, old_rating: int | None, actor: Actor) -> None:
    case = ReviewOutreachCase.objects.select_for_update().filter(review=review).first()
    if case is None:
        if review.verified_purchase and review.is_critical:
            case = ReviewOutreachCase.objects.create(review=review)
            audit_record(
                subject=case,
                action="review_outreach_case.created",
                actor=actor,
                changes={"review": [None, review.amazon_review_id], "rating": [old_rating, review.rating]},
            )
        return
    if old_rating is None or old_rating == review.rating:
        return
    before = {"review_updated_from": case.review_updated_from, "review_updated_to": case.review_updated_to}
    if case.review_updated_from is None:
        case.review_updated_from = old_rating
    case.review_updated_to = review.rating
    after = {"review_updated_from": case.review_updated_from, "review_updated_to": case.review_updated_to}
    case.save(update_fields=[*after, "updated_at"])
    audit_record(
        subject=case, action="review_outreach_case.review_updated", actor=actor, changes=field_changes(before, after)
    )


# --- Outreach -----------------------------------------------------------------------


def _transition(*, case: ReviewOutreachCase, status: str, actor: Actor, action: str, **fields) -> ReviewOutreachCase:
    if case.status == status or not case.can_transition_to(status):
        raise OutreachError(f"An outreach case cannot go from {case.status} to {status}.")
    before = {"status": case.status, **{name: getattr(case, name) for name in fields}}
    case.status = status
    for name, value in fields.items():
        setattr(case, name, value)
    after = {"status": status, **fields}
    case.save(update_fields=[*after, "updated_at"])
    audit_record(subject=case, action=action, actor=actor, changes=field_changes(before, after))
    return case


def _locked(case: ReviewOutreachCase) -> ReviewOutreachCase:
    # Two CSMs pressing "contact" at once must not send Amazon's email twice.
    cases = ReviewOutreachCase.objects.select_for_update(of=("self",))
    return cases.select_related("review", "review__order").get(pk=case.pk)


@transaction.atomic
def outreach_contact(
    *, case: ReviewOutreachCase, contact_reason: str, actor: Actor, channel: str = "ui"
) -> ReviewOutreachCase:
    """Contact the buyer through one of Amazon's two Contact Customer templates.

    Amazon's emails are fixed texts ("Email templates cannot be customized or modified",
    notes/amazon.md §4), so this takes no text at all: the outbox row is written by the
    one outbound path (``message_send``, purpose ``review_outreach``), whose guard refuses
    any free text for that purpose. Only 1–3★ reviews qualify, and only while the case is
    new. The refund or replacement that may follow never depends on the review.
    """
    if contact_reason not in OutreachContactReason.values:
        raise OutreachError("Contact the buyer only through Amazon's Courtesy Refund or Customer Support template.")
    case = _locked(case)
    review = case.review
    if case.status != OutreachStatus.NEW:
        raise OutreachError(f"This case was already {case.get_status_display().lower()}; Amazon allows one contact.")
    if not review.is_critical:
        raise OutreachError("Amazon's Contact Customer tool covers 1–3★ reviews only.")
    buyer = review.buyer_to_contact
    if buyer is None:
        raise OutreachError("Link the review to its order first: the desk needs the buyer to record the contact.")
    now = timezone.now()
    message_send(
        body="",  # the guard allows no text for review outreach; the outbox carries Amazon's template name
        actor=actor,
        channel=channel,
        buyer=buyer,
        order=review.order,
        purpose=MessagePurpose.REVIEW_OUTREACH,
        contact_reason=contact_reason,
        dedupe_key=f"review_outreach:{case.pk}",
    )
    return _transition(
        case=case,
        status=OutreachStatus.CONTACTED,
        actor=actor,
        action="review_outreach_case.contacted",
        contact_reason=contact_reason,
        contacted_at=now,
    )


@transaction.atomic
def outreach_resolve(*, case: ReviewOutreachCase, resolution: str, actor: Actor) -> ReviewOutreachCase:
    """Record how the buyer's problem ended: courtesy refund issued, replacement sent
    (after the buyer replied in Buyer-Seller Messaging: Amazon has no replacement
    template), or no action possible. A refund is only possible after contact."""
    if resolution not in OutreachResolution.values:
        raise OutreachError(f"Unknown resolution {resolution!r}.")
    case = _locked(case)
    if resolution != OutreachResolution.NO_ACTION_POSSIBLE and case.status != OutreachStatus.CONTACTED:
        raise OutreachError("A refund or replacement follows a contact: contact the buyer first.")
    return _transition(
        case=case,
        status=OutreachStatus.RESOLVED,
        actor=actor,
        action="review_outreach_case.resolved",
        resolution=resolution,
        resolved_at=timezone.now(),
    )


@transaction.atomic
def outreach_close(*, case: ReviewOutreachCase, actor: Actor) -> ReviewOutreachCase:
    """Close a case; closed is final."""
    case = _locked(case)
    return _transition(case=case, status=OutreachStatus.CLOSED, actor=actor, action="review_outreach_case.closed")


# --- Seller feedback ----------------------------------------------------------------


@transaction.atomic
def feedback_record(
    *, order: Order, rating: int, comment: str, left_at: datetime, removed: bool, actor: Actor
) -> tuple[SellerFeedback, bool]:
    """Create or update the seller feedback of an order; returns (feedback, created).

    1–2★ is negative and an ODR defect unless Amazon removed it (notes/amazon.md §1).
    Negative feedback that is not removed opens one ticket (kind negative_feedback) so the
    CSM solves the buyer's problem; never ask for removal (Amazon withdrew that message
    type). The ticket starts with an internal note and **no SLA clock**: no buyer message
    is waiting for an answer. It needs the order's buyer; without one no ticket is opened.
    """
    values = {"rating": rating, "comment": comment, "left_at": left_at, "removed": removed}
    now = timezone.now()
    feedback, created = _locked_or_created(
        SellerFeedback.objects.select_for_update().filter(order=order),
        order=order,
        removed_at=now if removed else None,
        **values,
    )
    if created:
        changes = field_changes({}, values)
    else:
        before = {name: getattr(feedback, name) for name in values}
        changes = field_changes(before, values)
        if not changes:
            return feedback, False
        for name, value in values.items():
            setattr(feedback, name, value)
        if removed and not before["removed"]:
            feedback.removed_at = now
        elif not removed:
            feedback.removed_at = None
        feedback.save(update_fields=[*values, "removed_at", "updated_at"])
    audit_record(
        subject=feedback, action=f"seller_feedback.{'created' if created else 'updated'}", actor=actor, changes=changes
    )
    if feedback.is_negative and not feedback.removed and feedback.ticket_id is None and order.buyer_id:
        feedback.ticket = _feedback_ticket_open(feedback=feedback, actor=actor)
        feedback.save(update_fields=["ticket", "updated_at"])
    return feedback, created


def _feedback_ticket_open(*, feedback: SellerFeedback, actor: Actor) -> Ticket:
    order = feedback.order
    ticket = ticket_open(
        seller_account=order.seller_account,
        buyer=order.buyer,
        order=order,
        subject=f"Negative seller feedback ({feedback.rating}★) on order {order.amazon_order_id}",
        kind=Ticket.Kind.NEGATIVE_FEEDBACK,
        status=Ticket.Status.NEW,
        priority=Ticket.Priority.HIGH,
        # No buyer message is waiting, so no 24 h clock: the SLA starts when the buyer writes.
        sla_due_at=None,
        last_message_at=timezone.now(),
        actor=actor,
        source="seller_feedback",
        details={"feedback": feedback.pk},
    )
    left = timezone.localtime(feedback.left_at).strftime("%Y-%m-%d %H:%M %Z")
    Message.objects.create(
        ticket=ticket,
        direction=Message.Direction.NOTE,
        body=(
            f"The buyer left {feedback.rating}★ seller feedback on {left}: "
            f"“{feedback.comment or '(no comment)'}”\n"
            "This is an Order Defect Rate defect unless Amazon removes it. Solve the buyer's problem; "
            "never ask them to remove or change the feedback."
        ),
    )
    return ticket
