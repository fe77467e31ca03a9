"""Reports API 2021-06-30: createReport, getReport, getReports, cancelReport, getReportDocument.

A report goes IN_QUEUE → IN_PROGRESS → DONE on the sandbox's clock (``report_seconds``
after its creation; tests move the clock), or CANCELLED when it has no data, as Amazon's
do. Its document is computed as of the report's ``createdTime`` (``documents.py``) and
served at a plain URL of the sandbox (Amazon's is a pre-signed S3 URL, fetched without the
access token). Documents larger than ``gzip_over`` bytes are served gzipped, with
``compressionAlgorithm: GZIP`` in getReportDocument's answer, as Amazon does for large reports.
"""

import gzip
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import documents, fba
from .errors import ApiError
from .marketplace import Marketplace, iso
from .spec import parse_date_time

SUPPORTED = {
    documents.ORDERS_BY_LAST_UPDATE,
    documents.ORDERS_BY_ORDER_DATE,
    documents.SELLER_FEEDBACK,
    documents.SELLER_PERFORMANCE,
    *fba.REPORT_TYPES,
}
# When the request names no range (the model: "The default is now"), the sandbox reports
# these many days back, enough for the 60-day ODR window.
DEFAULT_DAYS = {
    documents.ORDERS_BY_LAST_UPDATE: 30,
    documents.ORDERS_BY_ORDER_DATE: 30,
    documents.SELLER_FEEDBACK: 90,
    **dict.fromkeys(fba.REPORT_TYPES, 180),
}
QUEUE_SECONDS = 5


@dataclass
class Report:
    report_id: str
    selling_partner_id: str
    report_type: str
    marketplace_ids: list[str]
    created: datetime
    done_at: datetime
    data_start: datetime | None
    data_end: datetime | None
    document: documents.Document | None
    document_id: str | None
    cancelled_at: datetime | None = None

    def status(self, at: datetime) -> str:
        if self.cancelled_at is not None and self.cancelled_at <= at:
            return "CANCELLED"
        if at < self.created + timedelta(seconds=QUEUE_SECONDS) and at < self.done_at:
            return "IN_QUEUE"
        if at < self.done_at:
            return "IN_PROGRESS"
        return "DONE" if self.document is not None else "CANCELLED"

    def json(self, at: datetime) -> dict:
        status = self.status(at)
        body = {
            "reportId": self.report_id,
            "reportType": self.report_type,
            "marketplaceIds": self.marketplace_ids,
            "createdTime": iso(self.created),
            "processingStatus": status,
        }
        if self.data_start:
            body["dataStartTime"] = iso(self.data_start)
        if self.data_end:
            body["dataEndTime"] = iso(self.data_end)
        if status != "IN_QUEUE":
            body["processingStartTime"] = iso(self.created + timedelta(seconds=min(QUEUE_SECONDS, self._seconds())))
        if status in {"DONE", "CANCELLED"} and self.cancelled_at is None:
            body["processingEndTime"] = iso(self.done_at)
        if status == "DONE":
            body["reportDocumentId"] = self.document_id
        return body

    def _seconds(self) -> float:
        return (self.done_at - self.created).total_seconds()


