"""Orders in: idempotent upserts of Amazon data keyed by Amazon's ids, and the events that
happen to an order (shipped, delivered, returned, refunded).

The same payload twice changes nothing. ``orders_upsert`` is set-based — a list of
1,000 orders costs a handful of statements, not thousands — and writes only the orders
that are new or differ from what is stored.
"""

import json
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..audit import Actor
from ..lookups import AnyOf, db_base_type
from ..models import Buyer, Order, OrderEvent, OrderItem, Product, SellerAccount
from ..proactive.services import order_mark_delivered
from ..selectors import order_events_same


class StoredOrder(NamedTuple):
    """An order as stored, in the columns an order payload sets."""

    pk: int
    amazon_order_id: str
    seller_account_id: int
    buyer_id: int | None
    purchased_at: datetime
    fulfillment_channel: str
    status: str
    order_total: Decimal
    currency: str
    latest_ship_date: datetime | None
    earliest_delivery_date: datetime | None
    latest_delivery_date: datetime | None


ORDER_FIELDS = StoredOrder._fields[2:]


# Amazon order ids are unique per seller account: an order is known by both.
OrderKey = tuple[int, str]  # (seller_account_id, amazon_order_id)


class UpsertResult(NamedTuple):
    order_id: int
    amazon_order_id: str
    created: bool


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _json_rows(rows: list[tuple]) -> str:
    """Rows as one JSON array of arrays, read by ``_json_columns``. One parameter that
    psycopg sends as it is and PostgreSQL parses in C: a list per column (``unnest``) costs
    psycopg Python work for every value it puts in an array literal."""
    return json.dumps(rows, default=_json_value, ensure_ascii=False, separators=(",", ":"))


