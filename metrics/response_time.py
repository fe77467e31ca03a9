"""Contact Response Time: the one place that decides whether a buyer message was answered in time.

Amazon (help 200549770, 202152030; notes/amazon.md §3): response time is "the amount of
time elapsed between when a buyer message is received and when your response is sent",
on the wall clock, weekends and holidays included; auto-responders are not a response; a
message marked *no response needed* leaves the metric. The figures are the shares of
buyer messages answered within the account's ``sla_hours``, answered late, and not
answered, over 7, 30 or 90 days.

Rules, from the response facts the SLA engine stores per buyer message (``tickets.sla``,
issue 6):

- A buyer message is an inbound ``Message``, received at ``sent_at`` (``created_at`` when
  the buyer's time is unknown), not marked *no response needed* (``no_response_needed``,
  stamped on the waiting messages when an agent marks the ticket).
- Its deadline is ``response_due_at`` (received + the SLA policy's hours, set on arrival;
  received + the account's ``sla_hours`` for a row stored without one). It is answered
  at ``responded_at``, stamped by the first real reply after it: one reply answers every
  waiting buyer message, each with its own elapsed time; automated messages and notes
  stamp nothing.
- Only what happened by ``now`` counts: a reply stamped at or after ``now`` is not yet a
  reply. A message still within its deadline and unanswered is *pending*: neither late
  nor unanswered yet, and left out of the shares.
- Per agent means the ticket's assignee (unassigned tickets have none); per team, the
  assignees who are its members (:func:`response_figures` says why the assignee).

Everything goes through :func:`buyer_messages`: plain columns of the message rows, so
each figure is one aggregate over the period's buyer messages, no per-message search for
the reply.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tickets.models import Message, SellerAccount, Team

RESPONSE_TIME_DAYS = (7, 30, 90)


def buyer_messages(*, seller_account: SellerAccount, since: datetime, now: datetime) -> QuerySet[Message]:
    """Buyer messages received in ``[since, now)`` with ``received_at``, ``due_at`` and
    ``first_reply_at`` (``None`` when unanswered by ``now``) annotations."""
    received = Coalesce(F("sent_at"), F("created_at"))
    due = Coalesce(F("response_due_at"), F("received_at") + timedelta(hours=seller_account.sla_hours))
    # A reply stamped after ``now`` (a past day's snapshot) had not happened yet.
    reply = Case(When(responded_at__lt=now, then=F("responded_at")), default=None, output_field=DateTimeField())
    return (
        Message.objects.filter(
            ticket__seller_account=seller_account,
            direction=Message.Direction.INBOUND,
            # Per message, stored by the SLA engine (issue 6): "Mark as no response needed".
            no_response_needed=False,
        )
        # received_at in [since, now) on the COALESCE itself: the partial index
        # message_inbound_received is on that expression (PostgreSQL keeps statistics for
        # it) and carries every column read here, so the period is one index-only range.
        .annotate(received_at=received, assignee=F("ticket__assignee_id"))
        .filter(received_at__gte=since, received_at__lt=now)
        .annotate(due_at=due, first_reply_at=reply)
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


COUNT_KEYS = ("within_sla", "late", "unanswered", "pending")


def _classified(*, now: datetime, since: datetime | None = None, prefix: str = "") -> dict:
    """The four counts, optionally of the messages received from ``since`` only."""
    period = Q(received_at__gte=since) if since else Q()
    answered = period & Q(first_reply_at__isnull=False)
    overdue = Q(due_at__lte=now)
    unanswered = period & Q(first_reply_at__isnull=True)
    # Count("ticket"), never null, rather than the id: the index holds ticket_id, not id,
    # and a column outside it would turn the index-only scan into a visit of every row.
    return {
        f"{prefix}within_sla": Count("ticket", filter=answered & Q(first_reply_at__lte=F("due_at"))),
        f"{prefix}late": Count("ticket", filter=answered & Q(first_reply_at__gt=F("due_at"))),
        f"{prefix}unanswered": Count("ticket", filter=unanswered & overdue),
        f"{prefix}pending": Count("ticket", filter=unanswered & ~overdue),
    }


def _outcome(*, now: datetime) -> Case:
    """Which of the four counts a buyer message is in, as of ``now`` (as :func:`_classified`)."""
    return Case(
        When(first_reply_at__isnull=False, first_reply_at__lte=F("due_at"), then=Value("within_sla")),
        When(first_reply_at__isnull=False, then=Value("late")),
        When(due_at__lte=now, then=Value("unanswered")),
        default=Value("pending"),
        output_field=CharField(),
    )


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
    team_id: int | None = None,
) -> dict[int, ResponseTimeResult]:
    """Contact Response Time of one account over each of ``periods`` days (optionally one
    agent's tickets, or a team's: tickets assigned to its members, read first), in one
    aggregate query over the longest period (on SQLite the medians take one more query each)."""
    now = now or timezone.now()
    return response_figures(
        seller_account=seller_account, periods=periods, now=now, assignee_id=assignee_id, team_id=team_id
    ).periods


def response_time_compute(
    *,
    seller_account: SellerAccount,
    days: int,
    now: datetime | None = None,
    assignee_id: int | None = None,
    team_id: int | None = None,
) -> ResponseTimeResult:
    """Contact Response Time of one account over the last ``days``."""
    return response_times_compute(
        seller_account=seller_account, periods=(days,), now=now, assignee_id=assignee_id, team_id=team_id
    )[days]


def response_time_by_agent(*, seller_account: SellerAccount, days: int, now: datetime | None = None) -> list[dict]:
    """Within / late / unanswered per ticket assignee: the account's agents, unassigned
    tickets and anybody else, in one aggregate query (one column group per assignee)."""
    now = now or timezone.now()
    return response_figures(seller_account=seller_account, periods=(), breakdown_days=days, now=now).by_agent


def response_time_by_team(*, seller_account: SellerAccount, days: int, now: datetime | None = None) -> list[dict]:
    """Within / late / unanswered per team working the account (:func:`account_teams`):
    the messages of tickets assigned to the team's members."""
    now = now or timezone.now()
    return response_figures(seller_account=seller_account, periods=(), breakdown_days=days, now=now).by_team


