"""The SP-API channel's writes: connecting a seller account (Amazon's website authorization
workflow) and the incremental orders sync, which stores Amazon's orders only through the
order intake (``orders_upsert``, ``order_event_record``) like every other channel."""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tickets.audit import audit_record
from tickets.intake.orders import order_event_record, orders_stored
from tickets.models import Order, OrderEvent, SellerAccount

from ..secrets import SecretUnreadable
from .backfill import orders_backfill
from .client import (
    AuthorizationRefused,
    AuthorizationRevoked,
    SpApiError,
    Throttled,
    consent_url,
    lwa_exchange_code,
)
from .deliveries import fba_deliveries_estimate
from .feedback import feedback_sync
from .health import account_health_sync
from .intake import orders_take
from .models import SpApiAuthorization, SpApiConnection, state_digest
from .orders import INCLUDED_DATA, last_updated, order_payload, package_events
from .reports import ReportNotReady, spapi_client

log = logging.getLogger(__name__)

ACTOR = "spapi-sync"
# A sync holds its claim at most this long; a worker that died frees the account after it.
CLAIM_LEASE = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=1)


class ConnectRefused(Exception):
    """The consent cannot complete; the message says why, for the manager."""


# --- Connecting ---------------------------------------------------------------------------


def spapi_authorization_start(*, seller_account: SellerAccount, user: AbstractBaseUser, redirect_uri: str) -> str:
    """A one-time ``state`` for this manager and account (kept as its digest, valid
    ``SPAPI_STATE_MINUTES``), and the consent URL that carries it."""
    state = secrets.token_urlsafe(32)
    now = timezone.now()
    SpApiAuthorization.objects.create(
        seller_account=seller_account,
        state_sha256=state_digest(state),
        started_by=user,
        redirect_uri=redirect_uri,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.SPAPI_STATE_MINUTES),
    )
    return consent_url(state=state, redirect_uri=redirect_uri)


@transaction.atomic
def spapi_authorization_complete(
    *, state: str, code: str, selling_partner_id: str, user: AbstractBaseUser
) -> SpApiConnection:
    """Amazon sent the seller back: check the ``state`` (ours, unused, unexpired, started by
    this manager), exchange the code at LWA for the refresh token, store it encrypted.

    The state is spent whatever happens next (one attempt per consent). A selling partner
    other than the account's merchant id is refused: the seller signed in to another account
    in Seller Central, and its orders would land in this one."""
    now = timezone.now()
    authorization = (
        SpApiAuthorization.objects.select_for_update()
        .select_related("seller_account")
        .filter(state_sha256=state_digest(state or ""))
        .first()
    )
    if authorization is None or authorization.started_by_id != user.pk:
        raise ConnectRefused("This authorization was not started here (unknown state). Start again.")
    if not authorization.usable(now=now):
        raise ConnectRefused("This authorization has expired or was already used. Start again.")
    authorization.used_at = now
    authorization.save(update_fields=["used_at"])
    account = authorization.seller_account
    if not code or not selling_partner_id:
        raise ConnectRefused("Amazon did not send an authorization code back: the seller did not confirm.")
    if account.merchant_id and account.merchant_id != selling_partner_id:
        raise ConnectRefused(
            f"Amazon authorised seller {selling_partner_id}, but {account.name} is seller {account.merchant_id}. "
            "Sign in to Seller Central as this seller account and start again."
        )
    try:
        refresh_token = lwa_exchange_code(code=code, redirect_uri=authorization.redirect_uri)
    except SpApiError as exc:
        raise ConnectRefused(f"Amazon refused the authorization code: {exc.message}") from None

    connection = SpApiConnection.objects.filter(seller_account=account).first() or SpApiConnection(
        seller_account=account
    )
    if connection.pk and connection.selling_partner_id != selling_partner_id:
        connection.orders_updated_after = None  # another seller's history: start over
    connection.selling_partner_id = selling_partner_id
    connection.region = account.region
    connection.endpoint = settings.SPAPI_ENDPOINTS[account.region]
    connection.marketplace_ids = [account.marketplace_id]
    connection.refresh_token_set(refresh_token)
    connection.status = SpApiConnection.Status.CONNECTED
    connection.connected_at, connection.connected_by = now, user
    connection.last_error, connection.last_error_at, connection.backoff_until = "", None, None
    connection.save()
    # That it was connected and by whom, never the token (not even encrypted).
    audit_record(
        subject=connection,
        action="spapi.connected",
        actor=user,
        changes={"selling_partner_id": selling_partner_id, "marketplace_ids": connection.marketplace_ids},
    )
    return connection


# --- The orders sync ------------------------------------------------------------------------


@dataclass
class SyncResult:
    claimed: bool
    pages: int = 0
    orders_written: int = 0
    events_recorded: int = 0
    deliveries_estimated: int = 0  # FBA orders past Amazon's promise, marked delivered
    complete: bool = False
    retry_after: float | None = None  # throttled or a report in the making: try again after this
    backfilled: bool = False  # this run stored the order history
    feedback_recorded: int = 0
    feedback_removed: int = 0
    health_channels: int = 0
    reports_waiting: list[str] = field(default_factory=list)  # daily reports Amazon is still making
    error: str = ""
    skipped: list[str] = field(default_factory=list)


