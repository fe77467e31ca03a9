"""Ticket search (tickets.search): Amazon id prefixes, words of the conversation, and the
search document PostgreSQL keeps as the ticket, its messages, buyer and order change."""

import pytest
from django.db import connection

from tests.factories import BuyerFactory, MessageFactory, OrderFactory, OrderItemFactory, TicketFactory
from tickets.models import Message, Ticket
from tickets.search import search_terms, search_tsquery, tickets_matching

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search document is PostgreSQL's (SQLite uses LIKE)"
)


def found(text: str) -> set[int]:
    return set(tickets_matching(Ticket.objects.all(), text).values_list("pk", flat=True))


@pytest.fixture
def espresso_ticket(account):
    order = OrderFactory(seller_account=account, amazon_order_id="111-4065242-7712345")
    OrderItemFactory(order=order, product__seller_account=account, product__asin="B0ESPRESS1")
    ticket = TicketFactory(seller_account=account, order=order, buyer=order.buyer, subject="Steam wand drips")
    MessageFactory(ticket=ticket, body="The milk frother stopped working after a week.")
    return ticket


@pytest.fixture
def other_ticket(account):
    ticket = TicketFactory(seller_account=account, subject="Where is my grinder?")
    MessageFactory(ticket=ticket, body="Tracking has not moved for five days.")
    return ticket


@pytest.mark.parametrize("text", ["111-4065242", "111-4065242-7712345", "B0ESPRESS", "b0espress1"])
def test_an_order_id_or_asin_prefix_finds_its_ticket(espresso_ticket, other_ticket, text):
    assert found(text) == {espresso_ticket.pk}


def test_a_word_of_the_subject_or_of_a_message_finds_the_ticket(espresso_ticket, other_ticket):
    assert found("wand") == {espresso_ticket.pk}
    assert found("frother") == {espresso_ticket.pk}


def test_the_buyers_name_finds_their_tickets(account, espresso_ticket, other_ticket):
    other_ticket.buyer.name = "Zebedee Quill"
    other_ticket.buyer.save()
    assert found("Zebedee") == {other_ticket.pk}


def test_an_empty_search_keeps_every_ticket_and_a_word_matching_nothing_none(espresso_ticket, other_ticket):
    assert found("   ") == {espresso_ticket.pk, other_ticket.pk}
    assert found("zqxwv") == set()


@on_postgresql
def test_every_word_must_match_in_any_order(espresso_ticket, other_ticket):
    assert found("frother wand") == {espresso_ticket.pk}
    assert found("frother grinder") == set()


@on_postgresql
def test_a_word_being_typed_already_finds_the_ticket(espresso_ticket, other_ticket):
    assert found("froth") == {espresso_ticket.pk}


@on_postgresql
def test_words_in_other_languages_are_found_as_written(account):
    german = TicketFactory(seller_account=account, subject="Milchaufschäumer defekt")
    japanese = TicketFactory(seller_account=account, subject="ご注文の商品が届きません")
    assert found("milchaufschäumer") == {german.pk}
    assert found("ご注文の商品が届きません") == {japanese.pk}


@on_postgresql
def test_a_message_written_later_is_found_at_once(espresso_ticket):
    assert found("descaling") == set()
    MessageFactory(ticket=espresso_ticket, body="Which descaling tablets should I use?")
    assert found("descaling") == {espresso_ticket.pk}


@on_postgresql
def test_an_edited_or_deleted_message_leaves_the_search(espresso_ticket):
    message = Message.objects.get(ticket=espresso_ticket)
    message.body = "The pump is loud."
    message.save()
    assert found("frother") == set()
    assert found("pump") == {espresso_ticket.pk}
    message.delete()
    assert found("pump") == set()


@on_postgresql
def test_a_renamed_buyer_or_a_corrected_order_id_is_found_by_the_new_value(espresso_ticket):
    buyer, order = espresso_ticket.buyer, espresso_ticket.order
    buyer.name = "Wilhelmina Ortega"
    buyer.save()
    order.amazon_order_id = "112-0000001-0000002"
    order.save()
    assert found("Wilhelmina") == {espresso_ticket.pk}
    assert found("112-0000001") == {espresso_ticket.pk}
    assert found("111-4065242") == set()


