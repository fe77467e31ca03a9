"""Serializers of the ticket domain's API: validation and representation only."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import AtoZClaim, Buyer, Chargeback, Message, Order, OrderEvent, Product, SellerAccount, Ticket
from ..models.accounts import Region, asin_validator
from ..models.orders import FulfillmentChannel, OrderStatus, amazon_order_id_validator
from ..outbound.templating import TEMPLATE_VARIABLES

MAX_ORDERS_PER_REQUEST = 1000


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="USD")


@extend_schema_field(MoneySerializer)
class MoneyField(serializers.Field):
    """``{"amount": "299.99", "currency": "USD"}`` read from two attributes of the object."""

    def __init__(self, *, amount: str, currency: str = "currency", **kwargs):
        self.amount_attr, self.currency_attr = amount, currency
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> dict:
        return {"amount": f"{getattr(obj, self.amount_attr):.2f}", "currency": _dotted(obj, self.currency_attr)}


def _dotted(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


# --- Ingest payloads ------------------------------------------------------------------


class SellerAccountSerializer(serializers.ModelSerializer):
    region = serializers.ChoiceField(choices=Region.choices, default=Region.NA)

    class Meta:
        model = SellerAccount
        fields = ["id", "name", "merchant_id", "marketplace_id", "region"]
        # The upsert decides between create and update; the unique check would refuse it.
        validators = []


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "seller_account", "asin", "sku", "title", "category", "guide_url", "troubleshooting_url"]
        read_only_fields = ["id", "seller_account", "asin"]


class BuyerInSerializer(serializers.Serializer):
    amazon_buyer_id = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class OrderItemInSerializer(serializers.Serializer):
    asin = serializers.CharField(max_length=10, validators=[asin_validator])
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    unit_price = MoneySerializer()


class OrderInSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    amazon_order_id = serializers.CharField(max_length=19, validators=[amazon_order_id_validator])
    buyer = BuyerInSerializer(required=False, allow_null=True)
    purchased_at = serializers.DateTimeField()
    fulfillment_channel = serializers.ChoiceField(choices=FulfillmentChannel.choices)
    status = serializers.ChoiceField(choices=OrderStatus.choices, default=OrderStatus.UNSHIPPED)
    order_total = MoneySerializer()
    items = OrderItemInSerializer(many=True, max_length=200, default=list)
    latest_ship_date = serializers.DateTimeField(required=False, allow_null=True, default=None)
    earliest_delivery_date = serializers.DateTimeField(required=False, allow_null=True, default=None)
    latest_delivery_date = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_items(self, items: list[dict]) -> list[dict]:
        asins = [i["asin"] for i in items]
        if len(asins) != len(set(asins)):
            raise serializers.ValidationError("Each ASIN may appear once per order.")
        return items

    def validate(self, data: dict) -> dict:
        """To the service's vocabulary: account id, total and currency as columns."""
        currency = data["order_total"]["currency"]
        if any(i["unit_price"]["currency"] != currency for i in data["items"]):
            raise serializers.ValidationError({"items": ["Every unit price must be in the order's currency."]})
        return {
            **data,
            "seller_account_id": data.pop("seller_account"),
            "order_total": data["order_total"]["amount"],
            "currency": currency,
            "items": [{**i, "unit_price": i["unit_price"]["amount"]} for i in data["items"]],
        }


class OrderUpsertResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    id = serializers.IntegerField()
    amazon_order_id = serializers.CharField()
    status = serializers.IntegerField(help_text="201 created, 200 updated or unchanged.")


class OrderBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    results = OrderUpsertResultSerializer(many=True)


class OrderEventInSerializer(serializers.ModelSerializer):
    event_id = serializers.CharField(max_length=100, required=False, allow_null=True, default=None)

    class Meta:
        model = OrderEvent
        fields = ["id", "event_id", "type", "occurred_at", "carrier", "tracking_number"]
        read_only_fields = ["id"]
        validators = []


class MessageInSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=200)
    seller_account = serializers.IntegerField(min_value=1)
    amazon_buyer_id = serializers.CharField(max_length=64)
    buyer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    buyer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    amazon_order_id = serializers.CharField(
        max_length=19, required=False, allow_null=True, default=None, validators=[amazon_order_id_validator]
    )
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=50_000)
    received_at = serializers.DateTimeField()


class ClaimInSerializer(serializers.Serializer):
    claim_id = serializers.CharField(max_length=64)
    amazon_order_id = serializers.CharField(max_length=19, validators=[amazon_order_id_validator])
    filed_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount = MoneySerializer()
    status = serializers.ChoiceField(choices=AtoZClaim.Status.choices, default=AtoZClaim.Status.OPEN)
    respond_by = serializers.DateTimeField(required=False, allow_null=True, default=None)
    buy_shipping_protected = serializers.BooleanField(required=False, default=False)


