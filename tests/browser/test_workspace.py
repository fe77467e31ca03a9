"""The ticket workspace in Chromium: replying with a template, the compliance guard's
live check and refusal, "No response needed", solving while the buyer still waits, time
zones, buyer text shown as text."""

import re
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import dateformat
from playwright.sync_api import expect

from tickets.models import BlockedMessage, OutboundMessage, Ticket

from .conftest import HOSTILE_BODY, HOSTILE_NAME, HOSTILE_SUBJECT, TIMEZONE

# Transactional (the live server reads what the test writes): they run after every other
# test, since their flush also removes what the migrations installed (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUMP = "Pump won't prime – machine only hums"
THANKS = "Thank you – great crema"
INCENTIVE = "We'll refund you if you update your review"


def _reply_due(ticket: Ticket) -> str:
    """The workspace's "(reply due …)" in the agent's zone, formatted as the template does."""
    return "reply due " + dateformat.format(ticket.sla_due_at.astimezone(ZoneInfo(TIMEZONE)), "D j M, H:i T")


def test_an_agent_answers_an_at_risk_ticket_with_a_template(log_in, screenshot):
    page = log_in("agent")
    page.get_by_role("navigation", name="Queue views").get_by_role("link", name="At risk").click()
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    screenshot(page, "queue-at-risk")
    page.get_by_role("link", name=PUMP).click()
    expect(page.get_by_role("heading", name=PUMP)).to_be_visible()

    page.get_by_label("Template").select_option(label="Espresso machine: priming the pump")
    expect(page.get_by_label("Message")).to_have_value(re.compile(r"air lock from shipping"))
    expect(page.locator("#compliance")).to_contain_text("Within Amazon's messaging rules")
    screenshot(page, "workspace-priming-guide")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply queued for delivery to the buyer.")).to_be_visible()
    screenshot(page, "workspace-replied")

    page.goto("/queue/at_risk/")
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    expect(page.get_by_role("link", name=PUMP)).to_have_count(0)


def test_the_reply_box_warns_live_and_refuses_an_incentive_for_a_review(log_in, screenshot):
    ticket = Ticket.objects.get(subject=PUMP)
    page = log_in()
    page.goto(f"/tickets/{ticket.pk}/")
    page.wait_for_load_state("networkidle")  # the empty box's own check has answered

    page.get_by_label("Message").fill(INCENTIVE)
    live = page.locator("#compliance")
    expect(live).to_contain_text("This message would be refused")
    expect(live).to_contain_text("Do not connect a review or feedback with anything of value")  # a sentence
    expect(live).not_to_contain_text("review_incentive")  # not a rule id
    expect(live.locator("mark").first).to_contain_text("refund you")
    screenshot(page, "workspace-live-check")
    page.get_by_role("button", name="Send reply").click()

    refusal = page.get_by_role("alert").filter(has_text="Not sent")
    expect(refusal).to_contain_text("breaks Amazon's messaging rules")
    expect(refusal).to_contain_text("a refund or replacement must never depend on a review")
    screenshot(page, "workspace-refused")
    assert not OutboundMessage.objects.filter(body__contains="update your review").exists()
    assert BlockedMessage.objects.filter(ticket=ticket, body=INCENTIVE).exists()


