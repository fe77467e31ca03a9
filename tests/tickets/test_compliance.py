"""The Amazon compliance guard: every rule refuses what it should and lets ordinary
support replies through; violations point at the offending text."""

import pytest

from bench.compliance_bench import MIN_PRECISION, MIN_RECALL, evaluate, load_corpus
from tickets.compliance import RULES, ComplianceContext, ComplianceResult, Purpose, Verdict, compliance_check
from tickets.compliance.lexicon import damerau_levenshtein

ORDER_ID = "114-3941689-8772232"
GUIDE_DOMAINS = frozenset({"guides.brewline.example"})


def check(text: str, purpose: str = "reply", **context) -> ComplianceResult:
    return compliance_check(text=text, purpose=purpose, context=ComplianceContext(**context))


def rules(text: str, purpose: str = "reply", **context) -> set[str]:
    return {v.rule for v in check(text, purpose, **context).violations}


def highlighted(text: str, rule: str, purpose: str = "reply", **context) -> list[str]:
    return [text[v.start : v.end] for v in check(text, purpose, **context).violations if v.rule == rule]


def guide(text: str, **context) -> set[str]:
    defaults = {"amazon_order_id": ORDER_ID, "days_since_delivery": 2, "allowed_link_domains": GUIDE_DOMAINS}
    return rules(text, "proactive_guide", **{**defaults, **context})


GUIDE_TEXT = f"Your order {ORDER_ID} has been delivered. The quick-start guide: https://guides.brewline.example/qs.pdf"


# --- the everyday replies that must pass -------------------------------------------------------

INNOCENT_REPLIES = [
    "Sorry the reservoir arrived cracked — a replacement ships today",
    "I've issued a full refund for order 113-4829371-5530128; you'll see it in 3–5 days",
    "Please remove the packaging tape before first use",
    "You can update your delivery address in Your Orders",
    "We reviewed your photos and will send a new carafe",
    "Thanks for your feedback about the manual — we've passed it to our team",
    "We can't edit or remove reviews, only Amazon can, but we can fix the grinder.",
    "Our team will review your case and update you within 24 hours.",
    "Please review the attached troubleshooting steps.",
    "Your refund has been issued, thanks for your feedback!",
    "Thank you for the 5-star review, we're glad the grinder works!",
    "Could you send a photo of the rating plate on the back of the machine?",
    "Please use a T20 star screwdriver to remove the back panel.",
    "Feel free to reach out if the grinder jams again.",
    "Would you like us to send a replacement or a refund?",
    "Our returns follow Amazon's terms of sale.",
]


@pytest.mark.parametrize("text", INNOCENT_REPLIES)
def test_an_ordinary_support_reply_is_allowed(text):
    assert check(text).violations == ()


def test_a_link_to_an_allowed_guide_host_is_allowed():
    assert check(
        "Here is the priming guide: https://guides.brewline.example/prime.pdf", allowed_link_domains=GUIDE_DOMAINS
    ).allowed


def test_a_manufacturer_phone_number_is_allowed_in_a_warranty_message():
    text = "The warranty covers the pump for 2 years; call the manufacturer at +1 800 555 0100"
    assert check(text, "warranty").allowed


# --- review_change_request -----------------------------------------------------------------------

CHANGE_REQUESTS = [
    "Would you consider revising your rating?",
    "If you could find it in your heart to update your feedback, we'd be grateful.",
    "We'd love it if your review reflected the resolution.",
    "Could you take another look at the stars you gave?",
    "Please remove your 1-star review.",
    "Would you mind deleting the negative feedback you left?",
    "I saw your review. Would you be willing to update it?",
    "Is the feedback you left something you'd be open to changing?",
    "Could your review be updated now that it works?",
    "Could you add a note to your review saying we replaced it?",
    "Would you please revise what you wrote on Amazon?",
    "Is it possible to get the 2-star review updated?",
    "we were hoping u could take ur review down",
]


@pytest.mark.parametrize("text", CHANGE_REQUESTS)
def test_asking_to_change_a_review_is_refused_however_politely(text):
    assert "review_change_request" in rules(text)


