"""FBA deliveries: Amazon reports an FBA order SHIPPED and nothing after, so once its promised
delivery has passed the sync takes it as delivered at the end of the promise, marked
estimated — once — and a delivery the desk learns later replaces the estimate without a
second guide."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amazon.review_requests.models import ReviewRequest
from amazon.review_requests.services import review_requests_schedule
from amazon.spapi.deliveries import ESTIMATE_SOURCE, fba_deliveries_estimate
from amazon.spapi.orders import order_payload
from amazon.spapi.services import connection_sync
from tests.factories import OrderItemFactory, ProductFactory, SellerAccountFactory
from tickets.intake.orders import order_event_record
from tickets.models import MessageTemplate, Order, OrderEvent, OutboundMessage, ProactiveGuide
from tickets.outbound import gateways
from tickets.outbound.defaults import DEFAULT_TEMPLATES
from tickets.proactive.services import proactive_guide_send

SHIPPED, FBA = Order.Status.SHIPPED, "FBA"


class RecordingGateway:
    def __init__(self):
        self.sent = []

    def send(self, outbound):
        self.sent.append(outbound.pk)
        return f"test-{outbound.pk}"


@pytest.fixture(autouse=True)
def gateway(monkeypatch):
    recorder = RecordingGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "console", recorder)
    return recorder


@pytest.fixture
def guide_template(db):
    spec = next(t for t in DEFAULT_TEMPLATES if t["slug"] == "quick_start_guide")
    MessageTemplate.objects.get_or_create(slug=spec["slug"], seller_account=None, defaults=spec)


def sync(connection):
    result = connection_sync(connection_id=connection.pk)
    connection.refresh_from_db()
    return result


def guides_sent(order) -> int:
    return OutboundMessage.objects.filter(order=order, purpose="proactive_guide").count()


def fba_shipped(marketplace, now, *, promise_passed: bool):
    """A sandbox FBA order shipped within the first sync's 30 days, its promise passed or not."""
    return next(
        o
        for o in marketplace.visible(now)
        if o.channel == "AFN"
        and o.status(now) == "SHIPPED"
        and o.last_updated(now) >= now - timedelta(days=29)
        and (o.latest_delivery <= now) == promise_passed
    )


# --- Through the sync, against the sandbox ----------------------------------------------------


def test_a_shipped_fba_order_past_its_promise_is_delivered_at_the_end_of_it(connection, marketplace, clock):
    amazon = fba_shipped(marketplace, clock.now(), promise_passed=True)
    sync(connection)
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    event = order.events.get(type=OrderEvent.Type.DELIVERED)
    assert (order.status, order.delivered_at, order.delivery_estimated) == ("delivered", amazon.latest_delivery, True)
    assert (event.occurred_at, event.source) == (amazon.latest_delivery, ESTIMATE_SOURCE)


def test_an_fba_order_whose_promise_is_ahead_is_not_delivered_yet(connection, marketplace, clock):
    amazon = fba_shipped(marketplace, clock.now(), promise_passed=False)
    sync(connection)
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    assert (order.status, order.delivered_at, order.events.filter(type="delivered").exists()) == (
        "shipped",
        None,
        False,
    )


def test_the_estimate_comes_with_the_first_sync_after_the_promise(connection, marketplace, clock, advance):
    amazon = fba_shipped(marketplace, clock.now(), promise_passed=False)
    sync(connection)
    advance(seconds=(amazon.latest_delivery - clock.now()).total_seconds() + 60)
    result = sync(connection)
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    assert (order.delivered_at, order.delivery_estimated) == (amazon.latest_delivery, True)
    assert result.deliveries_estimated >= 1


def test_the_estimate_starts_the_guide_once_and_a_resync_writes_nothing(
    connection, marketplace, clock, guide_template, django_capture_on_commit_callbacks
):
    account = connection.seller_account
    account.proactive_guides_enabled = True
    account.allowed_link_domains = "guides.example.com"
    account.save()
    amazon = fba_shipped(marketplace, clock.now(), promise_passed=True)
    for item in amazon.items:
        ProductFactory(seller_account=account, asin=item.product.asin)
    with django_capture_on_commit_callbacks(execute=True):
        sync(connection)
    order = Order.objects.get(amazon_order_id=amazon.order_id)
    events_before = OrderEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        result = sync(connection)
    assert (guides_sent(order), ProactiveGuide.objects.get(order=order).send_after) == (1, amazon.latest_delivery)
    assert (result.deliveries_estimated, result.events_recorded, OrderEvent.objects.count()) == (0, 0, events_before)


def test_fbm_orders_are_never_estimated(connection):
    sync(connection)
    assert not OrderEvent.objects.filter(source=ESTIMATE_SOURCE, order__fulfillment_channel="FBM").exists()
    assert Order.objects.filter(fulfillment_channel="FBM", delivery_estimated=True).count() == 0


# --- The rule, on the desk's own orders -------------------------------------------------------


