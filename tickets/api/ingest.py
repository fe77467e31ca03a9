"""Ingest: idempotent upserts of Amazon data keyed by Amazon's ids (201 created, 200
updated or unchanged). Thin: validate, scope to the caller's seller accounts, call a
service, serialize."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import request_actor
from api.schema import WRITE_ERRORS, errors

from ..access import seller_accounts_visible_to
from ..intake.claims import a_to_z_claim_record, chargeback_record
from ..intake.messages import inbound_message_receive
from ..intake.orders import (
    OrderKey,
    StoredOrder,
    order_event_record,
    orders_stored,
    orders_upsert,
    product_upsert,
    seller_account_upsert,
)
from ..models import SellerAccount
from ..models.accounts import asin_validator
from ..services import buyer_upsert
from .references import SELLER_ACCOUNT_PICK, order_from_body, order_from_path, seller_account_from_body
from .serializers import (
    MAX_ORDERS_PER_REQUEST,
    ChargebackInSerializer,
    ChargebackSerializer,
    ClaimInSerializer,
    ClaimSerializer,
    InboundMessageResultSerializer,
    MessageInSerializer,
    OrderBulkResultSerializer,
    OrderEventInSerializer,
    OrderInSerializer,
    OrderSerializer,
    ProductSerializer,
    SellerAccountSerializer,
    orders_in_validate,
)
from .tickets import orders_for_api


def _created_status(created: bool) -> int:
    return status.HTTP_201_CREATED if created else status.HTTP_200_OK


class IngestView(APIView):
    write_scope = "ingest"


class SellerAccountIngestView(IngestView):
    @extend_schema(
        summary="Create or update a seller account",
        request=SellerAccountSerializer,
        responses={201: SellerAccountSerializer, 200: SellerAccountSerializer, **errors(*WRITE_ERRORS, 404)},
        examples=[
            OpenApiExample(
                "Espresso Co. on amazon.com",
                request_only=True,
                value={"name": "Espresso Co.", "merchant_id": "A1B2C3D4E5F6G7", "marketplace_id": "ATVPDKIKX0DER"},
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = SellerAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existing = SellerAccount.objects.filter(
            marketplace_id=data["marketplace_id"], merchant_id=data["merchant_id"]
        ).first()
        if existing is not None and not seller_accounts_visible_to(request.user).filter(pk=existing.pk).exists():
            return Response({"detail": "No such seller account among yours."}, status=status.HTTP_404_NOT_FOUND)
        is_key = getattr(request.user, "is_api_key", False)
        if existing is None and not (is_key or request.user.has_perm("tickets.add_selleraccount")):
            return Response(
                {"detail": "Only managers and API keys register seller accounts."}, status=status.HTTP_403_FORBIDDEN
            )
        account, created = seller_account_upsert(**data)
        if created and is_key:
            # The key that registered the account is the one that feeds it.
            request.user.seller_accounts.add(account)
        return Response(SellerAccountSerializer(account).data, status=_created_status(created))


class ProductIngestView(IngestView):
    @extend_schema(
        summary="Create or update a product (by seller account and ASIN)",
        parameters=[OpenApiParameter("seller_account", int, required=True, description="The seller account's id.")],
        request=ProductSerializer,
        responses={201: ProductSerializer, 200: ProductSerializer, **errors(*WRITE_ERRORS, 404)},
        examples=[
            OpenApiExample(
                "An espresso machine",
                request_only=True,
                value={
                    "sku": "ESP-100",
                    "title": "Programmable Espresso Machine",
                    "category": "Kitchen",
                    "guide_url": "https://guides.example.com/esp-100.pdf",
                },
            )
        ],
    )
    def put(self, request: Request, asin: str) -> Response:
        try:
            account_id = int(request.query_params.get("seller_account", ""))
        except ValueError:
            raise ValidationError(
                {"seller_account": ["A seller account id is required (?seller_account=ID)."]}
            ) from None
        account = get_object_or_404(seller_accounts_visible_to(request.user), pk=account_id)
        try:
            asin_validator(asin)
        except DjangoValidationError as exc:
            raise ValidationError({"asin": exc.messages}) from None
        serializer = ProductSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product, created = product_upsert(seller_account=account, asin=asin, values=serializer.validated_data)
        return Response(ProductSerializer(product).data, status=_created_status(created))


OrderUpsertRequest = PolymorphicProxySerializer(
    component_name="OrderUpsertRequest",
    serializers=[OrderInSerializer, OrderInSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
OrderUpsertResponse = PolymorphicProxySerializer(
    component_name="OrderUpsertResponse",
    serializers=[OrderSerializer, OrderBulkResultSerializer],
    resource_type_field_name=None,
    many=False,
)

ORDER_EXAMPLE = {
    "seller_account": 1,
    "amazon_order_id": "113-4567890-1234567",
    "buyer": {"amazon_buyer_id": "AMZBUYER000123", "name": "Jordan Lee", "email": "x7k2@marketplace.amazon.com"},
    "purchased_at": "2026-11-20T14:03:00Z",
    "fulfillment_channel": "FBM",
    "status": "shipped",
    "order_total": {"amount": "299.99", "currency": "USD"},
    "items": [{"asin": "B0ESPRESS1", "quantity": 1, "unit_price": {"amount": "299.99", "currency": "USD"}}],
    "latest_ship_date": "2026-11-22T23:59:59Z",
    "latest_delivery_date": "2026-11-27T23:59:59Z",
}


class OrderIngestView(IngestView):
    @extend_schema(
        summary="Create or update orders: one order, or a list of up to 1,000 (all or nothing)",
        request=OrderUpsertRequest,
        responses={201: OrderUpsertResponse, 200: OrderUpsertResponse, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample("One order", request_only=True, value=ORDER_EXAMPLE),
            OpenApiExample(
                "A bulk answer",
                response_only=True,
                status_codes=["201"],
                value={
                    "created": 1,
                    "updated": 1,
                    "results": [
                        {"index": 0, "id": 41, "amazon_order_id": "113-4567890-1234567", "status": 200},
                        {"index": 1, "id": 42, "amazon_order_id": "113-4567890-1234568", "status": 201},
                    ],
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        many = isinstance(request.data, list)
        payload = request.data if many else [request.data]
        if not payload:
            raise ValidationError({"non_field_errors": ["Send at least one order."]})
        if len(payload) > MAX_ORDERS_PER_REQUEST:
            raise ValidationError({"non_field_errors": [f"At most {MAX_ORDERS_PER_REQUEST:,} orders per request."]})
        orders, stored = self._validated(request, payload, many=many)
        results = orders_upsert(orders=orders, stored=stored)
        if not many:
            order = orders_for_api(request.user).get(pk=results[0].order_id)
            return Response(OrderSerializer(order).data, status=_created_status(results[0].created))
        created = sum(r.created for r in results)
        body = {
            "created": created,
            "updated": len(results) - created,
            "results": [
                {
                    "index": i,
                    "id": r.order_id,
                    "amazon_order_id": r.amazon_order_id,
                    "status": _created_status(r.created),
                }
                for i, r in enumerate(results)
            ],
        }
        return Response(body, status=_created_status(created > 0))

    def _validated(
        self, request: Request, payload: list, *, many: bool
    ) -> tuple[list[dict], dict[OrderKey, StoredOrder]]:
        """Validate every order; the first errors name their index (all or nothing). With the
        orders, those of them already stored (read once, for the checks and the upsert)."""
        orders, bad = orders_in_validate(payload)
        stored: dict[OrderKey, StoredOrder] = {}
        if not bad:
            bad, stored = self._reference_errors(request, orders)
        if bad:
            if not many:
                raise ValidationError(bad[0][1])
            error = ValidationError()
            # Set after construction: DRF would turn the integer indexes into strings.
            error.detail = {"orders": [{"index": i, "errors": e} for i, e in bad[:20]]}
            raise error
        return orders, stored

    def _reference_errors(self, request: Request, orders: list[dict]) -> tuple[list, dict[OrderKey, StoredOrder]]:
        """Set-based checks across the list: the caller's accounts, ids named twice (and the
        orders already stored)."""
        visible = set(
            seller_accounts_visible_to(request.user)
            .filter(pk__in={o["seller_account_id"] for o in orders})
            .values_list("pk", flat=True)
        )
        bad, seen = [], set()
        for index, order in enumerate(orders):
            key = (order["seller_account_id"], order["amazon_order_id"])
            if key[0] not in visible:
                bad.append((index, {"seller_account": ["No such seller account among yours."]}))
            elif key in seen:
                bad.append((index, {"amazon_order_id": ["This order appears twice in the request."]}))
            seen.add(key)
        # Read only within the caller's own accounts: an id another account holds is not
        # looked at, so it can neither be revealed nor moved.
        stored = {} if bad else orders_stored(keys=seen)
        return bad, stored


class OrderEventIngestView(IngestView):
    @extend_schema(
        summary="Record an order event (shipped, delivered, returned, refunded, cancelled)",
        parameters=[SELLER_ACCOUNT_PICK],
        request=OrderEventInSerializer,
        responses={201: OrderEventInSerializer, 200: OrderEventInSerializer, **errors(*WRITE_ERRORS, 404)},
        examples=[
            OpenApiExample(
                "Delivered",
                request_only=True,
                value={"event_id": "evt-8812", "type": "delivered", "occurred_at": "2026-11-25T16:40:00Z"},
            )
        ],
    )
    def post(self, request: Request, amazon_order_id: str) -> Response:
        order = order_from_path(request, amazon_order_id)
        serializer = OrderEventInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event, created = order_event_record(
            order=order, source="api", actor=request_actor(request), **serializer.validated_data
        )
        return Response(OrderEventInSerializer(event).data, status=_created_status(created))


class MessageIngestView(IngestView):
    @extend_schema(
        summary="Receive a buyer message: opens or appends to a ticket and starts the SLA clock",
        request=MessageInSerializer,
        responses={
            201: InboundMessageResultSerializer,
            200: InboundMessageResultSerializer,
            **errors(*WRITE_ERRORS),
        },
        examples=[
            OpenApiExample(
                "Where is my package?",
                request_only=True,
                value={
                    "external_id": "amzn-msg-0001",
                    "seller_account": 1,
                    "amazon_buyer_id": "AMZBUYER000123",
                    "amazon_order_id": "113-4567890-1234567",
                    "subject": "Where is my order?",
                    "body": "Hi, my espresso machine has not arrived yet. Can you check?",
                    "received_at": "2026-11-26T08:15:00Z",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = MessageInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = seller_account_from_body(request, data["seller_account"])
        order = None
        if data["amazon_order_id"]:
            order = order_from_body(request, data["amazon_order_id"], seller_account_id=account.pk)
        buyer, _ = buyer_upsert(
            seller_account=account,
            amazon_buyer_id=data["amazon_buyer_id"],
            name=data["buyer_name"],
            email=data["buyer_email"],
        )
        receipt = inbound_message_receive(
            seller_account=account,
            buyer=buyer,
            order=order,
            external_id=data["external_id"],
            subject=data["subject"],
            body=data["body"],
            received_at=data["received_at"],
            attachments=data["attachments"],
            actor=request_actor(request),
        )
        body = InboundMessageResultSerializer(receipt.message, context={"request": request}).data
        return Response({**body, "ticket_created": receipt.ticket_created}, status=_created_status(receipt.created))


class ClaimIngestView(IngestView):
    @extend_schema(
        summary="Create or update an A-to-z Guarantee claim (by claim_id)",
        request=ClaimInSerializer,
        responses={201: ClaimSerializer, 200: ClaimSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Item not received",
                request_only=True,
                value={
                    "claim_id": "AZ-00001234",
                    "amazon_order_id": "113-4567890-1234567",
                    "filed_at": "2026-11-26T09:00:00Z",
                    "reason": "Item not received",
                    "amount": {"amount": "299.99", "currency": "USD"},
                    "status": "action_required",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = ClaimInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        order = order_from_body(
            request, data.pop("amazon_order_id"), seller_account_id=data.pop("seller_account", None)
        )
        claim_id, money = data.pop("claim_id"), data.pop("amount")
        claim, created = a_to_z_claim_record(
            claim_id=claim_id,
            order=order,
            values={**data, "amount": money["amount"], "currency": money["currency"]},
            actor=request_actor(request),
        )
        return Response(ClaimSerializer(claim).data, status=_created_status(created))


class ChargebackIngestView(IngestView):
    @extend_schema(
        summary="Create or update a chargeback (by chargeback_id)",
        request=ChargebackInSerializer,
        responses={201: ChargebackSerializer, 200: ChargebackSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        serializer = ChargebackInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        order = order_from_body(
            request, data.pop("amazon_order_id"), seller_account_id=data.pop("seller_account", None)
        )
        chargeback_id, money = data.pop("chargeback_id"), data.pop("amount")
        chargeback, created = chargeback_record(
            chargeback_id=chargeback_id,
            order=order,
            values={**data, "amount": money["amount"], "currency": money["currency"]},
            actor=request_actor(request),
        )
        return Response(ChargebackSerializer(chargeback).data, status=_created_status(created))