OBFUSCATED = [
    "Please update your reveiw.",
    "Please remvoe your feedback.",
    "Please edit your feedbak.",
    "Pls upd8 ur review.",
    "Please update your r3view.",
    "Please update your r e v i e w.",
    "Please update your r.e.v.i.e.w.",
    "Please update your re-view.",
    "Please update your feed back.",
    "Please update your reeeeview.",
    "Please update your ｒｅｖｉｅｗ.",
    "Please update your r\u0435view.",  # Cyrillic е
    "Please update your re\u200bview.",  # zero-width space
    "Please update your révïew.",
    "P l e a s e  d e l e t e  your review",
]


@pytest.mark.parametrize("text", OBFUSCATED)
def test_a_disguised_or_misspelt_change_request_is_still_refused(text):
    assert "review_change_request" in rules(text)


def test_a_change_request_highlights_the_verb_and_the_review():
    text = "Thanks! Would you consider revising your 2-star rating?"
    assert highlighted(text, "review_change_request") == ["revising your 2-star rating"]


def test_the_highlight_of_a_disguised_word_covers_what_the_agent_typed():
    text = "Pls upd8 ur r e v i e w!"
    assert highlighted(text, "review_change_request") == ["upd8 ur r e v i e w"]


def test_the_seller_changing_its_own_things_is_not_a_change_request():
    assert "review_change_request" not in rules("Thanks for your feedback! We've updated the manual.")


def test_a_real_word_near_a_review_word_is_not_read_as_a_typo():
    # "charge" is one letter from "change"; it is a word of its own.
    assert check("We won't charge you for the return; thanks for your feedback.").allowed


# --- review_incentive ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We'll send you a $20 gift card if you leave a review.",
        "We can offer a partial refund in exchange for updating your feedback.",
        "Leave a review and get a free cleaning kit.",
        "We reimburse the full price once your review is live.",
        "For every review, we give a $5 voucher.",
    ],
)
def test_anything_of_value_tied_to_a_review_is_refused(text):
    assert "review_incentive" in rules(text)


def test_an_incentive_is_found_in_every_sentence_not_only_the_last():
    text = "We reimburse the full price once your review is live. The replacement is free."
    assert highlighted(text, "review_incentive") == ["reimburse the full price once your review"]


def test_a_refund_next_to_thanks_for_feedback_is_not_an_incentive():
    assert check("Your refund has been issued, thanks for your feedback!").allowed


def test_a_refund_in_one_sentence_and_a_review_in_another_are_not_linked():
    assert check("Your refund was issued today. If you have a moment, you can leave a review on Amazon.").allowed


# --- positive_review_request ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If you're happy with the grinder, please leave us a review!",
        "We'd really appreciate a 5-star review.",
        "If anything is wrong, message us before leaving a review.",
        "Tell the world with a 5★ review!",
        "Help us out ⭐⭐⭐⭐⭐",
    ],
)
def test_asking_for_a_good_review_or_only_happy_buyers_is_refused(text):
    assert "positive_review_request" in rules(text)


def test_thanking_for_a_good_review_is_allowed():
    assert check("Your glowing review made our day, thank you!").allowed


def test_a_condition_on_happiness_without_a_review_is_allowed():
    assert check("If you're happy with the replacement, there's nothing else you need to do.").allowed


# --- marketing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Use promo code CREMA15 at checkout.",
        "Check out our other grinders!",
        "Follow us on Instagram for latte art tips.",
        "Get 10% off your next order.",
        "Sign up for our newsletter.",
    ],
)
def test_promotion_is_refused(text):
    assert "marketing" in rules(text)


def test_explaining_a_coupon_that_did_not_apply_is_not_marketing():
    assert check("The coupon you clipped on Amazon didn't apply because it had expired.").allowed


def test_refusing_a_discount_code_is_not_marketing():
    assert check("We can't offer a discount code, but we can refund the difference.").allowed


# --- external_link -------------------------------------------------------------------------------


def test_a_link_to_a_domain_the_account_does_not_allow_is_refused():
    text = "Watch the video: https://bit.ly/3xYz"
    assert highlighted(text, "external_link", allowed_link_domains=GUIDE_DOMAINS) == ["https://bit.ly/3xYz"]


