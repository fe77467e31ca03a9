"""The authorization matrix: every API operation, called by another seller account's key (and
by another account's agent in a browser session) with the first account's ids in the path,
the query and the body, neither reads nor writes anything of the first account.

Alice's account holds one of everything, its text marked ``ALICE-SECRET``. Charlie (agent
scope, the widest) works only Grinders Ltd. After every request, Alice's rows are exactly
as before, and no answer, webhook or row of Charlie's carries Alice's marked text. A new
endpoint fails ``test_the_matrix_covers_every_operation`` until it is given a row here.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from reimbursements.models import ReimbursementCase
from reviews.models import ProductReview, ReviewOutreachCase, SellerFeedback
from reviews.services import feedback_record, review_record
from tests.api.conftest import KeyClient, make_key
from tests.api.payloads import chargeback_payload, claim_payload, message_payload, order_payload
from tests.factories import (
    AtoZClaimFactory,
    BuyerFactory,
    ChargebackFactory,
    HeldMessageFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    SellerAccountFactory,
    TicketFactory,
    UserFactory,
)
from tickets.intake.messages import inbound_message_receive
from tickets.intake.orders import order_event_record
from tickets.models import (
    AtoZClaim,
    Buyer,
    Chargeback,
    HeldMessage,
    Message,
    Order,
    OrderEvent,
    OrderItem,
    Product,
    SellerAccount,
    Ticket,
)

pytestmark = pytest.mark.django_db

SECRET = "ALICE-SECRET"
ORDER_ID = "111-1111111-1111111"
ASIN = "B0ALICE001"
MESSAGE_ID = "amzn-msg-alice-1"
CLAIM_ID = "AZ-ALICE-0001"
CHARGEBACK_ID = "CB-ALICE-0001"
REVIEW_ID = "RALICE000001"
EVENT_ID = "evt-alice-1"
BUYER_ID = "AMZBUYERALICE1"
CHARLIES_ORDER_ID = "222-2222222-2222222"
BUYER_EMAIL = "alice-buyer-secret@marketplace.amazon.com"


class World:
    def __init__(self):
        now = timezone.now()
        self.alice = UserFactory(username="alice-m")
        self.account = SellerAccountFactory(name=f"{SECRET} Espresso")
        self.account.agents.add(self.alice)
        self.other = SellerAccountFactory(name="Grinders Ltd.")
        self.charlie = UserFactory(username="charlie-m")
        self.other.agents.add(self.charlie)

        product = ProductFactory(seller_account=self.account, asin=ASIN, title=f"{SECRET} grinder")
        buyer = BuyerFactory(seller_account=self.account, amazon_buyer_id=BUYER_ID, name=f"{SECRET} buyer")
        Buyer.objects.filter(pk=buyer.pk).update(email=BUYER_EMAIL)
        self.order = OrderFactory(seller_account=self.account, buyer=buyer, amazon_order_id=ORDER_ID)
        OrderItemFactory(order=self.order, product=product)
        message = inbound_message_receive(
            seller_account=self.account,
            buyer=buyer,
            order=self.order,
            external_id=MESSAGE_ID,
            subject=f"{SECRET} subject",
            body=f"{SECRET} message body",
            received_at=now,
            actor="test",
        ).message
        self.ticket = message.ticket
        AtoZClaimFactory(order=self.order, claim_id=CLAIM_ID, reason=f"{SECRET} claim")
        ChargebackFactory(order=self.order, chargeback_id=CHARGEBACK_ID)
        order_event_record(order=self.order, type="shipped", occurred_at=now, event_id=EVENT_ID, actor="test")
        review, _ = review_record(
            seller_account=self.account,
            product=product,
            amazon_review_id=REVIEW_ID,
            rating=2,
            title=f"{SECRET} review",
            body=f"{SECRET} review body",
            reviewed_at=now,
            verified_purchase=True,
            order=self.order,
            actor="test",
        )
        self.case = ReviewOutreachCase.objects.get(review=review)
        feedback_record(order=self.order, rating=1, comment=f"{SECRET} feedback", left_at=now, removed=False, actor="t")
        # A reply of Alice's that the guard held for a manager.
        self.held = HeldMessageFactory(ticket=self.ticket, body=f"{SECRET} held reply: a lifetime guarantee")
        # An FBA reimbursement case of Alice's, ready to file.
        self.reimbursement = ReimbursementCase.objects.create(
            seller_account=self.account,
            rule="refunded_not_returned",
            source="refund",
            source_pk=1,
            case_key=f"{SECRET}-refund",
            status="ready",
            amazon_order_id=ORDER_ID,
            quantity=1,
            event_at=now,
            claimable_from=now,
            sla_due_at=now + timedelta(days=30),
        )
        # Charlie's own account is not empty: an order and a ticket of its own, so that a
        # request can name his order beside Alice's claim, message or review ids.
        TicketFactory(seller_account=self.other)
        OrderFactory(seller_account=self.other, amazon_order_id=CHARLIES_ORDER_ID)
        ProductFactory(seller_account=self.other, asin=ASIN)
        # Charlie's webhooks hear every event: none may carry Alice's data.
        WebhookSubscription.objects.create(
            name="charlie's hook", url="https://hooks.example.com/c", secret="s" * 32, events=WebhookEvent.values
        ).seller_accounts.set([self.other])

    def snapshot(self) -> dict:
        """Every row of Alice's account, as stored."""
        a = self.account
        scoped = {
            SellerAccount: {"pk": a.pk},
            Product: {"seller_account": a},
            Buyer: {"seller_account": a},
            Order: {"seller_account": a},
            OrderItem: {"order__seller_account": a},
            OrderEvent: {"order__seller_account": a},
            Ticket: {"seller_account": a},
            Message: {"ticket__seller_account": a},
            AtoZClaim: {"order__seller_account": a},
            Chargeback: {"order__seller_account": a},
            ProductReview: {"seller_account": a},
            SellerFeedback: {"order__seller_account": a},
            ReviewOutreachCase: {"review__seller_account": a},
            HeldMessage: {"seller_account": a},
            ReimbursementCase: {"seller_account": a},
        }
        return {m.__name__: list(m.objects.filter(**f).order_by("pk").values()) for m, f in scoped.items()}

    def leaks(self) -> list[str]:
        """Alice's marked text or buyer e-mail anywhere Charlie's account can read it."""
        found = []
        for delivery in WebhookDelivery.objects.filter(subscription__seller_accounts=self.other):
            if SECRET in delivery.body or BUYER_EMAIL in delivery.body:
                found.append(f"webhook {delivery.event}")
        for buyer in Buyer.objects.filter(seller_account=self.other):
            if SECRET in buyer.name or buyer.email == BUYER_EMAIL:
                found.append(f"buyer {buyer.amazon_buyer_id} in Charlie's account")
        for message in Message.objects.filter(ticket__seller_account=self.other):
            if SECRET in message.body:
                found.append(f"message {message.pk} in Charlie's account")
        return found


