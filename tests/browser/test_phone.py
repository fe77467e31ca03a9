"""The desk at phone width (390 px, an iPhone 12 to 15) and at the narrowest supported
(360 px): nothing wider than the screen, the side panel below the conversation, a full-width
reply box that sends, the header's *Log out* on screen."""

import pytest
from playwright.sync_api import Page, expect

from tickets.models import OutboundMessage, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUMP = "Pump won't prime – machine only hums"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


def assert_no_horizontal_scroll(page: Page) -> None:
    width, scroll_width = page.evaluate("[innerWidth, document.documentElement.scrollWidth]")
    assert scroll_width <= width, f"the page is {scroll_width} px wide on a {width} px screen"


def assert_on_screen(page: Page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box


def test_the_login_page_fits_a_phone(phone, demo, screenshot):
    phone.goto("/login/")
    assert_no_horizontal_scroll(phone)
    assert_on_screen(phone, phone.get_by_role("button", name="Sign in"))
    screenshot(phone, "phone-login")


@pytest.mark.parametrize("view", ["mine", "open", "at_risk", "solved"])
def test_the_queue_fits_a_phone_as_cards(phone, log_in, screenshot, view):
    log_in("agent")
    phone.goto(f"/queue/{view}/")
    expect(phone.locator("#queue-results")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_on_screen(phone, phone.get_by_role("button", name="Log out"))
    assert_on_screen(phone, phone.get_by_role("searchbox", name="Search"))
    first = phone.locator("tr[data-href]").first
    if first.count():
        assert_on_screen(phone, first.locator("a.subject"))
    screenshot(phone, f"phone-queue-{view}")


def test_a_manager_with_every_account_in_the_header_still_fits(phone, log_in, screenshot):
    log_in("manager")
    assert_no_horizontal_scroll(phone)
    assert_on_screen(phone, phone.get_by_role("button", name="Log out"))
    screenshot(phone, "phone-queue-manager")


def test_the_workspace_on_a_phone_puts_the_side_panel_below_and_sends_a_reply(phone, log_in, screenshot):
    ticket = Ticket.objects.get(subject=PUMP)
    log_in("agent")
    phone.goto(f"/tickets/{ticket.pk}/")
    phone.wait_for_load_state("networkidle")
    assert_no_horizontal_scroll(phone)

    conversation = phone.locator(".conversation").bounding_box()
    side = phone.locator("aside.side").bounding_box()
    assert side["y"] >= conversation["y"] + conversation["height"], "the side panel covers the conversation"
    box = phone.get_by_label("Message")
    assert box.bounding_box()["width"] >= PHONE["width"] - 60, "the reply box is not full width"
    screenshot(phone, "phone-workspace")

    box.fill("The new pump ships today; tracking follows by message.")
    send = phone.get_by_role("button", name="Send reply")
    assert_on_screen(phone, send)
    send.click()
    expect(phone.get_by_text("Reply queued for delivery to the buyer.")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert OutboundMessage.objects.filter(ticket=ticket, body__startswith="The new pump ships today").exists()
    screenshot(phone, "phone-workspace-replied")


def test_the_outreach_pages_fit_a_phone(phone, log_in, screenshot):
    log_in("agent")
    phone.goto("/outreach/")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "phone-outreach")
    case = phone.locator("a.subject").first
    if case.count():
        case.click()
        phone.wait_for_load_state("load")
        assert_no_horizontal_scroll(phone)
        screenshot(phone, "phone-outreach-case")


def test_the_narrowest_supported_phone_has_no_horizontal_scroll(page, log_in):
    page.set_viewport_size({"width": 360, "height": 740})
    ticket = Ticket.objects.get(subject=PUMP)
    log_in("agent")
    for path in ("/queue/open/", f"/tickets/{ticket.pk}/", "/outreach/"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert_no_horizontal_scroll(page)


def test_a_tablet_shows_the_side_panel_below_the_reply_box(page, log_in):
    page.set_viewport_size({"width": 820, "height": 1180})
    ticket = Ticket.objects.get(subject=PUMP)
    log_in("agent")
    page.goto(f"/tickets/{ticket.pk}/")
    assert_no_horizontal_scroll(page)
    composer = page.locator("#reply-form").bounding_box()
    assert page.locator("aside.side").bounding_box()["y"] >= composer["y"] + composer["height"]