def test_an_insecure_link_to_an_allowed_domain_is_refused():
    assert "external_link" in rules("http://guides.brewline.example/qs.pdf", allowed_link_domains=GUIDE_DOMAINS)


def test_a_subdomain_of_an_allowed_domain_is_allowed():
    result = check("https://eu.guides.brewline.example/qs.pdf", allowed_link_domains=GUIDE_DOMAINS)
    assert result.verdict is Verdict.ALLOWED


def test_an_amazon_link_is_always_allowed():
    assert check("Your return label: https://www.amazon.co.uk/gp/css/order-history").verdict is Verdict.ALLOWED


@pytest.mark.parametrize(
    "url",
    [
        "https://guides.brewline.example.evil.io/qs.pdf",  # allowed domain as a prefix
        "https://guides.brewline.example@files.example.net/qs.pdf",  # user-info trick
        "https://amazon.com.account-help.co/login",  # Amazon look-alike
        "www.brewlinecoffee.com",
        "brewline dot com",
    ],
)
def test_a_disguised_foreign_link_is_refused(url):
    assert "external_link" in rules(f"See {url} for details.", allowed_link_domains=GUIDE_DOMAINS)


BRAND_MANUAL_LINKS = [
    "The wiring diagram is in the installation manual: https://support.thermaro.example/manuals/t3.pdf",
    "La notice de montage se trouve ici : https://aide.mobilia.example/notices/etagere-60",
    "組み立て手順は説明書ページ(https://support.kagu.example/manual/c2)にございます。",
    "Please register the warranty here: https://warranty.thermaro.example/register",
]


@pytest.mark.parametrize("text", BRAND_MANUAL_LINKS)
def test_a_link_to_the_brands_own_manual_is_held_for_a_manager(text):
    result = check(text)
    assert result.verdict is Verdict.HELD
    assert [v.rule for v in result.doubts] == ["link_unvouched"]
    assert text[result.doubts[0].start : result.doubts[0].end].startswith("https://")
    assert "a manager approves it or adds the domain" in result.doubts[0].message


def test_a_brand_manual_link_passes_once_the_account_allows_its_domain():
    text = BRAND_MANUAL_LINKS[0]
    assert check(text, allowed_link_domains=frozenset({"thermaro.example"})).verdict is Verdict.ALLOWED


def test_a_held_link_beside_a_broken_rule_is_refused():
    text = f"{BRAND_MANUAL_LINKS[0]} Use code SAVE10 for 10% off your next order."
    result = check(text)
    assert result.verdict is Verdict.REFUSED
    assert result.doubts == ()


def test_a_reply_may_link_the_carriers_tracking_page_without_allowed_domains():
    text = "Sie können die Sendung hier verfolgen, die Sendungsverfolgung: https://www.dhl.de/de/privatkunden.html"
    assert check(text).verdict is Verdict.ALLOWED


@pytest.mark.parametrize(
    "text",
    [
        "The installation manual: http://support.thermaro.example/manuals/t3.pdf",  # not https
        "The installation manual: https://tinyurl.com/t3-manual",  # a shortener hides where it goes
        "The installation manual is on our drive: https://drive.google.com/file/d/1xYz/view",  # a file host
        "You can buy the spare filter here: https://support.thermaro.example/parts/filter",  # selling
        "Manual and spare parts: https://thermaro-shop.example/manual",  # a shop's host
        "Our new range is out, the guide is here: https://support.thermaro.example/new",  # marketing
        "Leave us a review, the guide is here: https://support.thermaro.example/t3",  # a review
        "Have a look at https://support.thermaro.example/blog for ideas.",  # not about the order
    ],
)
def test_a_link_the_order_does_not_need_is_refused(text):
    assert "external_link" in rules(text)


def test_a_look_alike_of_an_allowed_domain_is_refused_even_beside_a_manual():
    text = "The manual: https://guides.brewline.example.evil.io/qs.pdf"
    assert "external_link" in rules(text, allowed_link_domains=GUIDE_DOMAINS)