def account_teams(*, seller_account: SellerAccount) -> list[tuple[int, str, list[int]]]:
    """The teams shown for an account, (id, name, member ids), by name, in one query: the
    teams linked to it and those linked to no account (they serve every account)."""
    linked = Team.seller_accounts.through.objects.filter(team=OuterRef("pk"))
    rows = (
        Team.objects.filter(Exists(linked.filter(selleraccount=seller_account)) | ~Exists(linked))
        .order_by("name", "pk")
        .values_list("pk", "name", "members")
    )
    teams: dict[int, tuple[int, str, list[int]]] = {}
    for pk, name, member in rows:
        team = teams.setdefault(pk, (pk, name, []))
        if member is not None:
            team[2].append(member)
    return list(teams.values())


@dataclass(frozen=True)
class ResponseFigures:
    """The dashboard's response-time tables: per period, and per agent and team over one period."""

    periods: dict[int, ResponseTimeResult]
    by_agent: list[dict] = field(default_factory=list)
    by_team: list[dict] = field(default_factory=list)


def response_figures(
    *,
    seller_account: SellerAccount,
    periods: tuple[int, ...],
    now: datetime,
    breakdown_days: int | None = None,
    assignee_id: int | None = None,
    team_id: int | None = None,
) -> ResponseFigures:
    """The figures of each of ``periods`` and, with ``breakdown_days``, per assignee and per
    team over that many days (the dashboard's tables).

    The periods are one aggregate query over the buyer messages of the longest period, one
    column group per period (on SQLite the medians take one more query each). The
    breakdown is one more, ``GROUP BY`` assignee and outcome (a few dozen rows added up
    here), and two small reads of the account's agents and teams: a team's figures are the
    sum of its members' rows, each ticket having one assignee.

    A buyer message belongs to the agent its ticket is assigned to (and to that agent's
    teams), not to whoever happened to send the reply: the assignee owns the clock, and an
    unanswered message, the worst case, has no replier to blame (README, "Account health").
    """
    longest = max((*periods, breakdown_days or 0))
    qs = buyer_messages(seller_account=seller_account, since=now - timedelta(days=longest), now=now)
    if assignee_id is not None:
        qs = qs.filter(ticket__assignee_id=assignee_id)
    if team_id is not None:
        # The member ids as literals, read first: joined through the membership table,
        # PostgreSQL guessed 4% of the account's tickets for a team that had 92% of them
        # and probed the messages ticket by ticket (0.7 s instead of 0.3 s).
        members = list(Team.members.through.objects.filter(team_id=team_id).values_list("user_id", flat=True))
        qs = qs.filter(ticket__assignee_id__in=members)
    median_in_sql = connection.vendor == "postgresql"
    aggregates = {}
    for days in periods:
        since = None if days == longest else now - timedelta(days=days)
        in_period = Q(received_at__gte=since) if since else Q()
        aggregates.update(_classified(now=now, since=since, prefix=f"d{days}_"))
        aggregates[f"d{days}_average"] = Avg(_response_time(), filter=in_period or None)
        if median_in_sql:
            aggregates[f"d{days}_median"] = Median(_response_time(), filter=in_period or None)
    counts = qs.aggregate(**aggregates) if aggregates else {}
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
    if breakdown_days is None:
        return ResponseFigures(periods=results)
    groups = list(
        qs.filter(received_at__gte=now - timedelta(days=breakdown_days))
        .annotate(outcome=_outcome(now=now))
        .values("assignee", "outcome")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("assignee", "outcome", "n")
    )

    def counted(assignees: Callable[[int | None], bool]) -> dict[str, int]:
        row = dict.fromkeys(COUNT_KEYS, 0)
        for assignee, outcome, n in groups:
            if assignees(assignee):
                row[outcome] += n
        return row

    agents = list(seller_account.agents.order_by("username").values_list("pk", "username"))
    agent_ids = {pk for pk, _ in agents}
    buckets = [(pk, username, lambda a, pk=pk: a == pk) for pk, username in agents] + [
        (None, "(unassigned)", lambda a: a is None),
        (None, "(others)", lambda a: a is not None and a not in agent_ids),
    ]
    by_agent = [
        {"assignee_id": pk, "assignee": username, **row}
        for pk, username, assignees in buckets
        if any((row := counted(assignees)).values())
    ]
    by_team = [
        {"team_id": pk, "team": name, **row}
        for pk, name, members in account_teams(seller_account=seller_account)
        if any((row := counted(lambda a, members=set(members): a in members)).values())
    ]
    return ResponseFigures(periods=results, by_agent=by_agent, by_team=by_team)
