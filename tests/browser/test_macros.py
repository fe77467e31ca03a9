"""A macro in Chromium: the reply box says what it will also do, one send does it all."""

import pytest
from playwright.sync_api import expect

from tickets.models import MessageTemplate, SellerAccount, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUMP = "Pump won't prime – machine only hums"


@pytest.fixture
def escalate(demo):
    return MessageTemplate.objects.create(
        seller_account=SellerAccount.objects.get(name="Brewline Espresso"),
        name="Escalate: urgent, note for the lead",
        slug="escalate_urgent",
        body="Thank you for the details. A specialist will write to you today with the next step.",
        sets_status=Ticket.Status.PENDING,
        sets_priority=Ticket.Priority.URGENT,
        sets_kind=Ticket.Kind.SETUP,
        adds_note="Escalated: pump fault after priming guide.",
    )


def test_an_agent_applies_a_macro_with_one_send(log_in, escalate, screenshot):
    ticket = Ticket.objects.get(subject=PUMP)
    page = log_in("agent")
    page.goto(f"/tickets/{ticket.pk}/")
    page.get_by_label("Template").select_option(label=escalate.name)
    notice = page.locator("#macro-notice")
    expect(notice).to_contain_text("the priority to Urgent")
    expect(notice).to_contain_text("Escalated: pump fault")
    screenshot(page, "workspace-macro")
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_text(f"macro “{escalate.name}” applied")).to_be_visible()
    expect(page.locator(".msg.note")).to_contain_text("Escalated: pump fault after priming guide.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.kind) == ("pending", Ticket.Priority.URGENT, "setup")
