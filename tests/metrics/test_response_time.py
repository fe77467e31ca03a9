"""Contact Response Time rules (metrics/response_time.py), on hand-built conversations.

The conversations carry the response facts as the SLA engine stores them (``tickets.sla``):
a buyer message gets its deadline on arrival, a real reply stamps the waiting messages."""

from datetime import UTC, datetime, timedelta

import pytest

from metrics.response_time import (
    account_teams,
    response_figures,
    response_time_by_agent,
    response_time_by_team,
    response_time_compute,
    response_times_compute,
)
from tests.factories import MessageFactory, TicketFactory, UserFactory
from tickets.models import Message, SlaPolicy, Team, Ticket
from tickets.sla.clock import sla_due_at_for, sla_record_response, ticket_mark_no_response_needed

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)  # a Monday
SATURDAY = datetime(2026, 10, 31, 9, tzinfo=UTC)
INBOUND = Message.Direction.INBOUND
OUTBOUND = Message.Direction.OUTBOUND


def buyer_writes(ticket, at):
    due = sla_due_at_for(received_at=at, seller_account=ticket.seller_account, ticket_kind=ticket.kind)
    return MessageFactory(ticket=ticket, direction=INBOUND, sent_at=at, created_at=at, response_due_at=due)


def agent_replies(ticket, at, **kwargs):
    reply = MessageFactory(ticket=ticket, direction=OUTBOUND, sent_at=at, created_at=at, external_id=None, **kwargs)
    if not reply.is_automated:  # as tickets.outbound does: auto-responders stop no clock
        sla_record_response(ticket=ticket, at=at)
    return reply


def figures(account, days=7, **kwargs):
    return response_time_compute(seller_account=account, days=days, now=NOW, **kwargs)


def test_a_reply_within_24_hours_is_in_time(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(hours=23, minutes=59))
    result = figures(account)
    assert (result.messages, result.within_sla, result.late, result.unanswered) == (1, 1, 0, 0)


def test_weekend_hours_count_on_the_wall_clock(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(days=2))  # Monday morning
    assert figures(account).late == 1


def test_a_reply_at_exactly_the_deadline_is_in_time(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(hours=24))
    assert figures(account).within_sla == 1


def test_the_accounts_sla_hours_apply(account):
    account.sla_hours = 12
    account.save(update_fields=["sla_hours"])
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(hours=13))
    assert figures(account).late == 1


def test_an_auto_responder_is_not_a_response(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(minutes=1), is_automated=True)
    assert figures(account).unanswered == 1


