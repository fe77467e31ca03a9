"""The desk under its Content-Security-Policy in Chromium: the queue and the workspace
(the reply box and its live compliance check, htmx swaps) work without a single violation,
and an inline script is refused."""

import pytest
from playwright.sync_api import Page, expect

from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUMP = "Pump won't prime – machine only hums"
# Registered before any page script: every violation the browser reports is kept.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def violations(page: Page):
    """The page's CSP violations: securitypolicyviolation events and console reports."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None
    )

    def seen() -> list[str]:
        return [*page.evaluate("window.__cspViolations || []"), *console]

    return seen


def test_the_queue_runs_without_a_csp_violation(log_in, violations):
    page = log_in("agent")
    page.get_by_role("navigation", name="Queue views").get_by_role("link", name="At risk").click()
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert violations() == []


def test_the_workspace_and_its_live_check_run_without_a_csp_violation(log_in, violations):
    page = log_in("agent")
    page.goto(f"/tickets/{Ticket.objects.get(subject=PUMP).pk}/")
    page.get_by_label("Message").fill("We'll refund you if you update your review")
    expect(page.locator("#compliance")).to_contain_text("This message would be refused")
    page.get_by_label("Template").select_option(label="Espresso machine: priming the pump")
    expect(page.locator("#compliance")).to_contain_text("Within Amazon's messaging rules")
    page.wait_for_load_state("networkidle")
    assert violations() == []


def test_an_inline_script_is_refused_by_the_policy(log_in, violations):
    page = log_in("agent")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert (page.evaluate("window.__ran === undefined"), any("script-src" in v for v in violations())) == (True, True)
