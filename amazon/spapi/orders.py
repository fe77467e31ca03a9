"""Amazon's orders (Orders API v2026-01-01, as JSON) in the desk's words: the REST API's order
payload (``tickets.api.serializers.OrderInSerializer``) and the order events of its packages.

The sync validates the payload with the REST API's own validation and stores it through
``orders_upsert``, so an order is the same row whether it came from an integration or from
Amazon. Rules:
- channel: ``fulfilledBy`` AMAZON → FBA, MERCHANT → FBM (v0's AFN/MFN are read too);
- status: ``fulfillmentStatus`` one to one; SHIPPED with every package DELIVERED is the desk's
  *delivered*; and SHIPPED never takes back a delivery the desk already knows (FBA orders
  carry no packages: a delivery comes from the REST API's events, or is estimated from
  Amazon's promise once it has passed, ``deliveries``);
- buyer: Amazon gives no buyer id, only the anonymised relay address (FBM) and a name; the
  buyer is keyed as the relay mail channel keys it (``relay:`` + 32 hex digits of the
  address's SHA-256), so a relay mail and the order find the same buyer. No address: no buyer;
- items: by ASIN (quantities of one ASIN in two lines added up), the unit price of the line;
- total: ``proceeds.grandTotal``, else the items' sum; dates from the ship-by and
  deliver-by windows (no deliver-by window: the items' ``scheduledDeliveryWindow``, the
  earliest start and the latest end) — an FBA order's delivery is estimated from it
  (``deliveries``);
- events (FBM packages): *shipped* at the package's ``shipTime`` with carrier and tracking,
  *delivered* when its status is DELIVERED. The Orders API gives no delivery time: the order's
  ``lastUpdatedTime`` when the delivery is first seen is used (the latest it can have happened).
  Event ids ``spapi:<packageReferenceId>:shipped|delivered`` make a re-sync record nothing.
"""

import hashlib
from collections import OrderedDict
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.utils.dateparse import parse_datetime

from tickets.models import FulfillmentChannel, Order, OrderEvent

from ..mail.relay import relay_address_normalize

OrderStatus = Order.Status

INCLUDED_DATA = ["BUYER", "FULFILLMENT", "PROCEEDS", "PACKAGES"]

CHANNELS = {
    "AMAZON": FulfillmentChannel.FBA,
    "AFN": FulfillmentChannel.FBA,
    "MERCHANT": FulfillmentChannel.FBM,
    "MFN": FulfillmentChannel.FBM,
}
STATUSES = {
    "PENDING_AVAILABILITY": OrderStatus.PENDING,
    "PENDING": OrderStatus.PENDING,
    "UNSHIPPED": OrderStatus.UNSHIPPED,
    "PARTIALLY_SHIPPED": OrderStatus.PARTIALLY_SHIPPED,
    "SHIPPED": OrderStatus.SHIPPED,
    "CANCELLED": OrderStatus.CANCELLED,
    "UNFULFILLABLE": OrderStatus.UNFULFILLABLE,
}


class PackageEvent(NamedTuple):
    amazon_order_id: str
    event_id: str
    type: str
    occurred_at: datetime
    carrier: str
    tracking_number: str


