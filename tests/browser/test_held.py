"""A held reply in Chromium: the agent's reply contains a phrase the account's managers
want to see first (a "hold" phrase), so the guard's verdict is *held*: the reply is kept
on the ticket with the doubt marked, nothing is sent, and a manager approves it from the
"Held replies" page; the buyer-facing outbox row is then queued (and, with the eager
worker of the tests, sent)."""

import pytest
from playwright.sync_api import expect

from tickets.models import ForbiddenPhrase, HeldMessage, OutboundMessage, PhraseAction, Ticket

# Transactional (the live server reads what the test writes), like the other browser tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUMP = "Pump won't prime – machine only hums"
DOUBTFUL = "So sorry about the pump. Your machine comes with a lifetime guarantee, so a new pump ships today."


def test_a_held_reply_is_approved_by_a_manager_and_queued_for_the_buyer(log_in, page, screenshot):
    ticket = Ticket.objects.get(subject=PUMP)
    # What a manager set up in the admin: this phrase needs their approval before it is sent.
    ForbiddenPhrase.objects.create(
        seller_account=ticket.seller_account, phrase="lifetime guarantee", action=PhraseAction.HOLD
    )

    log_in("agent")
    page.goto(f"/tickets/{ticket.pk}/")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Message").fill(DOUBTFUL)
    live = page.locator("#compliance")
    expect(live).to_contain_text("would be held for a manager's approval")
    expect(live.locator("mark").first).to_have_text("lifetime guarantee")
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_text("Held for approval")).to_be_visible()
    card = page.get_by_role("article", name="Held reply")
    expect(card).to_contain_text("Held for a manager's approval")
    expect(card.locator("mark")).to_have_text("lifetime guarantee")
    expect(card.get_by_role("button", name="Approve & send")).to_have_count(0)  # agents cannot approve
    screenshot(page, "held-reply-agent")
    assert not OutboundMessage.objects.filter(ticket=ticket).exists()
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at is not None  # the buyer still waits

    page.get_by_role("button", name="Log out").click()
    log_in("manager")
    page.get_by_role("link", name="Held replies").click()
    expect(page.get_by_role("heading", name="Held replies")).to_be_visible()
    queued = page.get_by_role("article", name="Held reply").filter(has_text="new pump ships today")
    screenshot(page, "held-replies-queue")
    queued.get_by_role("button", name="Approve & send").click()

    expect(page.get_by_text("Approved: the reply is queued for delivery to the buyer.")).to_be_visible()
    expect(page.get_by_text("No replies are waiting for approval.")).to_be_visible()
    outbound = OutboundMessage.objects.get(ticket=ticket)
    assert (outbound.body, outbound.status in ("queued", "sending", "sent")) == (DOUBTFUL, True)
    assert HeldMessage.objects.get(ticket=ticket).outbound == outbound
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at is None  # answered at the approval

    page.goto(f"/tickets/{ticket.pk}/")
    expect(page.get_by_role("article", name="Held reply")).to_contain_text("Approved by")
    screenshot(page, "held-reply-approved")
