"""Writes of the ingest API: idempotent upserts of Amazon data keyed by Amazon's ids.

The same payload twice changes nothing. ``orders_upsert`` is set-based — a list of
1,000 orders costs a handful of statements, not thousands — and writes only the orders
that are new or differ from what is stored.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
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


def _buyers_upsert(rows: list[dict]) -> dict[tuple[int, str], int]:
    """Upsert buyers (seller account + Amazon buyer id) and return their ids by key."""
    wanted = {(r["seller_account_id"], r["amazon_buyer_id"]): r for r in rows}
    if not wanted:
        return {}
    account_ids = {k[0] for k in wanted}
    buyer_ids = {k[1] for k in wanted}
    existing = {
        (b.seller_account_id, b.amazon_buyer_id): b
        for b in Buyer.objects.filter(seller_account_id__in=account_ids, amazon_buyer_id__in=buyer_ids).only(
            "pk", "seller_account_id", "amazon_buyer_id", "name", "email"
        )
    }
    ids = {key: b.pk for key, b in existing.items()}
    to_write = []
    for key, row in wanted.items():
        buyer = existing.get(key)
        # A payload without a name or email does not erase what an earlier one said.
        name = row.get("name") or (buyer.name if buyer else "")
        email = row.get("email") or (buyer.email if buyer else "")
        if buyer is None or (buyer.name, buyer.email) != (name, email):
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
def orders_upsert(*, orders: list[dict]) -> list[UpsertResult]:
    """Create or update ``orders`` (validated dicts: ``seller_account_id``,
    ``amazon_order_id``, ``buyer`` {amazon_buyer_id, name, email}, order fields,
    ``items`` [{asin, quantity, unit_price}]) by ``amazon_order_id``.

    An order's items are replaced by the payload's. Orders equal to what is stored are not
    written at all. The caller has checked that every seller account is the caller's and
    that no order id belongs to another account.
    """
    buyer_ids = _buyers_upsert(
        [{"seller_account_id": o["seller_account_id"], **o["buyer"]} for o in orders if o.get("buyer")]
    )
    product_ids = _product_ids({(o["seller_account_id"], i["asin"]) for o in orders for i in o["items"]})
    existing = {
        o.amazon_order_id: o
        for o in Order.objects.filter(amazon_order_id__in=[o["amazon_order_id"] for o in orders]).only(
            "pk", "amazon_order_id", *ORDER_FIELDS
        )
    }
    existing_items: dict[int, set] = {o.pk: set() for o in existing.values()}
    for order_id, product_id, quantity, unit_price in OrderItem.objects.filter(
        order_id__in=existing_items.keys()
    ).values_list("order_id", "product_id", "quantity", "unit_price"):
        existing_items[order_id].add((product_id, quantity, unit_price))

    to_write: list[Order] = []
    items_by_order: dict[str, list[dict]] = {}
    for data in orders:
        account_id = data["seller_account_id"]
        buyer = data.get("buyer")
        values = {
            "seller_account_id": account_id,
            "buyer_id": buyer_ids[(account_id, buyer["amazon_buyer_id"])] if buyer else None,
            **{f: data.get(f) for f in ORDER_FIELDS if f not in ("seller_account_id", "buyer_id")},
        }
        items = [
            {
                "product_id": product_ids[(account_id, i["asin"])],
                "quantity": i["quantity"],
                "unit_price": i["unit_price"],
            }
            for i in data["items"]
        ]
        current = existing.get(data["amazon_order_id"])
        if current is not None:
            same_fields = all(getattr(current, f) == v for f, v in values.items())
            if same_fields and _item_tuples(items) == frozenset(existing_items[current.pk]):
                continue
        to_write.append(Order(amazon_order_id=data["amazon_order_id"], **values))
        items_by_order[data["amazon_order_id"]] = items

    if to_write:
        now = timezone.now()
        for order in to_write:
            order.updated_at = now
        Order.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["amazon_order_id"],
            update_fields=[*ORDER_FIELDS, "updated_at"],
        )
        changed_existing = [existing[o.amazon_order_id].pk for o in to_write if o.amazon_order_id in existing]
        if changed_existing:
            OrderItem.objects.filter(order_id__in=changed_existing).delete()
        OrderItem.objects.bulk_create(
            [
                OrderItem(order_id=order.pk, **item)
                for order in to_write
                for item in items_by_order[order.amazon_order_id]
            ]
        )

    written = {o.amazon_order_id: o.pk for o in to_write}
    return [
        UpsertResult(
            order_id=written.get(o["amazon_order_id"]) or existing[o["amazon_order_id"]].pk,
            amazon_order_id=o["amazon_order_id"],
            created=o["amazon_order_id"] not in existing,
        )
        for o in orders
    ]


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