class ChargebackInSerializer(serializers.Serializer):
    chargeback_id = serializers.CharField(max_length=64)
    amazon_order_id = serializers.CharField(max_length=19, validators=[amazon_order_id_validator])
    filed_at = serializers.DateTimeField()
    amount = MoneySerializer()
    status = serializers.ChoiceField(choices=Chargeback.Status.choices, default=Chargeback.Status.OPEN)
    respond_by = serializers.DateTimeField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Chargeback.Kind.choices, default=Chargeback.Kind.SERVICE)


# --- Representations ------------------------------------------------------------------


class BuyerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Buyer
        fields = ["id", "amazon_buyer_id", "name", "email"]


class OrderItemSerializer(serializers.Serializer):
    asin = serializers.CharField(source="product.asin")
    quantity = serializers.IntegerField()
    unit_price = MoneyField(amount="unit_price", currency="order.currency")


class OrderSerializer(serializers.ModelSerializer):
    buyer = BuyerSerializer(allow_null=True)
    order_total = MoneyField(amount="order_total")
    items = OrderItemSerializer(many=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "seller_account",
            "amazon_order_id",
            "buyer",
            "purchased_at",
            "fulfillment_channel",
            "status",
            "order_total",
            "items",
            "latest_ship_date",
            "earliest_delivery_date",
            "latest_delivery_date",
            "shipped_at",
            "carrier",
            "tracking_number",
            "delivered_at",
            "returned_at",
            "refunded_at",
            "cancelled_at",
            "created_at",
            "updated_at",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    amazon_order_id = serializers.CharField(source="order.amazon_order_id")
    seller_account = serializers.IntegerField(source="order.seller_account_id")
    amount = MoneyField(amount="amount")

    class Meta:
        model = AtoZClaim
        fields = [
            "id",
            "claim_id",
            "seller_account",
            "amazon_order_id",
            "filed_at",
            "reason",
            "amount",
            "status",
            "respond_by",
            "decided_at",
            "buy_shipping_protected",
            "ticket",
            "created_at",
            "updated_at",
        ]


class ChargebackSerializer(serializers.ModelSerializer):
    amazon_order_id = serializers.CharField(source="order.amazon_order_id")
    seller_account = serializers.IntegerField(source="order.seller_account_id")
    amount = MoneyField(amount="amount")

    class Meta:
        model = Chargeback
        fields = [
            "id",
            "chargeback_id",
            "seller_account",
            "amazon_order_id",
            "kind",
            "filed_at",
            "amount",
            "status",
            "respond_by",
            "decided_at",
            "ticket",
            "created_at",
            "updated_at",
        ]


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "ticket",
            "direction",
            "author",
            "body",
            "external_id",
            "is_automated",
            "created_at",
            "sent_at",
            "response_due_at",
            "responded_at",
            "no_response_needed",
        ]


class InboundMessageResultSerializer(MessageSerializer):
    ticket_created = serializers.BooleanField(read_only=True)

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "ticket_created"]


class TicketOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "amazon_order_id", "fulfillment_channel", "status", "delivered_at"]


class TicketSerializer(serializers.ModelSerializer):
    buyer = BuyerSerializer(read_only=True)
    order = TicketOrderSerializer(read_only=True, allow_null=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    sla_state = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "seller_account",
            "buyer",
            "order",
            "subject",
            "kind",
            "status",
            "priority",
            "assignee",
            "sla_due_at",
            "sla_state",
            "first_response_at",
            "no_response_needed",
            "last_message_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sla_state(self, ticket: Ticket) -> str:
        return ticket.sla_state()


class TicketUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Username of an agent on the ticket's seller account; null unassigns.",
    )
    no_response_needed = serializers.BooleanField(
        required=False,
        help_text="true: Amazon's 'no response needed' (stops the clock; the next buyer message clears it).",
    )

    def validate_no_response_needed(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Only true: a new buyer message clears it.")
        return value

    def validate_assignee(self, user):
        ticket = self.context["ticket"]
        if user is not None and not ticket.seller_account.agents.filter(pk=user.pk).exists():
            raise serializers.ValidationError("Not an agent on this ticket's seller account.")
        return user


class ReplyInSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000, required=False, allow_blank=False)
    template = serializers.SlugField(max_length=100, required=False, help_text="A message template's slug.")
    context = serializers.DictField(
        child=serializers.CharField(max_length=1000, allow_blank=True),
        required=False,
        default=dict,
        help_text=f"Values for template variables, by dotted name: {', '.join(TEMPLATE_VARIABLES)}.",
    )

    def validate_context(self, context: dict) -> dict:
        unknown = sorted(set(context) - set(TEMPLATE_VARIABLES))
        if unknown:
            raise serializers.ValidationError(f"Unknown template variables: {', '.join(unknown)}.")
        return context

    def validate(self, data: dict) -> dict:
        if bool(data.get("body")) == bool(data.get("template")):
            raise serializers.ValidationError({"body": ["Send either a body or a template (with its context)."]})
        return data


class OutboundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.IntegerField(source="message_id", allow_null=True)
    status = serializers.CharField()
    purpose = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class NoteInSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000)
