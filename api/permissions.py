"""Scopes. Safe methods need ``read``; writes need the view's ``write_scope`` (``agent``
unless the view says ``ingest``). Scopes include the lower ones: read < ingest < agent.
Signed-in users are not scoped: what they may touch is decided by the selectors."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiKeyScope


def required_scope(request, view) -> str:
    if request.method in SAFE_METHODS:
        return ApiKeyScope.READ
    return getattr(view, "write_scope", ApiKeyScope.AGENT)


class HasScope(BasePermission):
    message = "This API key's scope does not allow this request."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if getattr(user, "is_api_key", False):
            return user.has_scope(required_scope(request, view))
        return True
