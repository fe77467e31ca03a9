"""Ticket search as agents type it: an Amazon order id or ASIN prefix finds its tickets, any
other words find tickets whose buyer name, subject or message text has them.

On PostgreSQL each ticket has a search document kept by the database
(``tickets.models.TicketSearch``, refreshed by triggers, GIN-indexed) and a search is one
``@@`` match of it. The document uses the 'simple' configuration: no stemming and no stop
words, so a word matches the same way in all six marketplace languages (a buyer writes in
their own language whatever the marketplace, and PostgreSQL has no Japanese dictionary);
each word of three characters or more also matches as a prefix, so "Müll" finds "Müller"
and the search answers while the word is still being typed. Elsewhere (SQLite, the
embedded default) the same ids are matched by prefix and the text with ``LIKE``.
"""

import re

from django.contrib.postgres.search import SearchQueryField
from django.db import connections
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from .models import Message, Ticket

MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 8
# Shorter words match only whole: a prefix of one or two letters is most of the dictionary.
PREFIX_FROM = 3

AMAZON_ORDER_ID_PREFIX = re.compile(r"\d{3}-[\d-]*")  # 111-4065242-1234567, typed or pasted
ASIN_PREFIX = re.compile(r"B0[0-9A-Z]{0,8}", re.IGNORECASE)
WORD = re.compile(r"\w+")


def search_terms(text: str) -> list[tuple[str, bool]]:
    """The lexemes a search looks for, lower-cased as the document stores them, each with
    whether it matches as a prefix. An order id and an e-mail address stay whole (the
    document holds order ids whole); other text is cut into words."""
    terms: list[tuple[str, bool]] = []
    for token in text[:MAX_QUERY_CHARACTERS].lower().split():
        parts = [token] if AMAZON_ORDER_ID_PREFIX.fullmatch(token) or "@" in token else WORD.findall(token)
        terms.extend((part, len(part) >= PREFIX_FROM) for part in parts)
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_TERMS]


def search_tsquery(text: str) -> str:
    """The terms as a ``tsquery`` literal ('111-4065242':* & 'steam':*): every term must
    match. Quoted, so PostgreSQL takes each lexeme as it is rather than parsing it again
    (its parser would cut an order id in three)."""
    quoted = []
    for lexeme, prefix in search_terms(text):
        escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
        quoted.append(f"'{escaped}'{':*' if prefix else ''}")
    return " & ".join(quoted)


class Matches(Func):
    """``document @@ query``."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def tickets_matching(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """The tickets among ``tickets`` that match every term of ``text`` (all of them for an
    empty search, none for a search of punctuation alone)."""
    text = text.strip()[:MAX_QUERY_CHARACTERS]
    if not text:
        return tickets
    if connections[tickets.db].vendor == "postgresql":
        query = search_tsquery(text)
        if not query:
            return tickets.none()
        return tickets.filter(Matches(F("search__document"), Cast(Value(query), output_field=SearchQueryField())))
    return _tickets_matching_like(tickets, text)


def _tickets_matching_like(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """The fallback without full-text search: ids by prefix, the rest as one substring."""
    if AMAZON_ORDER_ID_PREFIX.fullmatch(text):
        return tickets.filter(order__amazon_order_id__startswith=text)
    condition = (
        Q(subject__icontains=text)
        | Q(buyer__amazon_buyer_id=text)
        | Q(buyer__name__icontains=text)
        | Exists(Message.objects.filter(ticket=OuterRef("pk"), body__icontains=text))
    )
    if ASIN_PREFIX.fullmatch(text):
        condition |= Exists(
            Ticket.objects.filter(pk=OuterRef("pk"), order__items__product__asin__startswith=text.upper())
        )
    return tickets.filter(condition)
