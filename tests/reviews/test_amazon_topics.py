"""Amazon's review topics beside the desk's themes: the intake (history, theme mapping),
the insights page and the one click from a topic to its 1–3★ reviews and outreach cases."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.amazon_topics import amazon_topics_latest, amazon_topics_record, topic_reviews
from reviews.models import AmazonReviewTopic, AmazonTopicFetch, ReviewTheme
from tests.factories import OrderFactory, ProductFactory
from tests.reviews.test_admin_insights import count_queries, record

pytestmark = pytest.mark.django_db


def topic(name, *, mentions=40, occurrence=8.5, impact=-0.21, node=(5.0, -0.1)):
    return {
        "topic": name,
        "asinMetrics": {"numberOfMentions": mentions, "occurrencePercentage": occurrence, "starRatingImpact": impact},
        "browseNodeMetrics": {
            "occurrencePercentage": {"allProducts": node[0]},
            "starRatingImpact": {"allProducts": node[1]},
        },
        "reviewSnippets": [f"about {name.lower()}"],
    }


TOPICS = {
    "asin": "B000000001",
    "dateRange": {"startDate": "2026-01-01T00:00:00Z", "endDate": "2026-07-01T00:00:00Z"},
    "topics": {
        "negativeTopics": [topic("Durability"), topic("Leaks", mentions=12)],
        "positiveTopics": [topic("Ease of use", impact=0.3)],
    },
}
TRENDS = {
    "reviewTrends": {
        "negativeTopics": [
            {
                "topic": "Durability",
                "trendMetrics": [
                    {"dateRange": {"startDate": f"2026-0{m}-01T00:00:00Z"}, "asinMetrics": {"occurrencePercentage": p}}
                    for m, p in ((1, 4.0), (2, 5.0), (3, 8.5))
                ],
            }
        ]
    }
}
RETURNS = {"topics": [{"topic": "Defective", "browseNodeMetrics": {"occurrencePercentage": {"allProducts": 21.5}}}]}
NODE = {"browseNodeId": "2251593011", "displayName": "Coffee, Tea & Espresso Accessories"}


@pytest.fixture
def product(account):
    return ProductFactory(seller_account=account)


def fetch(product, *, at=None, topics=TOPICS):
    return amazon_topics_record(
        product=product,
        fetched_at=at or timezone.now(),
        topics=topics,
        trends=TRENDS,
        browse_node=NODE,
        return_topics=RETURNS,
    )


def test_each_topic_is_stored_with_its_theme_and_figures(product):
    fetch(product)
    durability = AmazonReviewTopic.objects.get(topic="Durability")
    assert (durability.theme.slug, durability.polarity, durability.mentions) == ("durability", "complaint", 40)
    assert (durability.category_occurrence, durability.trend_change) == (5.0, 4.5)


def test_a_topic_the_desk_has_no_theme_for_is_kept_unlinked(product):
    fetch(product)
    assert AmazonReviewTopic.objects.get(topic="Leaks").theme is None


def test_every_fetch_is_kept_and_the_latest_is_shown(product):
    fetch(product, at=timezone.now() - timedelta(days=1))
    later = {**TOPICS, "topics": {"negativeTopics": [topic("Durability", mentions=55)]}}
    latest = fetch(product, topics=later)
    shown, topics = amazon_topics_latest(product=product)
    assert AmazonTopicFetch.objects.count() == 2 and shown == latest and [t.mentions for t in topics] == [55]


def test_malformed_figures_are_stored_empty_not_refused(product):
    bad = {"topics": {"negativeTopics": [{"topic": "Durability", "asinMetrics": {"numberOfMentions": "many"}}]}}
    fetch(product, topics=bad)
    assert AmazonReviewTopic.objects.get().mentions is None


def test_a_topics_reviews_are_the_1_to_3_star_complaints_of_its_theme(product):
    record(product, 2, text="It broke after two weeks.", rating=2)
    record(product, 1, text="It broke after two weeks.", rating=4)
    record(ProductFactory(seller_account=product.seller_account), 1, text="It broke after two weeks.", rating=1)
    durability = ReviewTheme.objects.get(slug="durability")
    assert sorted(r.rating for r in topic_reviews(product=product, theme=durability)) == [2, 2]


def test_the_insights_page_shows_amazons_topics_beside_the_desks_themes(client, manager, product):
    record(product, 1, text="It broke after two weeks.")
    fetch(product)
    client.force_login(manager)
    page = client.get(reverse("admin:reviews_insights_product", args=[product.pk])).content.decode()
    assert "Amazon&#x27;s review topics" in page or "Amazon's review topics" in page
    assert "Durability" in page and "↑ 4.5 pts" in page and "-0.21★" in page and "Defective" in page


def test_the_insights_page_shows_the_returns_prevented_figure(client, manager, product):
    fetch(product)
    client.force_login(manager)
    response = client.get(reverse("admin:reviews_insights_product", args=[product.pk]))
    assert "returns prevented" in response.content.decode() and response.context["returns_prevented"].days == 30


def test_one_click_leads_from_a_topic_to_its_reviews_and_outreach_cases(client, manager, product, account):
    record(product, 1, text="It broke after two weeks.", order=OrderFactory(seller_account=account))
    durability = AmazonReviewTopic.objects.get(topic="Durability", fetch=fetch(product))
    client.force_login(manager)
    page = client.get(reverse("admin:reviews_insights_product", args=[product.pk])).content.decode()
    url = reverse("admin:reviews_insights_amazon_topic", args=[product.pk, durability.pk])
    assert url in page
    topic_page = client.get(url).content.decode()
    case = product.reviews.get().outreach_case
    assert reverse("admin:reviews_reviewoutreachcase_change", args=[case.pk]) in topic_page
    assert "<mark>" in topic_page


def test_a_topic_of_another_product_is_not_found(client, manager, product):
    durability = AmazonReviewTopic.objects.get(topic="Durability", fetch=fetch(product))
    other = ProductFactory(seller_account=product.seller_account)
    client.force_login(manager)
    url = reverse("admin:reviews_insights_amazon_topic", args=[other.pk, durability.pk])
    assert client.get(url).status_code == 404


def test_the_topic_page_costs_the_same_queries_for_3_or_30_reviews(client, manager, product):
    durability = AmazonReviewTopic.objects.get(topic="Durability", fetch=fetch(product))
    url = reverse("admin:reviews_insights_amazon_topic", args=[product.pk, durability.pk])
    client.force_login(manager)
    record(product, 3, text="It broke after two weeks.")
    count_queries(client, url)
    with_3 = count_queries(client, url)
    record(product, 27, text="It stopped working after a month.", days_ago=40)
    assert count_queries(client, url) == with_3
