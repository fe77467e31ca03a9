"""Ticket search as agents type it: an Amazon order id or ASIN prefix finds its tickets, any
other words find tickets whose buyer name, subject or message text has them.

On PostgreSQL each ticket has a search document kept by the database
(``tickets.models.TicketSearch``, refreshed by triggers, GIN-indexed). The document uses the
'simple' configuration: no stemming and no stop words, so a word matches the same way in all
six marketplace languages (a buyer writes in their own language whatever the marketplace, and
PostgreSQL has no Japanese dictionary); each word of three characters or more also matches as
a prefix, so "Müll" finds "Müller" and the search answers while the word is still being
typed. Elsewhere (SQLite, the embedded default) ids are matched by prefix and the text with
``LIKE``.
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQueryField
from django.db import connections
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from .models import Message, Ticket, TicketSearch

MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 8
# Shorter words match only whole: a prefix of one or two letters is most of the dictionary.
PREFIX_FROM = 3
# Up to this many matching tickets are fetched by id; a search matching more walks the
# queue in its own order instead (see tickets_matching).
FEW_MATCHES = 1000

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


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def search_tsquery(text: str, *, seller_account_ids: Iterable[int] | None = None) -> str:
    """The terms as a ``tsquery`` literal ('111-4065242':* & 'steam':*): every term must
    match. Quoted, so PostgreSQL takes each lexeme as it is rather than parsing it again
    (its parser would cut an order id in three). The accounts, when given, are lexemes of
    the document too (``account=3``), asked in the same lookup."""
    terms = [_quoted(lexeme) + (":*" if prefix else "") for lexeme, prefix in search_terms(text)]
    if not terms:
        return ""
    if seller_account_ids is not None:
        terms.append("(" + " | ".join(_quoted(f"account={int(pk)}") for pk in seller_account_ids) + ")")
    return " & ".join(terms)


class Matches(Func):
    """``document @@ query``."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class AnyOf(Func):
    """``expression = ANY(%s)``: the values as one array parameter. ``pk__in`` with up to
    FEW_MATCHES ids wrote a placeholder and an adapted parameter per id, 2-3 ms of the
    search's CPU time."""

    output_field = BooleanField()

    def __init__(self, expression, values: list):
        super().__init__(expression)
        self.values = values

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s)", (*params, self.values)


def _as_tsquery(query: str) -> Cast:
    return Cast(Value(query), output_field=SearchQueryField())


def tickets_matching(
    tickets: QuerySet[Ticket],
    text: str,
    *,
    seller_account_ids: Iterable[int] | None = None,
    statuses: Iterable[str] | None = None,
) -> QuerySet[Ticket]:
    """The tickets among ``tickets`` that match every term of ``text`` (all of them for an
    empty search, none for a search of punctuation alone).

    ``seller_account_ids``: the accounts ``tickets`` is limited to, if it is (an agent's).
    On PostgreSQL the index is asked first how many tickets of those accounts match,
    stopping at FEW_MATCHES: a few are then fetched by id (none at all: no second query);
    more are found by walking the queue in its order, where they are frequent enough to fill
    a page soon. Left to itself the planner guesses the frequency of a word within an account
    from its frequency overall, and a word common in another brand's tickets (its product
    name) had it walk an agent's whole queue (130 ms at 100k tickets) to find nothing. (The
    view's statuses are not asked too: intersecting the large status lists cost 5-20 ms on
    every frequent word, more than the walk they would spare in rare cases.)

    ``statuses``: the statuses ``tickets`` is limited to, if it is (its queue view's). The
    search document carries its ticket's status, so the index's matches are narrowed to them
    on the search table itself: a word in 2 % of tickets (a surname) then reads its few
    hundred open matches instead of walking the queue past ~2,000 tickets, a look-up of each
    one's document (10.9k buffers to 2.0k at 100k tickets); a few matches are fetched by id
    only if their status is one of them. A frequent word still walks."""
    text = text.strip()[:MAX_QUERY_CHARACTERS]
    if not text:
        return tickets
    if connections[tickets.db].vendor != "postgresql":
        return _tickets_matching_like(tickets, text)
    seller_account_ids = None if seller_account_ids is None else list(seller_account_ids)
    if seller_account_ids == []:
        return tickets.none()
    query = search_tsquery(text, seller_account_ids=seller_account_ids)
    if not query:
        return tickets.none()
    statuses = None if statuses is None else set(statuses)
    matching = TicketSearch.objects.using(tickets.db).filter(Matches(F("document"), _as_tsquery(query)))
    # The status comes with the row the index's match reads anyway; asked in SQL it made a
    # frequent word read 4x more rows (690 pages instead of 155) before reaching FEW_MATCHES.
    rows = list(matching.values_list("ticket_id", "status")[:FEW_MATCHES])
    if len(rows) < FEW_MATCHES:
        few = [pk for pk, status in rows if statuses is None or status in statuses]
        return tickets.filter(AnyOf(F("pk"), few)) if few else tickets.none()
    if statuses is not None:
        return tickets.filter(Matches(F("search__document"), _as_tsquery(query)), search__status__in=list(statuses))
    return tickets.filter(Matches(F("search__document"), _as_tsquery(query)))


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
