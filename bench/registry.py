"""The registry of bench cases, and what a case gets to build itself.

A case is a named setup function: it runs once, untimed, picks what to ask for (a row
in the middle of the table, an account) and returns the zero-argument callable that
``bench/run.py`` times::

    @case("admin: orders changelist, search by amazon_order_id")
    def orders_search(bench: Bench) -> Callable[[], object]:
        order = bench.middle(Order.objects.all())
        return bench.page("/admin/tickets/order/", q=order.amazon_order_id)

The text before the first colon is the case's group (``--only admin``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Max, Min, Model, QuerySet
from django.http import HttpResponse
from django.test import Client


class CaseFailed(Exception):
    """The case could not run (a page answered an error, no data to sample)."""


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[["Bench"], Callable[[], object]]

    @property
    def group(self) -> str:
        return self.name.split(":", 1)[0].strip()


CASES: dict[str, Case] = {}


def case(name: str) -> Callable:
    """Register a case under ``name`` ("group: what is measured")."""

    def register(setup: Callable[["Bench"], Callable[[], object]]) -> Callable:
        if name in CASES:
            raise ValueError(f"Two bench cases are named {name!r}.")
        CASES[name] = Case(name=name, setup=setup)
        return setup

    return register


class Bench:
    """A logged-in test client and helpers to pick realistic rows."""

    def __init__(self, *, client: Client):
        self.client = client

    def page(self, path: str, **params: object) -> Callable[[], HttpResponse]:
        """A GET of ``path`` (with query ``params``) that must answer 200 and is fully rendered."""
        url = f"{path}?{urlencode(params)}" if params else path

        def fetch() -> HttpResponse:
            response = self.client.get(url)
            if response.status_code != 200:
                raise CaseFailed(f"GET {url} answered {response.status_code}")
            return response

        return fetch

    def middle(self, queryset: QuerySet) -> Model:
        """The row in the middle of the primary key range: neither the newest nor the oldest."""
        bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            raise CaseFailed(f"No {queryset.model._meta.verbose_name_plural} to sample: seed data first.")
        row = queryset.filter(pk__gte=(bounds["low"] + bounds["high"]) // 2).order_by("pk").first()
        return row
