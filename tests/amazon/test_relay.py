"""Reading Amazon's relay format (amazon.mail.relay) and any MIME (amazon.mail.mime), on our
own fixtures in six languages (tests/amazon/fixtures) and on mail built per test."""

from datetime import UTC, datetime

import pytest

from amazon.mail.mime import UnreadableEmail, html_to_text
from amazon.mail.relay import (
    NotABuyerMessage,
    message_id_normalize,
    relay_address_normalize,
    relay_email_parse,
)
from tests.amazon.mails import LANGUAGES, crlf, fixture, relay_mail

# What each fixture must give: relay address, buyer name, order id, ASINs, marketplace id,
# the buyer's first and last words (quoted history gone), "[Important]".
EXPECTED = {
    "en": (
        "7xq2m4k9zt1v8bn@marketplace.amazon.com",
        "Emily R.",
        "113-4820193-5531207",
        ["B0CXK4Z7QP", "B0D2MJ8R1W"],
        "ATVPDKIKX0DER",
        "Hi there,",
        "Emily",
        False,
    ),
    "de": (
        "k3v9q7d1mz5xw2p@marketplace.amazon.de",
        "Jonas W.",
        "302-5518274-9013366",
        ["B0B7HN4QLS"],
        "A1PA6795UKMFR9",
        "Guten Tag,",
        "Jonas Weber",
        True,
    ),
    "fr": (
        "p8n2r5t0yq4jh6c@marketplace.amazon.fr",
        "Camille D.",
        "171-2093846-7712058",
        ["B0C9PX2T5E"],
        "A13V1IB3VIYZZH",
        "Bonjour,",
        "Camille",
        False,
    ),
    "es": (
        "w4b7c1e9gk2sd5f@marketplace.amazon.es",
        "Lucía M.",
        "404-7781920-3365514",
        ["B0DQ4R7M2K"],
        "A1RKKUPIHCS9HS",
        "Hola:",
        "Lucía Martín",
        False,
    ),
    "it": (
        "z6f3h8j2lq9ra1t@marketplace.amazon.it",
        "Marco B.",
        "405-3390127-8846201",
        ["B0F1KT6W9Z"],
        "APJ6JRA9NG5V4",
        "Buongiorno,",
        "Marco",
        False,
    ),
    "ja": (
        "r2s5u8v1xa4bc7d@marketplace.amazon.co.jp",
        "佐藤 花子",
        "503-6627391-1048852",
        ["B0G8VC3N1Y"],
        "A1VC38T7YXB528",
        "お世話になっております。",
        "佐藤",
        False,
    ),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_gives_the_buyer_the_order_and_the_items(lang):
    relay = relay_email_parse(fixture(lang))
    address, name, order, asins, marketplace_id, *_ = EXPECTED[lang]
    assert (relay.relay_address, relay.buyer_name, relay.amazon_order_id, relay.asins, relay.marketplace_id) == (
        address,
        name,
        order,
        asins,
        marketplace_id,
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_gives_the_buyer_s_own_words_without_the_quoted_history(lang):
    relay = relay_email_parse(fixture(lang))
    *_, first, last, _ = EXPECTED[lang]
    lines = relay.text.splitlines()
    assert (lines[0], lines[-1], relay.markers_found) == (first, last, True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_gives_amazon_s_token_and_no_response_link_and_no_marker_in_the_text(lang):
    relay = relay_email_parse(fixture(lang))
    assert relay.comm_mgr_token and "msg=" in relay.no_response_url
    assert "commMgrTok" not in relay.text and "-----" not in relay.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_important_is_read_from_the_subject_in_each_language(lang):
    assert relay_email_parse(fixture(lang)).important is EXPECTED[lang][-1]


def test_the_date_header_is_when_amazon_received_it():
    assert relay_email_parse(fixture("ja")).sent_at == datetime(2026, 11, 4, 23, 3, 55, tzinfo=UTC)


def test_an_html_only_mail_is_read_as_text():
    mail = fixture("it")
    # Drop the plain part: the HTML alternative is what is left.
    relay = relay_email_parse(mail.replace(b"Content-Type: text/plain", b"Content-Type: text/x-unknown"))
    assert relay.text.startswith("Buongiorno,") and "<br>" not in relay.text


def test_the_relay_address_is_lower_case_without_its_changing_suffix():
    assert relay_address_normalize("AbC9+X12Y@Marketplace.Amazon.DE") == "abc9@marketplace.amazon.de"


def test_a_mail_without_markers_keeps_its_whole_text():
    mail = relay_mail(message_id="<a@b>").replace(b"Begin message", b"Start").replace(b"End message", b"Stop")
    relay = relay_email_parse(mail)
    assert "water tank" in relay.text and relay.markers_found is False


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "auto_reply"},
        {"X-Failed-Recipients": "someone@example.com"},
    ],
    ids=["auto-submitted", "x-autoreply", "precedence", "failed-recipients"],
)
def test_a_machine_s_mail_is_not_a_buyer_message(headers):
    with pytest.raises(NotABuyerMessage, match="machine"):
        relay_email_parse(relay_mail(message_id="<a@b>", headers=headers))


