"""Merging a buyer's duplicate tickets in Chromium: chosen in the queue, previewed, merged;
the merged ticket leads to the survivor."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import BuyerFactory, MessageFactory, TicketFactory
from tickets.models import SellerAccount, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def twice_asked(demo):
    """A buyer who asked about the same parcel in two tickets, both with the demo agent."""
    account = SellerAccount.objects.get(name="Brewline Espresso")
    agent = get_user_model().objects.get(username="agent")
    buyer = BuyerFactory(seller_account=account, name="Robin Duplicate")
    now = timezone.now()
    tickets = []
    for hours, subject, body in ((6, "Tamper missing from box", "No tamper in the box."), (2, "Tamper??", "Hello?")):
        ticket = TicketFactory(
            seller_account=account,
            buyer=buyer,
            subject=subject,
            assignee=agent,
            created_at=now - timedelta(hours=hours),
            sla_due_at=now + timedelta(hours=24 - hours),
            last_message_at=now - timedelta(hours=hours),
        )
        MessageFactory(ticket=ticket, body=body, response_due_at=ticket.sla_due_at)
        tickets.append(ticket)
    return tickets


def test_an_agent_merges_two_tickets_of_one_buyer_from_the_queue(log_in, twice_asked, screenshot):
    older, newer = twice_asked
    page = log_in("agent")
    page.get_by_label(f"Select ticket {older.pk}").check()
    page.get_by_label(f"Select ticket {newer.pk}").check()
    page.get_by_role("button", name="Merge…").click()

    preview = page.locator("#merge-preview")
    expect(preview).to_contain_text("1 buyer message")
    expect(preview).to_contain_text(f"#{newer.pk} Tamper??")
    screenshot(page, "merge-preview")
    page.get_by_role("button", name=f"Merge 1 ticket into #{older.pk}").click()

    expect(page.get_by_text(f"Merged #{newer.pk} into this ticket")).to_be_visible()
    expect(page.locator(".conversation")).to_contain_text("Hello?")
    page.goto(f"/tickets/{newer.pk}/")
    expect(page.get_by_text(f"Ticket #{newer.pk} was merged into #{older.pk}")).to_be_visible()
    assert Ticket.objects.get(pk=newer.pk).merged_into_id == older.pk


def test_a_merge_with_another_buyers_ticket_says_why_it_is_refused(log_in, twice_asked):
    older, _ = twice_asked
    stranger = Ticket.objects.filter(seller_account=older.seller_account).exclude(buyer=older.buyer).first()
    page = log_in("agent")
    page.goto(f"/tickets/{older.pk}/merge/?tickets={stranger.pk}")
    expect(page.locator("#merge-refusal")).to_contain_text("another buyer's")
