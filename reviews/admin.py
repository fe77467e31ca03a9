"""The managers' admin of product reviews, seller feedback and review outreach.

Same rules as ``tickets.admin``: flat query counts per changelist, raw id fields for
the huge tables, outreach edits audited through ``tickets.audit``.
"""

import json
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from metrics.fulfillment import returns_prevented_compute
from tickets.access import outreach_cases_visible_to, products_visible_to
from tickets.admin import AuditedAdminMixin, SameAccountForm
from tickets.outbound.services import ComplianceRefused

from . import selectors, services
from .amazon_topics import amazon_topics_latest, topic_reviews
from .highlight import match_snippet
from .models import (
    AmazonReviewTopic,
    InsightAlert,
    OutreachContactReason,
    OutreachResolution,
    ProductReview,
    ReviewOutreachCase,
    ReviewRatingChange,
    ReviewTheme,
    ReviewThemeCorrection,
    ReviewThemeMatch,
    SellerFeedback,
    ThemePhrase,
    ThemePolarity,
)

# The insights page: how many days after the review a contact still counts as prompt.
DEFAULT_CONTACT_WITHIN_DAYS = 2
_SIGN = {ThemePolarity.COMPLAINT: "−", ThemePolarity.PRAISE: "+"}


class ReviewRatingChangeInline(admin.TabularInline):
    model = ReviewRatingChange
    extra = 0


class ProductReviewAdminForm(SameAccountForm):
    same_account_fields = ("product", "order", "buyer")


