"""Scale data: a million realistic orders with their tickets, defects and reviews.

For benchmarks (``bench/``), not for demos. Rows are generated in Python and streamed
into the database in chunks: through ``COPY`` on PostgreSQL (psycopg 3's
``cursor.copy``) and ``executemany`` INSERTs elsewhere (the small SQLite runs of the
tests). Primary keys are assigned here rather than by the database, so children point
at their parents without reading ids back; the id sequences are reset at the end.
Run it while nothing else writes to these tables.

Everything it creates is recognisable and never collides with demo data:

- seller accounts have merchant ids starting with ``SCALE`` (the marker of a seeded
  database), agents are users named ``scale-agent-…``;
- run *r* (1, 2, … for each ``--append``) gives its orders ids ``9rr-…`` (demo data
  uses 113-…) and prefixes every other Amazon id with ``S<rr>``.

Seeding a database that already holds scale data is refused unless ``append=True``:
a second run doubles the data, which silently skews every benchmark if done by mistake.
The whole run is one transaction, so a failed run leaves nothing behind.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction

from metrics.models import OrderDayCount
from metrics.order_counts import order_day_counts_compact
from tickets.models import Order, Product, SellerAccount
from tickets.roles import AGENTS

from .generator import Account, Generator
from .shape import (
    ADJECTIVES,
    AGENT_PREFIX,
    AGENTS_PER_ACCOUNT,
    BRANDS,
    MARKETPLACES,
    MAX_RUNS,
    MERCHANT_PREFIX,
    ORDER_PREFIX,
    PRODUCTS_PER_ACCOUNT,
)


class ScaleDataExists(Exception):
    """The database already holds scale data and ``append`` was not asked for."""


@dataclass
class ScaleResult:
    run: int
    counts: dict[str, int]
    seconds: float


def scale_runs_present() -> int:
    """The highest run number of scale orders in the database (0 when there are none)."""
    last = (
        Order.objects.filter(amazon_order_id__startswith=ORDER_PREFIX)
        .order_by("-amazon_order_id")
        .values_list("amazon_order_id", flat=True)
        .first()
    )
    return int(last[1:3]) if last else 0


def scale_seed(
    *,
    orders: int,
    tickets: int,
    accounts: int = 5,
    seed: int = 1,
    append: bool = False,
    log: Callable[[str], None] = print,
) -> ScaleResult:
    """Insert ``orders`` orders and ``tickets`` tickets with realistic distributions.

    Refuses (``ScaleDataExists``) when scale data is already there, unless ``append``;
    an appended run reuses the seller accounts and products and adds new buyers.
    """
    if orders < 1 or not 0 <= tickets <= orders:
        raise ValueError("Need at least one order and no more tickets than orders.")
    if not 1 <= accounts <= len(MARKETPLACES) * 20:
        raise ValueError(f"--accounts must be between 1 and {len(MARKETPLACES) * 20}.")
    started = time.monotonic()
    present = SellerAccount.objects.filter(merchant_id__startswith=MERCHANT_PREFIX).exists()
    if present and not append:
        raise ScaleDataExists(
            "This database already holds scale data (seller accounts SCALE…). "
            "Pass --append to add another run on top, or seed a fresh database."
        )
    run = scale_runs_present() + 1
    if run > MAX_RUNS:
        raise ValueError(f"At most {MAX_RUNS} runs fit in the 9rr- order id prefix.")

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Check foreign keys row by row as we go (parents are always written first)
            # rather than queueing millions of deferred checks until the commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        generator = Generator(run=run, seed=seed, accounts=_accounts_ensure(count=accounts), log=log)
        generator.generate(orders=orders, tickets=tickets, started=started)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [s.model for s in generator.sinks]):
                cursor.execute(sql)
    log(f"committed after {time.monotonic() - started:.1f} s")
    # The orders' triggers appended a per-day count change per chunk: fold them now, as
    # the beat task would within a minute, so the ODR reads one row a day from the start.
    log(f"folded {order_day_counts_compact():,} order-count rows")
    _analyze([*(s.model for s in generator.sinks), OrderDayCount], log=log)
    counts = {s.model._meta.label: s.written for s in generator.sinks}
    return ScaleResult(run=run, counts=counts, seconds=time.monotonic() - started)


def _analyze(tables: list[type[models.Model]], *, log: Callable[[str], None]) -> None:
    """Give the planner statistics (and PostgreSQL a visibility map) as autovacuum would later."""
    if connection.vendor != "postgresql":
        return
    started = time.monotonic()
    # VACUUM cannot run inside a transaction (the tests run in one): ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    log(f"{command}: {time.monotonic() - started:.1f} s")


def _accounts_ensure(*, count: int) -> list[Account]:
    """The first ``count`` scale seller accounts with their catalogue and agents (reused by --append)."""
    User = get_user_model()
    agents_group, _ = Group.objects.get_or_create(name=AGENTS)
    result = []
    for index in range(count):
        marketplace_id, region, currency = MARKETPLACES[index % len(MARKETPLACES)]
        brand, category, nouns = BRANDS[index % len(BRANDS)]
        number = index // len(BRANDS)
        account, _ = SellerAccount.objects.get_or_create(
            merchant_id=f"{MERCHANT_PREFIX}{index + 1:04d}",
            marketplace_id=marketplace_id,
            defaults={"name": f"{brand} {number + 1}" if number else brand, "region": region},
        )
        existing = set(account.products.values_list("asin", flat=True))
        price_rng = random.Random(index)
        new_products = []
        for p in range(PRODUCTS_PER_ACCOUNT):
            asin = f"B0S{index + 1:03d}{p:04d}"
            if asin not in existing:
                title = f"{brand} {ADJECTIVES[p % len(ADJECTIVES)]} {nouns[p % len(nouns)]}"
                new_products.append(
                    Product(
                        seller_account=account, asin=asin, sku=f"SC-{index + 1}-{p:04d}", title=title, category=category
                    )
                )
        Product.objects.bulk_create(new_products)
        products = [
            # Prices are not stored on products: derive a stable one per product.
            (pk, title, Decimal(price_rng.randrange(8, 250)) + Decimal("0.99"))
            for pk, title in account.products.order_by("asin").values_list("pk", "title")
        ]
        agent_ids = []
        for k in range(AGENTS_PER_ACCOUNT):
            user, created = User.objects.get_or_create(username=f"{AGENT_PREFIX}{index + 1}-{k + 1}")
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(agents_group)
                account.agents.add(user)
            agent_ids.append(user.pk)
        result.append(
            Account(pk=account.pk, currency=currency, sla_hours=account.sla_hours, products=products, agents=agent_ids)
        )
    return result
