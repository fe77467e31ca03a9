"""The bulk orders' lean validation path is a twin of OrderInSerializer: same data for the
orders it accepts, the serializer's own errors (at the whole list's indexes) for the rest."""

import pytest

from tests.api.payloads import order_payload, orders_payload
from tickets.api.serializers import OrderInSerializer, orders_in_validate

pytestmark = pytest.mark.django_db
DROP = object()


def _payload(account, **overrides) -> dict:
    return {k: v for k, v in order_payload(account, **overrides).items() if v is not DROP}


def _serializer(payload: list) -> list[dict]:
    serializer = OrderInSerializer(data=payload, many=True)
    assert serializer.is_valid(), serializer.errors
    return list(serializer.validated_data)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"buyer": DROP, "status": DROP, "latest_ship_date": DROP, "latest_delivery_date": DROP},
        {"buyer": None, "latest_ship_date": None},
        {"buyer": {"amazon_buyer_id": "AMZBUYER000123"}},
        {"buyer": {"amazon_buyer_id": " AMZBUYER000123 ", "name": "José Ñúñez", "email": ""}},
        {"purchased_at": "2026-11-20T14:03:00", "earliest_delivery_date": "2026-11-25T08:00:00+02:00"},
        {"order_total": {"amount": "5"}, "items": DROP},
        {"order_total": {"amount": 299.99, "currency": "USD"}},
        {"items": [{"asin": "B0ESPRESS1", "quantity": "2", "unit_price": {"amount": " 1.5 ", "currency": "USD"}}]},
        {"seller_account": "1", "amazon_order_id": " 113-4567890-1234567"},
    ],
)
def test_the_lean_path_accepts_what_the_serializer_accepts_with_the_same_data(account, overrides):
    payload = [_payload(account, **overrides)]
    assert orders_in_validate(payload) == (_serializer(payload), [])


@pytest.mark.parametrize(
    "overrides",
    [
        {"purchased_at": "yesterday"},
        {"buyer": {"amazon_buyer_id": "AMZBUYER000123", "email": "not-an-email"}},
        {"order_total": {"amount": "-1.00", "currency": "USD"}},
        {"items": [{"asin": "b0espress1", "quantity": 0, "unit_price": {"amount": "1.00", "currency": "EUR"}}]},
        {"status": "lost", "fulfillment_channel": None, "amazon_order_id": "not-an-order"},
    ],
)
def test_a_bad_order_gets_the_serializers_errors_at_its_index_in_the_list(account, overrides):
    bad = _payload(account, **{"amazon_order_id": "113-0000000-0000009", **overrides})
    payload = [*orders_payload(account, 2), bad]
    serializer = OrderInSerializer(data=payload, many=True)
    assert not serializer.is_valid()
    assert orders_in_validate(payload) == ([], [(2, serializer.errors[2])])
