"""REST adapters of the metrics app (``/api/v1/metrics/…``, api-contract.md "Metrics").

Thin: validate the query, fetch the seller account through the permission gate (404 for
an account the caller cannot see), call the one formula, serialize. ``urlpatterns`` is
included under ``/api/v1/`` by the project's URL configuration.
"""

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import DateField
from api.schema import errors
from tickets.access import seller_accounts_visible_to
from tickets.models import SellerAccount, Team

from .amazon import amazon_odr_as_dict, amazon_odr_latest
from .fulfillment import fulfillment_compute
from .odr import CHANNELS, odr_compute
from .response_time import RESPONSE_TIME_DAYS, response_time_compute
from .selectors import odr_history

MAX_HISTORY_DAYS = 365


def _seller_account(request: Request, pk: int) -> SellerAccount:
    account = seller_accounts_visible_to(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404("No such seller account.")
    return account


def _query(request: Request, serializer: type[serializers.Serializer]) -> tuple[dict, SellerAccount]:
    """The validated query parameters (400 with field messages) and the seller account they
    name, through the permission gate (404)."""
    query = serializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data, _seller_account(request, query.validated_data["seller_account"])


# --- Queries ------------------------------------------------------------------------------


class OdrQuerySerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    channel = serializers.ChoiceField(choices=CHANNELS, default="all")
    as_of = DateField(required=False, help_text="Default: today (UTC).")


class OdrHistoryQuerySerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    channel = serializers.ChoiceField(choices=CHANNELS, default="all")
    days = serializers.IntegerField(min_value=1, max_value=MAX_HISTORY_DAYS, default=90)


class FulfillmentQuerySerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    as_of = DateField(required=False, help_text="Default: today (UTC); windows end at its midnight.")


class ResponseTimeQuerySerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    days = serializers.ChoiceField(choices=RESPONSE_TIME_DAYS, default=30)
    team = serializers.IntegerField(
        min_value=1, required=False, help_text="Only the tickets assigned to this team's members."
    )
    agent = serializers.IntegerField(
        min_value=1, required=False, help_text="Only the tickets assigned to this user (an agent)."
    )

    def validate_team(self, value: int) -> int:
        if not Team.objects.filter(pk=value).exists():
            raise serializers.ValidationError("No such team.")
        return value


# --- Answers ------------------------------------------------------------------------------


class ComponentSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    rate = serializers.FloatField(help_text="Percent of the window's orders.")


class AmazonOdrSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The as-of day of Amazon's Account Health report.")
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    orders = serializers.IntegerField()
    defective_orders = serializers.IntegerField()
    odr = serializers.DecimalField(max_digits=7, decimal_places=3, coerce_to_string=False, help_text="Percent.")
    negative_feedback = serializers.IntegerField(help_text="Orders with negative feedback.")
    a_to_z_claims = serializers.IntegerField(help_text="Orders with a counted A-to-z claim.")
    chargebacks = serializers.IntegerField(help_text="Orders with a counted chargeback.")
    status = serializers.CharField(help_text="Amazon's GOOD / BAD / NONE.")
    account_status = serializers.CharField(help_text="Amazon's account status in the marketplace (NORMAL, AT_RISK…).")
    desk_defective_orders = serializers.IntegerField(help_text="The desk's count over Amazon's window, that day.")
    defect_gap = serializers.IntegerField(help_text="Amazon's defective orders minus the desk's.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why the two differ, as far as known.")
    fetched_at = serializers.DateTimeField()


class OdrSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=CHANNELS)
    as_of = serializers.DateField()
    window_start = serializers.DateField(help_text="First order date inside the window.")
    window_end = serializers.DateField(help_text="Last order date inside the window.")
    orders = serializers.IntegerField()
    defective_orders = serializers.IntegerField(help_text="Distinct orders with at least one counted defect.")
    odr = serializers.FloatField(help_text="Percent.")
    negative_feedback = ComponentSerializer()
    a_to_z_claims = ComponentSerializer()
    chargebacks = ComponentSerializer()
    target = serializers.FloatField(help_text="Percent; the ODR must stay below it.")
    status = serializers.ChoiceField(choices=["ok", "warning", "critical"])
    headroom_orders = serializers.IntegerField(
        help_text="How many more defective orders the window can take and stay below the target."
    )
    recoverable_orders = serializers.IntegerField(
        help_text="Defective orders whose only defects are open claims or chargebacks."
    )
    amazon = AmazonOdrSerializer(
        allow_null=True,
        help_text="Amazon's own figure (its Account Health report, read daily by the SP-API sync) of the latest "
        "day up to as_of, with the desk's over the same window and why they differ; null when not connected.",
    )


class OdrPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    odr = serializers.DecimalField(max_digits=7, decimal_places=3, coerce_to_string=False, source="value")
    orders = serializers.IntegerField(source="denominator")
    defective_orders = serializers.IntegerField(source="numerator")
    status = serializers.CharField()
    headroom_orders = serializers.IntegerField(allow_null=True)
    window_start = serializers.DateField()
    window_end = serializers.DateField()


class OdrHistorySerializer(serializers.Serializer):
    seller_account = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=CHANNELS)
    days = serializers.IntegerField()
    points = OdrPointSerializer(many=True, help_text="One per recorded day, oldest first; missing days are absent.")


class MessageShareSerializer(serializers.Serializer):
    messages = serializers.IntegerField()
    rate = serializers.FloatField(help_text="Percent of counted buyer messages.")


class ResponseTimeSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField()
    team = serializers.IntegerField(allow_null=True, help_text="The team asked for, if any.")
    agent = serializers.IntegerField(allow_null=True, help_text="The agent asked for, if any.")
    days = serializers.IntegerField()
    sla_hours = serializers.IntegerField()
    messages = serializers.IntegerField(help_text="Answered in time + late + not answered.")
    within_sla = MessageShareSerializer()
    late = MessageShareSerializer()
    unanswered = MessageShareSerializer()
    pending = serializers.IntegerField(help_text="Unanswered but still within the SLA: not counted yet.")
    average_response_seconds = serializers.IntegerField(allow_null=True)
    median_response_seconds = serializers.IntegerField(allow_null=True)


class RateSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="Percent.")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    days = serializers.IntegerField(help_text="The window, in days before the as-of date.")
    target = serializers.FloatField(allow_null=True, help_text="Percent; null where Amazon sets none.")
    target_condition = serializers.CharField(help_text="LESS_THAN / GREATER_THAN, as in Amazon's report; empty.")
    status = serializers.ChoiceField(choices=["ok", "critical", "none"])


class FulfillmentSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(source="seller_account_id")
    as_of = serializers.DateField()
    late_shipment_10 = RateSerializer(help_text="FBM orders shipped after their ship-by date (10 days, < 4%).")
    late_shipment_30 = RateSerializer(help_text="The same over 30 days.")
    valid_tracking = RateSerializer(help_text="FBM orders shipped with a tracking number (30 days, > 95%).")
    pre_fulfillment_cancel = RateSerializer(help_text="FBM orders the seller cancelled before shipping (7 days).")
    returns = RateSerializer(help_text="Orders of every channel purchased in the 30 days and returned.")
    returns_prevented = RateSerializer(
        help_text="Solved or closed setup, replacement-part, warranty and return tickets opened in the 30 days "
        "whose order was not returned (numerator) of all of them (denominator)."
    )


# --- Views --------------------------------------------------------------------------------