def _bodies(w: World) -> dict[tuple[str, str], list[dict]]:
    """For each operation, bodies that name Alice's ids (with and without naming her account)."""
    a, c = w.account.pk, w.other.pk
    review = {
        "amazon_review_id": REVIEW_ID,
        "asin": ASIN,
        "amazon_order_id": ORDER_ID,
        "rating": 5,
        "title": "changed",
        "body": "changed",
        "reviewed_at": "2026-11-26T10:00:00Z",
        "verified_purchase": True,
    }
    # Alice's claim and chargeback ids, on her order and on Charlie's own.
    claims = [
        {"amazon_order_id": order_id, "status": "denied", **pick}
        for order_id in (ORDER_ID, CHARLIES_ORDER_ID)
        for pick in ({}, {"seller_account": a}, {"seller_account": c})
    ]
    return {
        ("POST", "/api/v1/chargebacks/"): [
            chargeback_payload(CHARGEBACK_ID, **claim | {"status": "decided_for_seller"}) for claim in claims
        ],
        ("POST", "/api/v1/claims/"): [claim_payload(CLAIM_ID, **claim) for claim in claims],
        ("POST", "/api/v1/compliance/check/"): [
            {"text": "Thanks!", "purpose": "reply", "context": {"amazon_order_id": ORDER_ID}},
        ],
        ("POST", "/api/v1/feedback/"): [
            {"amazon_order_id": ORDER_ID, "rating": 5, "comment": "", "left_at": "2026-11-26T11:00:00Z"},
            {"amazon_order_id": ORDER_ID, "rating": 5, "left_at": "2026-11-26T11:00:00Z", "seller_account": a},
            {"amazon_order_id": CHARLIES_ORDER_ID, "rating": 5, "left_at": "2026-11-26T11:00:00Z"},
        ],
        ("POST", "/api/v1/messages/"): [
            message_payload(w.other, MESSAGE_ID, amazon_order_id=None, amazon_buyer_id=BUYER_ID),
            message_payload(w.other, MESSAGE_ID, amazon_order_id=ORDER_ID, amazon_buyer_id=BUYER_ID),
            message_payload(w.account, MESSAGE_ID, amazon_order_id=ORDER_ID, amazon_buyer_id=BUYER_ID),
            message_payload(w.other, MESSAGE_ID, amazon_order_id=CHARLIES_ORDER_ID, amazon_buyer_id=BUYER_ID),
        ],
        ("POST", "/api/v1/orders/"): [
            order_payload(w.account, ORDER_ID, status="cancelled"),
            order_payload(
                w.other, ORDER_ID, buyer={"amazon_buyer_id": BUYER_ID}, items=[{"asin": ASIN, "quantity": 1}]
            ),
            [order_payload(w.other, "222-2222222-2222222"), order_payload(w.account, ORDER_ID)],
        ],
        ("POST", "/api/v1/orders/{amazon_order_id}/events/"): [
            {"event_id": EVENT_ID, "type": "delivered", "occurred_at": "2026-11-27T10:00:00Z"},
            {"type": "refunded", "occurred_at": "2026-11-27T10:00:00Z"},
        ],
        ("PATCH", "/api/v1/outreach-cases/{id}/"): [
            {"status": "contacted", "contact_reason": "courtesy_refund"},
            {"status": "closed", "resolution": "pwned"},
        ],
        ("PATCH", "/api/v1/reimbursement-cases/{id}/"): [
            {"status": "filed", "amazon_case_id": "1"},
            {"assignee": "charlie-m"},
        ],
        ("PUT", "/api/v1/products/{asin}/"): [{"title": "pwned", "guide_url": "https://evil.example.com/"}],
        ("POST", "/api/v1/reviews/"): [
            {**review, "seller_account": c},
            {**review, "seller_account": c, "amazon_order_id": CHARLIES_ORDER_ID},
            {**review, "seller_account": a},
        ],
        ("POST", "/api/v1/seller-accounts/"): [
            {"name": "pwned", "merchant_id": w.account.merchant_id, "marketplace_id": w.account.marketplace_id},
        ],
        ("PATCH", "/api/v1/tickets/{id}/"): [{"status": "solved"}, {"assignee": "charlie-m"}],
        ("POST", "/api/v1/tickets/{id}/notes/"): [{"body": "pwned"}],
        ("POST", "/api/v1/tickets/{id}/merge/"): [{"tickets": [w.ticket.pk + 1]}, {"tickets": [w.ticket.pk]}],
        ("POST", "/api/v1/tickets/{id}/replies/"): [{"body": "Thanks, a replacement ships today."}],
        ("POST", "/api/v1/tickets/{id}/amazon-actions/{action}/"): [{"text": "Your parcel is delayed."}],
    }


