"""The intent rules (``tickets/compliance/intent.py``): what a message asks of the buyer,
about what, tied to what, in the six marketplace languages (issue #16)."""

from importlib import import_module

import pytest

from bench.compliance_bench import CORPORA, MIN_PRECISION, MIN_RECALL, load_corpus, score
from tickets.compliance import ComplianceContext, Purpose, Verdict, compliance_check
from tickets.compliance.concepts import CONCEPTS, LANGUAGES
from tickets.compliance.normalize import Document

ORDER_ID = "114-3941689-8772232"


def rules_of(text: str, purpose: Purpose = Purpose.REPLY) -> set[str]:
    context = ComplianceContext(amazon_order_id=ORDER_ID, days_since_delivery=3)
    return {v.rule for v in compliance_check(text=text, purpose=purpose, context=context).violations}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_names_every_concept(language):
    table = import_module(f"tickets.compliance.languages.{language}").CONCEPTS
    assert set(table) == set(CONCEPTS)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Könnten Sie Ihre Bewertung bitte anpassen, nachdem der Ersatz angekommen ist?", "review_change_request"),
        ("Pourriez-vous modifier votre avis maintenant que tout fonctionne ?", "review_change_request"),
        ("¿Podría actualizar su reseña ahora que ha recibido el repuesto?", "review_change_request"),
        ("Potrebbe aggiornare la sua recensione ora che il problema è risolto?", "review_change_request"),
        ("交換品が届きましたので、レビューを更新していただけませんか。", "review_change_request"),
        ("Could you take another look at what you posted on the product page?", "review_change_request"),
    ],
)
def test_a_request_to_change_a_review_is_refused_in_every_language(text, rule):
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "As soon as we see the post on the product page updated, we'll release the rest of your refund.",
        "Sobald wir Ihre aktualisierte Bewertung sehen, erstatten wir Ihnen den vollen Kaufpreis.",
        "Dès que nous verrons votre avis mis à jour, nous procéderons au remboursement intégral.",
        "En cuanto veamos su reseña actualizada, le haremos el reembolso completo.",
        "Non appena vedremo la sua recensione aggiornata, le faremo il rimborso completo.",
        "更新されたレビューを確認でき次第、全額返金いたします。",
    ],
)
def test_a_value_waiting_on_a_review_is_an_incentive(text):
    assert "review_incentive" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "If you're happy with the grinder, please share a review on Amazon; if not, contact us first.",
        "Please don't leave negative feedback; message us first and we'll make it right.",
        "Nur zufriedene Kunden bitten wir um eine Rezension.",
        "Au lieu de laisser un avis négatif, écrivez-nous, nous trouverons une solution.",
        "ご満足いただけましたらレビューをお願いします。ご不満の場合はまずご連絡ください。",
    ],
)
def test_review_gating_is_refused(text):
    assert "positive_review_request" in rules_of(text)


def test_pressure_through_the_sellers_metrics_is_refused():
    text = "Because your feedback affects our account health, would you leave us a positive rating?"
    assert rules_of(text) & {"positive_review_request", "review_change_request"}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Easiest is to message us on WhatsApp, we answer within minutes.", "contact_details"),
        ("Just search for us on Google, Brewline Coffee, and you'll find the full manual.", "external_link"),
        ("Auf unserer Webseite finden Sie weitere Tipps zur Entkalkung.", "external_link"),
        ("LINEで直接ご連絡いただければ、より早く対応できます。", "contact_details"),
    ],
)
def test_contact_outside_amazon_without_an_address_is_refused(text, rule):
    assert rule in rules_of(text)


def test_a_warranty_message_may_give_a_phone_number_but_no_messenger():
    assert not rules_of("Für Garantiefälle rufen Sie bitte +49 89 1234567 an.", Purpose.WARRANTY)
    assert "contact_details" in rules_of("For warranty claims, message us on WhatsApp.", Purpose.WARRANTY)


def test_a_proactive_message_may_not_ask_for_an_opinion_without_review_words():
    text = f"Order {ORDER_ID}: here's your setup guide. Let other customers know how you like the grinder!"
    assert "review_mention" in rules_of(text, Purpose.PROACTIVE_GUIDE)


@pytest.mark.parametrize(
    "text",
    [
        "Our QA team reviewed the lot number on your photo and we have refunded you in full.",
        "We can't ask you to change your review and we won't. The new carafe is on its way.",
        "Die Rückerstattung hängt nicht von Ihrer Bewertung ab; sie wurde bereits veranlasst.",
        "Nous avons mis à jour la page produit pour corriger les dimensions.",
        "Gracias por su reseña. Hoy hemos tramitado el reembolso.",
        "Amazon ha rimosso la recensione perché riguardava un altro prodotto; noi non siamo intervenuti.",
        "レビューの変更をお願いすることはできませんし、いたしません。交換品はすでに発送済みです。",
    ],
)
def test_harmless_uses_of_trigger_words_stay_allowed(text):
    assert compliance_check(text=text, purpose=Purpose.REPLY).verdict is Verdict.ALLOWED


