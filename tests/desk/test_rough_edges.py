"""The rough edges a new user hits (issue #20): each as the user would notice it."""

from datetime import date, timedelta

import pytest
from django.core import mail

from metrics.charts import axis_top, odr_trend_svg
from tests.factories import BuyerFactory, OrderFactory, ProductReviewFactory, ReviewOutreachCaseFactory
from tickets.services import ticket_note_add

pytestmark = pytest.mark.django_db


def test_the_outreach_queue_lists_cases_nobody_can_contact_apart(alice_client, account):
    reachable = ReviewOutreachCaseFactory(
        review=ProductReviewFactory(seller_account=account, product__seller_account=account, title="Leaks")
    )
    reachable.review.buyer = BuyerFactory(seller_account=account)
    reachable.review.save()
    ReviewOutreachCaseFactory(
        review=ProductReviewFactory(seller_account=account, product__seller_account=account, title="Unlinked")
    )
    html = alice_client.get("/outreach/").content.decode()
    assert html.index("Leaks") < html.index("Cannot be contacted yet") < html.index("Unlinked")


def test_an_invalid_filter_shows_no_rows(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, subject="Visible only without a filter")
    html = alice_client.get("/queue/all_open/", {"kind": "no-such-kind"}).content.decode()
    assert ticket.subject not in html


def test_a_colleagues_internal_note_does_not_hold_a_reply_back(alice_client, account, buyer_writes, bob):
    ticket = buyer_writes(account)
    seen = ticket.messages.get().pk
    ticket_note_add(ticket=ticket, body="Bob: I called the courier.", actor=bob)
    data = {"mode": "reply", "body": "Your parcel arrives today.", "status_after": "pending", "seen_message_id": seen}
    assert alice_client.post(f"/tickets/{ticket.pk}/reply/", data).status_code == 302


def test_the_collision_notice_names_the_button_the_page_shows(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    seen = ticket.messages.get().pk
    buyer_writes(account, "Hello??", buyer=ticket.buyer)
    data = {"mode": "reply", "body": "On its way.", "status_after": "pending", "seen_message_id": seen}
    html = alice_client.post(f"/tickets/{ticket.pk}/reply/", data).content.decode()
    assert "press <b>Send anyway</b>" in html and 'data-reply-label="Send anyway"' in html


def test_a_refusal_is_said_in_a_sentence_not_a_rule_id(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    seen = ticket.messages.get().pk
    data = {"mode": "reply", "body": "We'll refund you if you update your review.", "seen_message_id": seen}
    html = alice_client.post(f"/tickets/{ticket.pk}/reply/", data).content.decode()
    refusal = html.split("Not sent: this message breaks")[1].split("</div>")[0]
    assert "_" not in refusal.replace("&#x27;", "'")


def test_the_odr_chart_axis_names_a_top_above_its_highest_point():
    today = date(2026, 12, 5)
    svg = odr_trend_svg(series={"FBM": [(today, 2.37)]}, until=today, days=30, target=1.0, warning=0.8)
    assert axis_top(2.37) == 2.5 and ">2.5%</text>" in svg


class TestSeededDemo:
    @pytest.fixture(autouse=True)
    def demo_settings(self, settings):
        settings.DEBUG = True
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def test_the_seeder_prints_the_odr_the_header_shows(self):
        from io import StringIO

        from django.core.management import call_command

        from metrics.models import MetricSnapshot

        out = StringIO()
        call_command("seed_demo", stdout=out, history_days=1)
        snapshot = MetricSnapshot.objects.get(
            seller_account__name="Brewline Espresso", metric="odr", channel="FBM", day=date.today()
        )
        assert f"= {snapshot.value:.2f}%" in out.getvalue()

    def test_running_the_demo_again_does_not_email_the_same_sla_alerts(self):
        import time_machine
        from django.utils import timezone

        from demo.desk import demo_seed
        from tickets.sla.sweep import sla_sweep

        demo_seed()
        sla_sweep()
        first = len(mail.outbox)
        with time_machine.travel(timezone.now() + timedelta(minutes=30)):
            demo_seed()  # make run, started again half an hour later
            sla_sweep()
        assert first > 0 and len(mail.outbox) == first


def test_bulk_assign_without_anyone_says_so(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, order=OrderFactory(seller_account=account))
    response = alice_client.post("/queue-bulk/", {"tickets": [ticket.pk], "operation": "assign"}, follow=True)
    assert "Choose who gets the tickets." in response.content.decode()
