"""The agent desk (issue 5) as agents use it all day: queue pages, searches, the workspace.

Targets on PostgreSQL with 100k tickets: a queue's first page ≤ 20 ms median server time,
the ticket workspace ≤ 15 ms. An agent's pages go through a second client logged in as a
``seed_scale`` agent of the biggest account (``scale-agent-<n>-1``); the manager's through
the runner's ``bench-manager`` client, which sees every account.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from demo.scale.shape import AGENT_PREFIX
from metrics.odr import OdrWindow
from tickets.models import Message, Order, SellerAccount, Ticket
from tickets.selectors import WORKING_STATUSES

from ..registry import Bench, CaseFailed, case

_agent_clients: dict[int, Client] = {}


def _biggest_account() -> SellerAccount:
    account = SellerAccount.objects.annotate(n=Count("tickets")).order_by("-n", "pk").first()
    if account is None:
        raise CaseFailed("No seller accounts: seed data first.")
    return account


def _agent_bench(bench: Bench) -> tuple[Bench, SellerAccount]:
    """A bench whose client is a scale agent of the biggest account (one login per run)."""
    account = _biggest_account()
    agent = (
        get_user_model()
        .objects.filter(seller_accounts=account, username__startswith=AGENT_PREFIX, is_active=True)
        .order_by("username")
        .first()
    )
    if agent is None:
        raise CaseFailed(f"{account.name} has no {AGENT_PREFIX}… agent: run seed_scale first.")
    if account.pk not in _agent_clients:
        client = Client(SERVER_NAME="localhost")
        client.force_login(agent)
        _agent_clients[account.pk] = client
    return Bench(client=_agent_clients[account.pk]), account


def _queue(bench: Bench, view: str, **params: object) -> Callable[[], object]:
    return bench.page(f"/queue/{view}/", **params)


@case("desk: queue first page, agent of the biggest account, mine")
def agent_mine(bench: Bench) -> Callable[[], object]:
    agent, _account = _agent_bench(bench)
    return _queue(agent, "mine")


@case("desk: queue first page, agent of the biggest account, at risk")
def agent_at_risk(bench: Bench) -> Callable[[], object]:
    agent, _account = _agent_bench(bench)
    return _queue(agent, "at_risk")


@case("desk: queue first page, agent of the biggest account, all open")
def agent_open(bench: Bench) -> Callable[[], object]:
    agent, _account = _agent_bench(bench)
    return _queue(agent, "open")


@case("desk: queue first page, agent of the biggest account, waiting on buyer")
def agent_waiting(bench: Bench) -> Callable[[], object]:
    agent, _account = _agent_bench(bench)
    return _queue(agent, "waiting")


@case("desk: queue first page, agent of the biggest account, solved")
def agent_solved(bench: Bench) -> Callable[[], object]:
    agent, _account = _agent_bench(bench)
    return _queue(agent, "solved")


@case("desk: queue first page, manager (all accounts), all open")
def manager_open(bench: Bench) -> Callable[[], object]:
    return _queue(bench, "open")


@case("desk: queue search by amazon_order_id, agent, all open")
def agent_search_order(bench: Bench) -> Callable[[], object]:
    agent, account = _agent_bench(bench)
    ticket = bench.middle(
        Ticket.objects.filter(seller_account=account, status__in=WORKING_STATUSES, order__isnull=False)
    )
    return _queue(agent, "open", q=ticket.order.amazon_order_id)


@case("desk: queue search by free text, agent, all open")
def agent_search_text(bench: Bench) -> Callable[[], object]:
    # A buyer's surname as an agent would type it: matches names and message text.
    agent, account = _agent_bench(bench)
    ticket = bench.middle(Ticket.objects.filter(seller_account=account, status__in=WORKING_STATUSES))
    word = (ticket.buyer.name or ticket.subject).split()[-1]
    return _queue(agent, "open", q=word)


@case("desk: queue search by free text matching nothing, agent, all open")
def agent_search_nothing(bench: Bench) -> Callable[[], object]:
    # The worst case of a text search: every open ticket of the account is looked at.
    agent, _account = _agent_bench(bench)
    return _queue(agent, "open", q="zqxwv")


@case("desk: queue search by free text, manager (all accounts), all open")
def manager_search_text(bench: Bench) -> Callable[[], object]:
    ticket = bench.middle(Ticket.objects.filter(status__in=WORKING_STATUSES))
    word = (ticket.buyer.name or ticket.subject).split()[-1]
    return _queue(bench, "open", q=word)


def _most_common_word() -> str:
    """The word in the most tickets' search documents (tickets.search), by PostgreSQL's own
    statistics of the documents."""
    from django.db import connection

    if connection.vendor != "postgresql":
        raise CaseFailed("The search document is PostgreSQL's.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT document FROM tickets_ticketsearch') ORDER BY ndoc DESC, word LIMIT 1"
        )
        return cursor.fetchone()[0]


def _word_of_other_accounts(account: SellerAccount) -> str:
    """The most common word of the other accounts' tickets that none of ``account``'s has
    (a product name of another brand): the planner, guessing from its overall frequency,
    once walked the agent's whole queue for it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat(%s) ORDER BY ndoc DESC, word LIMIT 200",
            [f"SELECT document FROM tickets_ticketsearch WHERE NOT document @@ 'account={account.pk}'::tsquery"],
        )
        for (word,) in cursor.fetchall():
            if "=" in word or not word.isalpha():
                continue
            cursor.execute(
                "SELECT 1 FROM tickets_ticketsearch WHERE document @@ (%s || ' & account=' || %s)::tsquery LIMIT 1",
                [word, account.pk],
            )
            if cursor.fetchone() is None:
                return word
    raise CaseFailed("No word of the other accounts is missing from this one.")


