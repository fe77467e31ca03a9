"""seed_scale: benchmark-sized data with realistic shapes, refused twice without --append."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count

from reviews.models import ReviewOutreachCase
from tests.factories import MessageFactory, OrderFactory
from tickets.models import AtoZClaim, Buyer, Chargeback, Message, Order, SellerAccount, Ticket
from tickets.models.tickets import OPEN_STATUSES

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def seed(*args: str, orders: int = 300, tickets: int = 40) -> str:
    out = StringIO()
    call_command("seed_scale", "--orders", str(orders), "--tickets", str(tickets), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(frozen):
    seed()


@pytest.fixture
def seeded_more(frozen):
    # Enough orders for the rarer rows (about 30 defects) to show every kind.
    seed(orders=2000, tickets=150)


def test_it_creates_the_requested_numbers_of_orders_and_tickets(seeded):
    assert (Order.objects.count(), Ticket.objects.count()) == (300, 40)


def test_it_creates_a_few_seller_accounts(seeded):
    assert SellerAccount.objects.filter(merchant_id__startswith="SCALE").count() == 5


def test_it_reports_progress_and_the_elapsed_time(frozen):
    out = seed()
    assert "orders 300/300" in out
    assert re.search(r"seeded in \d+\.\d s", out)


def test_orders_mix_fba_and_fbm_about_sixty_forty(seeded):
    fba = Order.objects.filter(fulfillment_channel="FBA").count()
    assert 0.45 <= fba / 300 <= 0.75


def test_orders_are_spread_over_the_last_120_days(seeded):
    dates = Order.objects.values_list("purchased_at", flat=True)
    assert max(dates) <= NOW
    assert max(dates) - min(dates) > timedelta(days=110)


def test_every_order_has_one_to_three_items(seeded):
    item_counts = set(Order.objects.annotate(n=Count("items")).values_list("n", flat=True))
    assert item_counts <= {1, 2, 3}
    assert len(item_counts) > 1


def test_buyers_come_back_for_more_orders(seeded):
    assert Buyer.objects.count() < 300 * 0.7
    assert Buyer.objects.annotate(n=Count("orders")).filter(n__gte=2).exists()


def test_amazon_order_ids_are_unique_and_never_look_like_demo_data(seeded):
    ids = list(Order.objects.values_list("amazon_order_id", flat=True))
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"901-\d{7}-\d{7}", order_id) for order_id in ids)


def test_about_one_and_a_half_percent_of_orders_have_a_defect(seeded_more):
    defective = (
        set(Order.objects.filter(seller_feedback__rating__lte=2).values_list("pk", flat=True))
        | set(AtoZClaim.objects.values_list("order_id", flat=True))
        | set(Chargeback.objects.values_list("order_id", flat=True))
    )
    assert 0.008 <= len(defective) / 2000 <= 0.025


def test_defects_include_negative_feedback_claims_and_both_kinds_of_chargebacks(seeded_more):
    assert Order.objects.filter(seller_feedback__rating__lte=2).exists()
    assert AtoZClaim.objects.values("status").distinct().count() >= 3
    assert set(Chargeback.objects.values_list("kind", flat=True)) == {"service", "fraud"}


def test_defended_defects_have_a_ticket(seeded_more):
    assert not AtoZClaim.objects.filter(ticket=None).exists()
    assert not Chargeback.objects.filter(kind="service", ticket=None).exists()


def test_every_ticket_has_one_to_six_messages(seeded):
    message_counts = set(Ticket.objects.annotate(n=Count("messages")).values_list("n", flat=True))
    assert message_counts <= {1, 2, 3, 4, 5, 6}


def test_tickets_come_in_every_status(seeded_more):
    assert set(Ticket.objects.values_list("status", flat=True)) == {"new", "open", "pending", "solved", "closed"}


def test_open_tickets_are_due_between_breached_and_a_day_ahead(seeded_more):
    open_tickets = Ticket.objects.open()
    assert not open_tickets.filter(sla_due_at=None).exists()
    assert not open_tickets.filter(sla_due_at__gt=NOW + timedelta(hours=24)).exists()
    assert open_tickets.filter(sla_due_at__lte=NOW).exists()
    assert open_tickets.filter(sla_due_at__gt=NOW).exists()


def test_an_open_ticket_is_due_when_its_oldest_unanswered_buyer_message_is(seeded_more):
    for ticket in Ticket.objects.open():
        waiting = ticket.messages.filter(direction="inbound", responded_at=None, no_response_needed=False)
        assert ticket.sla_due_at == min(waiting.values_list("response_due_at", flat=True))


def test_a_reply_answers_every_buyer_message_before_it(seeded):
    for ticket in Ticket.objects.filter(status="pending"):
        assert not ticket.messages.filter(direction="inbound", responded_at=None).exists()


def test_tickets_not_waiting_on_us_have_no_running_clock(seeded):
    assert not Ticket.objects.exclude(status__in=OPEN_STATUSES).exclude(sla_due_at=None).exists()


def test_nothing_is_dated_in_the_future(seeded):
    assert not Message.objects.filter(created_at__gt=NOW).exists()
    assert not Ticket.objects.filter(last_message_at__gt=NOW).exists()


def test_outreach_cases_are_only_for_one_to_three_star_reviews(seeded_more):
    ratings = set(ReviewOutreachCase.objects.values_list("review__rating", flat=True))
    assert ratings
    assert ratings <= {1, 2, 3}


def test_it_refuses_to_run_twice_without_append(seeded):
    with pytest.raises(CommandError, match="--append"):
        seed()
    assert Order.objects.count() == 300


def test_append_adds_a_second_run_with_its_own_order_ids(seeded):
    seed("--append")
    assert Order.objects.filter(amazon_order_id__startswith="902-").count() == 300
    assert SellerAccount.objects.filter(merchant_id__startswith="SCALE").count() == 5


def test_the_database_hands_out_fresh_ids_after_seeding(seeded):
    # Ids were assigned by the seeder; the sequences must have been moved past them.
    order = OrderFactory()
    message = MessageFactory()
    assert order.pk > Order.objects.exclude(pk=order.pk).order_by("-pk").first().pk
    assert message.pk > Message.objects.exclude(pk=message.pk).order_by("-pk").first().pk
