"""The managers' admin of outreach (actions that call the services) and review insights."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import ProductReview, ReviewOutreachCase, ReviewTheme, ReviewThemeMatch
from reviews.services import review_record
from tests.factories import OrderFactory, ProductFactory
from tests.tickets.test_admin import admin_url, changeform_data
from tickets.audit import audit_trail
from tickets.models import OutboundMessage

pytestmark = pytest.mark.django_db


def record(product, n: int, *, text="The reservoir arrived cracked.", rating=2, order=None, days_ago=3):
    for i in range(n):
        review_record(
            seller_account=product.seller_account,
            product=product,
            amazon_review_id=f"R{product.pk}-{i}-{rating}-{days_ago}",
            rating=rating,
            title="",
            body=text,
            reviewed_at=timezone.now() - timedelta(days=days_ago + i),
            verified_purchase=True,
            order=order,
            actor="test",
        )


@pytest.fixture
def product(account):
    return ProductFactory(seller_account=account)


@pytest.fixture
def case(product, account):
    record(product, 1, order=OrderFactory(seller_account=account))
    return ReviewOutreachCase.objects.get()


def run_action(client, action: str, cases):
    return client.post(
        admin_url(ReviewOutreachCase, "changelist"),
        {"action": action, "_selected_action": [c.pk for c in cases]},
        follow=True,
    )


def test_the_contact_action_calls_the_service(client, manager, case):
    client.force_login(manager)
    run_action(client, "contact_courtesy_refund", [case])
    case.refresh_from_db()
    assert (case.status, case.contact_reason) == ("contacted", "courtesy_refund")
    assert OutboundMessage.objects.get().purpose == "review_outreach"
    assert audit_trail(case).first().actor == manager


def test_the_resolve_action_calls_the_service(client, manager, case):
    client.force_login(manager)
    run_action(client, "contact_customer_support", [case])
    run_action(client, "resolve_replacement_sent", [case])
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "replacement_sent")


def test_a_refused_step_is_reported_and_changes_nothing(client, manager, case):
    client.force_login(manager)
    response = run_action(client, "resolve_refund_issued", [case])
    case.refresh_from_db()
    assert case.status == "new"
    assert "contact the buyer first" in response.content.decode()


def test_the_form_refuses_to_reopen_a_closed_case(client, manager, case):
    case.status = "closed"
    case.save()
    client.force_login(manager)
    url = admin_url(ReviewOutreachCase, "change", case.pk)
    data = changeform_data(client.get(url))
    data["status"] = "new"
    response = client.post(url, data)
    assert response.context["adminform"].form.errors["status"]


def test_a_review_entered_in_the_admin_opens_its_case_and_themes(client, manager, product):
    client.force_login(manager)
    data = changeform_data(client.get(admin_url(ProductReview, "add")))
    data.update(
        seller_account=str(product.seller_account_id),
        product=str(product.pk),
        amazon_review_id="RADMIN1",
        rating="2",
        title="Reservoir arrived cracked",
        body="",
        reviewed_at_0="2026-03-04",
        reviewed_at_1="09:30:00",
        verified_purchase="on",
    )
    assert client.post(admin_url(ProductReview, "add"), data).status_code == 302
    review = ProductReview.objects.get(amazon_review_id="RADMIN1")
    assert review.outreach_case.status == "new"
    assert review.theme_matches.get().theme.slug == "arrived_damaged"


def test_editing_a_theme_rule_reclassifies_every_review(client, manager, product, django_capture_on_commit_callbacks):
    record(product, 2, text="The whisk zorbles.")
    assert not ReviewThemeMatch.objects.exists()
    theme = ReviewTheme.objects.get(slug="durability")
    client.force_login(manager)
    url = admin_url(ReviewTheme, "change", theme.pk)
    data = changeform_data(client.get(url))
    extra = data["phrases-TOTAL_FORMS"]
    data[f"phrases-{extra}-pattern"] = "zorbles"
    data[f"phrases-{extra}-negatable"] = "on"
    data[f"phrases-{extra}-polarity"] = "complaint"
    data["phrases-TOTAL_FORMS"] = str(int(extra) + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert ReviewThemeMatch.objects.filter(theme=theme).count() == 2


def test_a_broken_regex_is_a_form_error(client, manager):
    theme = ReviewTheme.objects.get(slug="durability")
    client.force_login(manager)
    url = admin_url(ReviewTheme, "change", theme.pk)
    data = changeform_data(client.get(url))
    extra = data["phrases-TOTAL_FORMS"]
    data[f"phrases-{extra}-pattern"] = "(unclosed"
    data[f"phrases-{extra}-is_regex"] = "on"
    data["phrases-TOTAL_FORMS"] = str(int(extra) + 1)
    response = client.post(url, data)
    assert response.status_code == 200 and "Not a valid regular expression" in response.content.decode()


# --- Insights pages ----------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_insights_index_lists_products_and_outreach_numbers(client, manager, case):
    client.force_login(manager)
    response = client.get(reverse("admin:reviews_insights"))
    assert case.review.product.title in response.content.decode()
    assert response.context["per_product"][0]["opened"] == 1


def test_the_product_insights_page_highlights_matched_words(client, manager, case):
    client.force_login(manager)
    response = client.get(reverse("admin:reviews_insights_product", args=[case.review.product_id]))
    assert "<mark>arrived cracked</mark>" in response.content.decode()


def test_review_text_is_escaped_on_the_insights_page(client, manager, product):
    record(product, 1, text='<script>alert("x")</script> It arrived cracked.')
    client.force_login(manager)
    page = client.get(reverse("admin:reviews_insights_product", args=[product.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("page", ["index", "product"])
def test_the_insights_pages_cost_the_same_queries_for_3_or_30_reviews(client, manager, product, page):
    client.force_login(manager)
    url = (
        reverse("admin:reviews_insights")
        if page == "index"
        else reverse("admin:reviews_insights_product", args=[product.pk])
    )
    record(product, 3)
    count_queries(client, url)  # warm the per-process caches
    with_3 = count_queries(client, url)
    record(product, 27, text="It stopped working and the manual is confusing.", days_ago=40)
    assert count_queries(client, url) == with_3


def test_the_review_changelist_costs_the_same_with_themes(client, manager, product):
    client.force_login(manager)
    record(product, 3)
    url = admin_url(ProductReview, "changelist")
    count_queries(client, url)
    with_3 = count_queries(client, url)
    record(product, 27, text="It stopped working and the manual is confusing.", days_ago=40)
    assert count_queries(client, url) == with_3


def test_an_agent_cannot_open_the_insights(client, alice, product):
    client.force_login(alice)
    response = client.get(reverse("admin:reviews_insights_product", args=[product.pk]))
    assert response.status_code == 302  # to the admin login: agents are not staff