@pytest.mark.parametrize(
    "text",
    [
        "Would you mind reading what you posted below the listing once more? It still says the lid is missing.",
        "Magst du noch einmal einen Blick auf deinen Kommentar unter dem Artikel werfen?",
        "Pourriez-vous jeter un nouvel œil au texte que vous avez publié sur la fiche produit ?",
        "¿Le importaría echar otro vistazo a lo que publicó en la ficha del producto?",
        "Potrebbe dare un'altra occhiata a quello che ha scritto sulla pagina del prodotto?",
        "商品ページにお書きいただいた内容を、改めてご覧いただけますと幸いです。",
    ],
)
def test_asking_to_look_again_at_what_the_buyer_posted_is_a_change_request(text):
    assert "review_change_request" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll ship a spare lid for free if you tell other shoppers what you think on the product page.",
        "Sobald die Sternezahl auf der Produktseite angepasst ist, erstatten wir den Restbetrag.",
        "Nous vous enverrons le bon d'achat dès que votre avis aura été mis à jour.",
        "Si cuenta su experiencia en la ficha de Amazon, le enviamos de regalo un segundo cable.",
    ],
)
def test_a_value_waiting_on_a_shared_opinion_or_a_changed_star_count_is_an_incentive(text):
    assert "review_incentive" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        f"Order {ORDER_ID}: charge it fully first. The matching case is 20% cheaper in our shop right now.",
        f"Bestellung {ORDER_ID}: Bitte zuerst laden. Die passende Hülle gibt es in unserem Shop gerade günstiger.",
    ],
)
def test_a_saving_where_the_seller_sells_is_marketing(text):
    assert "marketing" in rules_of(text, Purpose.PROACTIVE_GUIDE)


@pytest.mark.parametrize(
    "text",
    [
        "Geben Sie unseren Markennamen in eine Suchmaschine ein, dort finden Sie unseren Kundendienst.",
        "Cerchi il nome del nostro marchio: sul nostro sito c'è la chat con i tecnici.",
    ],
)
def test_sending_the_buyer_to_search_for_the_brand_is_refused(text):
    assert "external_link" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Il manuale d'uso è sul nostro sito: https://supporto.caffera.example/manuale",
        "The user manual is on our website: https://support.brewline.example/manuals/bl2",
    ],
)
def test_the_website_named_beside_a_needed_manual_link_is_no_second_channel(text):
    assert rules_of(text) == set()


def test_the_website_named_without_a_link_is_still_refused():
    assert "external_link" in rules_of("Registrieren Sie die Garantie bitte auf unserer Webseite.")


def test_asking_only_buyers_whose_order_went_smoothly_is_gating():
    assert "positive_review_request" in rules_of("We only ask buyers whose order went smoothly to post a review.")


@pytest.mark.parametrize(
    "text",
    [
        "We'll pay for the return once the comment under the listing is gone.",
        "Der Restbetrag kommt, sobald Ihr Beitrag auf der Produktseite den Defekt nicht mehr erwähnt.",
        "Nous vous ferons un virement dès que votre avis ne mentionnera plus la panne.",
        "Le haremos la transferencia en cuanto su reseña ya no hable del defecto.",
        "商品ページのコメントから不具合の記載がなくなり次第、お振込みいたします。",
    ],
)
def test_a_value_waiting_on_the_buyers_post_changing_state_is_an_incentive(text):
    assert "review_incentive" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Once the old kettle is back with us, we'll pay for the return and refund you.",
        "Si la bouilloire ne s'arrête plus, envoyez-nous une vidéo et nous la remplacerons.",
    ],
)
def test_a_value_waiting_on_the_return_is_no_incentive(text):
    assert rules_of(text) == set()


def test_another_product_of_the_sellers_in_a_guide_is_marketing():
    text = f"Order {ORDER_ID}: rinse the jug first. Découvrez aussi notre nouvelle carafe en verre."
    assert "marketing" in rules_of(text, Purpose.PROACTIVE_GUIDE)


def test_what_the_order_ships_with_is_no_marketing():
    text = f"Order {ORDER_ID}: your grinder ships with our new burr set, so no run-in is needed."
    assert rules_of(text, Purpose.PROACTIVE_GUIDE) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Before you write anything negative, please give us a chance to put it right here.",
        "Avant d'écrire quoi que ce soit de négatif, laissez-nous une chance de corriger le tir.",
        "Prima di scrivere qualcosa di negativo, ci dia la possibilità di rimediare.",
    ],
)
def test_asking_for_a_chance_before_a_negative_post_is_gating(text):
    assert "positive_review_request" in rules_of(text)


