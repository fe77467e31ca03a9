"""Work: tickets (list, detail, update), replies through the one outbound path, internal
notes, and read-only lists of what was ingested. Everything is fetched through the
permission gate (``tickets.access``): foreign ids answer 404."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import request_actor
from api.pagination import IdCursorPagination, SlaCursorPagination
from api.parsers import LimitedJSONParser
from api.schema import WRITE_ERRORS, errors

from ..access import (
    attachments_visible_to,
    held_messages_visible_to,
    orders_visible_to,
    seller_accounts_visible_to,
    tickets_visible_to,
)
from ..attachments import AttachmentIn, AttachmentRefused
from ..macros import macro_apply
from ..merge import MergeRefused, ticket_merge, ticket_merge_preview
from ..models import AtoZClaim, Chargeback, Message, OrderItem, Ticket
from ..outbound.services import MessageHeld, message_send
from ..outbound.templating import message_context, template_render
from ..selectors import message_template_get
from ..services import InvalidAssignment, ticket_note_add, ticket_update
from ..views.attachments import attachment_response
from .filters import ChargebackFilter, ClaimFilter, HeldMessageFilter, MessageFilter, OrderFilter, TicketFilter
from .references import SELLER_ACCOUNT_PICK, order_from_path
from .serializers import (
    ChargebackSerializer,
    ClaimSerializer,
    HeldMessageSerializer,
    MessageSerializer,
    NoteInSerializer,
    OrderSerializer,
    OutboundSerializer,
    ReplyInSerializer,
    SellerAccountSerializer,
    TicketMergeInSerializer,
    TicketMergeOutSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)


def tickets_for_api(principal):
    return tickets_visible_to(principal).select_related("buyer", "order", "assignee")


class TicketListView(generics.ListAPIView):
    """Tickets, soonest SLA deadline first (tickets without a running clock last)."""

    serializer_class = TicketSerializer
    filterset_class = TicketFilter
    pagination_class = SlaCursorPagination

    def get_queryset(self):
        return tickets_for_api(self.request.user)

    @extend_schema(summary="List tickets", responses={200: TicketSerializer(many=True), **errors(400, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class TicketDetailView(APIView):
    def _ticket(self, request: Request, pk: int) -> Ticket:
        return get_object_or_404(tickets_for_api(request.user).select_related("seller_account"), pk=pk)

    @extend_schema(summary="Read a ticket", responses={200: TicketSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(TicketSerializer(self._ticket(request, pk)).data)

    @extend_schema(
        summary="Update a ticket's status, priority, assignee or no_response_needed",
        request=TicketUpdateSerializer,
        responses={200: TicketSerializer, **errors(*WRITE_ERRORS, 404, 409)},
        examples=[OpenApiExample("Solve it", request_only=True, value={"status": "solved", "priority": 2})],
    )
    def patch(self, request: Request, pk: int) -> Response:
        ticket = self._ticket(request, pk)
        serializer = TicketUpdateSerializer(data=request.data, context={"ticket": ticket})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = request_actor(request)
        ticket = ticket_update(
            ticket=ticket,
            actor=actor,
            status=data.get("status"),
            priority=data.get("priority"),
            assignee=data.get("assignee"),
            unassign="assignee" in data and data["assignee"] is None,
            no_response_needed=data.get("no_response_needed", False),
            force=data["force"],
        )
        return Response(TicketSerializer(ticket).data)


class TicketReplyView(APIView):
    # JSON (files in base64) or multipart/form-data (files as uploads named ``attachments``).
    parser_classes = [LimitedJSONParser, MultiPartParser]

    @extend_schema(
        summary="Reply to the buyer (checked by the compliance guard)",
        request=ReplyInSerializer,
        description=(
            "A `template` that is a macro (it sets status, priority, kind or assignee, or adds an internal note) "
            "applies all of it with the reply, as one action audited as `macro.applied`. "
            "201: allowed and queued for delivery. 202: the guard was unsure (`doubts`): the reply is held, "
            "not sent, until a manager approves or rejects it in the desk or the admin; follow it at "
            "`GET /held-messages/{id}/`. 422: refused (`violations`)."
        ),
        responses={201: OutboundSerializer, 202: HeldMessageSerializer, **errors(*WRITE_ERRORS, 404, 422)},
        examples=[
            OpenApiExample(
                "A reply",
                request_only=True,
                value={"body": "Sorry for the wait — your parcel is out for delivery today."},
            ),
            OpenApiExample(
                "A template",
                request_only=True,
                value={"template": "quick_start_guide", "context": {"buyer.name": "Jordan"}},
            ),
            OpenApiExample(
                "Held for a manager's approval",
                response_only=True,
                status_codes=["202"],
                value={
                    "id": 7,
                    "status": "held",
                    "seller_account": 1,
                    "ticket": 42,
                    "purpose": "reply",
                    "body": "We can offer a lifetime guarantee on the new reservoir.",
                    "doubts": [
                        {
                            "rule": "approval_phrase",
                            "message": "This phrase is on the account's list of phrases that need a manager's "
                            "approval. (“lifetime guarantee”)",
                            "start": 13,
                            "end": 31,
                        }
                    ],
                    "status_after": "",
                    "action": "",
                    "author": "api-key:ab12cd",
                    "channel": "api",
                    "created_at": "2026-11-26T09:00:00Z",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_reason": "",
                    "outbound": None,
                },
            ),
            OpenApiExample(
                "A refusal",
                response_only=True,
                status_codes=["422"],
                value={
                    "detail": "The compliance guard refused the message.",
                    "allowed": False,
                    "violations": [
                        {
                            "rule": "review_change_request",
                            "message": "Asks the buyer to change a review.",
                            "start": 0,
                            "end": 27,
                        }
                    ],
                },
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = get_object_or_404(
            tickets_for_api(request.user).select_related("seller_account", "order__buyer"), pk=pk
        )
        uploads = request.FILES.getlist("attachments") if request.FILES else []
        if uploads:
            fields = {k: request.data.get(k) for k in ("body", "template") if request.data.get(k)}
            serializer = ReplyInSerializer(data=fields)
        else:
            serializer = ReplyInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        files = [*data.get("attachments", []), *(_uploaded(upload) for upload in uploads)]
        template = None
        body = data.get("body", "")
        if data.get("template"):
            template = message_template_get(seller_account=ticket.seller_account, slug=data["template"])
            if template is None:
                return Response({"template": ["No active template with this slug."]}, status=400)
            context = message_context(ticket=ticket, agent=request.user if not _is_key(request) else None)
            for dotted, value in data["context"].items():
                head, field = dotted.split(".", 1)
                context.setdefault(head, {})[field] = value
            body = template_render(body=template.body, context=context)
        try:
            if template is not None and template.is_macro:
                # The template is a macro: the reply and its ticket changes are one action.
                outbound = macro_apply(
                    ticket=ticket,
                    template=template,
                    body=body,
                    actor=request_actor(request),
                    channel="api",
                    attachments=files,
                )
            else:
                outbound = message_send(
                    body=body,
                    actor=request_actor(request),
                    channel="api",
                    ticket=ticket,
                    template=template,
                    purpose=template.purpose if template else "reply",
                    attachments=files,
                )
        except InvalidAssignment as exc:
            return Response({"template": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        except AttachmentRefused as refused:
            return Response({"attachments": [str(refused)]}, status=status.HTTP_400_BAD_REQUEST)
        except MessageHeld as held:
            # Accepted, not sent: the HeldMessage row commits with the request.
            return Response(HeldMessageSerializer(held.held).data, status=status.HTTP_202_ACCEPTED)
        return Response(OutboundSerializer(outbound).data, status=status.HTTP_201_CREATED)


def _uploaded(upload) -> AttachmentIn:
    """An uploaded file's bytes, read up to one byte past the limit (the rules refuse it)."""
    content = upload.read(settings.ATTACHMENT_MAX_BYTES + 1)
    return AttachmentIn(name=upload.name or "", content_type=upload.content_type or "", content=content)


