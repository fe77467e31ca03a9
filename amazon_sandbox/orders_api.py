"""Orders API v2026-01-01: searchOrders and getOrder over the generated marketplace.

The rules the model states in words (not in its schema) are enforced here, each with
Amazon's 400 InvalidInput answer:
- exactly one of ``createdAfter`` / ``lastUpdatedAfter``; no ``lastUpdated*`` with
  ``created*`` (and the reverse);
- a ``*Before`` bound no earlier than its ``*After`` and at least two minutes before the
  time of the request;
- ``maxResultsPerPage`` between 1 and 100 (default 100);
- a ``paginationToken`` is good for 24 hours and only with the parameters that made it
  (``maxResultsPerPage`` and ``includedData`` may change between pages).

A search is read **as of the moment of its first page** (the token carries it), so a walk
through the pages sees every order exactly once even while the clock moves and orders
change status underneath it.
"""

import base64
import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from .errors import ApiError
from .marketplace import AFN, MFN, US_MARKETPLACE_ID, US_MARKETPLACE_NAME, Marketplace, Order, iso
from .spec import parse_date_time

BEFORE_MARGIN = timedelta(minutes=2)
TOKEN_LIFETIME = timedelta(hours=24)
MAX_PAGE = 100

FULFILLED_BY = {AFN: "AMAZON", MFN: "MERCHANT"}


def money(amount: Any) -> dict:
    return {"amount": f"{amount:.2f}", "currencyCode": "USD"}


def order_json(order: Order, *, at: datetime, included: set[str]) -> dict:
    """One order as the v2026-01-01 model shapes it, with the datasets asked for."""
    status = order.status(at)
    cancelled = status == "CANCELLED"
    items = []
    for item in order.items:
        entry: dict[str, Any] = {
            "orderItemId": item.order_item_id,
            "quantityOrdered": item.quantity,
            "product": {
                "asin": item.product.asin,
                "title": item.product.title,
                "sellerSku": item.product.sku,
                "condition": {"conditionType": "New", "conditionSubtype": "New"},
                "price": {"unitPrice": money(item.product.price)},
            },
        }
        if "PROCEEDS" in included:
            entry["proceeds"] = {
                "proceedsTotal": money(item.product.price * item.quantity),
                "breakdowns": [{"type": "ITEM", "subtotal": money(item.product.price * item.quantity)}],
            }
        if "FULFILLMENT" in included:
            shipped = status == "SHIPPED"
            entry["fulfillment"] = {
                "quantityFulfilled": item.quantity if shipped else 0,
                "quantityUnfulfilled": 0 if shipped or cancelled else item.quantity,
                # One shipment per order here, so each item's promise is the order's.
                "shipping": {
                    "scheduledDeliveryWindow": {
                        "earliestDateTime": iso(order.earliest_delivery),
                        "latestDateTime": iso(order.latest_delivery),
                    }
                },
            }
        if "CANCELLATION" in included and cancelled:
            entry["cancellation"] = {
                "cancellationExecution": {"cancelledBy": order.cancelled_by, "cancelReason": "NO_INVENTORY"}
                if order.cancelled_by == "SELLER"
                else {"cancelledBy": "BUYER", "cancelReason": "BUYER_CANCELED"}
            }
        items.append(entry)
    body: dict[str, Any] = {
        "orderId": order.order_id,
        "createdTime": iso(order.created),
        "lastUpdatedTime": iso(order.last_updated(at)),
        "programs": list(order.programs),
        "salesChannel": {
            "channelName": "AMAZON",
            "marketplaceId": US_MARKETPLACE_ID,
            "marketplaceName": US_MARKETPLACE_NAME,
        },
        "orderItems": items,
    }
    if "BUYER" in included:
        body["buyer"] = {"buyerName": order.buyer_name, "buyerEmail": order.buyer_email}
    if "RECIPIENT" in included:
        a = order.address
        body["recipient"] = {
            "deliveryAddress": {
                "name": a.name,
                "addressLine1": a.line1,
                "city": a.city,
                "stateOrRegion": a.state,
                "postalCode": a.postal_code,
                "countryCode": a.country,
                "phone": a.phone,
                "addressType": "RESIDENTIAL",
            }
        }
    if "PROCEEDS" in included:
        body["proceeds"] = {"grandTotal": money(order.total)}
    if "FULFILLMENT" in included:
        body["fulfillment"] = {
            "fulfillmentStatus": status,
            "fulfilledBy": FULFILLED_BY[order.channel],
            "fulfillmentServiceLevel": order.service_level,
            "shipByWindow": {"latestDateTime": iso(order.latest_ship)},
            "deliverByWindow": {
                "earliestDateTime": iso(order.earliest_delivery),
                "latestDateTime": iso(order.latest_delivery),
            },
        }
    # The model: packages are "Only available for merchant-fulfilled (FBM) orders".
    if "PACKAGES" in included and order.package and order.shipped and order.shipped <= at:
        package = order.package
        body["packages"] = [
            {
                "packageReferenceId": package.reference_id,
                "createdTime": iso(order.shipped - timedelta(hours=1)),
                "packageStatus": {"status": "DELIVERED" if order.is_delivered(at) else "IN_TRANSIT"},
                "carrier": package.carrier,
                "shipTime": iso(order.shipped),
                "shippingService": package.shipping_service,
                "trackingNumber": package.tracking_number,
                "packageItems": [{"orderItemId": i.order_item_id, "quantity": i.quantity} for i in order.items],
            }
        ]
    return body


