"""The Django admin of reviews, seller feedback and review outreach."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.utils import timezone

from reviews.models import (
    InsightAlert,
    ProductReview,
    ReviewOutreachCase,
    ReviewTheme,
    ReviewThemeCorrection,
    ReviewThemeMatch,
    SellerFeedback,
    ThemePhrase,
)
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    ProductReviewFactory,
    ReviewOutreachCaseFactory,
    ReviewRatingChangeFactory,
    SellerFeedbackFactory,
    TicketFactory,
    UserFactory,
)
from tests.tickets.test_admin import admin_url, changeform_data, count_changelist_queries
from tickets.audit import audit_record, audit_trail
from tickets.models import AuditEvent, SellerAccount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every persona hashes a password; the production hasher costs ~0.4 s a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sample_outreach_case() -> ReviewOutreachCase:
    case = ReviewOutreachCaseFactory(assignee=UserFactory(), ticket=TicketFactory())
    audit_record(subject=case, action="review_outreach_case.updated", actor=None, changes={"status": ["new", "closed"]})
    return case


SAMPLES = {
    ProductReview: lambda: ReviewRatingChangeFactory().review,
    SellerFeedback: lambda: SellerFeedbackFactory(ticket=TicketFactory()),
    ReviewOutreachCase: _sample_outreach_case,
    ReviewTheme: lambda: ReviewTheme.objects.get(slug="durability"),
    ThemePhrase: lambda: ThemePhrase.objects.filter(theme__slug="durability").first(),
    ReviewThemeMatch: lambda: ReviewThemeMatch.objects.create(
        review=ProductReviewFactory(title="Arrived cracked", body=""),
        theme=ReviewTheme.objects.first(),
        spans=[[0, 15]],
    ),
    ReviewThemeCorrection: lambda: ReviewThemeCorrection.objects.create(
        review=ProductReviewFactory(),
        themes=[{"theme": "durability", "polarity": "complaint"}],
        corrected_at=timezone.now(),
    ),
    InsightAlert: lambda: InsightAlert.objects.create(
        product=ProductReviewFactory().product,
        theme=ReviewTheme.objects.get(slug="durability"),
        day=timezone.localdate(),
        recent_reviews=10,
        recent_matches=5,
        recent_share=0.5,
        baseline_reviews=20,
        baseline_share=0.1,
        message="Durability complaints rising.",
        created_at=timezone.now(),
    ),
}


def test_every_reviews_model_is_registered():
    assert {m for m in admin.site._registry if m._meta.app_label == "reviews"} == set(SAMPLES)


@pytest.mark.parametrize("model", SAMPLES, ids=lambda model: model._meta.label)
def test_manager_can_open_the_change_page_of_every_reviews_model(client, manager, model):
    obj = SAMPLES[model]()
    client.force_login(manager)
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def _reviews(n: int, account: SellerAccount) -> None:
    product = ProductFactory(seller_account=account)
    for review in ProductReviewFactory.create_batch(n, product=product):
        ReviewOutreachCaseFactory(review=review)


def _outreach_cases(n: int, account: SellerAccount) -> None:
    assignee = UserFactory()
    product = ProductFactory(seller_account=account)
    ReviewOutreachCaseFactory.create_batch(n, review__product=product, assignee=assignee)


def _feedback(n: int, account: SellerAccount) -> None:
    for _ in range(n):
        SellerFeedbackFactory(order=OrderFactory(seller_account=account))


def _theme_matches(n: int, account: SellerAccount) -> None:
    theme = ReviewTheme.objects.get(slug="arrived_damaged")
    product = ProductFactory(seller_account=account)
    for review in ProductReviewFactory.create_batch(n, product=product, title="Arrived cracked", body=""):
        ReviewThemeMatch.objects.create(review=review, theme=theme, spans=[[0, 15]])


def _corrections(n: int, account: SellerAccount) -> None:
    product = ProductFactory(seller_account=account)
    for review in ProductReviewFactory.create_batch(n, product=product):
        ReviewThemeCorrection.objects.create(
            review=review, themes=[{"theme": "value", "polarity": "praise"}], corrected_at=timezone.now()
        )


ROW_MAKERS = {
    ProductReview: _reviews,
    ReviewThemeCorrection: _corrections,
    ReviewOutreachCase: _outreach_cases,
    SellerFeedback: _feedback,
    ReviewThemeMatch: _theme_matches,
}


def test_theme_matches_are_read_only(client, manager):
    client.force_login(manager)
    assert client.get(admin_url(ReviewThemeMatch, "add")).status_code == 403


def test_changing_a_phrase_reclassifies_every_review(client, manager, django_capture_on_commit_callbacks):
    review = ProductReviewFactory(title="The whisk zorbles", body="")
    phrase = ThemePhrase.objects.filter(theme__slug="durability", is_regex=False).first()
    client.force_login(manager)
    url = admin_url(ThemePhrase, "change", phrase.pk)
    data = changeform_data(client.get(url))
    data["pattern"] = "zorbles"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert review.theme_matches.get().theme.slug == "durability"


@pytest.mark.parametrize("model", ROW_MAKERS, ids=lambda model: model._meta.label)
def test_a_changelist_costs_the_same_queries_for_3_or_30_rows(client, manager, account, model):
    client.force_login(manager)
    ROW_MAKERS[model](3, account)
    count_changelist_queries(client, model)  # warm the per-process caches (content types)
    with_3 = count_changelist_queries(client, model)
    ROW_MAKERS[model](27, account)
    assert count_changelist_queries(client, model) == with_3


def test_the_review_page_shows_the_rating_history(client, manager):
    change = ReviewRatingChangeFactory(from_rating=2, to_rating=4)
    client.force_login(manager)
    response = client.get(admin_url(ProductReview, "change", change.review_id))
    inline = response.context["inline_admin_formsets"][0].formset
    assert [form.instance for form in inline.initial_forms] == [change]


def test_a_review_cannot_be_linked_to_another_accounts_buyer(client, manager, account, other_account):
    review = ProductReviewFactory(product=ProductFactory(seller_account=account))
    client.force_login(manager)
    url = admin_url(ProductReview, "change", review.pk)
    data = changeform_data(client.get(url))
    data["buyer"] = str(BuyerFactory(seller_account=other_account).pk)
    response = client.post(url, data)
    assert response.context["adminform"].form.errors["buyer"] == ["This buyer belongs to another seller account."]


def test_contacting_a_buyer_recorded_in_the_admin_is_audited_with_the_manager_as_actor(client, manager):
    case = ReviewOutreachCaseFactory()
    client.force_login(manager)
    url = admin_url(ReviewOutreachCase, "change", case.pk)
    data = changeform_data(client.get(url))
    data.update(
        status=ReviewOutreachCase.Status.CONTACTED,
        contact_reason=ReviewOutreachCase.ContactReason.COURTESY_REFUND,
        contacted_at_0="2025-03-04",
        contacted_at_1="09:30:00",
    )
    assert client.post(url, data).status_code == 302
    event = audit_trail(case).get()
    assert (event.actor, event.action, event.changes) == (
        manager,
        "review_outreach_case.updated",
        {
            "status": ["new", "contacted"],
            "contact_reason": ["", "courtesy_refund"],
            "contacted_at": [None, "2025-03-04 09:30:00+00:00"],
        },
    )


def test_a_contact_without_one_of_amazons_templates_is_a_form_error(client, manager):
    case = ReviewOutreachCaseFactory()
    client.force_login(manager)
    url = admin_url(ReviewOutreachCase, "change", case.pk)
    data = changeform_data(client.get(url))
    data.update(contacted_at_0="2025-03-04", contacted_at_1="09:30:00")
    response = client.post(url, data)
    # The model's outreach_contacted_has_reason constraint, checked by the form.
    assert len(response.context["adminform"].form.non_field_errors()) == 1
    assert not audit_trail(case).exists()


def test_opening_an_outreach_case_in_the_admin_records_its_creation(client, manager):
    review = ProductReviewFactory(reviewed_at=timezone.now() - timedelta(days=1))
    client.force_login(manager)
    data = changeform_data(client.get(admin_url(ReviewOutreachCase, "add")))
    data["review"] = str(review.pk)
    assert client.post(admin_url(ReviewOutreachCase, "add"), data).status_code == 302
    event = AuditEvent.objects.get()
    assert (event.subject, event.actor, event.action) == (review.outreach_case, manager, "review_outreach_case.created")


def test_the_outreach_case_page_shows_its_audit_trail(client, manager):
    case = _sample_outreach_case()
    client.force_login(manager)
    response = client.get(admin_url(ReviewOutreachCase, "change", case.pk))
    assert "status: new → closed" in response.content.decode()
