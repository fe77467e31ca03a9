"""The live queue and the search in Chromium: rows that arrive, move and change delivery
state while the agent watches; searching as one types, pastes and clears."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from tickets.intake.messages import inbound_message_receive
from tickets.models import Buyer, OutboundMessage, SellerAccount, Ticket
from tickets.outbound.services import outbound_deliver
from tickets.replies import ticket_reply
from tickets.services import ticket_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUMP = "Pump won't prime – machine only hums"
RESERVOIR = "Water reservoir arrived cracked"


@pytest.fixture
def fast_polls(settings):
    settings.DESK_QUEUE_POLL_SECONDS = 1


def test_a_new_ticket_appears_in_the_open_queue_without_a_reload(fast_polls, log_in, screenshot):
    page = log_in("agent")
    page.goto("/queue/open/")
    before = page.locator("tr[data-href]").count()
    expect(page).to_have_title(re.compile(rf"^All open \({before}\) · CSM Desk$"))
    account = SellerAccount.objects.get(name="Brewline Espresso")
    inbound_message_receive(
        seller_account=account,
        buyer=Buyer.objects.filter(seller_account=account).first(),
        body="The drip tray is missing from the box.",
        received_at=timezone.now(),
        subject="Drip tray missing",
        actor="test",
    )

    expect(page.get_by_role("link", name="Drip tray missing")).to_be_visible(timeout=10_000)
    expect(page).to_have_title(f"All open ({before + 1}) · CSM Desk")
    expect(page.locator("#count-open")).to_have_text(str(before + 1))
    assert page.url.endswith("/queue/open/")  # the poll left the address alone
    screenshot(page, "live-queue-new-ticket")


def test_a_ticket_reassigned_by_a_colleague_leaves_mine(fast_polls, log_in):
    page = log_in("agent")
    row = page.get_by_role("link", name=PUMP)
    expect(row).to_be_visible()
    ticket = Ticket.objects.get(subject=PUMP)
    colleague = get_user_model().objects.get(username="agent2")
    ticket.seller_account.agents.add(colleague)  # a second agent on Brewline
    ticket_update(ticket=ticket, actor="test", assignee=colleague)

    expect(row).to_have_count(0, timeout=10_000)


def test_a_replys_delivery_state_moves_from_queued_to_sent(fast_polls, log_in):
    ticket = Ticket.objects.get(subject=PUMP)
    agent = get_user_model().objects.get(username="agent")
    with mock.patch("tickets.outbound.services.outbound_enqueue"):  # the worker is late
        outbound = ticket_reply(ticket=ticket, body="A new pump ships today.", actor=agent, channel="ui")
    page = log_in("agent")
    page.goto("/queue/open/")
    row = page.locator(f"tr[data-ticket='{ticket.pk}']")
    expect(row.locator(".delivery")).to_have_text("Queued")

    assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.SENT

    expect(row.locator(".delivery")).to_have_text("Sent", timeout=10_000)


def test_search_answers_as_one_types_pastes_and_clears(log_in, screenshot):
    page = log_in("agent")
    page.goto("/queue/open/")
    everything = page.locator("tr[data-href]").count()
    search = page.get_by_role("searchbox", name="Search")

    search.press_sequentially("111-4065242", delay=40)  # typed: no Enter needed
    order_rows = page.locator("tr[data-href]", has_text="111-4065242-")
    expect(page.get_by_role("link", name=RESERVOIR)).to_be_visible()
    expect(page.locator("tr[data-href]")).to_have_count(order_rows.count())  # the order's tickets only
    assert order_rows.count() < everything
    expect(page).to_have_url(re.compile(r"/queue/open/\?q=111-4065242$"))  # only what is set
    screenshot(page, "search-order-id-prefix")

    search.fill("B0ESPRESS")  # pasted
    expect(page.get_by_role("link", name=PUMP)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/queue/open/\?q=B0ESPRESS$"))

    search.fill("")  # cleared
    expect(page.locator("tr[data-href]")).to_have_count(everything)
    expect(page).to_have_url(re.compile(r"/queue/open/$"))