def test_a_reply_may_name_the_manual_in_the_sentence_before_the_link():
    text = "The setup guide is on our support page.\nhttps://support.thermaro.example/t3"
    assert check(text).verdict is Verdict.HELD
    assert "external_link" in rules("We love cooking.\nhttps://support.thermaro.example/t3")


def test_a_proactive_link_to_the_brands_manual_is_refused_unless_the_account_allows_it():
    own = f"Your order {ORDER_ID} has arrived. The setup guide: https://support.thermaro.example/t3"
    assert "external_link" in guide(own, allowed_link_domains=frozenset())
    assert guide(own, allowed_link_domains=frozenset({"support.thermaro.example"})) == set()
    result = check(own, "proactive_guide", amazon_order_id=ORDER_ID, days_since_delivery=2)
    assert result.doubts == ()


def test_a_proactive_link_to_recipes_is_refused():
    text = f"Your order {ORDER_ID} has arrived. More recipes for your blender: https://blendo.example/recipes"
    assert "external_link" in guide(text, allowed_link_domains=frozenset())


def test_a_file_name_is_not_a_link():
    assert check("The manual.pdf in the box has the same steps.").allowed


# --- contact_details -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Email me at sam.brewline@gmail.com.",
        "Write to support [at] brewline [dot] com.",
        "Call our support line on (415) 555-0134.",
        "WhatsApp me at +44 7700 900123.",
    ],
)
def test_an_email_address_or_phone_number_in_a_reply_is_refused(text):
    assert "contact_details" in rules(text)


def test_an_email_address_is_refused_even_in_a_warranty_message():
    assert "contact_details" in rules("Email warranty@brewline.example with the photos.", "warranty")


def test_order_ids_tracking_numbers_and_prices_are_not_phone_numbers():
    text = "Order 113-4829371-5530128 shipped with tracking 7712 3456 7890 on 2026-01-05; the refund is $149.99."
    assert check(text).allowed


# --- html and emoji ------------------------------------------------------------------------------------


def test_html_tags_and_entities_are_refused():
    text = "<p>Hi Alex,</p> your refund is on its way&nbsp;today"
    assert highlighted(text, "html") == ["<p>", "</p>", "&nbsp;"]


def test_a_less_than_sign_is_not_html():
    assert check("Keep the pressure < 9 bar; I <3 a good crema.").allowed


def test_emoji_in_a_proactive_guide_are_refused():
    text = GUIDE_TEXT + " Enjoy ☕"
    assert "emoji" in guide(text)


def test_emoji_in_a_reply_are_refused_too():
    # Amazon's Communication Guidelines forbid emoji in every permitted message.
    assert not check("Glad it works now 😊").allowed


def test_emoji_in_an_internal_note_are_fine():
    assert compliance_check(text="Buyer happy again 😊", purpose=Purpose.NOTE).allowed


def test_a_trademark_sign_is_not_an_emoji():
    assert guide(GUIDE_TEXT + " Brewline™ Espresso") == set()


# --- the proactive guide -----------------------------------------------------------------------------


def test_a_compliant_proactive_guide_is_allowed():
    assert guide(GUIDE_TEXT) == set()


def test_a_second_proactive_message_on_an_order_is_refused():
    assert "proactive_limit" in guide(GUIDE_TEXT, earlier_proactive_messages=1)


def test_a_proactive_message_more_than_30_days_after_delivery_is_refused():
    assert "proactive_too_late" in guide(GUIDE_TEXT, days_since_delivery=31)


def test_a_proactive_message_on_day_30_is_still_allowed():
    assert guide(GUIDE_TEXT, days_since_delivery=30) == set()


def test_a_proactive_message_without_the_order_id_in_its_text_is_refused():
    assert "missing_order_id" in guide("Your machine has arrived: https://guides.brewline.example/qs.pdf")


def test_a_proactive_message_for_no_known_order_is_refused():
    assert "missing_order_id" in guide(GUIDE_TEXT, amazon_order_id=None)


def test_a_proactive_guide_may_not_mention_feedback():
    assert "review_mention" in guide(GUIDE_TEXT + " We'd welcome your feedback on Amazon.")


