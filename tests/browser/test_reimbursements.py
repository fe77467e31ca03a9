"""The desk's FBA reimbursements in Chromium: the agent opens the queue, copies a claim's text
for Seller Central, files it there (outside the desk) and records Amazon's case id."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reimbursements.models import ReimbursementCase
from reimbursements.rules import reconcile
from tests.reimbursements.fba import refund
from tickets.models import SellerAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_copies_the_claim_text_and_records_the_filing(log_in, page, context, screenshot, live_server):
    account = SellerAccount.objects.get(name="Brewline Espresso")
    refund(account, order="111-7777777-0000001", at=timezone.now() - timedelta(days=75), amount="89.00")
    reconcile(seller_account=account, now=timezone.now())
    case = ReimbursementCase.objects.get(seller_account=account)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    log_in("agent")
    page.get_by_role("link", name="Reimbursements").first.click()
    expect(page.get_by_role("heading", name="FBA reimbursements")).to_be_visible()
    row = page.locator(f'tr[data-case="{case.pk}"]')
    expect(row).to_contain_text("111-7777777-0000001")
    screenshot(page, "reimbursements-queue")
    row.get_by_role("button", name="Copy claim text").click()
    expect(row.get_by_role("button", name="Copied")).to_be_visible()
    assert "Order ID: 111-7777777-0000001" in page.evaluate("navigator.clipboard.readText()")

    row.get_by_placeholder("Amazon case id").fill("1234567890")
    row.get_by_role("button", name="Filed").click()
    expect(page.locator(".flash")).to_contain_text("recorded as filed with Amazon case 1234567890")
    screenshot(page, "reimbursements-filed")
    case.refresh_from_db()
    assert (case.status, case.amazon_case_id) == ("filed", "1234567890")
