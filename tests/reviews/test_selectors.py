"""Reads: theme insights per product, examples, outreach numbers, the permission gate."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from reviews.models import ReviewOutreachCase
from reviews.selectors import month_starts, outreach_numbers, product_theme_examples, product_theme_insights, trend_of
from reviews.services import outreach_contact, outreach_resolve, review_record
from tests.factories import OrderFactory, ProductFactory
from tickets.access import outreach_cases_visible_to

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


@pytest.fixture
def product(account):
    return ProductFactory(seller_account=account)


def add(product, n: int, *, when: datetime, text: str, rating: int = 2, order=None):
    for i in range(n):
        review_record(
            seller_account=product.seller_account,
            product=product,
            amazon_review_id=f"R-{product.pk}-{when:%Y%m%d}-{text[:6]}-{i}-{rating}",
            rating=rating,
            title="",
            body=text,
            reviewed_at=when,
            verified_purchase=True,
            order=order,
            actor="test",
        )


def test_month_starts_run_back_from_the_month_of_as_of():
    assert month_starts(months=3, as_of=at(2026, 2)) == [
        datetime(2025, 12, 1).date(),
        datetime(2026, 1, 1).date(),
        datetime(2026, 2, 1).date(),
    ]


@pytest.mark.parametrize(
    ("counts", "totals", "trend"),
    [([0, 0, 0, 2, 3, 3], [4, 4, 4, 4, 4, 4], "up"), ([3, 3, 3, 0, 1, 0], [4] * 6, "down"), ([1] * 6, [4] * 6, "flat")],
)
def test_the_trend_compares_the_last_three_months_with_the_three_before(counts, totals, trend):
    assert trend_of(counts, totals, window=3) == trend


def test_a_single_complaint_makes_no_trend():
    assert trend_of([0, 0, 0, 0, 0, 1], [4] * 6, window=3) == "flat"


def test_no_reviews_in_either_half_is_a_flat_trend():
    assert trend_of([0, 0, 0, 1, 1, 1], [0, 0, 0, 2, 2, 2], window=3) == "flat"


@pytest.fixture
def espresso(product):
    # Setup complaints early, durability complaints late, praise throughout.
    for month in (1, 2, 3):
        add(product, 2, when=at(2026, month), text="Hard to set up and the manual is confusing.")
        add(product, 2, when=at(2026, month), text="Lovely espresso.", rating=5)
    for month in (4, 5, 6):
        add(product, 2, when=at(2026, month), text="It stopped working after a month.")
        add(product, 2, when=at(2026, month), text="Lovely espresso.", rating=5)
    return product


def test_insights_count_reviews_per_theme_and_month(espresso):
    insights = product_theme_insights(product=espresso, months=6, as_of=at(2026, 6, 20))
    durability = next(t for t in insights.themes if t.theme.slug == "durability")
    assert [count for _, count, _ in durability.monthly] == [0, 0, 0, 2, 2, 2]
    assert [share for _, _, share in durability.monthly][-1] == 0.5


def test_insights_show_durability_rising_and_ease_of_use_falling(espresso):
    insights = product_theme_insights(product=espresso, months=6, as_of=at(2026, 6, 20))
    trends = {t.theme.slug: t.trend for t in insights.themes}
    assert (trends["durability"], trends["ease_of_use"], trends["shipping"]) == ("up", "down", "flat")


def test_insights_carry_the_ratings(espresso):
    insights = product_theme_insights(product=espresso, months=6, as_of=at(2026, 6, 20))
    durability = next(t for t in insights.themes if t.theme.slug == "durability")
    assert (insights.reviews, insights.avg_rating, durability.avg_rating) == (24, 3.5, 2.0)


def test_insights_cost_three_queries_whatever_the_volume(espresso, django_assert_num_queries):
    with django_assert_num_queries(3):
        product_theme_insights(product=espresso, months=6, as_of=at(2026, 6, 20))


def test_examples_are_the_newest_matches_per_theme_in_one_query(espresso, django_assert_num_queries):
    with django_assert_num_queries(1):
        examples = product_theme_examples(product=espresso, per_theme=3)
        reviewed = {theme: [m.review.reviewed_at for m in matches] for theme, matches in examples.items()}
    assert all(len(dates) == 3 and dates == sorted(dates, reverse=True) for dates in reviewed.values())


# --- Outreach numbers ------------------------------------------------------------------


def test_outreach_numbers_per_product_and_month(product, account):
    order = OrderFactory(seller_account=account)
    add(product, 3, when=at(2026, 5), text="Broke.", order=order)
    cases = list(ReviewOutreachCase.objects.order_by("pk"))
    # Contacted on time (the review is from May 10), late, and not at all.
    with time_machine.travel(at(2026, 5, 11), tick=False):
        outreach_contact(case=cases[0], contact_reason="courtesy_refund", actor="test")
        outreach_resolve(case=cases[0], resolution="refund_issued", actor="test")
    with time_machine.travel(at(2026, 5, 25), tick=False):
        outreach_contact(case=cases[1], contact_reason="customer_support", actor="test")
    # The buyer of the first case raised the rating on their own.
    review = cases[0].review
    review_record(
        seller_account=account,
        product=product,
        amazon_review_id=review.amazon_review_id,
        rating=4,
        title=review.title,
        body=review.body,
        reviewed_at=review.reviewed_at,
        verified_purchase=True,
        order=order,
        actor="test",
    )
    [row] = outreach_numbers(cases=ReviewOutreachCase.objects.all(), contacted_within_days=2)
    assert row["month"] == datetime(2026, 5, 1).date()
    assert {k: row[k] for k in ("opened", "contacted", "contacted_in_time", "refunds", "organic_updates")} == {
        "opened": 3,
        "contacted": 2,
        "contacted_in_time": 1,
        "refunds": 1,
        "organic_updates": 1,
    }
    assert row["organic_update_rate"] == 0.5


def test_outreach_numbers_cost_one_query(product, django_assert_num_queries):
    add(product, 5, when=at(2026, 5), text="Broke.")
    with django_assert_num_queries(1):
        outreach_numbers(cases=ReviewOutreachCase.objects.all())


def test_an_agent_sees_only_the_outreach_of_their_accounts(product, alice, charlie):
    add(product, 1, when=at(2026, 5), text="Broke.")
    assert outreach_cases_visible_to(alice).count() == 1
    assert not outreach_cases_visible_to(charlie).exists()
