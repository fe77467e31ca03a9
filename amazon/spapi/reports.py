"""Amazon's Reports API (2021-06-30) for any report type: ask for a report, wait for it within
Amazon's rates, read its rows — with a persisted ``ReportRun`` so a worker that dies resumes.

The public interface (kept stable; the order backfill, seller feedback, account health and
the FBA reimbursements use it):

    report_id = request_report(connection, report_type, start=…, end=…, marketplace_ids=None)
    run = report_poll(connection, report_id)        # one getReport when due; never sleeps
    run = report_wait(connection, report_id)        # polls with back-off until Amazon is done
    run = report_ready(connection, report_id)       # one poll: the run, or ReportNotReady(retry_after)
    for row in report_rows(connection, report_id, skip=run.rows_done): …
    report_progress(connection, report_id, rows_done=n)   # the consumer's cursor, after a commit
    report_processed(connection, report_id)               # the consumer is finished with it

Rules:
- ``request_report`` is idempotent: while a run for the same account, type, range and
  marketplaces is not processed (and did not fail), its report id is returned and Amazon is
  not asked again. The row is written *before* ``createReport``, so a crash between the two
  costs at most one extra report at Amazon, never a lost one.
- Polling backs off 5 s, 10 s, 20 s … up to 2 minutes between ``getReport`` calls of one
  report (its usage plan allows 2 a second; a report takes minutes); ``next_poll_at`` is
  stored, so a Celery task can poll with ``report_poll`` and retry at that time.
- A CANCELLED report is Amazon's "no data": it has no rows. A FATAL one raises ``ReportFailed``.
- ``report_rows`` streams the document: gzip per ``compressionAlgorithm``, decoded
  incrementally; a flat file (tab-separated, one header line) gives one dict per line keyed by
  the header; a JSON document gives the document itself (an object) or each element (a list).
  Sizes are bounded: ``SPAPI_REPORT_MAX_BYTES`` decompressed, ``SPAPI_REPORT_MAX_LINE_BYTES``
  per flat-file line, ``SPAPI_REPORT_JSON_MAX_BYTES`` for a JSON document.
"""

import codecs
import json
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.utils import timezone

from .client import SpApiClient, SpApiError, Throttled, Unavailable
from .models import ReportRun, SpApiConnection

POLL_FIRST = timedelta(seconds=5)
POLL_MAX = timedelta(minutes=2)
CHUNK_BYTES = 64 * 1024

__all__ = [
    "ReportFailed",
    "ReportNotReady",
    "ReportRun",
    "report_poll",
    "report_processed",
    "report_progress",
    "report_ready",
    "report_rows",
    "report_run",
    "report_runs_open",
    "report_wait",
    "request_report",
]


class ReportFailed(SpApiError):
    """Amazon could not produce the report (FATAL), or its document broke a bound."""