def _path(w: World, path: str) -> str:
    pk = w.ticket.pk
    if path.startswith("/api/v1/outreach-cases/"):
        pk = w.case.pk
    elif path.startswith("/api/v1/held-messages/"):
        pk = w.held.pk
    elif path.startswith("/api/v1/reimbursement-cases/"):
        pk = w.reimbursement.pk
    return path.format(id=pk, amazon_order_id=ORDER_ID, asin=ASIN, action="unexpectedProblem")


def _foreign_query(w: World) -> dict:
    """Every query parameter the API knows, set to Alice's ids."""
    return {
        "seller_account": w.account.pk,
        "ticket": w.ticket.pk,
        "amazon_order_id": ORDER_ID,
        "external_id": MESSAGE_ID,
        "amazon_buyer_id": BUYER_ID,
        "agent": w.alice.pk,
        "assignee": "alice-m",
        "q": SECRET,
    }


OPERATIONS = [
    ("GET", "/api/v1/chargebacks/"),
    ("POST", "/api/v1/chargebacks/"),
    ("GET", "/api/v1/claims/"),
    ("POST", "/api/v1/claims/"),
    ("POST", "/api/v1/compliance/check/"),
    ("POST", "/api/v1/feedback/"),
    ("GET", "/api/v1/held-messages/"),
    ("GET", "/api/v1/held-messages/{id}/"),
    ("GET", "/api/v1/messages/"),
    ("POST", "/api/v1/messages/"),
    ("GET", "/api/v1/metrics/fulfillment/"),
    ("GET", "/api/v1/metrics/odr/"),
    ("GET", "/api/v1/metrics/odr/history/"),
    ("GET", "/api/v1/metrics/response-time/"),
    ("GET", "/api/v1/metrics/review-requests/"),
    ("GET", "/api/v1/orders/"),
    ("POST", "/api/v1/orders/"),
    ("GET", "/api/v1/orders/{amazon_order_id}/"),
    ("POST", "/api/v1/orders/{amazon_order_id}/events/"),
    ("GET", "/api/v1/outreach-cases/"),
    ("GET", "/api/v1/outreach-cases/{id}/"),
    ("PATCH", "/api/v1/outreach-cases/{id}/"),
    ("PUT", "/api/v1/products/{asin}/"),
    ("GET", "/api/v1/products/{asin}/insights/"),
    ("GET", "/api/v1/reimbursement-cases/"),
    ("GET", "/api/v1/reimbursement-cases/{id}/"),
    ("PATCH", "/api/v1/reimbursement-cases/{id}/"),
    ("POST", "/api/v1/reviews/"),
    ("GET", "/api/v1/seller-accounts/"),
    ("POST", "/api/v1/seller-accounts/"),
    ("GET", "/api/v1/tickets/"),
    ("GET", "/api/v1/tickets/{id}/"),
    ("PATCH", "/api/v1/tickets/{id}/"),
    ("POST", "/api/v1/tickets/{id}/notes/"),
    ("POST", "/api/v1/tickets/{id}/merge/"),
    ("POST", "/api/v1/tickets/{id}/replies/"),
    ("GET", "/api/v1/tickets/{id}/amazon-actions/"),
    ("POST", "/api/v1/tickets/{id}/amazon-actions/{action}/"),
]


