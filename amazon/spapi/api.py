"""Message via Amazon in the REST API: the types Amazon allows for a ticket's order, and
sending one (the same service as the desk: the type's limits, the guard, the outbox).

``GET /tickets/{id}/amazon-actions/`` (read scope) asks Amazon; ``POST
/tickets/{id}/amazon-actions/{action}/`` (agent scope) asks again and queues. Tickets are
fetched through the permission gate: a foreign ticket is a 404."""

import base64
import binascii

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import request_actor
from api.schema import WRITE_ERRORS, errors
from tickets.api.serializers import OutboundSerializer
from tickets.api.tickets import tickets_for_api
from tickets.attachments import MESSAGING_API, AttachmentIn
from tickets.models import Ticket
from tickets.outbound.amazon_actions import (
    AMAZON_ACTIONS,
    AmazonActionInvalid,
    amazon_action_proposal,
    amazon_actions_offered,
)

from .messaging import MessagingUnavailable, amazon_message_send, messaging_options


class AmazonActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="Amazon's name for the message type.")
    label = serializers.CharField()
    help = serializers.CharField()
    text_max_length = serializers.IntegerField(allow_null=True, help_text="null: the type takes no text.")
    attachments_min = serializers.IntegerField()
    attachments_max = serializers.IntegerField()
    coverage_dates = serializers.BooleanField(help_text="The type needs coverage_start_date and coverage_end_date.")
    proposed_text = serializers.CharField(help_text="A template in the buyer's language, rendered; empty if none.")
    template = serializers.CharField(allow_null=True)


class AmazonActionsSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    amazon_order_id = serializers.CharField()
    buyer_locale = serializers.CharField(help_text="GetAttributes → buyer.locale (the buyer's language).")
    actions = AmazonActionSerializer(many=True)


class AmazonActionAttachmentSerializer(serializers.Serializer):
    file_name = serializers.CharField(max_length=200)
    content_type = serializers.CharField(max_length=100, default="application/pdf")
    content_base64 = serializers.CharField(help_text="The file, base64-encoded (at most 10 MB decoded).")

    def validate_content_base64(self, value: str) -> bytes:
        # Base64 of 10 MB is under 14 MB; the API's body limit comes first anyway.
        if len(value) > MESSAGING_API.max_bytes * 4 // 3 + 4:
            raise serializers.ValidationError("At most 10 MB.")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64.") from None


class AmazonActionInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    attachments = AmazonActionAttachmentSerializer(many=True, required=False, default=list, max_length=10)
    coverage_start_date = serializers.DateTimeField(required=False, allow_null=True, default=None)
    coverage_end_date = serializers.DateTimeField(required=False, allow_null=True, default=None)


def _ticket(request: Request, pk: int) -> Ticket:
    queryset = tickets_for_api(request.user).select_related("seller_account", "order__buyer", "buyer")
    return get_object_or_404(queryset, pk=pk)


def _unavailable(exc: MessagingUnavailable) -> Response:
    """Amazon could not be asked: 409 the account is not connected, 429 Amazon's rate limit
    (``Retry-After``), 503 Amazon or the network failed."""
    code = {
        MessagingUnavailable.NOT_CONNECTED: status.HTTP_409_CONFLICT,
        MessagingUnavailable.THROTTLED: status.HTTP_429_TOO_MANY_REQUESTS,
    }.get(exc.kind, status.HTTP_503_SERVICE_UNAVAILABLE)
    response = Response({"detail": exc.message}, status=code)
    if exc.retry_after:
        response["Retry-After"] = str(max(1, round(exc.retry_after)))
    return response