class ReportNotReady(Exception):
    """The report is still being processed; ask again after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def spapi_client(connection: SpApiConnection) -> SpApiClient:
    """The connection's client (within its seller's usage plans), kept on the instance so its
    access token is reused."""
    client = getattr(connection, "_spapi_client", None)
    if client is None:
        client = SpApiClient(
            endpoint=connection.endpoint,
            refresh_token=connection.refresh_token(),
            selling_partner_id=connection.selling_partner_id,
        )
        connection._spapi_client = client
    return client


def report_run(connection: SpApiConnection, report_id: str) -> ReportRun:
    """The run of this report — of this connection only (ids come from outside)."""
    try:
        return ReportRun.objects.get(connection=connection, report_id=report_id)
    except ReportRun.DoesNotExist:
        raise ReportFailed(f"No report {report_id} was requested for this account.") from None


def request_report(
    connection: SpApiConnection,
    report_type: str,
    *,
    start: datetime | None,
    end: datetime | None,
    marketplace_ids: list[str] | None = None,
) -> str:
    """Amazon's report id for this report: the open run's, or a new ``createReport``."""
    marketplaces = sorted(marketplace_ids or connection.marketplace_ids)
    open_runs = ReportRun.objects.filter(
        connection=connection, report_type=report_type, data_start=start, data_end=end, processed_at__isnull=True
    ).exclude(status=ReportRun.Status.FATAL)
    run = next((r for r in open_runs.order_by("pk") if sorted(r.marketplace_ids) == marketplaces), None)
    if run is None:
        run = ReportRun.objects.create(
            connection=connection,
            report_type=report_type,
            marketplace_ids=marketplaces,
            data_start=start,
            data_end=end,
            requested_at=timezone.now(),
        )
    if run.report_id:
        return run.report_id
    report_id = spapi_client(connection).create_report(
        report_type=report_type, marketplace_ids=marketplaces, start=start, end=end
    )
    now = timezone.now()
    # Conditional: if another worker stored its id first, theirs is the report.
    ReportRun.objects.filter(pk=run.pk, report_id="").update(
        report_id=report_id, status=ReportRun.Status.IN_QUEUE, requested_at=now, next_poll_at=now + POLL_FIRST
    )
    return ReportRun.objects.values_list("report_id", flat=True).get(pk=run.pk)


def _next_poll(now: datetime, polls: int) -> datetime:
    return now + min(POLL_MAX, POLL_FIRST * (2 ** min(polls, 10)))


def report_poll(connection: SpApiConnection, report_id: str) -> ReportRun:
    """One ``getReport`` if the run is due for it; the run as it stands."""
    run = report_run(connection, report_id)
    now = timezone.now()
    if run.finished or (run.next_poll_at is not None and now < run.next_poll_at):
        return run
    body = spapi_client(connection).get_report(report_id=report_id)
    status = body.get("processingStatus") or run.status
    run.status = status if status in ReportRun.Status.values else ReportRun.Status.FATAL
    run.document_id = body.get("reportDocumentId") or run.document_id
    run.polls += 1
    run.next_poll_at = None if run.finished else _next_poll(now, run.polls)
    if run.status == ReportRun.Status.FATAL:
        run.error = f"Amazon could not produce the report ({status})."
    run.save(update_fields=["status", "document_id", "polls", "next_poll_at", "error"])
    return run


def report_wait(
    connection: SpApiConnection,
    report_id: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float | None = None,
) -> ReportRun:
    """Poll until Amazon is done with the report (DONE, CANCELLED or FATAL), backing off
    between polls and after a 429. ``ReportNotReady`` once ``timeout`` seconds (default
    ``SPAPI_REPORT_WAIT_SECONDS``) would pass: a task retries later rather than hold a worker."""
    limit = float(settings.SPAPI_REPORT_WAIT_SECONDS if timeout is None else timeout)
    started = timezone.now()
    while True:
        try:
            run = report_poll(connection, report_id)
        except Throttled as exc:
            run, wait = None, exc.retry_after
        else:
            if run.finished:
                return run
            wait = max(0.0, (run.next_poll_at - timezone.now()).total_seconds()) if run.next_poll_at else 0.0
        waited = (timezone.now() - started).total_seconds()
        if waited + wait > limit:
            raise ReportNotReady(f"Report {report_id} is not ready yet.", retry_after=wait)
        sleep(wait)


def report_ready(connection: SpApiConnection, report_id: str) -> ReportRun:
    """One poll (when due), never a sleep: the run once Amazon is done with it (DONE or
    CANCELLED); ``ReportNotReady`` with the time of the next poll while it is not;
    ``ReportFailed`` if Amazon failed (the run is closed, so the next request asks anew)."""
    run = report_poll(connection, report_id)
    if not run.finished:
        wait = (run.next_poll_at - timezone.now()).total_seconds() if run.next_poll_at else POLL_FIRST.total_seconds()
        raise ReportNotReady(f"Amazon is preparing report {report_id}.", retry_after=max(1.0, wait))
    if run.status == ReportRun.Status.FATAL:
        report_processed(connection, report_id)
        raise ReportFailed(run.error or f"Amazon could not make report {report_id}.")
    return run


def report_progress(connection: SpApiConnection, report_id: str, *, rows_done: int) -> None:
    """Store the consumer's cursor (call it in the transaction that stored those rows)."""
    ReportRun.objects.filter(connection=connection, report_id=report_id).update(rows_done=rows_done)


def report_processed(connection: SpApiConnection, report_id: str) -> None:
    """The consumer has every row: the next ``request_report`` of the same range asks anew."""
    ReportRun.objects.filter(connection=connection, report_id=report_id, processed_at__isnull=True).update(
        processed_at=timezone.now()
    )