def test_a_reply_may_mention_feedback():
    assert check("We'd welcome your feedback on the new gasket, just reply here.").allowed


def test_a_whole_message_rule_has_an_empty_span():
    result = check(GUIDE_TEXT, "proactive_guide", amazon_order_id=ORDER_ID, earlier_proactive_messages=1,
                   allowed_link_domains=GUIDE_DOMAINS)  # fmt: skip
    assert [(v.start, v.end) for v in result.violations] == [(0, 0)]


# --- review outreach -----------------------------------------------------------------------------------


def test_free_text_in_review_outreach_is_refused():
    text = "We saw your 2-star review and would like to help."
    assert highlighted(text, "free_text_outreach", "review_outreach", contact_reason="customer_support") == [text]


def test_review_outreach_needs_one_of_amazons_two_contact_reasons():
    assert "free_text_outreach" in rules("", "review_outreach", contact_reason="replacement")


@pytest.mark.parametrize("reason", ["courtesy_refund", "customer_support"])
def test_review_outreach_through_a_contact_customer_template_is_allowed(reason):
    assert check("", "review_outreach", contact_reason=reason).allowed


# --- extra phrases -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["A Lifetime Guarantee", "a lifetime   guarantee", "a l1fetime guarantee"])
def test_a_manager_added_phrase_is_refused_in_any_spelling(text):
    assert highlighted(text + "!", "extra_phrase", extra_forbidden_phrases=("lifetime guarantee",)) == [text[2:]]


def test_a_manager_added_phrase_does_not_match_other_words():
    assert check("A two-year guarantee covers the pump.", extra_forbidden_phrases=("lifetime guarantee",)).allowed


def test_overlapping_matches_of_a_manager_added_phrase_are_one_violation():
    assert highlighted("1 1 1 1 and 1 1", "extra_phrase", extra_forbidden_phrases=("1 1",)) == ["1 1 1 1", "1 1"]


def test_a_stretch_two_phrases_match_is_named_after_the_match_that_begins_it():
    phrases = ("back money back", "back money")
    [found] = check("money back money back money", extra_forbidden_phrases=phrases).violations
    assert found.message.endswith("(“back money”)")


# --- the API -----------------------------------------------------------------------------------------


def test_an_internal_note_is_never_checked():
    assert check("Buyer wants 5 stars removed? call 555-123-4567 <b>", "note").allowed


def test_an_unknown_purpose_raises_value_error():
    with pytest.raises(ValueError, match="Unknown message purpose"):
        compliance_check(text="Hello", purpose="newsletter")


def test_the_purpose_may_be_given_as_the_enum():
    assert compliance_check(text="Hello", purpose=Purpose.REPLY).allowed


def test_the_context_is_optional():
    assert compliance_check(text="Your replacement ships today.", purpose="reply").allowed


def test_the_result_serialises_for_the_api():
    result = check("Please remove your review.")
    assert result.as_dict() == {
        "allowed": False,
        "verdict": "refused",
        "violations": [
            {"rule": "review_change_request", "message": RULES["review_change_request"], "start": 7, "end": 25}
        ],
        "doubts": [],
    }


def test_every_violation_carries_the_message_of_its_rule():
    result = check("Use promo code CREMA15 or email me at a@b.example <b>", "reply")
    assert all(v.message.startswith(RULES[v.rule]) for v in result.violations)


def test_the_distance_counts_a_swap_of_neighbours_as_one_edit():
    assert damerau_levenshtein("reveiw", "review") == 1


# --- the corpus --------------------------------------------------------------------------------------


def test_the_labelled_corpus_meets_the_precision_and_recall_targets():
    report = evaluate(load_corpus())
    assert report.violating >= 60 and report.compliant >= 60
    assert report.recall >= MIN_RECALL, [item["id"] for item, _ in report.misclassified]
    assert report.precision >= MIN_PRECISION, [item["id"] for item, _ in report.misclassified]


# --- round 5: carriers' tracking pages, voucher codes, national phone numbers -----------------