@admin.register(ProductReview)
class ProductReviewAdmin(admin.ModelAdmin):
    form = ProductReviewAdminForm
    list_display = (
        "amazon_review_id",
        "rating",
        "title",
        "product",
        "seller_account",
        "verified_purchase",
        "outreach",
        "reviewed_at",
    )
    list_filter = ("rating", "verified_purchase", "seller_account", "outreach_case__status")
    search_fields = ("amazon_review_id__exact", "title", "product__asin__exact")
    search_help_text = "An exact review id or ASIN, or words of the title."
    autocomplete_fields = ("seller_account", "product")
    raw_id_fields = ("order", "buyer")
    # outreach_case is a reverse one-to-one: joined here, so the column costs no query.
    list_select_related = ("product", "seller_account", "outreach_case")
    readonly_fields = ("themes_found", "created_at", "updated_at")
    date_hierarchy = "reviewed_at"
    inlines = (ReviewRatingChangeInline,)

    def get_list_display(self, request: HttpRequest):
        return (*self.list_display[:3], "themes", *self.list_display[3:])

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductReview]:
        # One extra query for the whole page, however many rows.
        matches = ReviewThemeMatch.objects.select_related("theme").order_by("theme__position")
        return super().get_queryset(request).prefetch_related(Prefetch("theme_matches", queryset=matches))

    def save_model(self, request: HttpRequest, obj: ProductReview, form: forms.ModelForm, change: bool) -> None:
        # Through review_record, like the API: rating history, outreach case and themes follow.
        review, _ = services.review_record(
            seller_account=obj.seller_account,
            product=obj.product,
            amazon_review_id=obj.amazon_review_id,
            rating=obj.rating,
            title=obj.title,
            body=obj.body,
            reviewed_at=obj.reviewed_at,
            verified_purchase=obj.verified_purchase,
            order=obj.order,
            buyer=obj.buyer,
            actor=request.user,
        )
        obj.pk = review.pk
        obj.refresh_from_db()

    def get_readonly_fields(self, request: HttpRequest, obj: ProductReview | None = None):
        # Amazon's id is the key review_record upserts by: fixed once the review exists.
        return (*self.readonly_fields, "amazon_review_id") if obj else self.readonly_fields

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("insights/", view(self.insights_index), name="reviews_insights"),
            path("insights/<int:product_id>/", view(self.insights_product), name="reviews_insights_product"),
            path(
                "insights/<int:product_id>/amazon-topics/<int:topic_id>/",
                view(self.insights_amazon_topic),
                name="reviews_insights_amazon_topic",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Themes")
    def themes(self, obj: ProductReview) -> str:
        return ", ".join(f"{m.theme.name} {_SIGN[m.polarity]}" for m in obj.theme_matches.all()) or "—"

    @admin.display(description="Themes: complaint − / praise + (matched words highlighted)")
    def themes_found(self, obj: ProductReview) -> str:
        if obj.pk is None:
            return "—"
        correct = format_html(
            '<p><a href="{}?review={}">Correct these themes</a></p>',
            reverse("admin:reviews_reviewthemecorrection_add"),
            obj.pk,
        )
        matches = list(obj.theme_matches.all())
        if not matches:
            return format_html("<p>No theme matched.</p>{}", correct)
        found = format_html_join(
            "",
            "<p><strong>{} {}</strong>: {}</p>",
            ((m.theme.name, _SIGN[m.polarity], match_snippet(m, width=400)) for m in matches),
        )
        return format_html("{}{}", found, correct)

    # --- Insights (read-only pages for managers) -------------------------------------

    def _within(self, request: HttpRequest) -> int:
        try:
            return max(0, min(int(request.GET.get("within", DEFAULT_CONTACT_WITHIN_DAYS)), 90))
        except ValueError:
            return DEFAULT_CONTACT_WITHIN_DAYS

    def insights_index(self, request: HttpRequest) -> HttpResponse:
        within = self._within(request)
        products = (
            products_visible_to(request.user)
            .annotate(
                review_count=Count("reviews"),
                avg_rating=Avg("reviews__rating"),
                critical=Count("reviews", filter=Q(reviews__rating__lte=3)),
            )
            .filter(review_count__gt=0)
            .select_related("seller_account")
            .order_by("seller_account__name", "title")
        )
        cases = outreach_cases_visible_to(request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": "Review insights and outreach",
            "opts": self.model._meta,
            "products": products,
            "within": within,
            "per_product": selectors.outreach_numbers(cases=cases, contacted_within_days=within, by_month=False),
            "per_month": selectors.outreach_numbers(cases=cases, contacted_within_days=within),
        }
        return render(request, "admin/reviews/insights_index.html", context)

    def insights_product(self, request: HttpRequest, product_id: int) -> HttpResponse:
        product = products_visible_to(request.user).select_related("seller_account").filter(pk=product_id)
        product = product.first()
        if product is None:
            raise Http404("No such product.")
        insights = selectors.product_theme_insights(product=product)
        examples = selectors.product_theme_examples(product=product)
        within = self._within(request)
        cases = outreach_cases_visible_to(request.user).filter(review__product=product)
        peak = max((count for t in insights.themes for _, count, _ in t.monthly), default=0) or 1
        themes = [
            {
                "trend": trend,
                "width": 10 * len(trend.monthly),
                "bars": [
                    {
                        "month": month,
                        "count": count,
                        "share": share,
                        "x": 10 * i + 1,
                        "y": 30 - round(28 * count / peak),
                        "height": round(28 * count / peak),
                    }
                    for i, (month, count, share) in enumerate(trend.monthly)
                ],
                "examples": [
                    {"snippet": match_snippet(m), "rating": m.review.rating, "review": m.review}
                    for m in examples.get(trend.theme.pk, [])
                ],
            }
            for trend in insights.themes
        ]
        amazon_fetch, amazon_topics = amazon_topics_latest(product=product)
        by_theme: dict[int, list] = {}
        for topic in amazon_topics:
            if topic.theme_id:
                by_theme.setdefault(topic.theme_id, []).append(topic)
        for item in themes:
            item["amazon_topics"] = by_theme.get(item["trend"].theme.pk, [])
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review insights: {product.title}",
            "opts": self.model._meta,
            "product": product,
            "insights": insights,
            "themes": themes,
            "amazon_fetch": amazon_fetch,
            "amazon_topics": amazon_topics,
            "returns_prevented": returns_prevented_compute(
                seller_account=product.seller_account, as_of=timezone.localdate()
            ),
            "within": within,
            "per_month": selectors.outreach_numbers(cases=cases, contacted_within_days=within),
        }
        return render(request, "admin/reviews/insights_product.html", context)

    def insights_amazon_topic(self, request: HttpRequest, product_id: int, topic_id: int) -> HttpResponse:
        """The 1–3★ reviews the desk matched to an Amazon topic's theme, with their outreach cases."""
        product = products_visible_to(request.user).select_related("seller_account").filter(pk=product_id).first()
        topic = (
            AmazonReviewTopic.objects.select_related("theme", "fetch")
            .filter(pk=topic_id, fetch__product=product)
            .first()
            if product is not None
            else None
        )
        if topic is None:
            raise Http404("No such topic.")
        reviews = list(topic_reviews(product=product, theme=topic.theme)[:200]) if topic.theme else []
        matches = {
            m.review_id: m
            for m in ReviewThemeMatch.objects.filter(
                review__in=[r.pk for r in reviews], theme=topic.theme, polarity=ThemePolarity.COMPLAINT
            ).select_related("review")
        }
        context = {
            **self.admin_site.each_context(request),
            "title": f"{topic.topic}: the reviews behind Amazon's topic",
            "opts": self.model._meta,
            "product": product,
            "topic": topic,
            "rows": [
                {"review": r, "snippet": match_snippet(matches[r.pk]) if r.pk in matches else ""} for r in reviews
            ],
        }
        return render(request, "admin/reviews/insights_amazon_topic.html", context)

    @admin.display(description="Outreach", ordering="outreach_case__status")
    def outreach(self, obj: ProductReview) -> str:
        try:
            return obj.outreach_case.get_status_display()
        except ReviewOutreachCase.DoesNotExist:
            return "—"


