"""Managers correct a review's themes: the correction replaces the classifier's reading for
that review, survives a recompute, is audited, and is exported as labelled JSONL."""

import json

import pytest
from django.core.management import call_command

from reviews.models import ReviewThemeCorrection, ReviewThemeMatch
from reviews.services import ReviewDataError, review_themes_correct, review_themes_recompute_all, review_themes_refresh
from tests.factories import ProductReviewFactory
from tests.tickets.test_admin import admin_url
from tickets.audit import audit_trail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def review():
    review = ProductReviewFactory(title="Took eleven days", body="Kettle is fine otherwise.", amazon_review_id="R1")
    review_themes_refresh(reviews=[review])
    return review


def found(review) -> set[tuple[str, str]]:
    return set(review.theme_matches.values_list("theme__slug", "polarity"))


def test_the_classifier_reads_polarity_into_the_matches(review):
    assert found(review) == {("shipping", "complaint")}


def test_a_correction_replaces_the_classifiers_themes(review):
    review_themes_correct(review=review, themes=[("value", "praise")], actor="test")
    assert found(review) == {("value", "praise")}


def test_a_correction_keeps_the_classifiers_spans_where_they_agree(review):
    review_themes_correct(review=review, themes=[("shipping", "complaint")], actor="test")
    assert review.theme_matches.get().spans == [[0, 16]]


def test_a_correction_survives_a_recompute(review):
    review_themes_correct(review=review, themes=[], actor="test")
    review_themes_recompute_all()
    assert found(review) == set()


def test_a_correction_is_audited(review, manager):
    review_themes_correct(review=review, themes=[("value", "praise")], actor=manager)
    [event] = [e for e in audit_trail(review) if e.action == "product_review.themes_corrected"]
    assert event.actor == manager


def test_an_unknown_theme_is_refused(review):
    with pytest.raises(ReviewDataError):
        review_themes_correct(review=review, themes=[("sparkle", "praise")], actor="test")


def test_the_admin_form_saves_a_correction_through_the_service(client, manager, review):
    client.force_login(manager)
    response = client.post(
        admin_url(ReviewThemeCorrection, "add"),
        {"review": review.pk, "labels": ["shipping:complaint", "quality:praise"]},
    )
    assert response.status_code == 302
    assert found(review) == {("shipping", "complaint"), ("quality", "praise")}


def test_the_admin_form_starts_from_the_classifiers_themes(client, manager, review):
    client.force_login(manager)
    response = client.get(admin_url(ReviewThemeCorrection, "add") + f"?review={review.pk}")
    assert response.context["adminform"].form.initial["labels"] == ["shipping:complaint"]


def test_the_export_command_writes_labelled_jsonl(review, tmp_path):
    review_themes_correct(review=review, themes=[("shipping", "complaint")], actor="test")
    path = tmp_path / "labels.jsonl"
    call_command("review_themes_export", output=str(path))
    [row] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert row == {
        "id": f"{review.seller_account_id}:R1",
        "language": "en",
        "rating": 2,
        "title": "Took eleven days",
        "text": "Kettle is fine otherwise.",
        "themes": [{"theme": "shipping", "polarity": "complaint"}],
    }


def test_the_admin_action_exports_the_selected_corrections(client, manager, review):
    correction = review_themes_correct(review=review, themes=[("value", "praise")], actor="test")
    client.force_login(manager)
    response = client.post(
        admin_url(ReviewThemeCorrection, "changelist"), {"action": "export_jsonl", "_selected_action": [correction.pk]}
    )
    assert json.loads(response.content)["themes"] == [{"theme": "value", "polarity": "praise"}]


def test_praise_is_kept_apart_from_the_complaint_counts_of_insights(review):
    from reviews.selectors import product_theme_insights

    review_themes_correct(review=review, themes=[("shipping", "praise")], actor="test")
    insights = product_theme_insights(product=review.product)
    assert ReviewThemeMatch.objects.filter(review=review).exists()
    assert all(trend.reviews == 0 for trend in insights.themes)