@pytest.mark.parametrize(
    "text",
    [
        "It left with UPS today. You can follow it here: https://www.ups.com/track?tracknum=1Z999AA10123456784",
        "Ihr Paket ist bei DHL. Den Stand sehen Sie hier: https://www.dhl.de/de/privatkunden/verfolgen.html?piececode=1",
        "Votre colis est parti. Suivez-le ici : https://www.laposte.fr/outils/suivre-vos-envois?code=6A23018475562",
    ],
)
def test_a_reply_may_link_the_carriers_tracking_page(text):
    assert rules(text) == set()


def test_a_carriers_host_does_not_carry_a_sales_pitch():
    text = "Our new collection ships with DHL: https://www.dhl.de/de/privatkunden/verfolgen.html?piececode=1"
    assert "external_link" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your pillowcase is on its way. With the code SLEEP20 you get 20% off all our bedding.",
        "Mit dem Code SCHLAF20 erhalten Sie bis Sonntag 20 % auf unsere Bettwäsche.",
        "交換用のカバーを発送しました。コードNEMURI20で、寝具全品が20％になります。",
    ],
)
def test_a_voucher_code_beside_a_saving_is_marketing(text):
    assert "marketing" in rules(text)


def test_an_error_code_beside_a_percentage_is_no_voucher():
    assert rules("The display shows code E4 when the tank is under 10% full; refill it and restart.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Unsere Servicehotline erreichen Sie direkt unter 089 4412 7730.",
        "Notre assistance est joignable directement au 01 84 25 66 10.",
        "Nuestro servicio técnico le atiende en el 912 45 67 80.",
    ],
)
def test_a_phone_number_in_a_national_format_is_contact_details(text):
    assert "contact_details" in rules(text)


def test_a_date_written_with_hyphens_is_no_phone_number():
    assert rules("The replacement ships on 05-12-2026 with tracking.") == set()


def test_a_guide_may_name_the_star_button_and_an_audible_feedback():
    text = (
        f"Your scale (order {ORDER_ID}) has arrived. The button marked with a star switches units; "
        "a short beep is audible feedback, not a fault."
    )
    assert guide(text) == set()


def test_an_error_code_of_four_characters_beside_a_percentage_is_no_voucher():
    assert rules("Error code E404 means the tank is under 10% full; refill it and restart.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Every review posted this month goes into our prize draw for a cordless vacuum.",
        "Todas las opiniones publicadas este mes participan en el sorteo de una aspiradora.",
    ],
)
def test_a_draw_that_reviews_enter_is_an_incentive(text):
    assert "review_incentive" in rules(text)


def test_another_product_in_the_sellers_amazon_store_holds_a_reply():
    text = "The blade ships today. We also carry the matching cutting boards in our Amazon store."
    assert check(text).verdict == "held"


def test_a_guide_may_say_the_panel_shows_stars_for_a_programme():
    text = (
        f"Your rice cooker (order {ORDER_ID}) has arrived. The panel shows one star for white rice and two for brown."
    )
    assert guide(text) == set()


def test_asking_the_buyer_to_google_the_seller_sends_them_off_amazon():
    assert "external_link" in rules("Ersatzteile finden Sie, wenn Sie einfach Küchenwerk Ersatzteile googeln.")


@pytest.mark.parametrize(
    "text",
    [
        "Your kettle has a 2-year warranty. Our Care plan extends it to 5 years for just £9.99.",
        "Mit unserem Plus-Schutz verlängern Sie die Garantie für nur 9,99 € auf fünf Jahre.",
        "Our cover adds three more years. Just reply YES and we'll set it up.",
    ],
)
def test_selling_a_plan_in_a_message_is_marketing(text):
    assert "marketing" in rules(text, "warranty")


def test_a_refund_amount_is_not_a_sale():
    assert rules("Your refund of 18.50 GBP was issued today and shows within 3-5 working days.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Now that it works, could you add to your review that the problem is solved?",
        "Maintenant que tout fonctionne, pourriez-vous compléter votre commentaire pour dire que c'est réglé ?",
    ],
)
def test_asking_to_add_to_a_review_is_a_change_request(text):
    assert "review_change_request" in rules(text)
