"""The workspace's lists read in one statement (tickets.jsonrows): they must hold exactly
what the ORM reads, on SQLite and on PostgreSQL, and the page must show them as before."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from tests.factories import (
    AtoZClaimFactory,
    ChargebackFactory,
    OrderFactory,
    OrderItemFactory,
    ProductReviewFactory,
    SellerFeedbackFactory,
    TicketFactory,
)
from tickets.jsonrows import ListsStatement
from tickets.models import OrderEvent, Ticket
from tickets.replies import ticket_reply
from tickets.selectors import WORKSPACE_LISTS, _workspace_lists, ticket_workspace
from tickets.services import ticket_note_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_ticket(account, alice, buyer_writes, fbm_order):
    """A ticket with something in every list: a reply in the outbox, a note, two items, an
    event, a claim and a chargeback whose amounts end in zeros, feedback, a review, and the
    buyer's other orders and tickets."""
    order = fbm_order(account)
    OrderItemFactory(order=order, quantity=2, unit_price=Decimal("20.00"))
    ticket = buyer_writes(account, "The steam wand <b>drips</b>.", order=order)
    ticket_reply(ticket=ticket, body="Please descale it; guide attached.", actor=alice, channel="ui")
    ticket_note_add(ticket=ticket, body="Second time this month.", actor=alice)
    OrderEvent.objects.create(order=order, type="delivered", occurred_at=timezone.now(), carrier="UPS")
    AtoZClaimFactory(order=order, amount=Decimal("20.00"), currency="USD", reason="Not as described")
    ChargebackFactory(order=order, amount=Decimal("120.50"))
    SellerFeedbackFactory(order=order, rating=1, comment="Leaks", removed=True)
    ProductReviewFactory(product=order.items.order_by("pk").first().product, buyer=order.buyer, rating=3)
    OrderFactory(seller_account=account, buyer=order.buyer, purchased_at=timezone.now() - timedelta(days=40))
    TicketFactory(seller_account=account, buyer=order.buyer, subject="Earlier question")
    return Ticket.objects.select_related("buyer", "order", "seller_account").get(pk=ticket.pk)


def _as_read_by_the_orm(model, instances, fields):
    """The same rows and columns read by the ORM, in the workspace's order."""
    by_pk = {row["id"]: row for row in model._default_manager.filter(pk__in=[i.pk for i in instances]).values(*fields)}
    return [by_pk[i.pk] for i in instances]


def _as_read_from_json(instance, fields):
    row = {}
    for name in fields:
        relation, _, field = name.partition("__")
        # A missing reverse one-to-one (a message not sent through the outbox) raises, as
        # after select_related.
        try:
            related = getattr(instance, relation) if field else instance
        except ObjectDoesNotExist:
            related = None
        row[name] = None if related is None else getattr(related, field or name)
    return row


def test_every_list_holds_what_the_orm_reads(busy_ticket):
    workspace = ticket_workspace(ticket=busy_ticket)
    read = {
        "conversation": workspace.conversation,
        "items": workspace.items,
        "events": workspace.order_events,
        "claims": workspace.claims,
        "chargebacks": workspace.chargebacks,
        "buyer_orders": workspace.buyer_orders,
        "buyer_tickets": workspace.buyer_tickets,
        "buyer_reviews": workspace.buyer_reviews,
        "buyer_feedback": workspace.buyer_feedback,
        "agents": workspace.agents,
    }
    for name, (model, _queryset, fields) in _workspace_lists().items():
        if name not in read:
            continue
        assert read[name], f"the fixture leaves {name} empty"
        from_json = [_as_read_from_json(instance, fields) for instance in read[name]]
        assert from_json == _as_read_by_the_orm(model, read[name], fields), name
    # Types as the ORM gives them: exact money, aware datetimes, booleans.
    claim = workspace.claims[0]
    assert claim.amount == Decimal("20.00") and str(claim.amount) == "20.00"
    assert timezone.is_aware(claim.filed_at)
    assert workspace.buyer_feedback[0].removed is True


def test_related_rows_come_with_the_list_or_as_none(busy_ticket, django_assert_num_queries):
    workspace = ticket_workspace(ticket=busy_ticket)
    inbound, outbound, note = workspace.conversation
    with django_assert_num_queries(0):
        assert inbound.author is None
        assert outbound.outbound.status == "queued"
        assert note.author.username == "alice"
        assert workspace.items[0].product.asin == "B0ESPRESS1"
        assert inbound.ticket is busy_ticket


def test_the_lists_are_one_statement_and_one_more_for_an_order_that_may_count_toward_odr(
    account, buyer_writes, fbm_order, busy_ticket, django_assert_num_queries
):
    quiet = buyer_writes(account, "Which grind size?", order=fbm_order(account))
    quiet = Ticket.objects.select_related("buyer", "order", "seller_account").get(pk=quiet.pk)
    with django_assert_num_queries(1):
        ticket_workspace(ticket=quiet)
    with django_assert_num_queries(2):
        assert ticket_workspace(ticket=busy_ticket).counts_toward_odr


def test_a_ticket_without_an_order_still_lists_the_buyers_orders(account, buyer_writes):
    order = OrderFactory(seller_account=account)
    ticket = buyer_writes(account, "Do you ship to Canada?", buyer=order.buyer)
    workspace = ticket_workspace(ticket=ticket)
    assert ticket.order is None
    assert [o.pk for o in workspace.buyer_orders] == [order.pk]
    assert workspace.items == workspace.claims == workspace.order_events == []


def test_the_page_shows_money_as_the_orm_formats_it(alice_client, busy_ticket):
    html = alice_client.get(f"/tickets/{busy_ticket.pk}/").content.decode()
    assert "Not as described · 20.00 USD" in html
    assert "120.50" in html
    assert "The steam wand &lt;b&gt;drips&lt;/b&gt;." in html


def test_an_unknown_row_is_does_not_exist():
    with pytest.raises(Ticket.DoesNotExist):
        WORKSPACE_LISTS.fetch(-1)


def test_the_statement_has_no_value_frozen_at_its_first_compile():
    """It is compiled once per process: a list filtered on a Python value (a date, an id)
    instead of the ticket's columns would keep the first value for ever."""
    from django.db import connection

    first = ListsStatement(Ticket, _workspace_lists)._compile(connection)[:2]
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        later = ListsStatement(Ticket, _workspace_lists)._compile(connection)[:2]
    assert first == later