@dataclass
class ReportStore:
    report_seconds: float = 30.0
    # Documents above this size are served gzipped (None: never).
    gzip_over: int | None = 1_000_000
    reports: dict[str, Report] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, *, marketplace: Marketplace, body: dict, now: datetime) -> dict:
        report_type = body["reportType"]
        if report_type not in SUPPORTED:
            raise ApiError(400, "InvalidInput", f"Report type {report_type} is not served by the sandbox.")
        if marketplace.marketplace_id not in body["marketplaceIds"]:
            raise ApiError(400, "InvalidInput", "The seller does not sell in the marketplaceIds given.")
        start = parse_date_time(body["dataStartTime"]) if "dataStartTime" in body else None
        end = parse_date_time(body["dataEndTime"]) if "dataEndTime" in body else None
        if (start and start > now) or (end and end > now):
            raise ApiError(400, "InvalidInput", "dataStartTime and dataEndTime must not be in the future.")
        if start and end and end < start:
            raise ApiError(400, "InvalidInput", "dataEndTime must be after dataStartTime.")
        if report_type in DEFAULT_DAYS:
            end = end or now
            start = start or end - timedelta(days=DEFAULT_DAYS[report_type])
        document = self._document(report_type, marketplace, now, start, end)
        report = Report(
            report_id=str(50000000000 + secrets.randbelow(10**10)),
            selling_partner_id=marketplace.selling_partner_id,
            report_type=report_type,
            marketplace_ids=list(body["marketplaceIds"]),
            created=now,
            done_at=now + timedelta(seconds=self.report_seconds),
            data_start=start,
            data_end=end,
            document=document,
            document_id=f"amzn1.spdoc.1.4.na.{uuid.uuid4()}" if document else None,
        )
        with self._lock:
            self.reports[report.report_id] = report
        return {"reportId": report.report_id}

    @staticmethod
    def _document(report_type, marketplace, now, start, end) -> documents.Document | None:
        if report_type == documents.SELLER_PERFORMANCE:
            return documents.performance(marketplace, at=now)
        if report_type in fba.REPORT_TYPES:
            content = fba.document(report_type, marketplace, at=now, start=start, end=end)
            return None if content is None else documents.Document(content, "text/tab-separated-values; charset=UTF-8")
        if report_type == documents.SELLER_FEEDBACK:
            return documents.seller_feedback(marketplace, at=now, start=start, end=end)
        return documents.orders_flat_file(marketplace, at=now, start=start, end=end, by=report_type)

    def _own(self, report_id: str, selling_partner_id: str) -> Report:
        report = self.reports.get(report_id)
        if report is None or report.selling_partner_id != selling_partner_id:
            raise ApiError(404, "NotFound", f"Report {report_id} was not found.")
        return report

    def get(self, *, report_id: str, selling_partner_id: str, now: datetime) -> dict:
        return self._own(report_id, selling_partner_id).json(now)

    def list(self, *, selling_partner_id: str, params: dict, now: datetime) -> dict:
        types = set(params.get("reportTypes") or ())
        if not types and "nextToken" not in params:
            raise ApiError(400, "InvalidInput", "reportTypes is required unless nextToken is given.")
        statuses = set(params.get("processingStatuses") or ())
        since = parse_date_time(params["createdSince"]) if "createdSince" in params else now - timedelta(days=90)
        until = parse_date_time(params["createdUntil"]) if "createdUntil" in params else now
        found = [
            r
            for r in sorted(self.reports.values(), key=lambda r: (r.created, r.report_id), reverse=True)
            if r.selling_partner_id == selling_partner_id
            and (not types or r.report_type in types)
            and (not statuses or r.status(now) in statuses)
            and since <= r.created <= until
        ]
        offset = int(params["nextToken"]) if str(params.get("nextToken", "")).isdigit() else 0
        size = params.get("pageSize", 10)
        body: dict = {"reports": [r.json(now) for r in found[offset : offset + size]]}
        if offset + size < len(found):
            body["nextToken"] = str(offset + size)
        return body

    def cancel(self, *, report_id: str, selling_partner_id: str, now: datetime) -> None:
        report = self._own(report_id, selling_partner_id)
        if report.status(now) != "IN_QUEUE":
            raise ApiError(400, "InvalidInput", "Only a report that is IN_QUEUE can be cancelled.")
        report.cancelled_at = now

    def document_info(self, *, document_id: str, selling_partner_id: str, now: datetime, base_url: str) -> dict:
        report = next(
            (r for r in self.reports.values() if r.document_id == document_id and r.status(now) == "DONE"), None
        )
        if report is None or report.selling_partner_id != selling_partner_id:
            raise ApiError(404, "NotFound", f"Report document {document_id} was not found.")
        info = {"reportDocumentId": document_id, "url": f"{base_url}/_sandbox/documents/{document_id}"}
        if self._gzipped(report.document):
            info["compressionAlgorithm"] = "GZIP"
        return info

    def _gzipped(self, document: documents.Document) -> bool:
        return self.gzip_over is not None and len(document.content) > self.gzip_over

    def document(self, document_id: str) -> documents.Document | None:
        """The document's bytes as served: gzipped when getReportDocument says GZIP."""
        report = next((r for r in self.reports.values() if r.document_id == document_id), None)
        if report is None or report.document is None:
            return None
        if self._gzipped(report.document):
            return documents.Document(gzip.compress(report.document.content, 5), "application/octet-stream")
        return report.document
