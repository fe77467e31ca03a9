"""POST /compliance/check/: the guard, over HTTP, without sending anything."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import WRITE_ERRORS, errors

from ..compliance import ComplianceContext, Purpose, compliance_check


class ComplianceContextSerializer(serializers.Serializer):
    amazon_order_id = serializers.CharField(required=False, allow_null=True, max_length=19)
    days_since_delivery = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    earlier_proactive_messages = serializers.IntegerField(required=False, min_value=0, default=0)
    allowed_link_domains = serializers.ListField(
        child=serializers.CharField(max_length=253), required=False, default=list, max_length=100
    )
    contact_reason = serializers.ChoiceField(
        choices=["courtesy_refund", "customer_support"], required=False, allow_null=True
    )


class ComplianceCheckSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=20_000, trim_whitespace=False)
    purpose = serializers.ChoiceField(choices=[p.value for p in Purpose])
    context = ComplianceContextSerializer(required=False)


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class ComplianceResultSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    verdict = serializers.ChoiceField(
        choices=["allowed", "held", "refused"], help_text="held: the guard is unsure; a manager decides."
    )
    violations = ViolationSerializer(many=True)
    doubts = ViolationSerializer(many=True, help_text="Where the guard is unsure (the verdict is then held).")


class ComplianceCheckView(APIView):
    """Check a text against Amazon's messaging rules without sending anything."""

    @extend_schema(
        request=ComplianceCheckSerializer,
        responses={200: ComplianceResultSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "A review-change request",
                request_only=True,
                value={"text": "We'll refund you if you update your review.", "purpose": "reply"},
            ),
        ],
    )
    def post(self, request):
        serializer = ComplianceCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        raw_context = data.get("context") or {}
        context = ComplianceContext(
            amazon_order_id=raw_context.get("amazon_order_id"),
            days_since_delivery=raw_context.get("days_since_delivery"),
            earlier_proactive_messages=raw_context.get("earlier_proactive_messages", 0),
            allowed_link_domains=frozenset(d.lower() for d in raw_context.get("allowed_link_domains", [])),
            contact_reason=raw_context.get("contact_reason"),
        )
        result = compliance_check(text=data["text"], purpose=data["purpose"], context=context)
        return Response(result.as_dict())