def _when(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def buyer_id_for_relay_address(address: str) -> str:
    """The desk's buyer id for an Amazon relay address (the relay mail channel's rule)."""
    return "relay:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _buyer(order: dict) -> dict | None:
    buyer = order.get("buyer") or {}
    address = relay_address_normalize(buyer.get("buyerEmail") or "")
    if not address:
        return None
    return {
        "amazon_buyer_id": buyer_id_for_relay_address(address),
        "name": buyer.get("buyerName") or "",
        "email": address,
    }


def _money(value: dict | None) -> dict | None:
    if not value or value.get("amount") in (None, ""):
        return None
    return {"amount": str(Decimal(str(value["amount"])).quantize(Decimal("0.01"))), "currency": value["currencyCode"]}


def _items(order: dict) -> tuple[list[dict], str | None]:
    by_asin: OrderedDict[str, dict] = OrderedDict()
    currency = None
    for line in order.get("orderItems") or []:
        product = line.get("product") or {}
        asin = product.get("asin")
        if not asin:
            continue
        price = _money((product.get("price") or {}).get("unitPrice")) or {
            "amount": "0.00",
            "currency": currency or "USD",
        }
        currency = currency or price["currency"]
        if asin in by_asin:
            by_asin[asin]["quantity"] += int(line.get("quantityOrdered") or 0)
        else:
            by_asin[asin] = {"asin": asin, "quantity": int(line.get("quantityOrdered") or 0), "unit_price": price}
    return [item for item in by_asin.values() if item["quantity"] > 0], currency


def _packages_delivered(order: dict) -> bool:
    packages = order.get("packages") or []
    return bool(packages) and all((p.get("packageStatus") or {}).get("status") == "DELIVERED" for p in packages)


def _delivery_window(order: dict) -> tuple[str | None, str | None]:
    """Amazon's promised delivery (earliest, latest): the order's window, else its items'."""
    window = (order.get("fulfillment") or {}).get("deliverByWindow") or {}
    if window.get("latestDateTime"):
        return window.get("earliestDateTime"), window["latestDateTime"]
    scheduled = [
        ((line.get("fulfillment") or {}).get("shipping") or {}).get("scheduledDeliveryWindow") or {}
        for line in order.get("orderItems") or []
    ]
    starts = [_when(w["earliestDateTime"]) for w in scheduled if w.get("earliestDateTime")]
    ends = [_when(w["latestDateTime"]) for w in scheduled if w.get("latestDateTime")]
    return (
        min(starts).isoformat() if starts else window.get("earliestDateTime"),
        max(ends).isoformat() if ends else None,
    )


def order_payload(order: dict, *, seller_account_id: int, stored_status: str | None = None) -> dict:
    """One Amazon order as the REST API's order payload (before validation)."""
    fulfillment = order.get("fulfillment") or {}
    status = STATUSES.get(fulfillment.get("fulfillmentStatus") or "", OrderStatus.UNSHIPPED)
    if status == OrderStatus.SHIPPED and (_packages_delivered(order) or stored_status == OrderStatus.DELIVERED):
        status = OrderStatus.DELIVERED
    items, currency = _items(order)
    total = _money((order.get("proceeds") or {}).get("grandTotal"))
    if total is None:
        amount = sum((Decimal(i["unit_price"]["amount"]) * i["quantity"] for i in items), Decimal("0"))
        total = {"amount": str(amount.quantize(Decimal("0.01"))), "currency": currency or "USD"}
    ship_by = fulfillment.get("shipByWindow") or {}
    earliest_delivery, latest_delivery = _delivery_window(order)
    return {
        "seller_account": seller_account_id,
        "amazon_order_id": order["orderId"],
        "buyer": _buyer(order),
        "purchased_at": order["createdTime"],
        "fulfillment_channel": CHANNELS.get(fulfillment.get("fulfilledBy") or "", FulfillmentChannel.FBA),
        "status": status,
        "order_total": total,
        "items": items,
        "latest_ship_date": ship_by.get("latestDateTime"),
        "earliest_delivery_date": earliest_delivery,
        "latest_delivery_date": latest_delivery,
    }


def package_events(order: dict) -> list[PackageEvent]:
    """The shipment and delivery facts of an order's packages, shipped before delivered."""
    events = []
    for package in order.get("packages") or []:
        reference = package.get("packageReferenceId") or "1"
        carrier, tracking = package.get("carrier") or "", package.get("trackingNumber") or ""
        shipped = _when(package.get("shipTime"))
        if shipped is not None:
            events.append(
                PackageEvent(
                    order["orderId"], f"spapi:{reference}:shipped", OrderEvent.Type.SHIPPED, shipped, carrier, tracking
                )
            )
        if (package.get("packageStatus") or {}).get("status") == "DELIVERED":
            delivered = _when(order.get("lastUpdatedTime"))
            if delivered is not None:
                events.append(
                    PackageEvent(
                        order["orderId"],
                        f"spapi:{reference}:delivered",
                        OrderEvent.Type.DELIVERED,
                        delivered,
                        carrier,
                        tracking,
                    )
                )
    return events


def last_updated(order: dict) -> datetime | None:
    return _when(order.get("lastUpdatedTime"))


# --- The All Orders report (the backfill) -------------------------------------------------
# Amazon's flat file (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL): one row per item,
# the order's rows adjacent. It has no buyer, no ship-by or deliver-by window and no
# packages: for an order already stored those keep their stored values, so a backfill over
# orders the incremental sync already knows writes nothing.

REPORT_STATUSES = {
    "Pending": OrderStatus.PENDING,
    "PendingAvailability": OrderStatus.PENDING,
    "Unshipped": OrderStatus.UNSHIPPED,
    "PartiallyShipped": OrderStatus.PARTIALLY_SHIPPED,
    "Shipping": OrderStatus.UNSHIPPED,
    "Shipped": OrderStatus.SHIPPED,
    "Cancelled": OrderStatus.CANCELLED,
    "Unfulfillable": OrderStatus.UNFULFILLABLE,
}
REPORT_CHANNELS = {"Amazon": FulfillmentChannel.FBA, "Merchant": FulfillmentChannel.FBM}


# What the buyer paid beyond the items (Amazon's grandTotal counts them), and the discounts
# (signed either way in Amazon's files).
CHARGES = ("item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax")
DISCOUNTS = ("item-promotion-discount", "ship-promotion-discount")


def _amount(row: dict, column: str) -> Decimal:
    try:
        return Decimal((row.get(column) or "0").strip() or "0")
    except ArithmeticError:
        return Decimal("0")


class KeptFields(NamedTuple):
    """What a stored order keeps when the report does not say it."""

    status: str
    buyer: dict | None
    latest_ship_date: datetime | None
    earliest_delivery_date: datetime | None
    latest_delivery_date: datetime | None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def report_order_payload(rows: list[dict], *, seller_account_id: int, kept: KeptFields | None) -> dict:
    """One order's rows of the All Orders report as the REST API's order payload."""
    first = rows[0]
    currency = first.get("currency") or "USD"
    by_asin: OrderedDict[str, dict] = OrderedDict()
    total = Decimal("0")
    for row in rows:
        asin, quantity = row.get("asin") or "", int(row.get("quantity") or 0)
        if not asin or quantity <= 0:
            continue
        line = _amount(row, "item-price")
        total += line + sum(_amount(row, c) for c in CHARGES) - sum(abs(_amount(row, c)) for c in DISCOUNTS)
        unit = (line / quantity).quantize(Decimal("0.01"))
        if asin in by_asin:
            by_asin[asin]["quantity"] += quantity
        else:
            by_asin[asin] = {
                "asin": asin,
                "quantity": quantity,
                "unit_price": {"amount": str(unit), "currency": currency},
            }
    status = REPORT_STATUSES.get(first.get("order-status") or "", OrderStatus.UNSHIPPED)
    if status == OrderStatus.SHIPPED and kept is not None and kept.status == OrderStatus.DELIVERED:
        status = OrderStatus.DELIVERED
    return {
        "seller_account": seller_account_id,
        "amazon_order_id": first["amazon-order-id"],
        "buyer": kept.buyer if kept else None,
        "purchased_at": first["purchase-date"],
        "fulfillment_channel": REPORT_CHANNELS.get(first.get("fulfillment-channel") or "", FulfillmentChannel.FBA),
        "status": status,
        "order_total": {"amount": str(total.quantize(Decimal("0.01"))), "currency": currency},
        "items": list(by_asin.values()),
        "latest_ship_date": _iso(kept.latest_ship_date) if kept else None,
        "earliest_delivery_date": _iso(kept.earliest_delivery_date) if kept else None,
        "latest_delivery_date": _iso(kept.latest_delivery_date) if kept else None,
    }