class AmazonActionsView(APIView):
    @extend_schema(
        summary="The Messaging API types Amazon allows for the ticket's order now",
        description="Asks Amazon (getMessagingActionsForOrder, GetAttributes). 409: no order, or the account "
        "is not connected to Amazon; 429: Amazon's rate limit (Retry-After); 503: Amazon did not answer.",
        responses={200: AmazonActionsSerializer, **errors(404, 409, 503)},
    )
    def get(self, request: Request, pk: int) -> Response:
        ticket = _ticket(request, pk)
        if ticket.order_id is None:
            return Response({"detail": "This ticket has no order."}, status=status.HTTP_409_CONFLICT)
        try:
            options = messaging_options(ticket=ticket)
        except MessagingUnavailable as exc:
            return _unavailable(exc)
        actions = []
        for action in amazon_actions_offered(offered=options.actions):
            text, template = amazon_action_proposal(ticket=ticket, action=action, locale=options.locale)
            actions.append(
                {
                    "action": action.name,
                    "label": action.label,
                    "help": action.help,
                    "text_max_length": action.text_max,
                    "attachments_min": action.attachments_min,
                    "attachments_max": action.attachments_max,
                    "coverage_dates": action.coverage_dates,
                    "proposed_text": text,
                    "template": template.slug if template else None,
                }
            )
        payload = {
            "ticket": ticket.pk,
            "amazon_order_id": options.amazon_order_id,
            "buyer_locale": options.locale,
            "actions": actions,
        }
        return Response(AmazonActionsSerializer(payload).data)


class AmazonActionSendView(APIView):
    @extend_schema(
        summary="Send one Messaging API type on the ticket's order (checked by the compliance guard)",
        description=(
            "Amazon is asked again which types the order allows: 409 when it no longer allows this one (or the "
            "account is not connected); 429 Amazon's rate limit (Retry-After); 503 Amazon did not answer. "
            "400: outside the type's limits (text length, attachments, coverage dates). 422: the guard refused. "
            "201: queued (where the guard is only unsure it refuses too: 422); the outbox delivers it "
            "(attachments through the Uploads API) and shows Amazon's reason if Amazon refuses it."
        ),
        request=AmazonActionInSerializer,
        responses={201: OutboundSerializer, **errors(*WRITE_ERRORS, 404, 409, 422, 503)},
        examples=[
            OpenApiExample(
                "An unexpected problem",
                request_only=True,
                value={"text": "Order 113-0000000-0000001: the carrier lost the parcel; a new one ships today."},
            ),
            OpenApiExample(
                "A warranty",
                request_only=True,
                value={
                    "attachments": [{"file_name": "warranty.pdf", "content_base64": "JVBERi0xLjQK"}],
                    "coverage_start_date": "2026-06-15T00:00:00Z",
                    "coverage_end_date": "2028-06-15T00:00:00Z",
                },
            ),
        ],
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        ticket = _ticket(request, pk)
        if action not in AMAZON_ACTIONS:
            return Response({"detail": f"No Amazon message type {action!r}."}, status=status.HTTP_404_NOT_FOUND)
        serializer = AmazonActionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachments = [
            AttachmentIn(name=a["file_name"], content_type=a["content_type"], content=a["content_base64"])
            for a in data["attachments"]
        ]
        try:
            outbound = amazon_message_send(
                ticket=ticket,
                action_name=action,
                text=data["text"],
                attachments=attachments,
                coverage=(data["coverage_start_date"], data["coverage_end_date"]),
                actor=request_actor(request),
                channel="api",
            )
        except MessagingUnavailable as exc:
            return _unavailable(exc)
        except AmazonActionInvalid as exc:
            code = status.HTTP_409_CONFLICT if exc.not_offered else status.HTTP_400_BAD_REQUEST
            return Response(exc.errors, status=code)
        return Response(OutboundSerializer(outbound).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("tickets/<int:pk>/amazon-actions/", AmazonActionsView.as_view(), name="ticket-amazon-actions"),
    path(
        "tickets/<int:pk>/amazon-actions/<str:action>/",
        AmazonActionSendView.as_view(),
        name="ticket-amazon-action",
    ),
]
