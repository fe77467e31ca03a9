"""One exception handler for the whole API: domain refusals become their HTTP status
(409 workflow, 422 compliance, 413 size) and every error response rolls the request's
transaction back, so a rejected request writes nothing."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from rest_framework import status
from rest_framework.exceptions import APIException, AuthenticationFailed, NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tickets.models.tickets import InvalidTransition
from tickets.outbound.services import ComplianceRefused
from tickets.sla.clock import UnansweredMessages

from .throttling import failed_authentication_throttle

logger = logging.getLogger(__name__)


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the limit."
    default_code = "payload_too_large"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with the object's current state."
    default_code = "conflict"


def _rollback() -> None:
    # The API's views run inside transaction.atomic (see api.urls.atomic_patterns).
    if connection.in_atomic_block:
        transaction.set_rollback(True)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, (NotAuthenticated, AuthenticationFailed)):
        exc = failed_authentication_throttle(context["request"]) or exc
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, UnansweredMessages):
        _rollback()
        return Response(
            {
                "detail": str(exc),
                "code": "unanswered_messages",
                "unanswered_messages": exc.count,
                "sla_due_at": exc.due_at,
                "hint": 'Reply, send "no_response_needed": true, or repeat with "force": true.',
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, InvalidTransition):
        exc = Conflict(str(exc))
    elif isinstance(exc, IntegrityError):
        # Validation has passed, so a constraint can only fail because a concurrent request
        # wrote the same Amazon ids first: the client's replay will find them (idempotent).
        logger.info("Concurrent write conflict: %s", exc)
        exc = Conflict("A concurrent request wrote the same records; nothing was stored. Retry the request.")
    elif isinstance(exc, DjangoValidationError):
        response = Response(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages},
            status=status.HTTP_400_BAD_REQUEST,
        )
        _rollback()
        return response
    elif isinstance(exc, ComplianceRefused):
        # No rollback: the only write is the BlockedMessage that managers review, which
        # must survive the refusal (nothing was queued for the buyer).
        return Response(
            {"detail": "The compliance guard refused the message.", **exc.result.as_dict()},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    response = exception_handler(exc, context)
    if response is not None:
        _rollback()
        if isinstance(response.data, list):
            # A body that is not an object (``null``, a list) fails as a whole: keep the
            # documented shape, an object of field messages.
            response.data = {"non_field_errors": response.data}
    return response
