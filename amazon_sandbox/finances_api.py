"""Finances API v0 ``listFinancialEvents``: the marketplace's FBA refunds as refund events
(``RefundEventList`` of ``ShipmentEvent``), posted in ``[PostedAfter, PostedBefore)``, as of
the sandbox's clock. Amazon's rules from the model: both dates more than two minutes before
the request (PostedBefore defaults to then); more than 180 days apart gives an empty answer;
``NextToken`` pages of ``MaxResultsPerPage`` (1–100, default 100) events."""

from datetime import datetime, timedelta

from . import fba
from .errors import ApiError
from .marketplace import Marketplace, iso
from .spec import parse_date_time

MARGIN = timedelta(minutes=2)
MAX_SPAN = timedelta(days=180)


def _event(refund: fba.Refund, order_total: str) -> dict:
    principal = -(refund.product.price * refund.quantity)
    return {
        "AmazonOrderId": refund.order_id,
        "SellerOrderId": refund.order_id,
        "MarketplaceName": "Amazon.com",
        "PostedDate": iso(refund.posted),
        "ShipmentItemAdjustmentList": [
            {
                "SellerSKU": refund.product.sku,
                "OrderAdjustmentItemId": refund.adjustment_item_id,
                "QuantityShipped": refund.quantity,
                "ItemChargeAdjustmentList": [
                    {
                        "ChargeType": "Principal",
                        "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": float(principal)},
                    }
                ],
            }
        ],
    }


def list_financial_events(*, marketplace: Marketplace, params: dict, now: datetime) -> dict:
    latest = now - MARGIN
    after = params.get("PostedAfter")
    before = params.get("PostedBefore")
    after = parse_date_time(after) if isinstance(after, str) else after
    before = parse_date_time(before) if isinstance(before, str) else before
    if before is not None and after is None:
        raise ApiError(400, "InvalidInput", "PostedBefore needs PostedAfter.")
    if after is None:
        raise ApiError(400, "InvalidInput", "PostedAfter is required by this sandbox.")
    before = before or latest
    if after > latest or before > latest:
        raise ApiError(400, "InvalidInput", "Dates must be more than two minutes before the request.")
    if before <= after:
        raise ApiError(400, "InvalidInput", "PostedBefore must be later than PostedAfter.")
    size = int(params.get("MaxResultsPerPage") or 100)
    if not 1 <= size <= 100:
        raise ApiError(400, "InvalidInput", "MaxResultsPerPage is 1 to 100.")
    refunds = (
        [] if before - after > MAX_SPAN else [r for r in fba.history(marketplace).refunds if after <= r.posted < before]
    )
    refunds.sort(key=lambda r: (r.posted, r.adjustment_item_id))
    offset = 0
    token = params.get("NextToken")
    if token:
        try:
            offset = int(token)
        except ValueError:
            raise ApiError(400, "InvalidInput", "Unknown NextToken.") from None
    page = refunds[offset : offset + size]
    payload: dict = {"FinancialEvents": {"RefundEventList": [_event(r, "") for r in page]}}
    if offset + size < len(refunds):
        payload["NextToken"] = str(offset + size)
    return {"payload": payload}