@admin.register(SellerFeedback)
class SellerFeedbackAdmin(admin.ModelAdmin):
    list_display = ("order", "seller_account", "rating", "is_negative", "removed", "left_at", "comment_excerpt")
    list_filter = ("rating", "removed", "order__seller_account", "order__fulfillment_channel")
    search_fields = ("order__amazon_order_id__exact",)
    search_help_text = "Exact Amazon order id."
    raw_id_fields = ("order", "ticket")
    list_select_related = ("order", "order__seller_account")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "left_at"

    @admin.display(description="Seller account", ordering="order__seller_account__name")
    def seller_account(self, obj: SellerFeedback) -> str:
        return str(obj.order.seller_account)

    @admin.display(description="Negative (ODR defect)", boolean=True, ordering="rating")
    def is_negative(self, obj: SellerFeedback) -> bool:
        return obj.is_negative

    @admin.display(description="Comment")
    def comment_excerpt(self, obj: SellerFeedback) -> str:
        return obj.comment[:80]


class ReviewOutreachCaseForm(forms.ModelForm):
    """Managers may record in the admin what happened in Seller Central; the workflow
    (closed is final, no skipping back) is the model's, the same the services enforce."""

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if self.instance.pk:
            stored = ReviewOutreachCase.objects.get(pk=self.instance.pk)
            if not stored.can_transition_to(status):
                raise forms.ValidationError(f"An outreach case cannot go from {stored.status} to {status}.")
        return status


def _case_action(name: str, description: str, call: Callable[[ReviewOutreachCase, object], object]) -> Callable:
    """A bulk action that runs the single-case service on each selected case."""

    def action(modeladmin, request: HttpRequest, queryset: QuerySet[ReviewOutreachCase]) -> None:
        done, refused = 0, []
        for case in queryset.select_related("review"):
            try:
                call(case, request.user)
            except (services.OutreachError, ComplianceRefused) as exc:
                refused.append(f"{case}: {exc}")
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{description}: {done} case(s).", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    action.__name__ = name
    return admin.action(description=description)(action)