def _json_value(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat()  # with its offset: exact whatever the session's time zone
    if isinstance(value, Decimal):
        return str(value)  # a JSON string, not a float: numeric keeps every digit
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json_columns(model, columns: tuple[str, ...], *, row: str = "r", start: int = 0) -> str:
    """The columns of ``_json_rows`` (from position ``start``) as typed SQL expressions:
    ``(r->>0)::bigint AS id, …``."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    return ", ".join(f"({row}->>{n})::{_base_type(fields[c])} AS {c}" for n, c in enumerate(columns, start=start))


def _base_type(field) -> str:
    return db_base_type(field, connection)


def orders_stored(*, keys) -> dict[OrderKey, StoredOrder]:
    """The stored orders among ``keys`` ((seller account id, Amazon order id) pairs), by key.
    Only those accounts' rows are read: another account's order with the same id is not."""
    keys = set(keys)
    if not keys:
        return {}
    rows = Order.objects.filter(
        AnyOf(F("seller_account_id"), {k[0] for k in keys}), AnyOf(F("amazon_order_id"), {k[1] for k in keys})
    ).values_list(*StoredOrder._fields)
    stored = (StoredOrder._make(row) for row in rows)
    return {key: order for order in stored if (key := (order.seller_account_id, order.amazon_order_id)) in keys}


def _buyers_among(keys) -> QuerySet[Buyer]:
    """The buyers whose account and Amazon id are among the ``keys`` pairs (a superset:
    callers index the rows by pair)."""
    return Buyer.objects.filter(
        AnyOf(F("seller_account_id"), {k[0] for k in keys}), AnyOf(F("amazon_buyer_id"), {k[1] for k in keys})
    )


def _buyers_upsert(rows: list[dict]) -> dict[tuple[int, str], int]:
    """Upsert buyers (seller account + Amazon buyer id) and return their ids by key.

    A payload without a name or email does not erase what an earlier one said, and a buyer
    equal to what is stored is not written."""
    wanted = {(r["seller_account_id"], r["amazon_buyer_id"]): r for r in rows}
    if not wanted:
        return {}
    if _postgresql():
        ids = _buyers_upsert_postgresql(list(wanted.values()))
        missing = wanted.keys() - ids.keys()
        if missing:
            # Inserted by a transaction that committed after this statement began: the
            # upsert found it but did not change it, and its snapshot could not read it.
            ids.update(_buyer_ids(missing))
        return ids
    existing = {
        (account_id, amazon_buyer_id): (pk, name, email)
        for pk, account_id, amazon_buyer_id, name, email in _buyers_among(wanted).values_list(
            "pk", "seller_account_id", "amazon_buyer_id", "name", "email"
        )
    }
    ids = {key: buyer[0] for key, buyer in existing.items()}
    to_write = []
    for key, row in wanted.items():
        _pk, *stored = existing.get(key) or (None, "", "")
        name = row.get("name") or stored[0]
        email = row.get("email") or stored[1]
        if key not in existing or stored != [name, email]:
            to_write.append(Buyer(seller_account_id=key[0], amazon_buyer_id=key[1], name=name, email=email))
    if to_write:
        Buyer.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["seller_account", "amazon_buyer_id"],
            update_fields=["name", "email"],
        )
        ids.update({(b.seller_account_id, b.amazon_buyer_id): b.pk for b in to_write})
    return ids


# The same rules as the portable path, in one statement: insert the new buyers, update the
# changed ones (an empty name or email keeps the stored one), and read the ids of the rest
# (the join reads the statement's snapshot, so existing buyers only; the ones the insert
# returned are not looked up again).
_BUYER_COLUMNS = ("seller_account_id", "amazon_buyer_id", "name", "email")
_BUYERS_UPSERT = """
WITH input AS (
    SELECT {columns} FROM jsonb_array_elements(%s::jsonb) AS r
), written AS (
    INSERT INTO {buyer} AS b ({names}, opted_out_of_proactive_messages, created_at)
    SELECT {names}, false, %s FROM input
        ON CONFLICT (seller_account_id, amazon_buyer_id) DO UPDATE
       SET name = COALESCE(NULLIF(EXCLUDED.name, ''), b.name),
           email = COALESCE(NULLIF(EXCLUDED.email, ''), b.email)
     WHERE (b.name, b.email) IS DISTINCT FROM
           (COALESCE(NULLIF(EXCLUDED.name, ''), b.name), COALESCE(NULLIF(EXCLUDED.email, ''), b.email))
    RETURNING b.seller_account_id, b.amazon_buyer_id, b.id
)
SELECT seller_account_id, amazon_buyer_id, id FROM written
 UNION ALL
SELECT b.seller_account_id, b.amazon_buyer_id, b.id
  FROM input JOIN {buyer} b USING (seller_account_id, amazon_buyer_id)
 WHERE NOT EXISTS (SELECT FROM written w
                    WHERE (w.seller_account_id, w.amazon_buyer_id) = (input.seller_account_id, input.amazon_buyer_id))
"""


def _buyers_upsert_postgresql(rows: list[dict]) -> dict[tuple[int, str], int]:
    sql = _BUYERS_UPSERT.format(
        buyer=Buyer._meta.db_table, columns=_json_columns(Buyer, _BUYER_COLUMNS), names=", ".join(_BUYER_COLUMNS)
    )
    payload = [(r["seller_account_id"], r["amazon_buyer_id"], r.get("name") or "", r.get("email") or "") for r in rows]
    with connection.cursor() as cursor:
        cursor.execute(sql, [_json_rows(payload), timezone.now()])
        return {(account_id, buyer_id): pk for account_id, buyer_id, pk in cursor.fetchall()}


def _buyer_ids(keys) -> dict[tuple[int, str], int]:
    rows = _buyers_among(keys).values_list("seller_account_id", "amazon_buyer_id", "pk")
    return {(account_id, buyer_id): pk for account_id, buyer_id, pk in rows if (account_id, buyer_id) in keys}


def _product_ids(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Product ids by (seller account, ASIN); unknown ASINs get a stub product that a later
    ``PUT /products/{asin}/`` completes (order feeds often arrive before the catalogue)."""
    if not keys:
        return {}

    def fetch() -> dict[tuple[int, str], int]:
        rows = Product.objects.filter(
            AnyOf(F("seller_account_id"), {k[0] for k in keys}), AnyOf(F("asin"), {k[1] for k in keys})
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


def _stored_items(order_ids: list[int]) -> dict[int, frozenset[tuple[int, int, Decimal]]]:
    """The items of stored orders as (product, quantity, unit price) sets, by order id."""
    items: dict[int, set] = {order_id: set() for order_id in order_ids}
    if order_ids:
        for order_id, *item in OrderItem.objects.filter(AnyOf(F("order_id"), order_ids)).values_list(
            "order_id", "product_id", "quantity", "unit_price"
        ):
            items[order_id].add(tuple(item))
    return {order_id: frozenset(item) for order_id, item in items.items()}


# All or nothing without a savepoint of its own: inside the API's request transaction a
# failure rolls the whole request back anyway (and a savepoint costs two round trips).
@transaction.atomic(savepoint=False)
def orders_upsert(*, orders: list[dict], stored: dict[OrderKey, StoredOrder] | None = None) -> list[UpsertResult]:
    """Create or update ``orders`` (validated dicts: ``seller_account_id``,
    ``amazon_order_id``, ``buyer`` {amazon_buyer_id, name, email}, order fields,
    ``items`` [{asin, quantity, unit_price}]) by seller account and ``amazon_order_id``.

    An order's items are replaced by the payload's. Orders equal to what is stored are not
    written at all. The caller has checked that every seller account is the caller's;
    ``stored``, when given, is its look-up of the orders already stored (``orders_stored``),
    so that they are not read twice.
    """
    if stored is None:
        stored = orders_stored(keys=[_key(o) for o in orders])
    buyer_ids = _buyers_upsert(
        [{"seller_account_id": o["seller_account_id"], **o["buyer"]} for o in orders if o.get("buyer")]
    )
    product_ids = _product_ids({(o["seller_account_id"], i["asin"]) for o in orders for i in o["items"]})
    stored_items = _stored_items([row.pk for row in stored.values()])

    to_write: dict[OrderKey, tuple] = {}  # key: (values in ORDER_FIELDS order, items)
    for data in orders:
        account_id = data["seller_account_id"]
        buyer = data.get("buyer")
        values = (
            account_id,
            buyer_ids[(account_id, buyer["amazon_buyer_id"])] if buyer else None,
            data["purchased_at"],
            data["fulfillment_channel"],
            data["status"],
            data["order_total"],
            data["currency"],
            data.get("latest_ship_date"),
            data.get("earliest_delivery_date"),
            data.get("latest_delivery_date"),
        )
        items = [(product_ids[(account_id, i["asin"])], i["quantity"], i["unit_price"]) for i in data["items"]]
        current = stored.get(_key(data))
        if current is not None and current[2:] == values and frozenset(items) == stored_items[current.pk]:
            continue
        to_write[_key(data)] = (values, items)

    written: dict[OrderKey, int] = {}
    if to_write:
        changed = [stored[key].pk for key in to_write if key in stored]
        if changed:
            OrderItem.objects.filter(AnyOf(F("order_id"), changed)).delete()
        write = _orders_write_postgresql if _postgresql() else _orders_write
        written = write(to_write, now=timezone.now())

    return [
        UpsertResult(
            order_id=written.get(_key(o)) or stored[_key(o)].pk,
            amazon_order_id=o["amazon_order_id"],
            created=_key(o) not in stored,
        )
        for o in orders
    ]


def _key(order: dict) -> OrderKey:
    return order["seller_account_id"], order["amazon_order_id"]


# Orders and their items in one statement: the items find their order's id by its account
# and Amazon id in what the insert returns. A new row's other columns get the model's defaults.
_ORDER_COLUMNS = ("amazon_order_id", *ORDER_FIELDS)
_ITEM_COLUMNS = ("product_id", "quantity", "unit_price")
_ORDERS_WRITE = """
WITH written AS (
    INSERT INTO {order} AS o ({names}, carrier, tracking_number, cancelled_by_buyer, created_at, updated_at)
    SELECT {columns}, '', '', false, %(now)s, %(now)s FROM jsonb_array_elements(%(orders)s::jsonb) AS r
        ON CONFLICT (seller_account_id, amazon_order_id) DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at
    RETURNING o.seller_account_id, o.amazon_order_id, o.id
), items AS (
    INSERT INTO {item} (order_id, {item_names})
    SELECT written.id, {item_columns}
      FROM jsonb_array_elements(%(items)s::jsonb) AS i
      JOIN written ON written.seller_account_id = (i->>0)::bigint AND written.amazon_order_id = i->>1
)
SELECT seller_account_id, amazon_order_id, id FROM written
"""


def _orders_write_postgresql(to_write: dict[OrderKey, tuple], *, now: datetime) -> dict[OrderKey, int]:
    """Insert or update orders by account and ``amazon_order_id`` and insert their items;
    the orders' ids by key."""
    sql = _ORDERS_WRITE.format(
        order=Order._meta.db_table,
        names=", ".join(_ORDER_COLUMNS),
        columns=_json_columns(Order, _ORDER_COLUMNS),
        updates=", ".join(f"{f} = EXCLUDED.{f}" for f in ORDER_FIELDS),
        item=OrderItem._meta.db_table,
        item_names=", ".join(_ITEM_COLUMNS),
        # An item row is [seller_account_id, amazon_order_id, product_id, quantity, unit_price].
        item_columns=_json_columns(OrderItem, _ITEM_COLUMNS, row="i", start=2),
    )
    # values start with the seller account id, so an order row is in _ORDER_COLUMNS order.
    orders = [(key[1], *values) for key, (values, _items) in to_write.items()]
    items = [(*key, *item) for key, (_values, order_items) in to_write.items() for item in order_items]
    with connection.cursor() as cursor:
        cursor.execute(sql, {"now": now, "orders": _json_rows(orders), "items": _json_rows(items)})
        return {(account_id, amazon_order_id): pk for account_id, amazon_order_id, pk in cursor.fetchall()}


def _orders_write(to_write: dict[OrderKey, tuple], *, now: datetime) -> dict[OrderKey, int]:
    """The portable twin of ``_orders_write_postgresql``."""
    objs = [
        Order(amazon_order_id=key[1], updated_at=now, **dict(zip(ORDER_FIELDS, values, strict=True)))
        for key, (values, _items) in to_write.items()
    ]
    Order.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["seller_account", "amazon_order_id"],
        update_fields=[*ORDER_FIELDS, "updated_at"],
    )
    OrderItem.objects.bulk_create(
        [
            OrderItem(order_id=order.pk, product_id=product_id, quantity=quantity, unit_price=unit_price)
            for order, (_values, items) in zip(objs, to_write.values(), strict=True)
            for product_id, quantity, unit_price in items
        ]
    )
    return {(o.seller_account_id, o.amazon_order_id): o.pk for o in objs}


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


# --- Order events (tracking, delivery, returns, refunds) -------------------------------

# Which order fields each event type sets, and the order status it implies (if any).
_ORDER_EVENT_EFFECTS = {
    OrderEvent.Type.SHIPPED: ("shipped_at", Order.Status.SHIPPED),
    OrderEvent.Type.DELIVERED: ("delivered_at", Order.Status.DELIVERED),
    OrderEvent.Type.RETURNED: ("returned_at", None),
    OrderEvent.Type.REFUNDED: ("refunded_at", None),
    OrderEvent.Type.CANCELLED: ("cancelled_at", Order.Status.CANCELLED),
}


@transaction.atomic
def order_event_record(
    *,
    order: Order,
    type: str,
    occurred_at,
    event_id: str | None = None,
    carrier: str = "",
    tracking_number: str = "",
    source: str = "api",
    actor: Actor = None,
) -> tuple[OrderEvent, bool]:
    """Record something that happened to an order and apply it to the order's dates.

    De-duplicated by the sender's ``event_id`` (unique per order), or else by (order, type,
    time): a replay returns the stored event and changes nothing. Events of one order are
    recorded one at a time (the order's row is locked), and the database's unique
    constraints catch what a database without row locks lets through.
    """
    Order.objects.select_for_update().filter(pk=order.pk).first()
    same = order_events_same(order=order, type=type, occurred_at=occurred_at, event_id=event_id)
    existing = same.first()
    if existing is not None:
        return existing, False
    if type == OrderEvent.Type.DELIVERED:
        # Delivery is what schedules the proactive guide: its one entry point records the
        # event and the delivery itself.
        order_mark_delivered(order=order, delivered_at=occurred_at, actor=actor, source=source, event_id=event_id)
        return same.get(), True
    try:
        with transaction.atomic():
            event = OrderEvent.objects.create(
                order=order,
                event_id=event_id,
                type=type,
                occurred_at=occurred_at,
                carrier=carrier,
                tracking_number=tracking_number,
                source=source,
            )
    except IntegrityError:
        return same.get(), False  # the same event stored concurrently
    field, status = _ORDER_EVENT_EFFECTS[OrderEvent.Type(type)]
    changed = [field]
    setattr(order, field, occurred_at)
    if status is not None:
        order.status = status
        changed.append("status")
    if type == OrderEvent.Type.SHIPPED:
        order.carrier, order.tracking_number = carrier or order.carrier, tracking_number or order.tracking_number
        changed += ["carrier", "tracking_number"]
    order.save(update_fields=[*changed, "updated_at"])
    return event, True
