"""The SQL ODR agrees with a plain Python reference on random data (hypothesis).

The reference is written from notes/amazon.md §1 and the rules in metrics/odr.py's
docstring, without the ORM: a second reading of the same rules. Defects are dated after
their order's purchase, as they are in life (the SQL relies on it to search by date).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from metrics.odr import odr_compute
from reviews.models import SellerFeedback
from tests.factories import SellerAccountFactory
from tickets.models import AtoZClaim, Chargeback, Order

AS_OF = date(2026, 10, 31)
MIDNIGHT = datetime(2026, 10, 31, tzinfo=UTC)
HOUR = timedelta(hours=1)

hours_before_as_of = st.integers(min_value=-30, max_value=24 * 62)
hours_after = st.integers(min_value=0, max_value=24 * 80)
maybe_hours_after = st.one_of(st.none(), hours_after)

feedback_strategy = st.fixed_dictionaries(
    {"rating": st.integers(1, 5), "after": hours_after, "removed": st.booleans(), "removed_after": maybe_hours_after}
)
claim_strategy = st.fixed_dictionaries(
    {
        "status": st.sampled_from(AtoZClaim.Status.values),
        "after": hours_after,
        "decided_after": maybe_hours_after,
        "protected": st.booleans(),
    }
)
chargeback_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(Chargeback.Kind.values),
        "status": st.sampled_from(Chargeback.Status.values),
        "after": hours_after,
        "decided_after": maybe_hours_after,
    }
)
order_strategy = st.fixed_dictionaries(
    {
        "channel": st.sampled_from(["FBA", "FBM"]),
        "hours_before": hours_before_as_of,
        "feedback": st.one_of(st.none(), feedback_strategy),
        "claims": st.lists(claim_strategy, max_size=2),
        "chargebacks": st.lists(chargeback_strategy, max_size=2),
    }
)


def reference(orders: list[dict], *, channel: str, offset_days: int) -> dict:
    end = MIDNIGHT - timedelta(days=offset_days)
    start = end - timedelta(days=60)
    cutoff = MIDNIGHT + timedelta(days=1)

    def before_cutoff(moment):
        return moment is None or moment < cutoff

    total = defective = recoverable = 0
    components = {"feedback": 0, "claims": 0, "chargebacks": 0}
    for order in orders:
        purchased = MIDNIGHT - order["hours_before"] * HOUR
        if not (start <= purchased < end) or channel not in ("all", order["channel"]):
            continue
        total += 1
        feedback = order["feedback"]
        has_feedback = bool(
            feedback
            and feedback["rating"] <= 2
            and purchased + feedback["after"] * HOUR < cutoff
            and not (
                feedback["removed"]
                and before_cutoff(
                    None if feedback["removed_after"] is None else purchased + feedback["removed_after"] * HOUR
                )
            )
        )
        counted_claims = []
        for claim in order["claims"]:
            filed = purchased + claim["after"] * HOUR
            decided = None if claim["decided_after"] is None else filed + claim["decided_after"] * HOUR
            excluded = claim["protected"] or (
                claim["status"] in ("denied", "appeal_won", "withdrawn") and before_cutoff(decided)
            )
            if filed < cutoff and not excluded:
                counted_claims.append(claim)
        counted_chargebacks = []
        for chargeback in order["chargebacks"]:
            filed = purchased + chargeback["after"] * HOUR
            decided = None if chargeback["decided_after"] is None else filed + chargeback["decided_after"] * HOUR
            excluded = chargeback["kind"] != "service" or (
                chargeback["status"] == "decided_for_seller" and before_cutoff(decided)
            )
            if filed < cutoff and not excluded:
                counted_chargebacks.append(chargeback)
        components["feedback"] += has_feedback
        components["claims"] += bool(counted_claims)
        components["chargebacks"] += bool(counted_chargebacks)
        if has_feedback or counted_claims or counted_chargebacks:
            defective += 1
            settled = [c for c in counted_claims if c["status"] not in AtoZClaim.OPEN_STATUSES] + [
                c for c in counted_chargebacks if c["status"] not in Chargeback.OPEN_STATUSES
            ]
            recoverable += not has_feedback and not settled
    return {"orders": total, "defective": defective, "recoverable": recoverable, **components}


class OdrMatchesTheReference(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        orders=st.lists(order_strategy, max_size=25),
        channel=st.sampled_from(["FBA", "FBM", "all"]),
        offset_days=st.sampled_from([0, 14]),
    )
    def test_the_sql_figure_equals_the_python_reference(self, orders, channel, offset_days):
        account = SellerAccountFactory(odr_offset_days=offset_days)
        for index, spec in enumerate(orders):
            purchased = MIDNIGHT - spec["hours_before"] * HOUR
            order = Order.objects.create(
                seller_account=account,
                amazon_order_id=f"113-0000000-{index:07d}",
                purchased_at=purchased,
                fulfillment_channel=spec["channel"],
                order_total=Decimal("10.00"),
            )
            if feedback := spec["feedback"]:
                SellerFeedback.objects.create(
                    order=order,
                    rating=feedback["rating"],
                    left_at=purchased + feedback["after"] * HOUR,
                    removed=feedback["removed"],
                    removed_at=None
                    if feedback["removed_after"] is None
                    else purchased + feedback["removed_after"] * HOUR,
                )
            for number, claim in enumerate(spec["claims"]):
                filed = purchased + claim["after"] * HOUR
                AtoZClaim.objects.create(
                    order=order,
                    claim_id=f"AZ-{index}-{number}",
                    filed_at=filed,
                    status=claim["status"],
                    decided_at=None if claim["decided_after"] is None else filed + claim["decided_after"] * HOUR,
                    buy_shipping_protected=claim["protected"],
                    amount=Decimal("10.00"),
                )
            for number, chargeback in enumerate(spec["chargebacks"]):
                filed = purchased + chargeback["after"] * HOUR
                Chargeback.objects.create(
                    order=order,
                    chargeback_id=f"CB-{index}-{number}",
                    kind=chargeback["kind"],
                    filed_at=filed,
                    status=chargeback["status"],
                    decided_at=None
                    if chargeback["decided_after"] is None
                    else filed + chargeback["decided_after"] * HOUR,
                    amount=Decimal("10.00"),
                )

        result = odr_compute(seller_account=account, channel=channel, as_of=AS_OF)
        expected = reference(orders, channel=channel, offset_days=offset_days)
        assert {
            "orders": result.orders,
            "defective": result.defective_orders,
            "recoverable": result.recoverable_orders,
            "feedback": result.negative_feedback.orders,
            "claims": result.a_to_z_claims.orders,
            "chargebacks": result.chargebacks.orders,
        } == expected