def test_the_reply_box_shows_a_paused_live_check_calmly_and_still_refuses_on_send(log_in, settings, screenshot):
    # One check a minute: the empty box's own check on load uses it up.
    settings.COMPLIANCE_LIVE_CHECK_RATE = "1/minute"
    ticket = Ticket.objects.get(subject=PUMP)
    page = log_in()
    with time_machine.travel((time.time() // 60 + 1) * 60, tick=True):  # one window for the whole test
        page.goto(f"/tickets/{ticket.pk}/")
        page.wait_for_load_state("networkidle")
        page.get_by_label("Message").fill(INCENTIVE)
        expect(page.locator("#compliance")).to_contain_text("Live check paused")
        screenshot(page, "workspace-live-check-paused")
        page.get_by_role("button", name="Send reply").click()
        expect(page.get_by_role("alert").filter(has_text="Not sent")).to_contain_text("breaks Amazon's messaging rules")
    assert not OutboundMessage.objects.filter(body=INCENTIVE).exists()


def test_no_response_needed_solves_a_thank_you(log_in):
    # The demo leaves this thank-you for the agent: new, its 24-hour clock running.
    ticket = Ticket.objects.get(subject=THANKS)
    assert ticket.sla_due_at is not None
    page = log_in()
    page.goto("/queue/open/")
    page.get_by_role("link", name=THANKS).click()

    page.get_by_role("button", name="No response needed").click()
    expect(page.get_by_text("Marked “no response needed”")).to_be_visible()
    page.goto("/queue/open/")

    expect(page.get_by_role("heading", name="All open")).to_be_visible()
    expect(page.get_by_role("link", name=THANKS)).to_have_count(0)
    ticket.refresh_from_db()
    assert (ticket.no_response_needed, ticket.status) == (True, Ticket.Status.SOLVED)


def test_solving_with_the_buyer_still_waiting_asks_first_and_solve_anyway_keeps_the_clock(log_in, screenshot):
    ticket = Ticket.objects.get(subject=PUMP)
    before = ticket.status
    page = log_in()
    page.goto(f"/tickets/{ticket.pk}/")

    page.keyboard.press("e")  # the Solve shortcut
    question = page.get_by_role("alertdialog", name="The buyer is still waiting for an answer")
    expect(question).to_contain_text("1 buyer message is still unanswered")
    screenshot(page, "workspace-buyer-still-waiting")
    ticket.refresh_from_db()
    assert ticket.status == before != Ticket.Status.SOLVED  # nothing changed yet

    question.get_by_role("button", name="Solve anyway (the message still counts)").click()
    expect(page.get_by_text("its clock keeps running")).to_be_visible()
    expect(page.locator(".tickethead .badge.solved")).to_be_visible()
    expect(page.locator(".tickethead")).to_contain_text(_reply_due(ticket))
    page.goto("/queue/at_risk/")
    expect(page.get_by_role("link", name=PUMP)).to_be_visible()


def test_the_question_offers_reply_and_no_response_needed(log_in):
    ticket = Ticket.objects.get(subject=PUMP)
    page = log_in()
    page.goto(f"/tickets/{ticket.pk}/")
    page.get_by_role("button", name="Solve", exact=True).click()
    question = page.get_by_role("alertdialog", name="The buyer is still waiting for an answer")

    question.get_by_role("link", name="Reply").click()
    expect(page.get_by_label("Message")).to_be_focused()

    question.get_by_role("button", name="Mark “no response needed” & solve").click()
    expect(page.get_by_text("Ticket updated.")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.sla_due_at) == (Ticket.Status.SOLVED, None)
    page.goto("/queue/at_risk/")
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    expect(page.get_by_role("link", name=PUMP)).to_have_count(0)


def test_the_reply_due_time_is_shown_in_the_agents_time_zone(log_in):
    ticket = Ticket.objects.get(subject=PUMP)
    page = log_in()

    page.goto(f"/tickets/{ticket.pk}/")

    expect(page.locator(".tickethead")).to_contain_text(_reply_due(ticket))


def test_the_first_visit_sets_the_browsers_time_zone(context, log_in):
    ticket = Ticket.objects.get(subject=PUMP)
    page = log_in()
    # As on a first visit: desk.js finds no zone cookie, stores the browser's and reloads once.
    context.clear_cookies(name="desk_tz")

    # Followed like a link, not awaited: desk.js reloads the page before it finishes
    # loading, which a waiting page.goto reports as an aborted navigation.
    page.evaluate("url => { location.href = url; }", f"/tickets/{ticket.pk}/")

    expect(page.locator(".tickethead")).to_contain_text(_reply_due(ticket))


def test_buyer_text_in_the_workspace_is_shown_as_text(log_in, hostile_ticket, screenshot):
    page = log_in()

    page.goto(f"/tickets/{hostile_ticket.pk}/")

    expect(page.get_by_role("heading", name=HOSTILE_SUBJECT)).to_be_visible()
    expect(page.locator(".conversation")).to_contain_text(HOSTILE_BODY)
    expect(page.locator(".conversation")).to_contain_text(HOSTILE_NAME)
    screenshot(page, "workspace-escaped")
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