def test_an_internal_note_is_not_a_response(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    MessageFactory(ticket=ticket, direction=Message.Direction.NOTE, created_at=SATURDAY + timedelta(minutes=5))
    assert figures(account).unanswered == 1


def test_an_unanswered_message_still_within_its_sla_is_pending(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, NOW - timedelta(hours=2))
    result = figures(account)
    assert (result.messages, result.pending) == (0, 1)


def test_no_response_needed_tickets_leave_the_metric(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    ticket_mark_no_response_needed(ticket=ticket, actor="test")
    assert (figures(account).messages, figures(account).pending) == (0, 0)


def test_a_second_buyer_message_is_measured_from_its_own_arrival(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(hours=1))
    buyer_writes(ticket, SATURDAY + timedelta(hours=2))  # the clock restarts here
    agent_replies(ticket, SATURDAY + timedelta(hours=30))
    result = figures(account)
    assert (result.within_sla, result.late) == (1, 1)


def test_one_reply_answers_every_buyer_message_before_it(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    buyer_writes(ticket, SATURDAY + timedelta(hours=3))
    agent_replies(ticket, SATURDAY + timedelta(hours=4))
    result = figures(account)
    assert (result.within_sla, result.average_response) == (2, timedelta(hours=2.5))


def test_a_reply_before_the_message_does_not_answer_it(account):
    ticket = TicketFactory(seller_account=account)
    agent_replies(ticket, SATURDAY - timedelta(hours=1))
    buyer_writes(ticket, SATURDAY)
    assert figures(account).unanswered == 1


def test_a_reply_after_now_does_not_count_yet(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, NOW + timedelta(hours=1))
    assert figures(account).unanswered == 1


def test_messages_older_than_the_period_are_left_out(account):
    ticket = TicketFactory(seller_account=account)
    buyer_writes(ticket, NOW - timedelta(days=8))
    assert figures(account, days=7).messages == 0
    assert figures(account, days=30).messages == 1


def test_median_and_average_response_times(account):
    for hours in (1, 2, 10):
        ticket = TicketFactory(seller_account=account)
        buyer_writes(ticket, SATURDAY)
        agent_replies(ticket, SATURDAY + timedelta(hours=hours))
    result = figures(account)
    assert (result.median_response, result.average_response) == (timedelta(hours=2), timedelta(hours=13 / 3))


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(account):
    for hours in (1, 2, 4, 10):
        ticket = TicketFactory(seller_account=account)
        buyer_writes(ticket, SATURDAY)
        agent_replies(ticket, SATURDAY + timedelta(hours=hours))
    assert figures(account).median_response == timedelta(hours=3)


def test_shares_are_percentages_of_counted_messages(account):
    for hours in (1, 30):
        ticket = TicketFactory(seller_account=account)
        buyer_writes(ticket, SATURDAY)
        agent_replies(ticket, SATURDAY + timedelta(hours=hours))
    buyer_writes(TicketFactory(seller_account=account), SATURDAY)
    buyer_writes(TicketFactory(seller_account=account), SATURDAY)
    data = figures(account).as_dict()
    assert (data["within_sla"]["rate"], data["late"]["rate"], data["unanswered"]["rate"]) == (25.0, 25.0, 50.0)


def test_figures_per_agent_follow_the_ticket_assignee(account):
    alice = UserFactory(username="alice")
    account.agents.add(alice)
    ticket = TicketFactory(seller_account=account, assignee=alice)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(hours=1))
    buyer_writes(TicketFactory(seller_account=account), SATURDAY)
    rows = response_time_by_agent(seller_account=account, days=7, now=NOW)
    assert [(r["assignee"], r["within_sla"], r["unanswered"]) for r in rows] == [
        ("alice", 1, 0),
        ("(unassigned)", 0, 1),
    ]
    assert figures(account, assignee_id=alice.pk).within_sla == 1


def test_tickets_of_someone_outside_the_team_are_grouped_apart(account):
    ticket = TicketFactory(seller_account=account, assignee=UserFactory(username="visitor"))
    buyer_writes(ticket, SATURDAY)
    rows = response_time_by_agent(seller_account=account, days=7, now=NOW)
    assert [(r["assignee"], r["unanswered"]) for r in rows] == [("(others)", 1)]


def test_other_accounts_messages_are_left_out(account, other_account):
    buyer_writes(TicketFactory(seller_account=other_account), SATURDAY)
    assert figures(account).messages == 0


def test_a_message_marked_no_response_needed_leaves_the_metric(account):
    ticket = TicketFactory(seller_account=account)
    message = buyer_writes(ticket, SATURDAY)
    message.no_response_needed = True
    message.save(update_fields=["no_response_needed"])
    assert figures(account).messages == 0


def test_several_periods_in_one_query_equal_each_period_alone(account):
    for days_ago, hours in ((1, 2), (10, 30), (40, 5), (80, None)):
        ticket = TicketFactory(seller_account=account)
        received = NOW - timedelta(days=days_ago)
        buyer_writes(ticket, received)
        if hours is not None:
            agent_replies(ticket, received + timedelta(hours=hours))
    together = response_times_compute(seller_account=account, periods=(7, 30, 90), now=NOW)
    assert together == {days: figures(account, days=days) for days in (7, 30, 90)}


def test_the_deadline_stored_on_arrival_decides(account):
    # A warranty policy of 8 h: the SLA engine set the message's deadline by it.
    SlaPolicy.objects.create(seller_account=account, ticket_kind=Ticket.Kind.WARRANTY, response_hours=8)
    ticket = TicketFactory(seller_account=account, kind=Ticket.Kind.WARRANTY)
    buyer_writes(ticket, SATURDAY)
    agent_replies(ticket, SATURDAY + timedelta(hours=9))
    assert figures(account).late == 1


def test_the_dashboards_figures_in_one_pass_equal_the_figures_alone(account):
    alice = UserFactory(username="alice")
    account.agents.add(alice)
    for days_ago, hours, assignee in ((1, 2, alice), (10, 30, None), (40, 5, alice), (80, None, None)):
        ticket = TicketFactory(seller_account=account, assignee=assignee)
        received = NOW - timedelta(days=days_ago)
        buyer_writes(ticket, received)
        if hours is not None:
            agent_replies(ticket, received + timedelta(hours=hours))
    figures_ = response_figures(seller_account=account, periods=(7, 30, 90), breakdown_days=30, now=NOW)
    assert figures_.periods == response_times_compute(seller_account=account, periods=(7, 30, 90), now=NOW)
    assert figures_.by_agent == response_time_by_agent(seller_account=account, days=30, now=NOW)


# --- Per team ---------------------------------------------------------------------------


def team_of(name, *members, accounts=()):
    team = Team.objects.create(name=name)
    team.members.add(*members)
    team.seller_accounts.add(*accounts)
    return team


def conversation(account, assignee, *, reply_after_hours=None):
    ticket = TicketFactory(seller_account=account, assignee=assignee)
    buyer_writes(ticket, SATURDAY)
    if reply_after_hours is not None:
        agent_replies(ticket, SATURDAY + timedelta(hours=reply_after_hours))


def test_a_teams_figures_are_its_members_tickets(account, alice, bob, charlie):
    team = team_of("Mornings", alice, bob)
    conversation(account, alice, reply_after_hours=2)
    conversation(account, bob, reply_after_hours=30)
    conversation(account, None)
    result = figures(account, team_id=team.pk)
    assert (result.messages, result.within_sla, result.late, result.unanswered) == (2, 1, 1, 0)


def test_an_agent_in_two_teams_counts_for_both(account, alice, bob):
    team_of("Mornings", alice)
    team_of("Escalations", alice, bob)
    conversation(account, alice)
    rows = response_time_by_team(seller_account=account, days=7, now=NOW)
    assert [(r["team"], r["unanswered"]) for r in rows] == [("Escalations", 1), ("Mornings", 1)]


def test_the_team_breakdown_adds_up_its_members_rows(account, alice, bob):
    team_of("Mornings", alice, bob)
    conversation(account, alice, reply_after_hours=2)
    conversation(account, bob)
    agents = {r["assignee"]: r for r in response_time_by_agent(seller_account=account, days=7, now=NOW)}
    [team] = response_time_by_team(seller_account=account, days=7, now=NOW)
    assert team["within_sla"] == agents["alice"]["within_sla"] + agents["bob"]["within_sla"]
    assert team["unanswered"] == agents["alice"]["unanswered"] + agents["bob"]["unanswered"]


def test_a_team_of_another_account_is_not_listed(account, other_account, alice):
    team_of("Grinders crew", alice, accounts=[other_account])
    conversation(account, alice)
    assert response_time_by_team(seller_account=account, days=7, now=NOW) == []


def test_teams_of_the_account_and_of_every_account_are_listed(account, other_account, alice):
    mine = team_of("Espresso crew", alice, accounts=[account, other_account])
    everyone = team_of("All hands", alice)
    team_of("Grinders crew", alice, accounts=[other_account])
    assert account_teams(seller_account=account) == [
        (everyone.pk, "All hands", [alice.pk]),
        (mine.pk, "Espresso crew", [alice.pk]),
    ]


def test_one_agents_figures_follow_their_assigned_tickets(account, alice, bob):
    conversation(account, alice, reply_after_hours=30)
    conversation(account, bob, reply_after_hours=1)
    result = figures(account, assignee_id=alice.pk)
    assert (result.messages, result.late) == (1, 1)


def test_a_team_without_members_has_nothing_to_count(account, alice):
    conversation(account, alice)
    result = figures(account, team_id=team_of("Empty").pk)
    assert (result.messages, result.pending, result.average_response) == (0, 0, None)
