"""The sidebar's queue counts are kept per person until a ticket they cover is written."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.counts import SETTLE_SECONDS, queue_counts_cached
from tickets.models import Ticket
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db


def counts(user, now=None):
    return queue_counts_cached(user=user, now=now or timezone.now())


def settled():
    """Later than a write's transaction can take: counts made now are kept."""
    return time_machine.travel(timezone.now() + timedelta(seconds=SETTLE_SECONDS + 1))


def test_kept_counts_are_read_without_a_query(alice, account, django_assert_num_queries):
    TicketFactory(seller_account=account)
    with settled():
        first = counts(alice)
        with django_assert_num_queries(0):
            assert counts(alice) == first


def test_an_agents_own_change_shows_in_the_next_counts(alice, account):
    ticket = TicketFactory(seller_account=account)
    with settled():
        assert counts(alice)["mine"] == 0
        ticket_update(ticket=ticket, actor=alice, assignee=alice)
        assert counts(alice)["mine"] == 1


def test_a_colleagues_change_shows_in_the_next_counts(alice, bob, account):
    ticket = TicketFactory(seller_account=account)
    with settled():
        assert counts(alice)["open"] == 1
        ticket_update(ticket=ticket, actor=bob, status=Ticket.Status.PENDING)
        assert (counts(alice)["open"], counts(alice)["waiting"]) == (0, 1)


def test_a_new_ticket_shows_in_a_managers_next_counts(manager, account, other_account):
    TicketFactory(seller_account=account)
    with settled():
        assert counts(manager)["open"] == 1
        TicketFactory(seller_account=other_account)
        assert counts(manager)["open"] == 2


def test_a_deleted_ticket_leaves_the_next_counts(alice, account):
    ticket = TicketFactory(seller_account=account)
    with settled():
        assert counts(alice)["open"] == 1
        ticket.delete()
        assert counts(alice)["open"] == 0


def test_another_accounts_tickets_leave_an_agents_kept_counts_alone(
    alice, account, other_account, django_assert_num_queries
):
    TicketFactory(seller_account=account)
    with settled():
        counts(alice)
        TicketFactory(seller_account=other_account)
        with django_assert_num_queries(0):
            counts(alice)


def test_counts_made_just_after_a_write_are_not_kept(alice, account, django_assert_num_queries):
    # The write's transaction may not have committed when another page counted.
    TicketFactory(seller_account=account)
    counts(alice)
    with django_assert_num_queries(1):  # counted again (which accounts: kept a while)
        assert counts(alice)["open"] == 1


def test_deadlines_passing_show_once_the_kept_counts_expire(alice, account, settings):
    settings.DESK_COUNTS_CACHE_SECONDS = 30
    TicketFactory(seller_account=account, sla_due_at=timezone.now() + timedelta(seconds=SETTLE_SECONDS + 20))
    with settled():
        now = timezone.now()
        assert counts(alice, now)["breached"] == 0
        assert counts(alice, now + timedelta(seconds=25))["breached"] == 0  # kept: no write
        assert counts(alice, now + timedelta(seconds=31))["breached"] == 1


def test_counts_are_not_kept_when_the_setting_is_zero(alice, account, settings, django_assert_num_queries):
    settings.DESK_COUNTS_CACHE_SECONDS = 0
    TicketFactory(seller_account=account)
    with settled():
        counts(alice)
        with django_assert_num_queries(1):
            assert counts(alice)["open"] == 1
