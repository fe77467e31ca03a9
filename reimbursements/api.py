"""REST adapters for the reimbursement cases (``/api/v1/reimbursement-cases/``).

Thin: fetch through the permission gate (``tickets.access``: a foreign case is a 404),
validate, call ``reimbursement_case_update``, serialize. Reads need the ``read`` scope,
changes the ``agent`` scope (an integration that files claims acts as an agent)."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import request_actor
from api.schema import WRITE_ERRORS, errors
from tickets.api.serializers import MoneySerializer

from .models import CaseRule, CaseStatus
from .selectors import case_claim_text, case_payload, reimbursement_queue
from .services import UNSET, reimbursement_case_update


class ReimbursementCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seller_account = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=CaseRule.choices)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    amazon_order_id = serializers.CharField()
    sku = serializers.CharField()
    fnsku = serializers.CharField()
    asin = serializers.CharField()
    quantity = serializers.IntegerField()
    reimbursed_quantity = serializers.IntegerField()
    reimbursed = MoneySerializer()
    estimated_value = MoneySerializer(allow_null=True)
    event_at = serializers.DateTimeField()
    claimable_from = serializers.DateTimeField()
    claim_deadline = serializers.DateTimeField(allow_null=True)
    sla = serializers.CharField()
    amazon_case_id = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    claim_text = serializers.CharField()

    def to_representation(self, case):
        return {
            **case_payload(case),
            "sla": case.sla_state(),
            "assignee": case.assignee.get_username() if case.assignee else None,
            "claim_text": case_claim_text(case),
        }


class ReimbursementCaseUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[CaseStatus.READY, CaseStatus.FILED, CaseStatus.PAID, CaseStatus.DENIED, CaseStatus.CLOSED],
        required=False,
    )
    amazon_case_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    assignee = serializers.CharField(max_length=150, required=False, allow_null=True, help_text="A username.")


class CasePagination(CursorPagination):
    ordering = ("sla_due_at", "id")
    page_size = 50


class ReimbursementCaseListView(ListAPIView):
    """The caller's FBA reimbursement cases, the nearest claim deadline first."""

    serializer_class = ReimbursementCaseSerializer
    pagination_class = CasePagination
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", *CaseStatus.values], description="Default: open"),
            OpenApiParameter("rule", str, enum=CaseRule.values),
            OpenApiParameter("seller_account", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "open")
        if status not in ("open", *CaseStatus.values):
            raise serializers.ValidationError({"status": [f"One of open, {', '.join(CaseStatus.values)}."]})
        cases = reimbursement_queue(user=self.request.user, status=status)
        if params.get("rule"):
            if params["rule"] not in CaseRule.values:
                raise serializers.ValidationError({"rule": [f"One of {', '.join(CaseRule.values)}."]})
            cases = cases.filter(rule=params["rule"])
        if params.get("seller_account"):
            if not params["seller_account"].isdigit():
                raise serializers.ValidationError({"seller_account": ["A seller account id."]})
            cases = cases.filter(seller_account_id=int(params["seller_account"]))
        return cases.order_by("sla_due_at", "id")


class ReimbursementCaseDetailView(APIView):
    """One case; PATCH files it (``status: filed`` with ``amazon_case_id`` from Seller
    Central), records Amazon's answer (``paid``/``denied``), or assigns it. 409 when the
    status change is not allowed."""

    @extend_schema(responses={200: ReimbursementCaseSerializer})
    def get(self, request, pk: int):
        return Response(
            ReimbursementCaseSerializer(
                get_object_or_404(reimbursement_queue(user=request.user, status=""), pk=pk)
            ).data
        )

    @extend_schema(
        request=ReimbursementCaseUpdateSerializer,
        responses={
            200: ReimbursementCaseSerializer,
            409: OpenApiResponse(description="Not allowed"),
            **errors(*WRITE_ERRORS),
        },
    )
    def patch(self, request, pk: int):
        case = get_object_or_404(reimbursement_queue(user=request.user, status=""), pk=pk)
        serializer = ReimbursementCaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignee = UNSET
        if "assignee" in data:
            assignee = None
            if data["assignee"]:
                assignee = get_user_model().objects.filter(username=data["assignee"], is_active=True).first()
                if assignee is None:
                    raise serializers.ValidationError({"assignee": ["No such user."]})
        reimbursement_case_update(
            case=case,
            actor=request_actor(request),
            status=data.get("status"),
            amazon_case_id=data.get("amazon_case_id"),
            assignee=assignee,
        )
        return Response(ReimbursementCaseSerializer(reimbursement_queue(user=request.user, status="").get(pk=pk)).data)


urlpatterns = [
    path("reimbursement-cases/", ReimbursementCaseListView.as_view(), name="reimbursement-case-list"),
    path("reimbursement-cases/<int:pk>/", ReimbursementCaseDetailView.as_view(), name="reimbursement-case-detail"),
]
