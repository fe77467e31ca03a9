"""Contact Response Time: the one place that decides whether a buyer message was answered in time.

Amazon (help 200549770, 202152030; notes/amazon.md §3): response time is "the amount of
time elapsed between when a buyer message is received and when your response is sent",
on the wall clock, weekends and holidays included; auto-responders are not a response; a
message marked *no response needed* leaves the metric. The figures are the shares of
buyer messages answered within the account's ``sla_hours``, answered late, and not
answered, over 7, 30 or 90 days.

Rules, from the data we have (until the SLA engine stores response facts, issue 6):

- A buyer message is an inbound ``Message``, received at ``sent_at`` (``created_at`` when
  the buyer's time is unknown), neither it nor its ticket marked *no response needed*.
- Its response is the first outbound, non-automated message on the same ticket created
  at or after it was received. One reply answers every buyer message before it, each
  with its own elapsed time (a second buyer message restarts nothing: it is measured
  from its own arrival).
- Only what happened by ``now`` counts. A message still within its SLA and unanswered is
  *pending*: neither late nor unanswered yet, and left out of the shares.
- Per agent means the ticket's assignee (unassigned tickets have none).

Everything goes through :func:`buyer_messages`; switching to stored facts changes that
function only.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tickets.models import Message, SellerAccount

RESPONSE_TIME_DAYS = (7, 30, 90)


def buyer_messages(*, seller_account: SellerAccount, since: datetime, now: datetime) -> QuerySet[Message]:
    """Buyer messages received in ``[since, now)`` with ``received_at``, ``first_reply_at``
    (``None`` when unanswered by ``now``) annotations."""
    received = Coalesce(F("sent_at"), F("created_at"))
    first_reply = (
        Message.objects.filter(
            ticket=OuterRef("ticket"),
            direction=Message.Direction.OUTBOUND,
            is_automated=False,
            created_at__gte=OuterRef("received_at"),
            created_at__lt=now,
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return (
        Message.objects.filter(
            ticket__seller_account=seller_account,
            direction=Message.Direction.INBOUND,
            ticket__no_response_needed=False,
            # Per message, stored by the SLA engine (issue 6): "Mark as no response needed".
            no_response_needed=False,
        )
        .annotate(received_at=received, assignee=F("ticket__assignee_id"))
        .filter(received_at__gte=since, received_at__lt=now)
        .annotate(
            first_reply_at=Subquery(first_reply),
        )
    )


@dataclass(frozen=True)
class ResponseTimeResult:
    seller_account_id: int
    days: int
    sla_hours: int
    messages: int  # answered + late + unanswered (pending ones are not counted yet)
    within_sla: int
    late: int
    unanswered: int
    pending: int
    average_response: timedelta | None
    median_response: timedelta | None

    @property
    def average_hours(self) -> float | None:
        return None if self.average_response is None else round(self.average_response.total_seconds() / 3600, 1)

    @property
    def median_hours(self) -> float | None:
        return None if self.median_response is None else round(self.median_response.total_seconds() / 3600, 1)

    def share(self, count: int) -> float:
        return round(100 * count / self.messages, 2) if self.messages else 0.0

    @property
    def within_sla_rate(self) -> float:
        return self.share(self.within_sla)

    @property
    def late_rate(self) -> float:
        return self.share(self.late)

    @property
    def unanswered_rate(self) -> float:
        return self.share(self.unanswered)

    def as_dict(self) -> dict:
        def seconds(value: timedelta | None) -> int | None:
            return None if value is None else round(value.total_seconds())

        return {
            "seller_account": self.seller_account_id,
            "days": self.days,
            "sla_hours": self.sla_hours,
            "messages": self.messages,
            "within_sla": {"messages": self.within_sla, "rate": self.share(self.within_sla)},
            "late": {"messages": self.late, "rate": self.share(self.late)},
            "unanswered": {"messages": self.unanswered, "rate": self.share(self.unanswered)},
            "pending": self.pending,
            "average_response_seconds": seconds(self.average_response),
            "median_response_seconds": seconds(self.median_response),
        }


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median in the aggregate query itself
    (NULLs, the unanswered messages, are ignored)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _response_time() -> ExpressionWrapper:
    return ExpressionWrapper(F("first_reply_at") - F("received_at"), output_field=DurationField())


def _classified(
    *, sla: timedelta, now: datetime, since: datetime | None = None, prefix: str = "", only: Q | None = None
) -> dict:
    """The four counts, optionally of the messages received from ``since`` only, or of ``only``."""
    period = (Q(received_at__gte=since) if since else Q()) & (only or Q())
    answered = period & Q(first_reply_at__isnull=False)
    overdue = Q(received_at__lte=now - sla)
    unanswered = period & Q(first_reply_at__isnull=True)
    # Compared as instants, not as a duration: the reply subquery is then read only once.
    return {
        f"{prefix}within_sla": Count("pk", filter=answered & Q(first_reply_at__lte=F("received_at") + sla)),
        f"{prefix}late": Count("pk", filter=answered & Q(first_reply_at__gt=F("received_at") + sla)),
        f"{prefix}unanswered": Count("pk", filter=unanswered & overdue),
        f"{prefix}pending": Count("pk", filter=unanswered & ~overdue),
    }


def _median(qs: QuerySet[Message], answered: int) -> timedelta | None:
    """The median response time, the database sorting (one or two middle rows fetched)."""
    if not answered:
        return None
    middle = list(
        qs.filter(first_reply_at__isnull=False)
        .annotate(response_time=_response_time())
        .order_by("response_time", "pk")
        .values_list("response_time", flat=True)[(answered - 1) // 2 : answered // 2 + 1]
    )
    return sum(middle, timedelta()) / len(middle)


def response_times_compute(
    *,
    seller_account: SellerAccount,
    periods: tuple[int, ...] = RESPONSE_TIME_DAYS,
    now: datetime | None = None,
    assignee_id: int | None = None,
) -> dict[int, ResponseTimeResult]:
    """Contact Response Time of one account over each of ``periods`` days (optionally one
    agent's tickets), in one aggregate query over the longest period (on SQLite the
    medians take one more query each)."""
    now = now or timezone.now()
    sla = timedelta(hours=seller_account.sla_hours)
    longest = max(periods)
    qs = buyer_messages(seller_account=seller_account, since=now - timedelta(days=longest), now=now)
    if assignee_id is not None:
        qs = qs.filter(ticket__assignee_id=assignee_id)
    median_in_sql = connection.vendor == "postgresql"
    aggregates = {}
    for days in periods:
        since = None if days == longest else now - timedelta(days=days)
        in_period = Q(received_at__gte=since) if since else Q()
        aggregates.update(_classified(sla=sla, now=now, since=since, prefix=f"d{days}_"))
        aggregates[f"d{days}_average"] = Avg(_response_time(), filter=in_period or None)
        if median_in_sql:
            aggregates[f"d{days}_median"] = Median(_response_time(), filter=in_period or None)
    # DISTINCT (on unique rows: no effect on the result) keeps the aggregation over a
    # derived table that PostgreSQL does not flatten, so the reply subquery runs once per
    # message rather than once per reference (4.3 s → 1 s at 1M orders, bench/RESULTS.md).
    counts = qs.distinct().aggregate(**aggregates)
    results = {}
    for days in periods:
        c = {key.removeprefix(f"d{days}_"): value for key, value in counts.items() if key.startswith(f"d{days}_")}
        answered = c["within_sla"] + c["late"]
        if median_in_sql:
            median = c["median"]
        else:
            median = _median(qs.filter(received_at__gte=now - timedelta(days=days)), answered)
        results[days] = ResponseTimeResult(
            seller_account_id=seller_account.pk,
            days=days,
            sla_hours=seller_account.sla_hours,
            messages=answered + c["unanswered"],
            within_sla=c["within_sla"],
            late=c["late"],
            unanswered=c["unanswered"],
            pending=c["pending"],
            average_response=c["average"],
            median_response=median,
        )
    return results


def response_time_compute(
    *, seller_account: SellerAccount, days: int, now: datetime | None = None, assignee_id: int | None = None
) -> ResponseTimeResult:
    """Contact Response Time of one account over the last ``days``."""
    return response_times_compute(seller_account=seller_account, periods=(days,), now=now, assignee_id=assignee_id)[
        days
    ]


def response_time_by_agent(*, seller_account: SellerAccount, days: int, now: datetime | None = None) -> list[dict]:
    """Within / late / unanswered per ticket assignee: the account's agents, unassigned
    tickets and anybody else, in one aggregate query (one column group per assignee)."""
    now = now or timezone.now()
    sla = timedelta(hours=seller_account.sla_hours)
    agents = list(seller_account.agents.order_by("username").values_list("pk", "username"))
    buckets = [(pk, username, Q(assignee=pk)) for pk, username in agents] + [
        (None, "(unassigned)", Q(assignee__isnull=True)),
        (None, "(others)", Q(assignee__isnull=False) & ~Q(assignee__in=[pk for pk, _ in agents])),
    ]
    aggregates = {}
    for index, (_, _, only) in enumerate(buckets):
        aggregates.update(_classified(sla=sla, now=now, prefix=f"a{index}_", only=only))
    qs = buyer_messages(seller_account=seller_account, since=now - timedelta(days=days), now=now)
    counts = qs.distinct().aggregate(**aggregates)
    rows = []
    for index, (pk, username, _) in enumerate(buckets):
        row = {key: counts[f"a{index}_{key}"] for key in ("within_sla", "late", "unanswered", "pending")}
        if any(row.values()):
            rows.append({"assignee_id": pk, "assignee": username, **row})
    return rows