def test_auto_submitted_no_is_a_person_s_mail():
    assert relay_email_parse(relay_mail(message_id="<a@b>", headers={"Auto-Submitted": "no"})).text


def test_a_delivery_status_report_is_not_a_buyer_message():
    report = crlf(
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: support@brewline.example\n"
        b"Subject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce@mx.example.com>\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
        b"--r\nContent-Type: text/plain\n\nThe mail could not be delivered.\n"
        b"--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n--r--\n"
    )
    with pytest.raises(NotABuyerMessage, match="delivery-status"):
        relay_email_parse(report)


def test_mail_from_outside_the_relay_is_not_a_buyer_message():
    mail = relay_mail(message_id="<a@b>").replace(b"marketplace.amazon.com", b"example.com")
    with pytest.raises(NotABuyerMessage, match="relay"):
        relay_email_parse(mail)


def test_a_multipart_mail_whose_parts_cannot_be_found_is_unreadable():
    mail = crlf(
        b'From: "E - Amazon Marketplace" <x@marketplace.amazon.com>\nMIME-Version: 1.0\n'
        b'Content-Type: multipart/mixed; boundary="a"\n\n--b\nContent-Type: text/plain\n\nhi\n--b--\n'
    )
    with pytest.raises(UnreadableEmail, match="StartBoundaryNotFoundDefect"):
        relay_email_parse(mail)


def test_an_unknown_charset_falls_back_to_utf_8():
    mail = relay_mail(message_id="<a@b>", text="Grüße").replace(b'charset="utf-8"', b'charset="x-no-such-charset"')
    assert relay_email_parse(mail).text == "Grüße"


def test_a_long_message_id_is_kept_short_and_stable():
    long_id = "<" + "x" * 400 + "@example.com>"
    first = message_id_normalize(long_id, content=b"one")
    assert len(first) <= 200 and first == message_id_normalize(long_id, content=b"two")


def test_a_mail_without_message_id_is_keyed_by_its_content():
    assert message_id_normalize("", content=b"same") == message_id_normalize("", content=b"same")
    assert message_id_normalize("", content=b"same") != message_id_normalize("", content=b"other")


def test_html_to_text_drops_scripts_and_keeps_lines():
    assert html_to_text("<p>Hello</p><script>alert(1)</script><p>World&amp;co</p>") == "Hello\n\nWorld&co"


def test_reading_a_huge_text_stays_fast():
    # The buyer's text is cut before the quoted-history patterns read it (time bound).
    import time

    mail = relay_mail(message_id="<a@b>", text=("On a b wrote c " * 40 + "\n") * 3000)
    started = time.monotonic()
    relay_email_parse(mail)
    assert time.monotonic() - started < 5
