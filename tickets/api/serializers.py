"""Serializers of the ticket domain's API: validation and representation only."""

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import CurrencyField, DateTimeField, PlainTextField

from ..attachments import AttachmentIn
from ..models import (
    AtoZClaim,
    Attachment,
    Buyer,
    Chargeback,
    HeldMessage,
    Message,
    Order,
    OrderEvent,
    Product,
    SellerAccount,
    Ticket,
)
from ..models.accounts import Region, asin_validator
from ..models.orders import FulfillmentChannel, OrderStatus, amazon_order_id_validator
from ..outbound.templating import TEMPLATE_VARIABLES
from ..validators import CURRENCY_CODES, datetime_in_range, is_plain_text, validate_plain_text

MAX_ORDERS_PER_REQUEST = 1000


class AttachmentSerializer(serializers.ModelSerializer):
    """A message's file; ``url`` serves it to callers who see the ticket (null when refused)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "url", "refused_reason"]

    def get_url(self, attachment: Attachment) -> str | None:
        if attachment.refused_reason:
            return None
        from django.urls import reverse

        path = reverse("api:attachment", kwargs={"pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AttachmentInSerializer(serializers.Serializer):
    """A file in a JSON body: its bytes in base64 (multipart uploads need no encoding)."""

    name = serializers.CharField(max_length=255)
    content_type = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    content_base64 = serializers.CharField(max_length=20 * 1024 * 1024, trim_whitespace=True)

    def validate(self, data: dict) -> AttachmentIn:
        import base64
        import binascii

        try:
            content = base64.b64decode(data["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError({"content_base64": ["Not valid base64."]}) from None
        return AttachmentIn(name=data["name"], content_type=data["content_type"], content=content)


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    currency = CurrencyField(default="USD")


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
    name = PlainTextField(max_length=200)
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
        # The title goes into buyer messages ({{ product.title }}).
        extra_kwargs = {"title": {"validators": [validate_plain_text]}}


class BuyerInSerializer(serializers.Serializer):
    amazon_buyer_id = serializers.CharField(max_length=64)
    name = PlainTextField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class OrderItemInSerializer(serializers.Serializer):
    asin = serializers.CharField(max_length=10, validators=[asin_validator])
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    unit_price = MoneySerializer()


class OrderInSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    amazon_order_id = serializers.CharField(max_length=19, validators=[amazon_order_id_validator])
    buyer = BuyerInSerializer(required=False, allow_null=True)
    purchased_at = DateTimeField()
    fulfillment_channel = serializers.ChoiceField(choices=FulfillmentChannel.choices)
    status = serializers.ChoiceField(choices=OrderStatus.choices, default=OrderStatus.UNSHIPPED)
    order_total = MoneySerializer()
    items = OrderItemInSerializer(many=True, max_length=200, default=list)
    latest_ship_date = DateTimeField(required=False, allow_null=True, default=None)
    earliest_delivery_date = DateTimeField(required=False, allow_null=True, default=None)
    latest_delivery_date = DateTimeField(required=False, allow_null=True, default=None)

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


# --- The bulk orders' lean path ---------------------------------------------------------
# DRF's field machinery costs ~0.4 ms per nested order. The lean path below accepts only
# plainly valid orders (exact JSON types, no surrounding whitespace, canonical amounts) and
# returns exactly what OrderInSerializer would; anything else it is unsure of goes to the
# serializer, so the accepted data and every error message stay the serializer's.

_ORDER_ID = re.compile(r"[0-9]{3}-[0-9]{7}-[0-9]{7}")
_ASIN = re.compile(r"[A-Z0-9]{10}")
_AMOUNT = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?")
_PROHIBITED = re.compile("[\x00\ud800-\udfff]")  # what DRF's CharField refuses
_CENTS = Decimal(".1") ** 2
_DATETIME = serializers.DateTimeField()
_CHANNELS = frozenset(FulfillmentChannel.values)
_STATUSES = frozenset(OrderStatus.values)
_MISSING = object()
_TIMEZONE = object()  # the memo's key of the request's time zone (dates and amounts are keys too)


class _Unsure(Exception):
    """The lean path cannot vouch for a value: the serializer decides."""


def _text(value, *, max_length: int, blank: bool = False) -> str:
    if (
        type(value) is not str
        or len(value) > max_length
        or (not value and not blank)
        or value != value.strip()
        or _PROHIBITED.search(value)
    ):
        raise _Unsure
    return value


def _code(value, pattern: re.Pattern) -> str:
    """An id of fixed ASCII form (the pattern also rules out whitespace and NULs)."""
    if type(value) is not str or not pattern.fullmatch(value):
        raise _Unsure
    return value


def _datetime(value, memo: dict):
    if type(value) is not str:
        raise _Unsure
    parsed = memo.get(value)
    if parsed is None:
        memo[value] = parsed = _datetime_parse(value, memo[_TIMEZONE])
    return parsed


def _datetime_parse(value: str, tz):
    """DRF's DateTimeField (ISO 8601, converted to the current time zone); an offset-aware
    value without the per-call time zone lookup, anything else through the field itself."""
    try:
        parsed = parse_datetime(value)
        if tz is not None and parsed is not None and parsed.utcoffset() is not None:
            parsed = parsed.astimezone(tz)
        else:
            parsed = _DATETIME.to_internal_value(value)
        if not datetime_in_range(parsed):
            raise _Unsure
        return parsed
    except (ValueError, TypeError, OverflowError, serializers.ValidationError):
        raise _Unsure from None


def _optional_datetime(value, memo: dict):
    return None if value is None or value is _MISSING else _datetime(value, memo)


def _money(value, memo: dict) -> tuple[Decimal, str]:
    if type(value) is not dict:
        raise _Unsure
    amount, currency = value.get("amount"), value.get("currency", "USD")
    if type(amount) is not str or type(currency) is not str:
        raise _Unsure
    # Prices repeat across a feed's orders (a product's price): checked and converted once.
    money = memo.get((amount, currency))
    if money is None:
        if not _AMOUNT.fullmatch(amount) or currency not in CURRENCY_CODES:
            raise _Unsure
        memo[amount, currency] = money = (Decimal(amount).quantize(_CENTS), currency)
    return money


def _buyer(value) -> dict | None:
    if value is None:
        return None
    if type(value) is not dict:
        raise _Unsure
    email = _text(value.get("email", ""), max_length=254, blank=True)
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise _Unsure from None
    name = _text(value.get("name", ""), max_length=200, blank=True)
    if not is_plain_text(name):
        raise _Unsure
    return {"amazon_buyer_id": _text(value.get("amazon_buyer_id"), max_length=64), "name": name, "email": email}


def _order_in_lean(data, memo: dict) -> dict:
    """One order as ``OrderInSerializer`` validates it, or ``_Unsure``."""
    if type(data) is not dict:
        raise _Unsure
    account = data.get("seller_account")
    if type(account) is not int or account < 1:
        raise _Unsure
    channel, status = data.get("fulfillment_channel"), data.get("status", OrderStatus.UNSHIPPED)
    if type(channel) is not str or channel not in _CHANNELS or not isinstance(status, str) or status not in _STATUSES:
        raise _Unsure
    total, currency = _money(data.get("order_total"), memo)
    raw_items = data.get("items", [])
    if type(raw_items) is not list or len(raw_items) > 200:
        raise _Unsure
    items, asins = [], set()
    for raw in raw_items:
        if type(raw) is not dict:
            raise _Unsure
        asin, quantity = _code(raw.get("asin"), _ASIN), raw.get("quantity")
        if type(quantity) is not int or not 1 <= quantity <= 100_000 or asin in asins:
            raise _Unsure
        unit_price, item_currency = _money(raw.get("unit_price"), memo)
        if item_currency != currency:
            raise _Unsure
        asins.add(asin)
        items.append({"asin": asin, "quantity": quantity, "unit_price": unit_price})
    order = {
        "seller_account": account,
        "amazon_order_id": _code(data.get("amazon_order_id"), _ORDER_ID),
    }
    buyer = data.get("buyer", _MISSING)
    if buyer is not _MISSING:  # absent stays absent, as in the serializer
        order["buyer"] = _buyer(buyer)
    order.update(
        purchased_at=_datetime(data.get("purchased_at"), memo),
        fulfillment_channel=channel,
        status=status,
        order_total=total,
        items=items,
        latest_ship_date=_optional_datetime(data.get("latest_ship_date", _MISSING), memo),
        earliest_delivery_date=_optional_datetime(data.get("earliest_delivery_date", _MISSING), memo),
        latest_delivery_date=_optional_datetime(data.get("latest_delivery_date", _MISSING), memo),
        seller_account_id=account,
        currency=currency,
    )
    return order


def orders_in_validate(payload: list) -> tuple[list[dict], list[tuple[int, dict]]]:
    """Validate a list of orders as ``OrderInSerializer(many=True)`` does: the validated
    orders, or the errors of the failing ones by index. Plainly valid orders take the lean
    path; the serializer validates the rest (and words every error)."""
    memo: dict = {_TIMEZONE: _DATETIME.default_timezone()}
    orders: list = []
    unsure: list[int] = []
    for index, data in enumerate(payload):
        try:
            orders.append(_order_in_lean(data, memo))
        except _Unsure:
            orders.append(None)
            unsure.append(index)
    if not unsure:
        return orders, []
    serializer = OrderInSerializer(data=[payload[i] for i in unsure], many=True)
    if serializer.is_valid():
        for index, validated in zip(unsure, serializer.validated_data, strict=True):
            orders[index] = validated
        return orders, []
    errors = serializer.errors  # {index: errors} of the failing items only
    bad = sorted(errors.items()) if isinstance(errors, dict) else list(enumerate(errors))
    # Back to the indexes of the whole list.
    return [], [(unsure[i] if isinstance(i, int) else i, e) for i, e in bad if e]


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
    occurred_at = DateTimeField()
    # Both go into buyer messages ({{ order.carrier }}, {{ order.tracking_number }}).
    carrier = PlainTextField(max_length=100, required=False, allow_blank=True)
    tracking_number = PlainTextField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = OrderEvent
        fields = ["id", "event_id", "type", "occurred_at", "carrier", "tracking_number"]
        read_only_fields = ["id"]
        validators = []


class MessageInSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=200)
    seller_account = serializers.IntegerField(min_value=1)
    amazon_buyer_id = serializers.CharField(max_length=64)
    buyer_name = PlainTextField(max_length=200, required=False, allow_blank=True, default="")
    buyer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    amazon_order_id = serializers.CharField(
        max_length=19, required=False, allow_null=True, default=None, validators=[amazon_order_id_validator]
    )
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=50_000)
    received_at = DateTimeField()
    attachments = AttachmentInSerializer(
        many=True,
        required=False,
        default=list,
        max_length=20,
        help_text="The buyer's files; one too large or of a forbidden type is kept as refused, with the reason.",
    )


class ClaimInSerializer(serializers.Serializer):
    claim_id = serializers.CharField(max_length=64)
    amazon_order_id = serializers.CharField(max_length=19, validators=[amazon_order_id_validator])
    seller_account = serializers.IntegerField(
        min_value=1, required=False, help_text="Needed only when the order id is in several of your seller accounts."
    )
    filed_at = DateTimeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount = MoneySerializer()
    status = serializers.ChoiceField(choices=AtoZClaim.Status.choices, default=AtoZClaim.Status.OPEN)
    respond_by = DateTimeField(required=False, allow_null=True, default=None)
    buy_shipping_protected = serializers.BooleanField(required=False, default=False)


class ChargebackInSerializer(serializers.Serializer):
    chargeback_id = serializers.CharField(max_length=64)
    amazon_order_id = serializers.CharField(max_length=19, validators=[amazon_order_id_validator])
    seller_account = serializers.IntegerField(
        min_value=1, required=False, help_text="Needed only when the order id is in several of your seller accounts."
    )
    filed_at = DateTimeField()
    amount = MoneySerializer()
    status = serializers.ChoiceField(choices=Chargeback.Status.choices, default=Chargeback.Status.OPEN)
    respond_by = DateTimeField(required=False, allow_null=True, default=None)
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
            "delivery_estimated",
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
    attachments = AttachmentSerializer(many=True, read_only=True)

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
            "written_by_amazon",
            "created_at",
            "sent_at",
            "response_due_at",
            "responded_at",
            "no_response_needed",
            "attachments",
        ]


class InboundMessageResultSerializer(MessageSerializer):
    ticket_created = serializers.BooleanField(read_only=True)

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "ticket_created"]


class TicketOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "amazon_order_id", "fulfillment_channel", "status", "delivered_at", "delivery_estimated"]


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
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "merged_into": {"help_text": "Set when this ticket was merged into another (it is then closed)."}
        }

    def get_sla_state(self, ticket: Ticket) -> str:
        return ticket.sla_state()


class TicketMergeInSerializer(serializers.Serializer):
    tickets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=20,
        help_text="Ids of the duplicates to merge into this ticket (same buyer and seller account).",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="true: answer what would move (the preview) and change nothing."
    )


class TicketMergeOutSerializer(serializers.Serializer):
    ticket = TicketSerializer(help_text="The survivor, after the merge (before it, for a dry run).")
    merged = serializers.DictField(help_text="What moves: messages, unanswered messages, claims, clock, status.")


# One message for an unknown username and for a user who is not an agent of the account:
# the API must not tell whether a username exists elsewhere.
NOT_AN_AGENT = "Not an agent on this ticket's seller account."


def ticket_payload(ticket: Ticket) -> dict:
    """The ticket as webhooks carry it (same shape as the API's)."""
    return dict(TicketSerializer(ticket).data)


class TicketUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": NOT_AN_AGENT, "invalid": NOT_AN_AGENT},
        help_text="Username of an agent on the ticket's seller account; null unassigns.",
    )
    no_response_needed = serializers.BooleanField(
        required=False,
        help_text="true: Amazon's 'no response needed' (stops the clock; the next buyer message clears it).",
    )
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "true: set the status even though buyer messages are unanswered (otherwise 409 "
            "`unanswered_messages`). Amazon still counts them: the clock keeps running until a "
            "reply or `no_response_needed`."
        ),
    )

    def validate_no_response_needed(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Only true: a new buyer message clears it.")
        return value

    def validate_assignee(self, user):
        ticket = self.context["ticket"]
        if user is not None and not ticket.seller_account.agents.filter(pk=user.pk).exists():
            raise serializers.ValidationError(NOT_AN_AGENT)
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

    attachments = AttachmentInSerializer(
        many=True,
        required=False,
        default=list,
        max_length=5,
        help_text="Files sent with the reply (up to 5, 10 MB each; images, PDF, text, office documents). "
        "Or send the reply as multipart/form-data with the files in `attachments`.",
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


class DoubtSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset into body: body[start:end] is what the guard doubts.")
    end = serializers.IntegerField()


class HeldMessageSerializer(serializers.ModelSerializer):
    """A message the guard was unsure about, as the reply's 202, the held-message endpoints
    and the ``message.held`` webhook show it."""

    author = serializers.CharField(source="actor_label", help_text="Who wrote it: a username or an API key's label.")
    doubts = DoubtSerializer(many=True, help_text="Where the guard is unsure, the reason it is held.")
    action = serializers.CharField(source="reply_action", help_text="The CSM action recorded on approval, if any.")
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = HeldMessage
        fields = [
            "id",
            "status",
            "seller_account",
            "ticket",
            "purpose",
            "body",
            "doubts",
            "status_after",
            "action",
            "author",
            "channel",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "outbound",
        ]
        extra_kwargs = {
            "status": {"help_text": "held: waiting for a manager; approved: sent (see outbound); rejected: not sent."},
            "status_after": {"help_text": "The ticket's status to set when the message is approved."},
            "outbound": {"help_text": "The outbox row the approval wrote (null until approved)."},
        }


def held_message_payload(held: HeldMessage) -> dict:
    """The held message as the ``message.held`` webhook carries it (the API's shape)."""
    return dict(HeldMessageSerializer(held).data)


class NoteInSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000)