class OdrView(APIView):
    """The Order Defect Rate of one seller account and channel, computed now."""

    @extend_schema(
        parameters=[OdrQuerySerializer],
        responses={200: OdrSerializer, **errors(400, 404)},
        examples=[
            OpenApiExample(
                "FBM near the line",
                response_only=True,
                value={
                    "seller_account": 1,
                    "channel": "FBM",
                    "as_of": "2026-10-31",
                    "window_start": "2026-09-01",
                    "window_end": "2026-10-30",
                    "orders": 5210,
                    "defective_orders": 41,
                    "odr": 0.787,
                    "negative_feedback": {"orders": 20, "rate": 0.384},
                    "a_to_z_claims": {"orders": 15, "rate": 0.288},
                    "chargebacks": {"orders": 8, "rate": 0.154},
                    "target": 1.0,
                    "status": "warning",
                    "headroom_orders": 11,
                    "recoverable_orders": 6,
                    "amazon": {
                        "day": "2026-10-31",
                        "window_start": "2026-09-01",
                        "window_end": "2026-10-30",
                        "orders": 5214,
                        "defective_orders": 43,
                        "odr": 0.825,
                        "negative_feedback": 20,
                        "a_to_z_claims": 17,
                        "chargebacks": 8,
                        "status": "GOOD",
                        "account_status": "NORMAL",
                        "desk_defective_orders": 41,
                        "defect_gap": 2,
                        "reasons": [
                            "4 orders in Amazon's window are not in the desk (not synced yet).",
                            "Amazon counts 2 orders with A-to-z claims the desk does not know (Amazon's API gives no "
                            "claims: they come by e-mail notice or the REST API).",
                        ],
                        "fetched_at": "2026-10-31T06:12:00Z",
                    },
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        data, account = _query(request, OdrQuerySerializer)
        as_of = data.get("as_of") or timezone.now().date()
        result = odr_compute(seller_account=account, channel=data["channel"], as_of=as_of)
        amazon = amazon_odr_as_dict(amazon_odr_latest(seller_account=account, as_of=as_of), data["channel"])
        return Response(OdrSerializer({**result.as_dict(), "amazon": amazon}).data)


class OdrHistoryView(APIView):
    """The recorded daily ODR of one seller account and channel (daily snapshots)."""

    @extend_schema(parameters=[OdrHistoryQuerySerializer], responses={200: OdrHistorySerializer, **errors(400, 404)})
    def get(self, request: Request) -> Response:
        data, account = _query(request, OdrHistoryQuerySerializer)
        points = odr_history(
            seller_account=account, channel=data["channel"], days=data["days"], until=timezone.now().date()
        )
        body = {"seller_account": account.pk, "channel": data["channel"], "days": data["days"], "points": points}
        return Response(OdrHistorySerializer(body).data)


class FulfillmentView(APIView):
    """The other account-health figures of one seller account, computed now: the FBM
    shipping rates Amazon targets, the return rate, and the tickets resolved without a
    return (``metrics.fulfillment``)."""

    @extend_schema(parameters=[FulfillmentQuerySerializer], responses={200: FulfillmentSerializer, **errors(400, 404)})
    def get(self, request: Request) -> Response:
        data, account = _query(request, FulfillmentQuerySerializer)
        result = fulfillment_compute(seller_account=account, as_of=data.get("as_of") or timezone.now().date())
        return Response(FulfillmentSerializer(result).data)


class ResponseTimeView(APIView):
    """Contact Response Time of one seller account over 7, 30 or 90 days; with ``team`` or
    ``agent`` (or both) only the buyer messages of tickets assigned to them. An agent id
    that has no tickets gives zeros rather than a 400: it says nothing about other users."""

    @extend_schema(
        parameters=[ResponseTimeQuerySerializer], responses={200: ResponseTimeSerializer, **errors(400, 404)}
    )
    def get(self, request: Request) -> Response:
        data, account = _query(request, ResponseTimeQuerySerializer)
        team, agent = data.get("team"), data.get("agent")
        result = response_time_compute(seller_account=account, days=int(data["days"]), team_id=team, assignee_id=agent)
        return Response(ResponseTimeSerializer({**result.as_dict(), "team": team, "agent": agent}).data)


urlpatterns = [
    path("metrics/odr/", OdrView.as_view(), name="metrics-odr"),
    path("metrics/odr/history/", OdrHistoryView.as_view(), name="metrics-odr-history"),
    path("metrics/response-time/", ResponseTimeView.as_view(), name="metrics-response-time"),
    path("metrics/fulfillment/", FulfillmentView.as_view(), name="metrics-fulfillment"),
]