@case("desk: queue search by a word only other accounts' tickets have, agent, all open")
def agent_search_other_brand(bench: Bench) -> Callable[[], object]:
    agent, account = _agent_bench(bench)
    return _queue(agent, "open", q=_word_of_other_accounts(account))


@case("desk: queue search by the most common word, agent, all open")
def agent_search_common(bench: Bench) -> Callable[[], object]:
    agent, _account = _agent_bench(bench)
    return _queue(agent, "open", q=_most_common_word())


@case("desk: queue search by the most common word, manager (all accounts), all open")
def manager_search_common(bench: Bench) -> Callable[[], object]:
    return _queue(bench, "open", q=_most_common_word())


@case("desk: queue search by free text matching nothing, manager (all accounts), all open")
def manager_search_nothing(bench: Bench) -> Callable[[], object]:
    return _queue(bench, "open", q="zqxwv")


@case("desk: queue search by an order id prefix (first 11 characters), agent, all open")
def agent_search_order_prefix(bench: Bench) -> Callable[[], object]:
    agent, account = _agent_bench(bench)
    ticket = bench.middle(
        Ticket.objects.filter(seller_account=account, status__in=WORKING_STATUSES, order__isnull=False)
    )
    return _queue(agent, "open", q=ticket.order.amazon_order_id[:11])


@case("desk: queue search by an ASIN prefix (first 8 characters), agent, all open")
def agent_search_asin_prefix(bench: Bench) -> Callable[[], object]:
    agent, account = _agent_bench(bench)
    ticket = bench.middle(
        Ticket.objects.filter(seller_account=account, status__in=WORKING_STATUSES, order__items__isnull=False)
    )
    return _queue(agent, "open", q=ticket.order.items.order_by("pk").first().product.asin[:8])


@case("desk: ticket workspace, busy ticket (most messages, buyer with most orders)")
def workspace(bench: Bench) -> Callable[[], object]:
    # A long conversation, a buyer with many other orders, and an order inside the account's
    # ODR window (the page asks whether it counts toward ODR when the order has a claim, a
    # chargeback or feedback; this one, like most, has none).
    agent, account = _agent_bench(bench)
    window = OdrWindow.for_account(seller_account=account, as_of=timezone.now().date())
    orders_of_buyer = (
        Order.objects.filter(buyer=OuterRef("buyer_id")).order_by().values("buyer").annotate(n=Count("pk")).values("n")
    )
    messages = Message.objects.filter(ticket=OuterRef("pk")).order_by().values("ticket").annotate(n=Count("pk"))
    ticket = (
        Ticket.objects.filter(
            seller_account=account, order__purchased_at__gte=window.start, order__purchased_at__lt=window.end
        )
        .annotate(buyer_orders=Subquery(orders_of_buyer), message_count=Subquery(messages.values("n")))
        .filter(message_count__isnull=False)
        .order_by("-message_count", "-buyer_orders", "pk")
        .first()
    )
    if ticket is None:
        raise CaseFailed(f"{account.name} has no ticket on an order of its ODR window: seed data first.")
    return agent.page(f"/tickets/{ticket.pk}/")