OUTREACH_ACTIONS = (
    [
        _case_action(
            f"contact_{reason.value}",
            f"Contact via Amazon's {reason.label} template",
            lambda case, user, reason=reason: services.outreach_contact(
                case=case, contact_reason=reason, actor=user, channel="admin"
            ),
        )
        for reason in OutreachContactReason
    ]
    + [
        _case_action(
            f"resolve_{resolution.value}",
            f"Resolve: {resolution.label.lower()}",
            lambda case, user, resolution=resolution: services.outreach_resolve(
                case=case, resolution=resolution, actor=user
            ),
        )
        for resolution in OutreachResolution
    ]
    + [_case_action("close", "Close", lambda case, user: services.outreach_close(case=case, actor=user))]
)


@admin.register(ReviewOutreachCase)
class ReviewOutreachCaseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_name = "review_outreach_case"
    form = ReviewOutreachCaseForm
    actions = OUTREACH_ACTIONS
    list_display = (
        "__str__",
        "review_rating",
        "status",
        "contact_reason",
        "contacted_at",
        "resolution",
        "is_organic_update",
        "assignee",
        "created_at",
    )
    list_filter = ("status", "contact_reason", "resolution", "review__seller_account", "review__rating")
    search_fields = ("review__amazon_review_id__exact", "review__title")
    search_help_text = "An exact review id or words of the review title."
    autocomplete_fields = ("assignee",)
    raw_id_fields = ("review", "ticket")
    list_select_related = ("review", "assignee")
    readonly_fields = ("created_at", "updated_at", "audit_history")
    date_hierarchy = "created_at"

    @admin.display(description="Rating", ordering="review__rating")
    def review_rating(self, obj: ReviewOutreachCase) -> str:
        return f"{obj.review.rating}★"

    @admin.display(description="Buyer raised the rating", boolean=True)
    def is_organic_update(self, obj: ReviewOutreachCase) -> bool:
        return obj.is_organic_update


class ThemePhraseInline(admin.TabularInline):
    model = ThemePhrase
    extra = 1
    fields = ("pattern", "is_regex", "negatable", "polarity")


@admin.register(ReviewTheme)
class ReviewThemeAdmin(admin.ModelAdmin):
    """The classification rules, as data. Any change reclassifies every review (a task)."""

    list_display = ("name", "slug", "is_active", "phrase_count", "position")
    list_editable = ("is_active", "position")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ThemePhraseInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewTheme]:
        return super().get_queryset(request).annotate(phrase_total=Count("phrases"))

    @admin.display(description="Phrases", ordering="phrase_total")
    def phrase_count(self, obj: ReviewTheme) -> int:
        return obj.phrase_total

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.theme_rules_changed(actor=request.user)

    def delete_model(self, request: HttpRequest, obj: ReviewTheme) -> None:
        super().delete_model(request, obj)
        services.theme_rules_changed(actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ReviewTheme]) -> None:
        super().delete_queryset(request, queryset)
        services.theme_rules_changed(actor=request.user)


@admin.register(ThemePhrase)
class ThemePhraseAdmin(admin.ModelAdmin):
    """Every rule of every theme in one searchable list; edits reclassify every review."""

    list_display = ("pattern", "theme", "polarity", "is_regex", "negatable", "updated_at")
    list_filter = ("theme", "polarity", "is_regex", "negatable")
    search_fields = ("pattern",)
    list_select_related = ("theme",)

    def save_model(self, request: HttpRequest, obj: ThemePhrase, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.theme_rules_changed(actor=request.user)

    def delete_model(self, request: HttpRequest, obj: ThemePhrase) -> None:
        super().delete_model(request, obj)
        services.theme_rules_changed(actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ThemePhrase]) -> None:
        super().delete_queryset(request, queryset)
        services.theme_rules_changed(actor=request.user)


