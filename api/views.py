"""Views of the API itself (not of a domain)."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Unknown paths under /api/v1/ answer a JSON 404 (Django's own 404 page is HTML)."""

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = get
