"""factory_boy factories for every domain model. Demo data reuses them."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from reviews.models import ProductReview, ReviewOutreachCase, ReviewRatingChange, SellerFeedback
from tickets.models import (
    AtoZClaim,
    Buyer,
    Chargeback,
    FulfillmentChannel,
    HeldMessage,
    Message,
    Order,
    OrderItem,
    Product,
    SellerAccount,
    Ticket,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("password")


class SellerAccountFactory(DjangoModelFactory):
    class Meta:
        model = SellerAccount
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Brand {n}")
    merchant_id = factory.Sequence(lambda n: f"A{n:013d}")
    marketplace_id = "ATVPDKIKX0DER"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    seller_account = factory.SubFactory(SellerAccountFactory)
    asin = factory.Sequence(lambda n: f"B0{n:08d}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    title = factory.Sequence(lambda n: f"Product {n}")
    category = "Kitchen"
    guide_url = "https://guides.example.com/quick-start.pdf"


class BuyerFactory(DjangoModelFactory):
    class Meta:
        model = Buyer

    seller_account = factory.SubFactory(SellerAccountFactory)
    amazon_buyer_id = factory.Sequence(lambda n: f"AMZBUYER{n:06d}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda b: f"{b.amazon_buyer_id.lower()}@marketplace.amazon.com")


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    seller_account = factory.SubFactory(SellerAccountFactory)
    buyer = factory.SubFactory(BuyerFactory, seller_account=factory.SelfAttribute("..seller_account"))
    amazon_order_id = factory.Sequence(lambda n: f"113-{n // 10_000_000 % 10_000_000:07d}-{n % 10_000_000:07d}")
    purchased_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    fulfillment_channel = FulfillmentChannel.FBM
    status = Order.Status.SHIPPED
    order_total = Decimal("299.99")
    currency = "USD"


class OrderItemFactory(DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, seller_account=factory.SelfAttribute("..order.seller_account"))
    quantity = 1
    unit_price = Decimal("299.99")


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    seller_account = factory.SubFactory(SellerAccountFactory)
    buyer = factory.SubFactory(BuyerFactory, seller_account=factory.SelfAttribute("..seller_account"))
    order = None
    subject = factory.Faker("sentence", nb_words=6)
    kind = Ticket.Kind.INQUIRY
    status = Ticket.Status.NEW


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    direction = Message.Direction.INBOUND
    body = factory.Faker("paragraph")
    external_id = factory.Sequence(lambda n: f"msg-{n}")
    sent_at = factory.LazyFunction(timezone.now)


class HeldMessageFactory(DjangoModelFactory):
    """A reply the guard held (the rows ``message_send`` writes for a held verdict; tests of
    the flow itself go through it, with a "hold" phrase)."""

    class Meta:
        model = HeldMessage

    ticket = factory.SubFactory(TicketFactory)
    seller_account = factory.SelfAttribute("ticket.seller_account")
    buyer = factory.SelfAttribute("ticket.buyer")
    purpose = "reply"
    body = "We can offer a lifetime guarantee on the new reservoir."
    doubts = factory.LazyFunction(
        lambda: [{"rule": "approval_phrase", "message": "Needs a manager's approval.", "start": 13, "end": 31}]
    )
    channel = "ui"
    actor_label = "alice"


class AtoZClaimFactory(DjangoModelFactory):
    class Meta:
        model = AtoZClaim

    order = factory.SubFactory(OrderFactory)
    claim_id = factory.Sequence(lambda n: f"AZ-{n:08d}")
    filed_at = factory.LazyFunction(timezone.now)
    reason = "Item not received"
    amount = Decimal("299.99")


class ChargebackFactory(DjangoModelFactory):
    class Meta:
        model = Chargeback

    order = factory.SubFactory(OrderFactory)
    chargeback_id = factory.Sequence(lambda n: f"CB-{n:08d}")
    filed_at = factory.LazyFunction(timezone.now)
    amount = Decimal("299.99")
    kind = Chargeback.Kind.SERVICE


class ProductReviewFactory(DjangoModelFactory):
    class Meta:
        model = ProductReview

    product = factory.SubFactory(ProductFactory)
    seller_account = factory.SelfAttribute("product.seller_account")
    amazon_review_id = factory.Sequence(lambda n: f"R{n:012d}")
    rating = 2
    title = factory.Faker("sentence", nb_words=5)
    body = factory.Faker("paragraph")
    reviewed_at = factory.LazyFunction(timezone.now)


class ReviewRatingChangeFactory(DjangoModelFactory):
    class Meta:
        model = ReviewRatingChange

    review = factory.SubFactory(ProductReviewFactory)
    from_rating = 2
    to_rating = 4
    changed_at = factory.LazyFunction(timezone.now)


class ReviewOutreachCaseFactory(DjangoModelFactory):
    class Meta:
        model = ReviewOutreachCase

    review = factory.SubFactory(ProductReviewFactory)


class SellerFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = SellerFeedback

    order = factory.SubFactory(OrderFactory)
    rating = 1
    comment = factory.Faker("sentence")
    left_at = factory.LazyFunction(timezone.now)