def test_the_matrix_covers_every_operation():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert documented == set(OPERATIONS)


@pytest.fixture
def world():
    return World()


@pytest.fixture(params=["key", "session"])
def charlie_client(request, world):
    if request.param == "key":
        return KeyClient(make_key(accounts=[world.other], scope="agent", name="charlie's bot")[1])
    client = KeyClient("none")
    client.defaults.pop("HTTP_AUTHORIZATION", None)
    client.force_login(world.charlie)
    return client


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_another_accounts_caller_neither_reads_nor_writes_alices_rows(world, charlie_client, method, path):
    before = world.snapshot()
    url = _path(world, path)
    queries = [{}, _foreign_query(world)]
    bodies = _bodies(world).get((method, path), [None]) if method != "GET" else [None]
    problems = []
    for query in queries:
        for body in bodies:
            target = url
            if query:
                target += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            call = getattr(charlie_client, method.lower())
            response = call(target, body) if body is not None else call(target)
            text = response.content.decode()
            if response.status_code >= 500:
                problems.append(f"{method} {target}: {response.status_code}")
            if SECRET in text or BUYER_EMAIL in text:
                problems.append(f"{method} {target} {body}: Alice's data in the answer ({response.status_code})")
            if world.snapshot() != before:
                problems.append(f"{method} {target} {body}: Alice's rows changed ({response.status_code})")
                before = world.snapshot()
    problems += world.leaks()
    assert problems == []
