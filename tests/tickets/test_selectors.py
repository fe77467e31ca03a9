"""The permission gate: agents see their own seller accounts, managers see all."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import TicketFactory
from tickets.access import seller_accounts_visible_to, tickets_visible_to

pytestmark = pytest.mark.django_db


def test_an_agent_sees_the_tickets_of_their_seller_account(alice, account):
    ticket = TicketFactory(seller_account=account)
    assert list(tickets_visible_to(alice)) == [ticket]


def test_a_teammate_sees_the_same_tickets(alice, bob, account):
    TicketFactory(seller_account=account)
    assert list(tickets_visible_to(bob)) == list(tickets_visible_to(alice))


def test_an_agent_of_another_account_sees_none_of_them(charlie, account):
    TicketFactory(seller_account=account)
    assert not tickets_visible_to(charlie).exists()
    assert account not in seller_accounts_visible_to(charlie)


def test_a_manager_sees_every_account(manager, account, other_account):
    TicketFactory(seller_account=account)
    TicketFactory(seller_account=other_account)
    assert tickets_visible_to(manager).count() == 2
    assert set(seller_accounts_visible_to(manager)) == {account, other_account}


def test_an_agent_in_two_accounts_sees_each_ticket_once(alice, account, other_account):
    other_account.agents.add(alice)
    TicketFactory(seller_account=account)
    TicketFactory(seller_account=other_account)
    assert tickets_visible_to(alice).count() == 2


def test_a_deactivated_agent_sees_nothing(alice, account):
    TicketFactory(seller_account=account)
    alice.is_active = False
    alice.save()
    assert not tickets_visible_to(alice).exists()


def test_an_anonymous_visitor_sees_nothing(account):
    TicketFactory(seller_account=account)
    assert not tickets_visible_to(AnonymousUser()).exists()
