"""Keyset ("cursor") pagination: each page costs the same however deep it is, and no
page needs a COUNT over the table."""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.db.models import F, Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


class IdCursorPagination(CursorPagination):
    """Newest first by id: unique, so no ties to skip over."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class SlaCursorPagination(BasePagination):
    """Tickets by SLA due time (soonest first, tickets without a clock last), then id.

    DRF's CursorPagination keys on one field and caps ties at 1,000 rows (offset), which a
    nullable due time breaks at scale; this keys on the pair (sla_due_at, id). Forward only.
    """

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        size = self._page_size(request)
        position = self._decode(request.query_params.get(self.cursor_query_param))
        queryset = queryset.order_by(F("sla_due_at").asc(nulls_last=True), "id")
        if position is not None:
            due, last_id = position
            if due is None:
                queryset = queryset.filter(sla_due_at__isnull=True, id__gt=last_id)
            else:
                queryset = queryset.filter(
                    Q(sla_due_at__gt=due) | Q(sla_due_at=due, id__gt=last_id) | Q(sla_due_at__isnull=True)
                )
        rows = list(queryset[: size + 1])
        self.has_next = len(rows) > size
        self.page = rows[:size]
        return self.page

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self._next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "string"},
                "description": "The `next` link's cursor.",
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def _page_size(self, request) -> int:
        try:
            return max(1, min(int(request.query_params.get("page_size", self.page_size)), self.max_page_size))
        except ValueError:
            return self.page_size

    def _next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.page[-1]
        token = json.dumps([last.sla_due_at.isoformat() if last.sla_due_at else None, last.pk])
        cursor = base64.urlsafe_b64encode(token.encode()).decode()
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def _decode(self, cursor: str | None):
        if not cursor:
            return None
        try:
            due, last_id = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
            if due:
                due = datetime.fromisoformat(due)
                # A forged cursor may carry an offset PostgreSQL refuses: compare in UTC.
                due = due.replace(tzinfo=UTC) if due.tzinfo is None else due.astimezone(UTC)
            return due or None, int(last_id)
        except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error, UnicodeError):
            raise NotFound("Invalid cursor.") from None