def report_rows(connection: SpApiConnection, report_id: str, *, skip: int = 0) -> Iterator[dict]:
    """The report's rows, streamed, after the first ``skip`` (a resumed consumer's cursor)."""
    run = report_run(connection, report_id)
    if run.status == ReportRun.Status.CANCELLED:
        return
    if run.status == ReportRun.Status.FATAL:
        raise ReportFailed(run.error or f"Report {report_id} failed at Amazon.")
    if run.status != ReportRun.Status.DONE or not run.document_id:
        raise ReportNotReady(f"Report {report_id} is not done yet.", retry_after=POLL_FIRST.total_seconds())
    document = spapi_client(connection).get_report_document(document_id=run.document_id)
    text = _document_text(document["url"], gzipped=document.get("compressionAlgorithm") == "GZIP")
    first = next(text, "")
    head = first.lstrip("\ufeff \r\n\t")[:1]
    chunks = _chain(first, text)
    rows = _json_rows(chunks) if head in ("{", "[") else _flat_file_rows(chunks)
    for index, row in enumerate(rows):
        if index >= skip:
            yield row


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _document_text(url: str, *, gzipped: bool) -> Iterator[str]:
    """The document's text, chunk by chunk: downloaded (the pre-signed URL takes no token),
    gunzipped and decoded incrementally, never more than SPAPI_REPORT_MAX_BYTES."""
    limit = int(settings.SPAPI_REPORT_MAX_BYTES)
    timeout = float(settings.SPAPI_TIMEOUT_SECONDS)
    try:
        response = requests.get(url, stream=True, timeout=(timeout, timeout))
    except requests.RequestException as exc:
        raise Unavailable(f"The report document did not download: {exc.__class__.__name__}") from None
    with response:
        if response.status_code != 200:
            raise Unavailable(f"The report document did not download: HTTP {response.status_code}", status=502)
        charset = response.encoding if "charset" in response.headers.get("Content-Type", "") else "utf-8"
        try:
            decoder = codecs.getincrementaldecoder(charset or "utf-8")(errors="replace")
        except LookupError:
            decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        inflater = zlib.decompressobj(wbits=31) if gzipped else None
        size = 0
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                while chunk:
                    if inflater is not None:
                        # Bounded output per call: a gzip bomb never inflates past the limit in memory.
                        data = inflater.decompress(chunk, CHUNK_BYTES)
                        chunk = inflater.unconsumed_tail
                    else:
                        data, chunk = chunk, b""
                    size += len(data)
                    if size > limit:
                        raise ReportFailed(f"The report document is larger than {limit} bytes.")
                    yield decoder.decode(data)
        except (requests.RequestException, zlib.error) as exc:
            raise Unavailable(f"The report document broke off: {exc.__class__.__name__}") from None
        yield decoder.decode(b"", final=True)


def _lines(chunks: Iterator[str]) -> Iterator[str]:
    limit = int(settings.SPAPI_REPORT_MAX_LINE_BYTES)
    pending = ""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split("\n")
        yield from complete
        if len(pending) > limit:
            raise ReportFailed(f"A line of the report is longer than {limit} characters.")
    if pending:
        yield pending


def _flat_file_rows(chunks: Iterator[str]) -> Iterator[dict]:
    """Amazon's flat files: tab-separated, the first line names the columns, no quoting."""
    header: list[str] | None = None
    for line in _lines(chunks):
        line = line.rstrip("\r")
        if header is None:
            header = [name.strip() for name in line.lstrip("\ufeff").split("\t")]
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        yield {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}


def _json_rows(chunks: Iterator[str]) -> Iterator[dict]:
    limit = int(settings.SPAPI_REPORT_JSON_MAX_BYTES)
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise ReportFailed(f"The JSON report is larger than {limit} characters.")
        parts.append(chunk)
    try:
        document = json.loads("".join(parts))
    except ValueError as exc:
        raise ReportFailed(f"The JSON report does not parse: {exc}") from None
    if isinstance(document, list):
        yield from (row for row in document if isinstance(row, dict))
    elif isinstance(document, dict):
        yield document


def report_runs_open(connection: SpApiConnection, report_type: str) -> list[ReportRun]:
    """Runs of this type not processed yet (a resumed worker's to-do), oldest first."""
    return list(
        ReportRun.objects.filter(connection=connection, report_type=report_type, processed_at__isnull=True)
        .exclude(status=ReportRun.Status.FATAL)
        .order_by("pk")
    )