@on_postgresql
def test_a_deleted_ticket_leaves_no_search_document(espresso_ticket):
    from tickets.models import TicketSearch

    pk = espresso_ticket.pk
    espresso_ticket.delete()
    assert not TicketSearch.objects.filter(ticket_id=pk).exists()


@on_postgresql
def test_tickets_written_in_bulk_are_searchable(account):
    buyer = BuyerFactory(seller_account=account)
    tickets = Ticket.objects.bulk_create(
        Ticket(seller_account=account, buyer=buyer, subject=f"Bulk ticket {n}") for n in range(3)
    )
    Message.objects.bulk_create(Message(ticket=t, direction="inbound", body="Portafilter cracked") for t in tickets)
    assert found("portafilter") == {t.pk for t in tickets}


def test_a_search_of_punctuation_alone_finds_nothing_rather_than_everything(espresso_ticket):
    assert found("?!") == set()


def test_search_terms_keep_order_ids_whole_and_cut_text_into_words():
    assert search_terms("111-4065242 Steam-wand a") == [
        ("111-4065242", True),
        ("steam", True),
        ("wand", True),
        ("a", False),
    ]


def test_a_quote_in_the_search_cannot_break_the_query():
    assert search_tsquery("o'brien \\'; drop") == "'o' & 'brien':* & 'drop':*"


@on_postgresql
def test_a_word_in_many_tickets_is_found_in_all_of_them(account, monkeypatch):
    # More matches than are fetched by id: the search walks the queue instead.
    monkeypatch.setattr("tickets.search.FEW_MATCHES", 2)
    tickets = [TicketFactory(seller_account=account, subject=f"Grinder jammed {n}") for n in range(3)]
    assert found("grinder") == {t.pk for t in tickets}


@on_postgresql
def test_a_search_within_accounts_finds_only_theirs(account, other_account):
    mine = TicketFactory(seller_account=account, subject="Kettle leaks")
    TicketFactory(seller_account=other_account, subject="Kettle leaks too")
    matching = tickets_matching(Ticket.objects.all(), "kettle", seller_account_ids=[account.pk])
    assert set(matching.values_list("pk", flat=True)) == {mine.pk}


@on_postgresql
def test_a_ticket_moved_to_another_account_is_searched_there(account, other_account):
    ticket = TicketFactory(seller_account=account, subject="Kettle leaks")
    ticket.seller_account = other_account
    ticket.save()
    assert not tickets_matching(Ticket.objects.all(), "kettle", seller_account_ids=[account.pk]).exists()
    assert tickets_matching(Ticket.objects.all(), "kettle", seller_account_ids=[other_account.pk]).exists()


@on_postgresql
def test_an_agent_with_no_accounts_finds_nothing(espresso_ticket):
    assert not tickets_matching(Ticket.objects.all(), "wand", seller_account_ids=[]).exists()


def found_in(statuses, text: str) -> set[int]:
    tickets = Ticket.objects.filter(status__in=statuses)
    return set(tickets_matching(tickets, text, statuses=statuses).values_list("pk", flat=True))


@on_postgresql
@pytest.mark.parametrize("few_matches", [1000, 1], ids=["fetched by id", "queue walked"])
def test_a_search_within_a_views_statuses_follows_the_tickets_status(account, monkeypatch, few_matches):
    monkeypatch.setattr("tickets.search.FEW_MATCHES", few_matches)
    working, done = ("new", "open"), ("solved", "closed")
    saved = TicketFactory(seller_account=account, subject="Kettle leaks", status="open")
    updated = TicketFactory(seller_account=account, subject="Kettle hums", status="new")
    assert found_in(working, "kettle") == {saved.pk, updated.pk}
    saved.status = "solved"
    saved.save()
    Ticket.objects.filter(pk=updated.pk).update(status="closed")  # no save(): the trigger still sees it
    assert found_in(working, "kettle") == set()
    assert found_in(done, "kettle") == {saved.pk, updated.pk}


@on_postgresql
def test_tickets_written_in_bulk_are_searched_in_their_status(account):
    buyer = BuyerFactory(seller_account=account)
    tickets = Ticket.objects.bulk_create(
        Ticket(seller_account=account, buyer=buyer, subject=f"Bulk kettle {n}", status="pending") for n in range(3)
    )
    assert found_in(("pending",), "kettle") == {t.pk for t in tickets}
    assert found_in(("new", "open"), "kettle") == set()
