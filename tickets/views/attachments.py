"""A message's file, served only to people who may see its ticket (the permission gate)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ..access import attachments_visible_to
from ..attachments import attachment_disposition
from ..models import Attachment


def attachment_response(attachment: Attachment) -> HttpResponse:
    """The file with its own type, inline for images and as a download otherwise; the
    browser may not guess another type (nosniff), run anything in it (sandbox) or keep it
    in a shared cache."""
    from django.core.files.storage import default_storage

    response = FileResponse(
        default_storage.open(attachment.storage_name, "rb"),
        content_type=attachment.content_type,
        as_attachment=attachment_disposition(attachment) == "attachment",
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    return attachment_response(get_object_or_404(attachments_visible_to(request.user), pk=pk))
