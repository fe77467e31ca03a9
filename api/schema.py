"""Shared OpenAPI pieces: the error bodies every endpoint documents."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ViolationOutSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class ComplianceRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    allowed = serializers.BooleanField()
    verdict = serializers.CharField()
    violations = ViolationOutSerializer(many=True)
    doubts = ViolationOutSerializer(many=True)


_DESCRIPTIONS = {
    400: 'Invalid input: `{"field": ["message"]}` (bulk: the index of the bad item).',
    401: "No credentials, or an unknown or revoked key.",
    403: "The key's scope does not allow this request (or CSRF failed for a session).",
    404: "Unknown id, or one outside the caller's seller accounts.",
    409: (
        "The change conflicts with the current state: a closed ticket, or (`code`: "
        "`unanswered_messages`) parking, solving or closing a ticket whose buyer messages are "
        'unanswered; repeat with `"force": true` to do it anyway.'
    ),
    413: "The request body is larger than the limit.",
    415: "The body is not JSON.",
    422: "The compliance guard refused the message; `violations` says why.",
    429: "Too many requests for this key; retry after `Retry-After` seconds.",
    503: "Amazon did not answer (an outage or the network); try again later.",
}


def errors(*codes: int) -> dict:
    """Responses for the given error codes, plus the ones every endpoint can answer."""
    responses = {}
    for code in sorted({401, 403, 429, *codes}):
        if code == 400:
            responses[code] = OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_DESCRIPTIONS[code],
                examples=[OpenApiExample("A field error", value={"purchased_at": ["This field is required."]})],
            )
        elif code == 422:
            responses[code] = OpenApiResponse(ComplianceRefusalSerializer, description=_DESCRIPTIONS[code])
        else:
            responses[code] = OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code])
    return responses


# Bodies on POST/PUT/PATCH can also be too large or not JSON.
# 409: a workflow refusal, or a concurrent request that wrote the same Amazon ids first.
WRITE_ERRORS = (400, 409, 413, 415)


_DETAIL_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_FIELD_ERRORS_SCHEMA = {"type": "object", "additionalProperties": {}}


def add_common_error_responses(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: every operation documents the errors any endpoint can answer
    (400 for a NUL character anywhere in the URL, 401, 403, 429; 404 with a path id or a
    cursor that is not one of ours; 413, 415 with a body), so apps that do not list them
    still publish a complete contract. Explicit documentation wins."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = [400, 401, 403, 429]
            parameters = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if "{" in path or "cursor" in parameters:
                codes.append(404)
            if "requestBody" in operation:
                codes += [413, 415]
            responses = operation.setdefault("responses", {})
            for code in codes:
                schema = _FIELD_ERRORS_SCHEMA if code == 400 else _DETAIL_SCHEMA
                responses.setdefault(
                    str(code),
                    {"description": _DESCRIPTIONS[code], "content": {"application/json": {"schema": schema}}},
                )
    return result
