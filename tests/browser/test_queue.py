"""The queue in Chromium: views, keyboard shortcuts, buyer text shown as text."""

import pytest
from playwright.sync_api import expect

from .conftest import HOSTILE_BODY, HOSTILE_NAME, HOSTILE_SUBJECT

# Transactional (the live server reads what the test writes): they run after every other
# test, since their flush also removes what the migrations installed (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_question_mark_shows_the_keyboard_shortcuts(log_in):
    page = log_in()
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_hidden()

    page.keyboard.press("?")

    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("Next / previous ticket in the queue")


def test_j_k_and_o_open_the_selected_ticket(log_in, screenshot):
    page = log_in()
    rows = page.locator("tr[data-href]")
    expect(rows.nth(1)).to_be_visible()

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")  # down three, up one: the second row
    expect(rows.nth(1)).to_have_class("selected")
    screenshot(page, "queue-mine")
    second = rows.nth(1).get_attribute("data-href")
    page.keyboard.press("o")

    page.wait_for_url(f"**{second}")


def test_buyer_text_in_the_queue_is_shown_as_text(log_in, hostile_ticket):
    page = log_in()

    row = page.locator(f"tr[data-ticket='{hostile_ticket.pk}']")
    expect(row.get_by_role("link", name=HOSTILE_SUBJECT)).to_be_visible()
    expect(row).to_contain_text(HOSTILE_BODY)  # the preview
    expect(row).to_contain_text(HOSTILE_NAME)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
