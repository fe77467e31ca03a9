"""A JSON parser that enforces the body-size limit.

Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only when ``request.body`` is read; DRF
parses from the stream and skips that check, so the limit is applied here."""

import io

from django.conf import settings
from rest_framework.parsers import JSONParser

from .exceptions import PayloadTooLarge


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if limit is not None and request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit:
                raise PayloadTooLarge()
        if stream is None:
            return super().parse(stream, media_type, parser_context)
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge()
        return super().parse(io.BytesIO(raw), media_type, parser_context)
