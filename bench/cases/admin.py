"""The Django admin as managers use it: changelists of the big tables, change pages."""

from collections.abc import Callable

from django.db.models import Count

from tickets.models import Order, Ticket

from ..registry import Bench, case

ORDERS = "/admin/tickets/order/"
TICKETS = "/admin/tickets/ticket/"


@case("admin: orders changelist")
def orders_changelist(bench: Bench) -> Callable[[], object]:
    return bench.page(ORDERS)


@case("admin: orders changelist, search by amazon_order_id")
def orders_search(bench: Bench) -> Callable[[], object]:
    order = bench.middle(Order.objects.all())
    return bench.page(ORDERS, q=order.amazon_order_id)


@case("admin: orders changelist, filter by seller account")
def orders_by_account(bench: Bench) -> Callable[[], object]:
    # The account of a middle order: with a skewed portfolio, usually the biggest one.
    order = bench.middle(Order.objects.all())
    return bench.page(ORDERS, seller_account__id__exact=order.seller_account_id)


@case("admin: order change page")
def order_change(bench: Bench) -> Callable[[], object]:
    order = bench.middle(Order.objects.filter(tickets__isnull=False))
    return bench.page(f"{ORDERS}{order.pk}/change/")


@case("admin: tickets changelist")
def tickets_changelist(bench: Bench) -> Callable[[], object]:
    return bench.page(TICKETS)


@case("admin: tickets changelist, search by amazon_order_id")
def tickets_search(bench: Bench) -> Callable[[], object]:
    ticket = bench.middle(Ticket.objects.filter(order__isnull=False))
    return bench.page(TICKETS, q=ticket.order.amazon_order_id)


@case("admin: tickets changelist, filter by seller account")
def tickets_by_account(bench: Bench) -> Callable[[], object]:
    ticket = bench.middle(Ticket.objects.all())
    return bench.page(TICKETS, seller_account__id__exact=ticket.seller_account_id)


@case("admin: ticket change page")
def ticket_change(bench: Bench) -> Callable[[], object]:
    # A long conversation: the message inline is the heavy part of the page.
    ticket = bench.middle(Ticket.objects.annotate(message_count=Count("messages")).filter(message_count__gte=5))
    return bench.page(f"{TICKETS}{ticket.pk}/change/")
