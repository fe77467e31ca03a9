"""The two roles of people in CSM Desk, as Django groups kept in step by migrate.

- Managers work in the Django admin and see every seller account.
- Agents work tickets in the web UI for the seller accounts they are members of.
"""

import uuid

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

MANAGERS = "Managers"
AGENTS = "Agents"
MANAGED_APPS = ("tickets", "reviews", "metrics", "api", "amazon", "reimbursements", "django_celery_beat")
# Managers see people and teams but cannot edit accounts of people: changing a user
# could grant superuser status. Team membership is edited on the seller account.
AUTH_VIEW = ("view_user", "view_group")
# Managers unlock people locked out of sign-in (django-axes): they see the failed attempts
# and the sign-in logs, and delete attempts to unlock; the logs stay read-only.
SIGN_IN_LOCKOUT = ("view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog")


def roles_ensure(**kwargs) -> None:
    """Create or refresh the role groups (idempotent; runs after every migrate)."""
    managers, _ = Group.objects.get_or_create(name=MANAGERS)
    # Audit events are read-only for everybody: managers may view, never edit.
    permissions = Permission.objects.filter(content_type__app_label__in=MANAGED_APPS).exclude(
        content_type__model="auditevent", codename__regex=r"^(add|change|delete)_"
    )
    managers.permissions.set(
        [
            *permissions,
            *Permission.objects.filter(content_type__app_label="auth", codename__in=AUTH_VIEW),
            *Permission.objects.filter(content_type__app_label="axes", codename__in=SIGN_IN_LOCKOUT),
        ]
    )
    Group.objects.get_or_create(name=AGENTS)


# A person's permissions are kept in the cache (every desk page asks whether they are a
# manager) until any role changes (``permissions_changed``); at most this long when web
# processes do not share the cache (``CACHE_URL``).
PERMISSIONS_CACHE_SECONDS = 300
_PERMISSIONS_VERSION = "auth:permissions-version"


def _permissions_key(user_pk: int) -> str:
    return f"auth:permissions:{user_pk}"


def _stamp_permissions_version() -> None:
    cache.set(_PERMISSIONS_VERSION, uuid.uuid4().hex, None)


def permissions_changed(sender, **kwargs) -> None:
    """A change of groups, permissions or memberships, or a person deleted (connected in
    ``TicketsConfig.ready``): everyone's kept permissions are read again. Stamped now, and
    again once the change commits, so that a page that read the old rows meanwhile cannot
    keep them. (A person's own superuser and active flags are checked on every request.)"""
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only once the rows changed
    _stamp_permissions_version()
    transaction.on_commit(_stamp_permissions_version)


class RoleBackend(ModelBackend):
    """Django's model backend, reading a person's own and their groups' permissions in one
    query instead of two, and keeping them in the cache until a role changes: every desk
    page asks whether the user is a manager."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _permissions_key(user_obj.pk)
            found = cache.get_many([_PERMISSIONS_VERSION, key])
            version, kept = found.get(_PERMISSIONS_VERSION), found.get(key)
            if kept is not None and kept[0] == version and kept[1] == user_obj.is_superuser:
                user_obj._perm_cache = kept[2]
            else:
                user_obj._perm_cache = self._permissions_read(user_obj)
                # With the version read before the rows: a change stamped since makes it stale.
                cache.set(key, (version, user_obj.is_superuser, user_obj._perm_cache), PERMISSIONS_CACHE_SECONDS)
        return user_obj._perm_cache

    def _permissions_read(self, user_obj) -> set[str]:
        if user_obj.is_superuser:
            permissions = Permission.objects.all()
        else:
            own = user_obj.user_permissions.through.objects.filter(user=user_obj).values("permission_id")
            via_groups = Group.permissions.through.objects.filter(group__user=user_obj).values("permission_id")
            permissions = Permission.objects.filter(Q(pk__in=own) | Q(pk__in=via_groups))
        rows = permissions.values_list("content_type__app_label", "codename").order_by()
        return {f"{app_label}.{codename}" for app_label, codename in rows}
