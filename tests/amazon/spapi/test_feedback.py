"""Seller feedback from Amazon's daily GET_SELLER_FEEDBACK_DATA report through the feedback
intake; feedback that leaves the report is recorded as removed (notes/amazon.md §1)."""

from datetime import timedelta

from amazon.spapi.feedback import feedback_sync
from amazon.spapi.reports import ReportNotReady
from amazon.spapi.services import connection_sync
from reviews.models import SellerFeedback
from reviews.services import feedback_record
from tickets.models import AuditEvent, Order


def amazon_feedback(marketplace, now) -> dict[str, int]:
    """What Amazon's Feedback Manager lists: 1–3★ left in the last 90 days, not removed."""
    listed = {}
    for order in marketplace.visible(now):
        feedback = order.feedback
        if feedback is None or feedback.rating > 3 or feedback.left_at > now:
            continue
        if feedback.removed_at is not None and feedback.removed_at <= now:
            continue
        if feedback.left_at >= now - timedelta(days=90, minutes=5):
            listed[order.order_id] = feedback.rating
    return listed


def read_feedback(connection, advance, clock):
    try:
        return feedback_sync(connection, now=clock.now())
    except ReportNotReady:
        advance(seconds=60)
        return feedback_sync(connection, now=clock.now())


def test_the_daily_report_brings_amazons_negative_and_neutral_feedback(synced, marketplace, clock):
    stored = dict(SellerFeedback.objects.filter(removed=False).values_list("order__amazon_order_id", "rating"))
    expected = amazon_feedback(marketplace, clock.now())
    assert stored == expected and len(expected) > 3
    assert synced.feedback_synced_on == clock.now().date()


def test_reading_the_report_again_records_nothing(synced, advance, clock):
    events = AuditEvent.objects.count()
    synced.feedback_synced_on = None
    result = read_feedback(synced, advance, clock)
    assert (result.recorded, result.removed, AuditEvent.objects.count()) == (0, 0, events)


def test_feedback_the_report_no_longer_lists_is_recorded_as_removed(synced, marketplace, advance, clock):
    listed = amazon_feedback(marketplace, clock.now())
    order = Order.objects.filter(seller_account=synced.seller_account).exclude(amazon_order_id__in=listed).first()
    feedback, _ = feedback_record(
        order=order,
        rating=1,
        comment="Never arrived",
        left_at=clock.now() - timedelta(days=3),
        removed=False,
        actor="api",
    )
    result = read_feedback(synced, advance, clock)
    feedback.refresh_from_db()
    assert (result.removed, feedback.removed, feedback.removed_at) == (1, True, clock.now())
    assert AuditEvent.objects.filter(action="seller_feedback.updated", object_id=str(feedback.pk)).exists()


def test_feedback_amazon_removes_later_leaves_the_desk_too(synced, marketplace, advance, clock, monkeypatch):
    listed = amazon_feedback(marketplace, clock.now())
    order = next(o for o in marketplace.visible(clock.now()) if o.order_id in listed and o.feedback.rating <= 2)
    # Amazon removes it an hour from now (the marketplace is shared: monkeypatch puts it back).
    monkeypatch.setattr(order.feedback, "removed_at", clock.now() + timedelta(hours=1))
    advance(days=1)
    read_feedback(synced, advance, clock)
    assert SellerFeedback.objects.get(order__amazon_order_id=order.order_id).removed is True


def test_feedback_on_an_order_the_desk_does_not_have_is_counted_not_stored(synced, advance, clock):
    listed = list(SellerFeedback.objects.values_list("order_id", flat=True))
    SellerFeedback.objects.all().delete()
    Order.objects.filter(pk__in=listed[:2]).delete()
    result = read_feedback(synced, advance, clock)
    synced.refresh_from_db()
    assert (result.orders_missing, synced.feedback_orders_missing) == (2, 2)
    assert SellerFeedback.objects.count() == len(listed) - 2


def test_the_feedback_report_is_read_once_a_day(synced, sandbox, advance):
    reports = len(sandbox.reports.reports)
    advance(minutes=10)
    connection_sync(connection_id=synced.pk)
    assert len(sandbox.reports.reports) == reports
