"""insight.rising: a complaint theme whose share of a product's reviews rises over the
product's own baseline alerts managers (email, admin) and webhook subscribers, once."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from reviews.models import InsightAlert
from reviews.rising import insight_alerts_raise, rising_themes
from tests.factories import ProductFactory
from tests.reviews.test_admin_insights import admin_url, record

pytestmark = pytest.mark.django_db

BROKE = "It broke after two weeks."
FINE = "Nice colour, does the job."


@pytest.fixture
def product(account):
    return ProductFactory(seller_account=account)


def baseline(product, *, broke=2, fine=18):
    record(product, broke, text=BROKE, rating=2, days_ago=60)
    record(product, fine, text=FINE, rating=5, days_ago=90)


def test_a_theme_whose_share_rises_over_the_baseline_is_alerted(product, manager):
    baseline(product)
    record(product, 4, text=BROKE, rating=1, days_ago=2)
    record(product, 4, text=FINE, rating=5, days_ago=3)
    alert = insight_alerts_raise()[0]
    assert (alert.theme.slug, alert.recent_share, alert.baseline_share) == ("durability", 0.5, 0.1)


def test_managers_are_mailed_once(product, manager, django_capture_on_commit_callbacks):
    baseline(product)
    record(product, 5, text=BROKE, rating=1, days_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        insight_alerts_raise()
        insight_alerts_raise()
    assert len(mail.outbox) == 1 and "Rising complaints: Durability" in mail.outbox[0].subject


def test_webhook_subscribers_get_insight_rising(product, account):
    subscription = WebhookSubscription.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["insight.rising"])
    subscription.seller_accounts.add(account)
    baseline(product)
    record(product, 5, text=BROKE, rating=1, days_ago=2)
    insight_alerts_raise()
    body = json.loads(WebhookDelivery.objects.get(event="insight.rising").body)
    assert (body["data"]["asin"], body["data"]["theme"]) == (product.asin, "durability")


def test_a_steady_share_is_not_alerted(product):
    baseline(product, broke=4, fine=16)
    record(product, 1, text=BROKE, rating=2, days_ago=2)
    record(product, 4, text=FINE, rating=5, days_ago=3)
    assert insight_alerts_raise() == []


def test_a_product_without_a_baseline_of_its_own_is_not_alerted(product):
    record(product, 5, text=BROKE, rating=1, days_ago=2)
    assert insight_alerts_raise() == []


def test_a_theme_alerted_stays_quiet_the_next_days(product, manager):
    baseline(product)
    record(product, 5, text=BROKE, rating=1, days_ago=2)
    insight_alerts_raise()
    insight_alerts_raise(now=timezone.now() + timedelta(days=1))
    assert InsightAlert.objects.count() == 1


def test_praise_never_raises_the_alert(product):
    baseline(product)
    record(product, 5, text="Still going strong after two years.", rating=5, days_ago=2)
    assert insight_alerts_raise() == []


def test_finding_the_rises_costs_two_queries_whatever_the_volume(product, django_assert_num_queries):
    baseline(product)
    record(ProductFactory(seller_account=product.seller_account), 12, text=BROKE, days_ago=5)
    with django_assert_num_queries(2):
        rising_themes(now=timezone.now())


def test_managers_see_the_alerts_in_the_admin(client, product, manager):
    baseline(product)
    record(product, 5, text=BROKE, rating=1, days_ago=2)
    insight_alerts_raise()
    client.force_login(manager)
    assert product.title in client.get(admin_url(InsightAlert, "changelist")).content.decode()