class AttachmentDownloadView(APIView):
    """A message's file, for callers who see its ticket (404 otherwise)."""

    @extend_schema(summary="Download a message's file", responses={(200, "*/*"): bytes, **errors(404)})
    def get(self, request: Request, pk: int):
        return attachment_response(get_object_or_404(attachments_visible_to(request.user), pk=pk))


def _is_key(request: Request) -> bool:
    return getattr(request.user, "is_api_key", False)


class TicketNoteView(APIView):
    @extend_schema(
        summary="Add an internal note (never sent to the buyer)",
        request=NoteInSerializer,
        responses={201: MessageSerializer, **errors(*WRITE_ERRORS, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket = get_object_or_404(tickets_for_api(request.user), pk=pk)
        serializer = NoteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = ticket_note_add(ticket=ticket, body=serializer.validated_data["body"], actor=request_actor(request))
        return Response(MessageSerializer(note).data, status=status.HTTP_201_CREATED)


class TicketMergeView(APIView):
    @extend_schema(
        summary="Merge duplicate tickets of the same buyer into this one (preview with dry_run)",
        description=(
            "The duplicates' messages, held replies, outbox rows, claims and chargebacks move to this ticket; "
            "its SLA clock is set again from its unanswered buyer messages; each duplicate is closed with "
            "`merged_into` set; the account's `ticket.merged` webhooks are told. Duplicates must be the same "
            "buyer's on the same seller account, about the same order or none (400 otherwise); a ticket "
            "already merged answers 409. `dry_run: true` answers what would move and changes nothing."
        ),
        request=TicketMergeInSerializer,
        responses={200: TicketMergeOutSerializer, **errors(*WRITE_ERRORS, 404, 409)},
        examples=[OpenApiExample("Merge two duplicates", request_only=True, value={"tickets": [43, 51]})],
    )
    def post(self, request: Request, pk: int) -> Response:
        visible = tickets_for_api(request.user).select_related("seller_account")
        survivor = get_object_or_404(visible, pk=pk)
        serializer = TicketMergeInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wanted = set(data["tickets"])
        duplicates = list(visible.filter(pk__in=wanted).order_by("pk"))
        if len(duplicates) != len(wanted):
            # Unknown and foreign ids read the same: the key must not learn which exist.
            missing = sorted(wanted - {d.pk for d in duplicates})
            return Response({"detail": f"No such ticket: {', '.join(map(str, missing))}."}, status=404)
        try:
            if data["dry_run"]:
                moved = ticket_merge_preview(survivor=survivor, duplicates=duplicates)
            else:
                moved = ticket_merge(survivor=survivor, duplicates=duplicates, actor=request_actor(request))
                survivor.refresh_from_db()
        except MergeRefused as refused:
            return Response({"tickets": [str(refused)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"ticket": TicketSerializer(survivor).data, "merged": moved.as_dict()})


def held_messages_for_api(principal):
    return held_messages_visible_to(principal).select_related("decided_by")


class HeldMessageListView(generics.ListAPIView):
    """Messages the guard held for a manager's approval, newest first: the held, approved
    and rejected ones of the caller's seller accounts. Read-only: only a manager decides,
    in the desk or the admin — never an API key (a key is not a person, and an agent-scope
    key could approve the replies it wrote itself)."""

    serializer_class = HeldMessageSerializer
    filterset_class = HeldMessageFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return held_messages_for_api(self.request.user)

    @extend_schema(
        summary="List held messages (waiting for, or decided by, a manager)",
        responses={200: HeldMessageSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class HeldMessageDetailView(APIView):
    @extend_schema(
        summary="Read a held message: held, approved (with its outbox row) or rejected",
        responses={200: HeldMessageSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        held = get_object_or_404(held_messages_for_api(request.user), pk=pk)
        return Response(HeldMessageSerializer(held).data)


def orders_for_api(principal):
    return (
        orders_visible_to(principal)
        .select_related("buyer")
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.select_related("product").order_by("pk")))
    )


class OrderListView(generics.ListAPIView):
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return orders_for_api(self.request.user)

    @extend_schema(
        summary="List orders (newest first)", responses={200: OrderSerializer(many=True), **errors(400, 404)}
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class OrderDetailView(APIView):
    @extend_schema(
        summary="Read an order by its Amazon id",
        parameters=[SELLER_ACCOUNT_PICK],
        responses={200: OrderSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, amazon_order_id: str) -> Response:
        order = order_from_path(request, amazon_order_id, orders=orders_for_api(request.user))
        return Response(OrderSerializer(order).data)


class MessageListView(generics.ListAPIView):
    serializer_class = MessageSerializer
    filterset_class = MessageFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return (
            Message.objects.filter(ticket__in=tickets_visible_to(self.request.user))
            .select_related("author")
            .prefetch_related("attachments")
        )

    @extend_schema(summary="List messages", responses={200: MessageSerializer(many=True), **errors(400, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ClaimListView(generics.ListAPIView):
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        accounts = seller_accounts_visible_to(self.request.user)
        return AtoZClaim.objects.filter(seller_account__in=accounts).select_related("order")

    @extend_schema(summary="List A-to-z claims", responses={200: ClaimSerializer(many=True), **errors(400, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ChargebackListView(generics.ListAPIView):
    serializer_class = ChargebackSerializer
    filterset_class = ChargebackFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        accounts = seller_accounts_visible_to(self.request.user)
        return Chargeback.objects.filter(seller_account__in=accounts).select_related("order")

    @extend_schema(summary="List chargebacks", responses={200: ChargebackSerializer(many=True), **errors(400, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class SellerAccountListView(generics.ListAPIView):
    serializer_class = SellerAccountSerializer
    pagination_class = IdCursorPagination
    filter_backends = []

    def get_queryset(self):
        return seller_accounts_visible_to(self.request.user)

    @extend_schema(
        summary="List the seller accounts the caller can reach",
        responses={200: SellerAccountSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