@pytest.fixture
def account(db):
    return SellerAccountFactory(
        name="Brewline", proactive_guides_enabled=True, allowed_link_domains="guides.example.com"
    )


def fba_order(account, *, promise_days_ago: float = 1, **fields) -> Order:
    fields = {
        "seller_account": account,
        "fulfillment_channel": FBA,
        "status": SHIPPED,
        "latest_delivery_date": timezone.now() - timedelta(days=promise_days_ago),
        **fields,
    }
    return OrderItemFactory(**{f"order__{k}": v for k, v in fields.items()}).order


def estimate(account) -> int:
    return fba_deliveries_estimate(seller_account_id=account.pk, now=timezone.now(), actor="test")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Order.Status.CANCELLED, "cancelled_at": timezone.now() - timedelta(days=3)},
        {"returned_at": timezone.now() - timedelta(hours=2)},
        {"refunded_at": timezone.now() - timedelta(hours=2)},
        {"fulfillment_channel": "FBM"},
        {"status": Order.Status.UNSHIPPED},
    ],
    ids=["cancelled", "returned", "refunded", "fbm", "unshipped"],
)
def test_an_order_not_known_to_be_on_its_way_gets_no_estimate(account, fields):
    order = fba_order(account, **fields)
    assert estimate(account) == 0
    order.refresh_from_db()
    assert (order.delivered_at, order.events.count()) == (None, 0)


def test_an_estimate_is_recorded_once_however_often_the_sweep_runs(account):
    order = fba_order(account)
    assert (estimate(account), estimate(account)) == (1, 0)
    assert order.events.filter(type="delivered").count() == 1


def test_a_known_delivery_is_never_replaced_by_an_estimate(account):
    order = fba_order(account)
    delivered = timezone.now() - timedelta(days=3)
    order_event_record(order=order, type="delivered", occurred_at=delivered, event_id="carrier-1", source="api")
    order.status = SHIPPED  # as a later sync of Amazon's SHIPPED would leave it, were it not kept
    order.save(update_fields=["status"])
    estimate(account)
    order.refresh_from_db()
    assert (order.delivered_at, order.delivery_estimated) == (delivered, False)


def test_a_real_delivery_after_the_estimate_replaces_it_without_a_second_guide(
    account, guide_template, gateway, django_capture_on_commit_callbacks
):
    order = fba_order(account, promise_days_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        estimate(account)
    real = timezone.now() - timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        order_event_record(order=order, type="delivered", occurred_at=real, event_id="carrier-1", source="api")
    order.refresh_from_db()
    guide = ProactiveGuide.objects.get(order=order)
    assert (order.delivered_at, order.delivery_estimated, order.status) == (real, False, "delivered")
    assert (len(gateway.sent), guides_sent(order)) == (1, 1)
    assert proactive_guide_send(guide_id=guide.pk) == "not_claimed"


def test_the_review_request_day_counts_from_the_estimate(account):
    account.review_requests_enabled, account.review_request_day = True, 5
    account.post_delivery_fba = "review_request"
    account.save()
    order = fba_order(account, promise_days_ago=5.5)
    estimate(account)
    review_requests_schedule(now=timezone.now())
    request = ReviewRequest.objects.get(order=order)
    assert request.due_at == order.latest_delivery_date + timedelta(days=5)


# --- Amazon's promise, from the order or its items ---------------------------------------------


def test_an_order_without_a_deliver_by_window_takes_its_items_latest_promise():
    order = {
        "orderId": "113-0000000-0000001",
        "createdTime": "2026-06-01T10:00:00Z",
        "fulfillment": {"fulfillmentStatus": "SHIPPED", "fulfilledBy": "AMAZON"},
        "orderItems": [
            {"fulfillment": {"shipping": {"scheduledDeliveryWindow": window}}}
            for window in (
                {"earliestDateTime": "2026-06-04T00:00:00Z", "latestDateTime": "2026-06-06T23:59:59Z"},
                {"earliestDateTime": "2026-06-05T00:00:00Z", "latestDateTime": "2026-06-08T23:59:59Z"},
            )
        ],
    }
    payload = order_payload(order, seller_account_id=1)
    assert (payload["earliest_delivery_date"], payload["latest_delivery_date"]) == (
        "2026-06-04T00:00:00+00:00",
        "2026-06-08T23:59:59+00:00",
    )


# --- Cost -------------------------------------------------------------------------------------


def test_a_sweep_with_nothing_to_estimate_is_one_query(account, django_assert_num_queries):
    fba_order(account, promise_days_ago=-2)  # promised for the day after tomorrow
    with django_assert_num_queries(1):
        assert estimate(account) == 0


def test_each_estimate_costs_the_same_few_queries(account, django_assert_max_num_queries):
    # The delivery entry point per order (its lock, event, guide): a fixed cost per order,
    # never a query per order in the selection.
    for _ in range(10):
        fba_order(account)
    with django_assert_max_num_queries(1 + 10 * 16):
        assert estimate(account) == 10
