"""The agent desk in a real browser: Debian's Chromium driven by Playwright against
pytest-django's live server, on the demo desk (``demo.desk.demo_seed``).

Never ``playwright install`` (no internet in CI): the browser is ``/usr/bin/chromium``
(``apt-get install -y chromium chromium-driver``; ``.ci/run`` installs it). Without it the
tests skip, so ``make test`` still passes on a machine without a browser.
"""

import importlib
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo.desk import demo_seed
from demo.desk.users import DEMO_PASSWORD
from metrics.services import metric_snapshots_backfill
from reviews.models import ReviewTheme
from tests.factories import BuyerFactory, MessageFactory, TicketFactory
from tickets.models import SellerAccount

User = get_user_model()

# Playwright's sync API keeps an event loop in the test thread; without this Django's ORM
# (the seed, the assertions on the database) refuses to run there (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEZONE = "Europe/Berlin"
VIEWPORT = {"width": 1440, "height": 900}
HOSTILE_SUBJECT = "Broken <script>window.__xss=1</script> grinder"
HOSTILE_BODY = 'It arrived broken <img src=x onerror="window.__xss=2"> <script>window.__xss=3</script>'
HOSTILE_NAME = '<img src=x onerror="window.__xss=4">'
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(f"no browser at {CHROMIUM}: apt-get install -y chromium chromium-driver")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A fixed screen and an agent in Berlin, so screenshots and shown times are reproducible.
    return {**browser_context_args, "viewport": VIEWPORT, "timezone_id": TIMEZONE}


@pytest.fixture(scope="session")
def base_url(live_server):
    # page.goto("/queue/") and friends go to the live server.
    return live_server.url


@pytest.fixture(autouse=True)
def desk_tz_cookie(context, live_server):
    """The cookie desk.js would set on the first visit (it then reloads the page once):
    set up front so a test's first page is already in the agent's zone."""
    context.add_cookies([{"name": "desk_tz", "value": TIMEZONE, "url": live_server.url}])


def _review_themes_again() -> None:
    """The review themes are installed by migrations, and an earlier transactional test's
    flush removed them (what a real desk never does): install them the way the migrations did,
    so the demo's 1–3★ reviews get their themes whatever ran before."""
    if ReviewTheme.objects.exists():
        return
    for module, install in (("0002_review_themes", "seed_themes"), ("0005_theme_polarity", "add_quality")):
        getattr(importlib.import_module(f"reviews.migrations.{module}"), install)(django_apps, None)


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo desk, written where the live server reads it, with today's account-health
    figures (as ``manage.py seed_demo`` records them) so the header's ODR badges show one."""
    _review_themes_again()
    summary = demo_seed()
    metric_snapshots_backfill(days=1, accounts=SellerAccount.objects.all())
    return summary


@pytest.fixture
def hostile_ticket(demo):
    """A buyer whose name, subject and message are markup that would run if the desk
    rendered buyer text as HTML (it is untrusted plain text)."""
    account = SellerAccount.objects.get(name="Brewline Espresso")
    buyer = BuyerFactory(seller_account=account, name=HOSTILE_NAME)
    ticket = TicketFactory(
        seller_account=account,
        buyer=buyer,
        subject=HOSTILE_SUBJECT,
        assignee=User.objects.get(username="agent"),
        sla_due_at=timezone.now() + timedelta(hours=20),
        last_message_at=timezone.now(),
    )
    MessageFactory(ticket=ticket, body=HOSTILE_BODY)
    return ticket


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def log_in(page: Page, demo):
    """Sign in through the login form as a demo user; the desk opens on the agent's own
    queue, on the view that needs a manager (``queue_landing_view``)."""

    def sign_in(username: str = "agent") -> Page:
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        landing = "Mine" if username == "agent" else re.compile("Breached|At risk|Unassigned|All open")
        expect(page.get_by_role("heading", level=1, name=landing)).to_be_visible()
        # The heading can paint before desk.js (deferred) has run: its shortcuts and
        # countdowns exist once the page has loaded.
        page.wait_for_load_state("load")
        return page

    return sign_in