def _bound(params: dict, name: str) -> datetime | None:
    value = params.get(name)
    return parse_date_time(value) if value is not None else None


def _filters_digest(params: dict) -> str:
    # Every parameter but the ones Amazon lets a later page change.
    kept = {k: v for k, v in params.items() if k not in {"maxResultsPerPage", "includedData", "paginationToken"}}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _encode_token(snapshot: datetime, issued: datetime, key: tuple[str, str], digest: str) -> str:
    raw = json.dumps({"s": iso(snapshot), "i": iso(issued), "k": list(key), "d": digest})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_token(token: str) -> dict:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded))
        data["s"], data["i"] = parse_date_time(data["s"]), parse_date_time(data["i"])
        data["k"] = tuple(data["k"])
        return data
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "InvalidInput", "Invalid paginationToken.") from None


def search_orders(*, marketplace: Marketplace, params: dict, now: datetime) -> dict:
    created_after, created_before = _bound(params, "createdAfter"), _bound(params, "createdBefore")
    updated_after, updated_before = _bound(params, "lastUpdatedAfter"), _bound(params, "lastUpdatedBefore")
    by_created = created_after is not None
    if by_created == (updated_after is not None):
        raise ApiError(400, "InvalidInput", "Exactly one of createdAfter and lastUpdatedAfter must be provided.")
    if by_created and updated_before is not None:
        raise ApiError(400, "InvalidInput", "lastUpdatedBefore cannot be provided with createdAfter.")
    if not by_created and created_before is not None:
        raise ApiError(400, "InvalidInput", "createdBefore cannot be provided with lastUpdatedAfter.")
    page_size = params.get("maxResultsPerPage", MAX_PAGE)
    if not 1 <= page_size <= MAX_PAGE:
        raise ApiError(400, "InvalidInput", "maxResultsPerPage must be between 1 and 100.")

    token = params.get("paginationToken")
    digest = _filters_digest(params)
    if token:
        state = _decode_token(token)
        if state["d"] != digest:
            raise ApiError(400, "InvalidInput", "The paginationToken does not match the other parameters.")
        if now - state["i"] > TOKEN_LIFETIME:
            raise ApiError(400, "InvalidInput", "The paginationToken has expired.")
        snapshot, after_key = state["s"], state["k"]
    else:
        snapshot, after_key = now, None

    after = created_after if by_created else updated_after
    before = created_before if by_created else updated_before
    latest_allowed = now - BEFORE_MARGIN if not token else snapshot - BEFORE_MARGIN
    if before is not None:
        if before < after:
            raise ApiError(400, "InvalidInput", "The Before date must be equal to or after the After date.")
        if before > latest_allowed:
            raise ApiError(400, "InvalidInput", "The Before date must be at least two minutes before the request.")
    else:
        before = latest_allowed

    statuses = set(params.get("fulfillmentStatuses") or ())
    fulfilled_by = set(params.get("fulfilledBy") or ())
    marketplaces = set(params.get("marketplaceIds") or ())
    if marketplaces and marketplace.marketplace_id not in marketplaces:
        matching: list[tuple[tuple[str, str], Order]] = []
    else:
        matching = []
        for order in marketplace.visible(snapshot):
            moment = order.created if by_created else order.last_updated(snapshot)
            if not after <= moment <= before:
                continue
            if statuses and order.status(snapshot) not in statuses:
                continue
            if fulfilled_by and FULFILLED_BY[order.channel] not in fulfilled_by:
                continue
            matching.append(((iso(moment), order.order_id), order))
    matching.sort(key=lambda pair: pair[0])
    if after_key is not None:
        matching = [pair for pair in matching if pair[0] > after_key]
    page, rest = matching[:page_size], matching[page_size:]
    included = set(params.get("includedData") or ())
    body: dict[str, Any] = {"orders": [order_json(order, at=snapshot, included=included) for _, order in page]}
    if rest:
        body["pagination"] = {"nextToken": _encode_token(snapshot, state["i"] if token else now, page[-1][0], digest)}
    body["createdBefore" if by_created else "lastUpdatedBefore"] = iso(before)
    return body


def get_order(*, marketplace: Marketplace, params: dict, now: datetime) -> dict:
    order = marketplace.order(params["orderId"], now)
    if order is None:
        raise ApiError(404, "NotFound", f"Order {params['orderId']} was not found.")
    return {"order": order_json(order, at=now, included=set(params.get("includedData") or ()))}