def connection_claim(*, connection_id: int, now: datetime) -> bool:
    """Take the account's sync (a conditional UPDATE: one worker at a time, none while it
    backs off, none once revoked or stopped)."""
    return bool(
        SpApiConnection.objects.filter(pk=connection_id, status=SpApiConnection.Status.CONNECTED)
        .filter(Q(sync_started_at__isnull=True) | Q(sync_started_at__lt=now - CLAIM_LEASE))
        .filter(Q(backoff_until__isnull=True) | Q(backoff_until__lte=now))
        .update(sync_started_at=now)
    )


def connection_sync(*, connection_id: int) -> SyncResult:
    """Bring one seller account's orders up to date with Amazon: first its order history from
    the All Orders report (``backfill.orders_backfill``, once), then Orders v2026-01-01
    searchOrders.

    Searches ``lastUpdatedAfter`` = the high-water mark minus ``SPAPI_SYNC_OVERLAP_MINUTES``
    (a new connection: ``SPAPI_SYNC_INITIAL_DAYS`` back), page by page, and stores each page
    through the order intake before the mark moves: to the page's latest ``lastUpdatedTime``
    under way (pages come in that order), to the search's ``lastUpdatedBefore`` once the last
    page is stored. A 429 keeps the mark of the stored pages and backs off for the usage
    plan's wait; a revoked authorization stops the account (``revoked``) until a manager
    connects it again. Orders equal to the stored ones and events already recorded write
    nothing, so the overlap and any re-run are free of side effects.
    """
    now = timezone.now()
    if not connection_claim(connection_id=connection_id, now=now):
        return SyncResult(claimed=False)
    connection = SpApiConnection.objects.select_related("seller_account").get(pk=connection_id)
    result = SyncResult(claimed=True)
    try:
        if connection.backfilled_at is None:
            result.orders_written += orders_backfill(connection, now=now, skipped=result.skipped)
            result.backfilled = True
        try:
            _sync_pages(connection, result, now=now)
        except Throttled as exc:
            # The daily reports use other buckets: a throttled search does not hold them back.
            _daily_reports(connection, result, now=now)
            raise exc from None
        # After the orders are current: an order Amazon cancelled meanwhile is not estimated.
        result.deliveries_estimated = fba_deliveries_estimate(
            seller_account_id=connection.seller_account_id, now=now, actor=ACTOR
        )
        _daily_reports(connection, result, now=now)
    except ReportNotReady as exc:
        # Not an error: Amazon takes minutes to make the order history report.
        result.retry_after = exc.retry_after
        _settle(connection, now=now, backoff=timedelta(seconds=exc.retry_after))
    except Throttled as exc:
        result.retry_after = exc.retry_after
        _settle(
            connection,
            now=now,
            error=(
                f"Within the seller's usage plan: waiting {exc.retry_after:.0f} s ({exc.message})"
                if exc.by_desk
                else f"Amazon's rate limit (429): waiting {exc.retry_after:.0f} s."
            ),
            backoff=timedelta(seconds=exc.retry_after),
        )
    except AuthorizationRevoked as exc:
        _stop(
            connection,
            now=now,
            status=SpApiConnection.Status.REVOKED,
            error=(
                "Amazon refused the authorization: the seller removed CSM Desk in Seller Central "
                f"(Manage Your Apps). Connect the account again to resume. ({exc.message})"
            ),
        )
    except AuthorizationRefused as exc:
        _stop(
            connection,
            now=now,
            status=SpApiConnection.Status.ERROR,
            error=f"Amazon refused the app's access: {exc.message}. Check the app's credentials and roles, "
            "then connect the account again.",
        )
    except SecretUnreadable as exc:
        _stop(connection, now=now, status=SpApiConnection.Status.ERROR, error=f"{exc} Connect the account again.")
    except SpApiError as exc:
        _settle(
            connection,
            now=now,
            error=f"Amazon: {exc.message}",
            backoff=min(MAX_BACKOFF, timedelta(minutes=settings.SPAPI_SYNC_MINUTES)),
        )
    else:
        error = "; ".join(result.skipped[:5])
        _settle(connection, now=now, error=f"Orders not stored: {error}" if error else "", success=True)
    if result.error == "" and connection.last_error:
        result.error = connection.last_error
    return result