def test_a_comment_said_to_sink_the_ranking_is_a_review_to_change():
    text = "One harsh comment can sink our ranking. Now that it's fixed, would you be open to editing yours?"
    assert "review_change_request" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Zuerst ändern Sie bitte Ihre Bewertung, danach schicken wir den Gutschein.",
        "Prima modifichi la sua recensione, poi le mandiamo il buono.",
        "Primero cambie su reseña y luego le mandamos el vale.",
    ],
)
def test_a_value_sent_after_a_review_change_asked_first_is_an_incentive(text):
    assert "review_incentive" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Now that it works, it would only be fair if the stars matched your experience.",
        "Maintenant que tout fonctionne, ce serait juste que les étoiles reflètent votre expérience.",
        "星の数を現在のご感想に合わせていただけますと幸いです。",
    ],
)
def test_asking_the_stars_to_match_the_experience_is_a_change_request(text):
    assert "review_change_request" in rules_of(text)


def test_a_rating_plate_that_must_match_the_voltage_is_no_review():
    assert rules_of("Could you check that the voltage on the rating plate matches 230 V?") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Take the spare lid as a thank-you in advance for the nice words we hope to read on Amazon.",
        "Le remplacement est un remerciement anticipé pour les mots gentils que nous espérons lire sur Amazon.",
        "交換品は、Amazonで温かいお言葉をいただけることへの先行のお礼です。",
    ],
)
def test_a_value_as_advance_thanks_for_kind_words_on_amazon_is_an_incentive(text):
    assert "review_incentive" in rules_of(text)


def test_thanks_in_advance_for_patience_is_no_incentive():
    assert rules_of("Thanks in advance for your patience; the refund goes out today.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Reach our help desk directly, it is much quicker than Amazon messages.",
        "Schreiben Sie uns lieber, das geht schneller als über Amazon.",
    ],
)
def test_a_channel_sold_as_faster_than_amazon_is_off_amazon_contact(text):
    assert "contact_details" in rules_of(text)


def test_amazons_own_checkout_is_no_marketing():
    assert rules_of("The discount code field at checkout belongs to Amazon, so we cannot change it.") == set()


@pytest.mark.parametrize(
    "text",
    [
        f"Order {ORDER_ID}: feedback from our QA team says the first brew tastes best after a rinse cycle.",
        f"Bestellung {ORDER_ID}: Nach der Bewertung durch unsere Techniker empfehlen wir, den Filter zu wässern.",
        f"Commande {ORDER_ID} : selon l'avis de nos ingénieurs, laissez le matelas se déplier 24 heures.",
        f"Pedido {ORDER_ID}: según la opinión de nuestros técnicos, cargue la batería 3 horas antes de usarla.",
        f"Ordine {ORDER_ID}: secondo la valutazione del nostro team tecnico, conviene lavare la caraffa prima.",
        f"ご注文番号 {ORDER_ID} につきまして、社内の品質評価に基づき、初回は弱モードでのご使用をおすすめします。",
        f"Order {ORDER_ID}: the three stars engraved on the dial mark the strongest setting.",
    ],
)
def test_a_review_word_for_the_sellers_own_checks_is_not_a_review(text):
    assert rules_of(text, Purpose.PROACTIVE_GUIDE) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Our engineers read your review; could you update it now that the part is replaced?",
        f"Order {ORDER_ID}: our technicians would love to hear your feedback on the product page.",
    ],
)
def test_the_sellers_people_beside_a_buyers_review_still_count(text):
    assert rules_of(text, Purpose.PROACTIVE_GUIDE)


def test_a_typographic_star_is_no_emoji():
    text = f"Order {ORDER_ID}: the ★ mark on the ring is the setting we suggest for espresso."
    assert rules_of(text, Purpose.PROACTIVE_GUIDE) == set()


def test_an_upsell_without_marketing_words_is_held_not_refused():
    result = compliance_check(text="Fancy a bigger grinder? The Brewline G2 is now available.", purpose=Purpose.REPLY)
    assert result.verdict is Verdict.HELD


def test_japanese_sentences_end_at_the_ideographic_full_stop():
    doc = Document("レビューを書きました。ありがとうございます")
    assert doc.sentence_of == [0, 1]


@pytest.mark.parametrize("path", CORPORA, ids=lambda path: path.stem)
def test_each_tuning_corpus_meets_the_targets(path):
    report = score(path.stem, load_corpus(path)).total
    assert report.recall >= MIN_RECALL, [item["id"] for item, _ in report.misclassified]
    assert report.precision >= MIN_PRECISION, [item["id"] for item, _ in report.misclassified]
