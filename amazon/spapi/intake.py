"""Amazon's orders into the desk: the REST API's validation, then the one order intake
(``tickets.intake.orders.orders_upsert``). The incremental sync and the backfill both come
through here, so an order is the same row whichever brought it."""

import logging

from tickets.api.serializers import orders_in_validate
from tickets.intake.orders import StoredOrder, orders_stored, orders_upsert

log = logging.getLogger(__name__)


def orders_take(
    *, account_id: int, payload: list[dict], stored: dict[tuple[int, str], StoredOrder], skipped: list[str]
) -> tuple[set[str], int]:
    """Store the payload's orders (all of ``account_id``); an order the desk cannot take is
    added to ``skipped`` and does not hold back the others. Returns (the Amazon order ids
    stored, how many were created or changed)."""
    valid, bad = orders_in_validate(payload)
    if bad:
        bad_indexes = {index for index, _errors in bad}
        messages = [f"{payload[i]['amazon_order_id']}: {errors}" for i, errors in bad]
        skipped += messages
        log.warning("SP-API orders skipped for account %s: %s", account_id, messages)
        payload = [p for i, p in enumerate(payload) if i not in bad_indexes]
        valid, _ = orders_in_validate(payload)
    if not valid:
        return set(), 0
    orders_upsert(orders=valid, stored=stored)
    after = orders_stored(keys=[(account_id, o["amazon_order_id"]) for o in valid])
    written = sum(1 for key, row in after.items() if stored.get(key) != row)
    return {key[1] for key in after}, written
