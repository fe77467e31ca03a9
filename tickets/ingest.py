"""Writes of the ingest API: idempotent upserts of Amazon data keyed by Amazon's ids.

The same payload twice changes nothing. ``orders_upsert`` is set-based — a list of
1,000 orders costs a handful of statements, not thousands — and writes only the orders
that are new or differ from what is stored.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from .audit import Actor, audit_record, field_changes
from .models import AtoZClaim, Buyer, Chargeback, Order, OrderItem, Product, SellerAccount

# Amazon: represent an A-to-z claim within 3 calendar days, answer a chargeback within
# 7 (notes/amazon.md §6); the deadline in Amazon's notice wins when the payload has it.
A_TO_Z_RESPONSE_DAYS = 3
CHARGEBACK_RESPONSE_DAYS = 7

ORDER_FIELDS = (
    "seller_account_id",
    "buyer_id",
    "purchased_at",
    "fulfillment_channel",
    "status",
    "order_total",
    "currency",
    "latest_ship_date",
    "earliest_delivery_date",
    "latest_delivery_date",
)


@dataclass(frozen=True)
class UpsertResult:
    order_id: int
    amazon_order_id: str
    created: bool


def _unnest_upsert(
    model,
    *,
    columns: dict[str, list],
    constants: dict[str, object],
    conflict: tuple[str, ...] = (),
    update: tuple[str, ...] = (),
    returning: tuple[str, ...] = (),
) -> list[tuple]:
    """PostgreSQL: insert ``columns`` (one list of values per column) in one statement that
    unnests one array per column, with ``constants`` for every row and ``ON CONFLICT DO
    UPDATE`` of ``update``. The same statement as ``bulk_create``, without its per-row,
    per-field preparation of model instances (the bulk ingest's main Python cost)."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    names = [*columns, *constants]
    aliases = [f"c{n}" for n in range(len(columns))]
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) "
        f"SELECT {', '.join([*aliases, *['%s'] * len(constants)])} "
        f"FROM unnest({', '.join(f'%s::{fields[c].db_type(connection)}[]' for c in columns)}) "
        f"AS r({', '.join(aliases)})"
    )
    if conflict:
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in update)
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    # Constants come first in the parameters: they appear first in the statement.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), *columns.values()])
        return cursor.fetchall() if returning else []


def _buyers_upsert(rows: list[dict]) -> dict[tuple[int, str], int]:
    """Upsert buyers (seller account + Amazon buyer id) and return their ids by key."""
    wanted = {(r["seller_account_id"], r["amazon_buyer_id"]): r for r in rows}
    if not wanted:
        return {}
    account_ids = {k[0] for k in wanted}
    buyer_ids = {k[1] for k in wanted}
    existing = {
        (account_id, amazon_buyer_id): (pk, name, email)
        for pk, account_id, amazon_buyer_id, name, email in Buyer.objects.filter(
            seller_account_id__in=account_ids, amazon_buyer_id__in=buyer_ids
        ).values_list("pk", "seller_account_id", "amazon_buyer_id", "name", "email")
    }
    ids = {key: buyer[0] for key, buyer in existing.items()}
    to_write = []
    for key, row in wanted.items():
        _pk, *stored = existing.get(key) or (None, "", "")
        # A payload without a name or email does not erase what an earlier one said.
        name = row.get("name") or stored[0]
        email = row.get("email") or stored[1]
        if key not in existing or stored != [name, email]:
            to_write.append(Buyer(seller_account_id=key[0], amazon_buyer_id=key[1], name=name, email=email))
    if to_write and connection.vendor == "postgresql":
        rows = _unnest_upsert(
            Buyer,
            columns={
                "seller_account_id": [b.seller_account_id for b in to_write],
                "amazon_buyer_id": [b.amazon_buyer_id for b in to_write],
                "name": [b.name for b in to_write],
                "email": [b.email for b in to_write],
            },
            constants={"opted_out_of_proactive_messages": False, "created_at": timezone.now()},
            conflict=("seller_account_id", "amazon_buyer_id"),
            update=("name", "email"),
            returning=("seller_account_id", "amazon_buyer_id", "id"),
        )
        ids.update({(account_id, buyer_id): pk for account_id, buyer_id, pk in rows})
    elif to_write:
        Buyer.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["seller_account", "amazon_buyer_id"],
            update_fields=["name", "email"],
        )
        ids.update({(b.seller_account_id, b.amazon_buyer_id): b.pk for b in to_write})
    return ids


