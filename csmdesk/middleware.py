"""Request-wide input limits, before any view, form or query sees the request (API, desk
and admin alike)."""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "Null characters are not allowed."


def nul_refused(get_response):
    """A NUL character in the path, a query parameter or a cookie is a 400. PostgreSQL
    refuses NUL in text, so such a value reaching a lookup (a path id, a filter, the admin's
    search, a session key) would otherwise be a 500; no legitimate client sends one."""

    def middleware(request: HttpRequest) -> HttpResponse:
        field = _nul_field(request)
        if field is None:
            return get_response(request)
        if request.path.startswith("/api/"):
            # The API's error shape: {"field": ["message"]}.
            return JsonResponse({field: [NUL_MESSAGE]}, status=400)
        return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")

    return middleware


def _nul_field(request: HttpRequest) -> str | None:
    if "\x00" in request.path:
        return "path"
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "") or "query"
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return "cookies"
    return None


def chunked_body_measured(get_response):
    """A body sent with ``Transfer-Encoding: chunked`` has no Content-Length, so Django
    reads it as empty (its stream is limited to CONTENT_LENGTH, 0): a 6 MB upload answered
    "field required" instead of 413. When the server has de-chunked the input and marks it
    terminated (gunicorn sets ``wsgi.input_terminated``), read at most the upload limit plus
    one byte from it and present that as an ordinary body of that length, so every size
    check (the API's 413, Django's own for forms) measures it like any other body."""

    def middleware(request: HttpRequest) -> HttpResponse:
        environ = getattr(request, "environ", {})
        if (
            environ.get("wsgi.input_terminated")
            and not environ.get("CONTENT_LENGTH")
            and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            body = environ["wsgi.input"].read(limit + 1) if limit is not None else environ["wsgi.input"].read()
            request._stream = LimitedStream(io.BytesIO(body), len(body))
            request.META["CONTENT_LENGTH"] = str(len(body))
        return get_response(request)

    return middleware