def _sync_pages(connection: SpApiConnection, result: SyncResult, *, now: datetime) -> None:
    client = spapi_client(connection)
    mark = connection.orders_updated_after or now - timedelta(days=settings.SPAPI_SYNC_INITIAL_DAYS)
    after = mark - timedelta(minutes=settings.SPAPI_SYNC_OVERLAP_MINUTES)
    token, ascending, page_max = None, True, None
    for _ in range(settings.SPAPI_SYNC_MAX_PAGES):
        body = client.search_orders(
            last_updated_after=after,
            marketplace_ids=connection.marketplace_ids,
            page_size=settings.SPAPI_SYNC_PAGE_SIZE,
            pagination_token=token,
            included_data=INCLUDED_DATA,
        )
        orders = body.get("orders") or []
        times = [t for t in (last_updated(o) for o in orders) if t is not None]
        if times and page_max is not None and min(times) < page_max:
            ascending = False  # the mark may move only at the end of the walk
        page_max = max([page_max, *times], key=lambda t: t or datetime.min.replace(tzinfo=now.tzinfo))
        token = (body.get("pagination") or {}).get("nextToken")
        with transaction.atomic():
            written, recorded = _store_page(connection, orders, result)
            if token is None:
                new_mark = last_updated({"lastUpdatedTime": body.get("lastUpdatedBefore")}) or page_max
            else:
                new_mark = page_max if ascending else None
            _advance(connection, mark=new_mark, written=written)
        result.pages += 1
        result.orders_written += written
        result.events_recorded += recorded
        if token is None:
            result.complete = True
            return


def _daily_reports(connection: SpApiConnection, result: SyncResult, *, now: datetime) -> None:
    """Once a day (UTC), after the orders: seller feedback, then Amazon's account health. A
    report Amazon is still making is polled again by the next sync (its ``next_poll_at`` keeps
    the calls within the usage plan)."""
    if connection.feedback_synced_on != now.date():
        try:
            feedback = feedback_sync(connection, now=now)
        except ReportNotReady:
            result.reports_waiting.append("seller feedback")
        else:
            result.feedback_recorded, result.feedback_removed = feedback.recorded, feedback.removed
    # After the feedback: Amazon's figure is compared with the desk's as of the same data.
    if connection.health_synced_on != now.date():
        try:
            result.health_channels = account_health_sync(connection, now=now)
        except ReportNotReady:
            result.reports_waiting.append("account health")


def _advance(connection: SpApiConnection, *, mark: datetime | None, written: int) -> None:
    """Move the high-water mark forward (never back) and count the orders, after a page is stored."""
    if mark is not None and (connection.orders_updated_after is None or mark > connection.orders_updated_after):
        connection.orders_updated_after = mark
    SpApiConnection.objects.filter(pk=connection.pk).update(
        orders_updated_after=connection.orders_updated_after, orders_synced=F("orders_synced") + written
    )


def _store_page(connection: SpApiConnection, orders: list[dict], result: SyncResult) -> tuple[int, int]:
    """One page of Amazon orders through the order intake, into this connection's seller
    account only (the REST API's validation first); its package events after. Returns
    (orders created or changed, events recorded)."""
    account_id = connection.seller_account_id
    stored = orders_stored(keys=[(account_id, o["orderId"]) for o in orders])
    payload = [
        order_payload(
            o,
            seller_account_id=account_id,
            stored_status=getattr(stored.get((account_id, o["orderId"])), "status", None),
        )
        for o in orders
    ]
    taken, written = orders_take(account_id=account_id, payload=payload, stored=stored, skipped=result.skipped)
    return written, _record_events(account_id, [o for o in orders if o["orderId"] in taken])


def _record_events(account_id: int, orders: list[dict]) -> int:
    events = [event for o in orders for event in package_events(o)]
    if not events:
        return 0
    rows = {
        o.amazon_order_id: o
        for o in Order.objects.select_related("seller_account").filter(
            seller_account_id=account_id, amazon_order_id__in={e.amazon_order_id for e in events}
        )
    }
    known = set(
        OrderEvent.objects.filter(order__in=rows.values(), event_id__in={e.event_id for e in events}).values_list(
            "order__amazon_order_id", "event_id"
        )
    )
    recorded = 0
    for event in events:
        order = rows.get(event.amazon_order_id)
        if order is None or (event.amazon_order_id, event.event_id) in known:
            continue
        if event.type == OrderEvent.Type.DELIVERED and order.status == Order.Status.CANCELLED:
            continue
        _, created = order_event_record(
            order=order,
            type=event.type,
            occurred_at=event.occurred_at,
            event_id=event.event_id,
            carrier=event.carrier,
            tracking_number=event.tracking_number,
            source="sync",
            actor=ACTOR,
        )
        recorded += created
    return recorded


def _settle(
    connection: SpApiConnection, *, now: datetime, error: str = "", backoff: timedelta | None = None, success=False
) -> None:
    values = {"sync_started_at": None, "last_sync_at": now, "backoff_until": now + backoff if backoff else None}
    if success:
        values["last_success_at"] = now
    values["last_error"] = error
    values["last_error_at"] = now if error else connection.last_error_at
    SpApiConnection.objects.filter(pk=connection.pk).update(**values)
    for name, value in values.items():
        setattr(connection, name, value)


def _stop(connection: SpApiConnection, *, now: datetime, status: str, error: str) -> None:
    """The account stops syncing until a manager connects it again (no retries against a refusal)."""
    SpApiConnection.objects.filter(pk=connection.pk).update(
        status=status, sync_started_at=None, last_sync_at=now, last_error=error, last_error_at=now
    )
    connection.status, connection.last_error = status, error
    audit_record(subject=connection, action=f"spapi.{status}", actor=ACTOR, changes={"error": error})
    log.warning("SP-API sync of %s stopped: %s", connection.seller_account, error)