def _product_ids(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Product ids by (seller account, ASIN); unknown ASINs get a stub product that a later
    ``PUT /products/{asin}/`` completes (order feeds often arrive before the catalogue)."""
    if not keys:
        return {}

    def fetch() -> dict[tuple[int, str], int]:
        rows = Product.objects.filter(
            seller_account_id__in={k[0] for k in keys}, asin__in={k[1] for k in keys}
        ).values_list("seller_account_id", "asin", "pk")
        return {(a, asin): pk for a, asin, pk in rows}

    ids = fetch()
    missing = keys - ids.keys()
    if missing:
        Product.objects.bulk_create(
            [Product(seller_account_id=a, asin=asin, title=asin) for a, asin in missing], ignore_conflicts=True
        )
        ids = fetch()
    return ids


def _item_tuples(items) -> frozenset[tuple[int, int, Decimal]]:
    return frozenset((i["product_id"], i["quantity"], Decimal(i["unit_price"])) for i in items)


@transaction.atomic
def orders_upsert(*, orders: list[dict], known_ids: Collection[str] | None = None) -> list[UpsertResult]:
    """Create or update ``orders`` (validated dicts: ``seller_account_id``,
    ``amazon_order_id``, ``buyer`` {amazon_buyer_id, name, email}, order fields,
    ``items`` [{asin, quantity, unit_price}]) by ``amazon_order_id``.

    An order's items are replaced by the payload's. Orders equal to what is stored are not
    written at all. The caller has checked that every seller account is the caller's and
    that no order id belongs to another account; ``known_ids``, when given, is its look-up of
    which of the orders' ids are already stored (so that new ids are not looked up twice).
    """
    buyer_ids = _buyers_upsert(
        [{"seller_account_id": o["seller_account_id"], **o["buyer"]} for o in orders if o.get("buyer")]
    )
    product_ids = _product_ids({(o["seller_account_id"], i["asin"]) for o in orders for i in o["items"]})
    lookup = [o["amazon_order_id"] for o in orders] if known_ids is None else list(known_ids)
    existing = {
        row[1]: row
        for row in Order.objects.filter(amazon_order_id__in=lookup).values_list("pk", "amazon_order_id", *ORDER_FIELDS)
    }
    existing_items: dict[int, set] = {row[0]: set() for row in existing.values()}
    if existing_items:
        for order_id, product_id, quantity, unit_price in OrderItem.objects.filter(
            order_id__in=existing_items.keys()
        ).values_list("order_id", "product_id", "quantity", "unit_price"):
            existing_items[order_id].add((product_id, quantity, unit_price))

    to_write: dict[str, tuple] = {}  # amazon_order_id: (values in ORDER_FIELDS order, items)
    for data in orders:
        account_id = data["seller_account_id"]
        buyer = data.get("buyer")
        values = (
            account_id,
            buyer_ids[(account_id, buyer["amazon_buyer_id"])] if buyer else None,
            *(data.get(f) for f in ORDER_FIELDS[2:]),
        )
        items = [
            {
                "product_id": product_ids[(account_id, i["asin"])],
                "quantity": i["quantity"],
                "unit_price": i["unit_price"],
            }
            for i in data["items"]
        ]
        current = existing.get(data["amazon_order_id"])
        if (
            current is not None
            and current[2:] == values
            and _item_tuples(items) == frozenset(existing_items[current[0]])
        ):
            continue
        to_write[data["amazon_order_id"]] = (values, items)

    written: dict[str, int] = {}
    if to_write:
        written = _orders_write(to_write, now=timezone.now())
        changed_existing = [existing[key][0] for key in to_write if key in existing]
        if changed_existing:
            OrderItem.objects.filter(order_id__in=changed_existing).delete()
        items = [(written[key], item) for key, (_values, order_items) in to_write.items() for item in order_items]
        if items and connection.vendor == "postgresql":
            _unnest_upsert(
                OrderItem,
                columns={
                    "order_id": [order_id for order_id, _item in items],
                    "product_id": [item["product_id"] for _order_id, item in items],
                    "quantity": [item["quantity"] for _order_id, item in items],
                    "unit_price": [item["unit_price"] for _order_id, item in items],
                },
                constants={},
            )
        elif items:
            OrderItem.objects.bulk_create([OrderItem(order_id=order_id, **item) for order_id, item in items])

    return [
        UpsertResult(
            order_id=written.get(o["amazon_order_id"]) or existing[o["amazon_order_id"]][0],
            amazon_order_id=o["amazon_order_id"],
            created=o["amazon_order_id"] not in existing,
        )
        for o in orders
    ]


def _orders_write(to_write: dict[str, tuple], *, now) -> dict[str, int]:
    """Insert or update orders by ``amazon_order_id``; their ids by Amazon order id."""
    if connection.vendor == "postgresql":
        rows = _unnest_upsert(
            Order,
            columns={
                "amazon_order_id": list(to_write),
                **{f: [values[n] for values, _items in to_write.values()] for n, f in enumerate(ORDER_FIELDS)},
            },
            # A new row's other columns: what the model's defaults would be.
            constants={
                "carrier": "",
                "tracking_number": "",
                "cancelled_by_buyer": False,
                "created_at": now,
                "updated_at": now,
            },
            conflict=("amazon_order_id",),
            update=(*ORDER_FIELDS, "updated_at"),
            returning=("amazon_order_id", "id"),
        )
        return dict(rows)
    objs = [
        Order(amazon_order_id=key, updated_at=now, **dict(zip(ORDER_FIELDS, values, strict=True)))
        for key, (values, _items) in to_write.items()
    ]
    Order.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["amazon_order_id"],
        update_fields=[*ORDER_FIELDS, "updated_at"],
    )
    return {o.amazon_order_id: o.pk for o in objs}


def seller_account_upsert(
    *, marketplace_id: str, merchant_id: str, name: str, region: str
) -> tuple[SellerAccount, bool]:
    account, created = SellerAccount.objects.get_or_create(
        marketplace_id=marketplace_id, merchant_id=merchant_id, defaults={"name": name, "region": region}
    )
    if not created and (account.name, account.region) != (name, region):
        account.name, account.region = name, region
        account.save(update_fields=["name", "region"])
    return account, created


def product_upsert(*, seller_account: SellerAccount, asin: str, values: dict) -> tuple[Product, bool]:
    product, created = Product.objects.get_or_create(seller_account=seller_account, asin=asin, defaults=values)
    changed = [f for f, v in values.items() if getattr(product, f) != v]
    if not created and changed:
        for field in changed:
            setattr(product, field, values[field])
        product.save(update_fields=changed)
    return product, created


def _defect_upsert(*, model, key: dict, values: dict, actor: Actor):
    """Create or update a claim or chargeback; a status change is audited."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        row = model.objects.create(**key, **values)
        audit_record(subject=row, action=f"{model._meta.model_name}.created", actor=actor, changes={})
        return row, True
    before = {f: getattr(row, f) for f in values}
    changes = field_changes(before, values)
    if changes:
        for field, value in values.items():
            setattr(row, field, value)
        row.save(update_fields=[*values.keys(), "updated_at"])
        audit_record(subject=row, action=f"{model._meta.model_name}.updated", actor=actor, changes=changes)
    return row, False


def a_to_z_claim_upsert(*, claim_id: str, order: Order, values: dict, actor: Actor) -> tuple[AtoZClaim, bool]:
    """Upsert by Amazon's claim id. Without ``respond_by``, 3 calendar days from filing."""
    if not values.get("respond_by"):
        values["respond_by"] = values["filed_at"] + timedelta(days=A_TO_Z_RESPONSE_DAYS)
    return _defect_upsert(model=AtoZClaim, key={"claim_id": claim_id}, values={"order": order, **values}, actor=actor)


def chargeback_upsert(*, chargeback_id: str, order: Order, values: dict, actor: Actor) -> tuple[Chargeback, bool]:
    """Upsert by the chargeback id. Without ``respond_by``, 7 calendar days from filing (G202145040)."""
    if not values.get("respond_by"):
        values["respond_by"] = values["filed_at"] + timedelta(days=CHARGEBACK_RESPONSE_DAYS)
    return _defect_upsert(
        model=Chargeback, key={"chargeback_id": chargeback_id}, values={"order": order, **values}, actor=actor
    )
