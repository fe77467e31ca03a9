"""Amazon's review topics fetched from the local Amazon (Customer Feedback API) and stored
with history through the reviews intake."""

import pytest

from amazon.spapi.customer_feedback import customer_feedback_sync
from reviews.models import AmazonReviewTopic, AmazonTopicFetch
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(marketplace, seller_account):
    return [ProductFactory(seller_account=seller_account, asin=p.asin, title=p.title) for p in marketplace.products[:2]]


def test_it_stores_each_products_topics_trends_and_category(connection, products):
    result = customer_feedback_sync(connection_id=connection.pk)
    assert result.products == 2
    fetch = AmazonTopicFetch.objects.get(product=products[0])
    assert fetch.browse_node_name and fetch.return_topics
    assert fetch.topics.filter(polarity="complaint").count() == 10


def test_amazons_topics_map_to_the_desks_themes(connection, products):
    customer_feedback_sync(connection_id=connection.pk)
    durability = AmazonReviewTopic.objects.get(fetch__product=products[0], topic="Durability", polarity="complaint")
    assert durability.theme.slug == "durability" and len(durability.trend) == 6


def test_a_product_fetched_today_is_not_fetched_again(connection, products):
    customer_feedback_sync(connection_id=connection.pk)
    assert customer_feedback_sync(connection_id=connection.pk).products == 0


def test_a_day_later_a_new_fetch_joins_the_history(connection, products, advance):
    customer_feedback_sync(connection_id=connection.pk)
    advance(hours=25)
    customer_feedback_sync(connection_id=connection.pk)
    assert AmazonTopicFetch.objects.filter(product=products[0]).count() == 2


def test_a_run_stays_within_each_operations_burst(connection, seller_account, marketplace):
    for p in marketplace.products:
        ProductFactory(seller_account=seller_account, asin=p.asin, title=p.title)
    result = customer_feedback_sync(connection_id=connection.pk)
    assert result.products == 10 and result.retry_after is None


def test_a_429_ends_the_run_and_keeps_what_was_stored(connection, seller_account, marketplace, settings):
    settings.SPAPI_CUSTOMER_FEEDBACK_CALLS = 60
    for p in marketplace.products:
        ProductFactory(seller_account=seller_account, asin=p.asin, title=p.title)
    result = customer_feedback_sync(connection_id=connection.pk)
    assert result.retry_after is not None and result.products == AmazonTopicFetch.objects.count() == 10


def test_another_accounts_products_are_not_fetched(connection, other_seller_account, marketplace):
    ProductFactory(seller_account=other_seller_account, asin=marketplace.products[0].asin)
    assert customer_feedback_sync(connection_id=connection.pk).products == 0


def test_the_fetch_is_stamped_with_the_desks_clock(connection, products, clock):
    customer_feedback_sync(connection_id=connection.pk)
    assert AmazonTopicFetch.objects.first().fetched_at == clock.now()
