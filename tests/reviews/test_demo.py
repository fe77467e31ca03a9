"""The demo desk shows review insights: the espresso machine's durability complaints rise
and its setup complaints fade, and every demo review went through review_record."""

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import ProductReview, ReviewThemeMatch
from reviews.selectors import product_theme_insights
from tickets.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", history_days=1, stdout=StringIO())


def espresso_trends() -> dict[str, str]:
    machine = Product.objects.get(title__startswith="Brewline Pro Programmable Espresso")
    return {t.theme.slug: t.trend for t in product_theme_insights(product=machine).themes}


def test_the_espresso_machine_shows_durability_rising(seeded):
    assert espresso_trends()["durability"] == "up"


def test_the_espresso_machine_shows_setup_complaints_fading(seeded):
    assert espresso_trends()["ease_of_use"] == "down"


def test_the_cracked_reservoir_review_has_the_arrived_damaged_theme(seeded):
    review = ProductReview.objects.get(title="Reservoir arrived cracked")
    # "The machine itself seems solid" is praise of its quality, beside the complaint.
    found = set(review.theme_matches.values_list("theme__slug", "polarity"))
    assert found == {("arrived_damaged", "complaint"), ("quality", "praise")}


def test_seeding_again_recomputes_nothing(seeded):
    before = list(ReviewThemeMatch.objects.order_by("pk").values_list("pk", flat=True))
    call_command("seed_demo", history_days=1, stdout=StringIO())
    assert list(ReviewThemeMatch.objects.order_by("pk").values_list("pk", flat=True)) == before
