"""Message via Amazon in Chromium: an agent opens the menu beside Reply, Amazon (the local
sandbox) offers the order's types, the agent sends a warranty with its PDF, and the worker
delivers it through the Uploads and Messaging APIs."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from amazon.spapi.models import SpApiConnection
from amazon_sandbox import FakeClock, Sandbox, serve_in_thread
from tests.factories import OrderFactory, TicketFactory
from tickets.models import OutboundMessage, SellerAccount
from tickets.outbound.services import outbound_deliver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def amazon(settings):
    sandbox = Sandbox(clock=FakeClock(START), seed=1, orders=300, sellers=1)
    running = serve_in_thread(sandbox)
    settings.SPAPI_LWA_TOKEN_URL = f"{running.url}/auth/o2/token"
    yield sandbox, running.url
    running.stop()
    assert sandbox.violations == []


def test_an_agent_sends_a_warranty_with_its_pdf_through_amazon(amazon, log_in, page, screenshot, tmp_path):
    sandbox, url = amazon
    account = SellerAccount.objects.get(name="Brewline Espresso")
    account.marketplace_id = "ATVPDKIKX0DER"
    account.save(update_fields=["marketplace_id"])
    spid = sandbox.selling_partner_ids[0]
    connection = SpApiConnection(
        seller_account=account, selling_partner_id=spid, region="NA", endpoint=url, marketplace_ids=["ATVPDKIKX0DER"]
    )
    connection.refresh_token_set(sandbox.self_authorize(spid))
    connection.save()
    sandbox_order = next(
        o for o in sandbox.marketplaces[spid].visible(START) if o.is_delivered(START) and o.status(START) == "SHIPPED"
    )
    order = OrderFactory(seller_account=account, amazon_order_id=sandbox_order.order_id)
    ticket = TicketFactory(
        seller_account=account,
        buyer=order.buyer,
        order=order,
        subject="Warranty card missing from the box",
        assignee=get_user_model().objects.get(username="agent"),
    )
    pdf = tmp_path / "warranty.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% two-year warranty card\n")

    log_in("agent")
    page.goto(f"/tickets/{ticket.pk}/")
    page.get_by_role("link", name="Message via Amazon").click()
    menu = page.get_by_role("navigation", name="Message types")
    expect(menu.get_by_role("link", name="Warranty")).to_be_visible()
    expect(menu.get_by_role("link", name="Confirm delivery details")).to_have_count(0)  # delivered already
    menu.get_by_role("link", name="Warranty").click()
    page.get_by_label("Coverage from").fill("2026-06-15")
    page.get_by_label("to", exact=True).fill("2028-06-15")
    page.get_by_label("Attachments").set_input_files(str(pdf))
    screenshot(page, "message-via-amazon-warranty")
    page.get_by_role("button", name="Send via Amazon").click()

    expect(page.get_by_text("Warranty queued for Amazon's Messaging API")).to_be_visible()
    outbound = OutboundMessage.objects.get(ticket=ticket)
    if outbound.status != "sent":  # the tests' worker is eager; deliver here if it was not
        outbound_deliver(outbound_id=outbound.pk)
    sent = sandbox.contacts.messages[-1]
    uploaded = sandbox.contacts.uploads.destinations[sent["body"]["attachments"][0]["uploadDestinationId"]]
    assert (sent["action"], uploaded.content) == ("warranty", pdf.read_bytes())
    page.reload()
    expect(page.get_by_text("Warranty sent through Amazon's Messaging API")).to_be_visible()
    screenshot(page, "message-via-amazon-sent")
