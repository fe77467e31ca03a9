"""From Amazon's review topic to the reviews behind it and their outreach case, in Chromium:
a manager opens a product's insights, sees Amazon's topic beside the desk's themes, clicks
through to the 1–3★ reviews the desk matched to it, and opens one's outreach case."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.amazon_topics import TOPIC_THEMES, amazon_topics_record
from reviews.models import ReviewOutreachCase, ReviewThemeMatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _amazon_name(theme) -> str:
    return next((name.title() for name, slug in TOPIC_THEMES.items() if slug == theme.slug), theme.name)


def test_a_manager_goes_from_an_amazon_topic_to_its_reviews_and_an_outreach_case(log_in, page, screenshot):
    match = (
        ReviewThemeMatch.objects.filter(
            polarity="complaint", review__rating__lte=3, review__outreach_case__isnull=False
        )
        .select_related("review__product", "theme", "review__outreach_case")
        .first()
    )
    product, case = match.review.product, match.review.outreach_case
    topic = _amazon_name(match.theme)
    amazon_topics_record(
        product=product,
        fetched_at=timezone.now(),
        topics={
            "dateRange": {"startDate": "2026-01-01T00:00:00Z", "endDate": "2026-07-01T00:00:00Z"},
            "topics": {
                "negativeTopics": [
                    {
                        "topic": topic,
                        "asinMetrics": {"numberOfMentions": 31, "occurrencePercentage": 7.4, "starRatingImpact": -0.18},
                        "browseNodeMetrics": {
                            "occurrencePercentage": {"allProducts": 4.1},
                            "starRatingImpact": {"allProducts": -0.09},
                        },
                    }
                ]
            },
        },
        browse_node={"browseNodeId": "2251593011", "displayName": "Coffee, Tea & Espresso Accessories"},
        return_topics={
            "topics": [{"topic": "Defective", "browseNodeMetrics": {"occurrencePercentage": {"allProducts": 21.5}}}]
        },
    )

    log_in("manager")
    page.goto(f"/admin/reviews/productreview/insights/{product.pk}/")
    table = page.locator("#amazon-topics-table")
    row = table.locator("tr.amazon-topic").filter(has_text=topic)
    expect(row).to_contain_text("-0.18★")
    expect(row).to_contain_text(match.theme.name)
    expect(page.locator("#amazon-return-topics")).to_contain_text("Defective")
    expect(page.locator("#returns-prevented")).to_contain_text("returns prevented")
    screenshot(page, "insights-amazon-topics")

    row.get_by_role("link", name="Reviews and outreach").click()
    reviews = page.locator("#topic-reviews")
    expect(reviews).to_contain_text(match.review.amazon_review_id)
    expect(reviews.locator("mark").first).to_be_visible()  # the words the desk read the theme from
    screenshot(page, "insights-amazon-topic-reviews")

    reviews.locator("tr").filter(has_text=match.review.amazon_review_id).locator("a.outreach-case").click()
    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}/admin/reviews/reviewoutreachcase/{case.pk}/change/")
    expect(page.locator("#content")).to_contain_text(match.review.amazon_review_id)
    assert ReviewOutreachCase.objects.get(pk=case.pk).status == case.status  # looking changes nothing