@admin.register(ReviewThemeMatch)
class ReviewThemeMatchAdmin(admin.ModelAdmin):
    """Read-only: matches are computed from the review text and the rules, never edited."""

    list_display = ("review", "theme", "polarity", "matched_words")
    list_filter = ("theme", "polarity", "review__seller_account")
    search_fields = ("review__amazon_review_id__exact",)
    search_help_text = "An exact review id."
    list_select_related = ("review", "theme")
    raw_id_fields = ("review",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReviewThemeMatch | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReviewThemeMatch | None = None) -> bool:
        return False

    @admin.display(description="Matched words (highlighted)")
    def matched_words(self, obj: ReviewThemeMatch) -> str:
        return match_snippet(obj, width=120)


class ThemeCorrectionForm(forms.ModelForm):
    """A manager's reading of one review: every (theme, polarity) it expresses."""

    labels = forms.MultipleChoiceField(
        label="Themes", required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: no theme."
    )

    class Meta:
        model = ReviewThemeCorrection
        fields = ("review",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = ReviewTheme.objects.filter(is_active=True)
        self.fields["labels"].choices = [
            (f"{t.slug}:{value}", f"{t.name} — {label.lower()}")
            for t in themes
            for value, label in ThemePolarity.choices
        ]
        review_id = self.initial.get("review") or (self.instance.review_id if self.instance.pk else None)
        if self.instance.pk:
            self.initial["labels"] = [f"{t['theme']}:{t['polarity']}" for t in self.instance.themes]
        elif review_id:
            # Start from what the classifier found, so a correction is a few clicks.
            matches = ReviewThemeMatch.objects.filter(review_id=review_id).values_list("theme__slug", "polarity")
            self.initial["labels"] = [f"{slug}:{polarity}" for slug, polarity in matches]

    def label_pairs(self) -> list[tuple[str, str]]:
        return [tuple(value.split(":", 1)) for value in self.cleaned_data["labels"]]


@admin.register(ReviewThemeCorrection)
class ReviewThemeCorrectionAdmin(admin.ModelAdmin):
    """Managers' corrections of a review's themes: they replace the classifier's for that
    review and are labelled data (action below, or ``manage.py review_themes_export``)."""

    form = ThemeCorrectionForm
    list_display = ("review", "labels_shown", "corrected_by", "corrected_at")
    list_select_related = ("review", "corrected_by")
    raw_id_fields = ("review",)
    search_fields = ("review__amazon_review_id__exact",)
    search_help_text = "An exact review id."
    actions = ("export_jsonl",)

    def get_readonly_fields(self, request: HttpRequest, obj: ReviewThemeCorrection | None = None):
        return ("review",) if obj else ()

    @admin.display(description="Themes")
    def labels_shown(self, obj: ReviewThemeCorrection) -> str:
        return ", ".join(f"{t['theme']} {_SIGN.get(t['polarity'], '?')}" for t in obj.themes) or "none"

    def save_model(self, request: HttpRequest, obj: ReviewThemeCorrection, form, change: bool) -> None:
        # Through the service: audit event and the review's matches follow.
        correction = services.review_themes_correct(review=obj.review, themes=form.label_pairs(), actor=request.user)
        obj.pk = correction.pk
        obj.refresh_from_db()

    @admin.action(description="Export selected as labelled JSONL")
    def export_jsonl(self, request: HttpRequest, queryset: QuerySet[ReviewThemeCorrection]) -> HttpResponse:
        lines = (
            json.dumps(row, ensure_ascii=False) + "\n"
            for row in selectors.theme_corrections_labelled(corrections=queryset)
        )
        response = HttpResponse("".join(lines), content_type="application/jsonl; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="review_theme_labels.jsonl"'
        return response


@admin.register(InsightAlert)
class InsightAlertAdmin(admin.ModelAdmin):
    """The insight.rising alerts managers received: read only, written by reviews.rising."""

    list_display = ("day", "product", "theme", "recent_share", "baseline_share", "recent_matches", "notified_at")
    list_filter = ("theme", "product__seller_account")
    list_select_related = ("product", "theme")
    readonly_fields = [f.name for f in InsightAlert._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InsightAlert]:
        return super().get_queryset(request).filter(product__in=products_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
