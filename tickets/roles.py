"""The two roles of people in CSM Desk, as Django groups kept in step by migrate.

- Managers work in the Django admin and see every seller account.
- Agents work tickets in the web UI for the seller accounts they are members of.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

MANAGERS = "Managers"
AGENTS = "Agents"
MANAGED_APPS = ("tickets", "reviews", "metrics", "api", "django_celery_beat")
# Managers see people and teams but cannot edit accounts of people: changing a user
# could grant superuser status. Team membership is edited on the seller account.
AUTH_VIEW = ("view_user", "view_group")


def roles_ensure(**kwargs) -> None:
    """Create or refresh the role groups (idempotent; runs after every migrate)."""
    managers, _ = Group.objects.get_or_create(name=MANAGERS)
    # Audit events are read-only for everybody: managers may view, never edit.
    permissions = Permission.objects.filter(content_type__app_label__in=MANAGED_APPS).exclude(
        content_type__model="auditevent", codename__regex=r"^(add|change|delete)_"
    )
    managers.permissions.set(
        [*permissions, *Permission.objects.filter(content_type__app_label="auth", codename__in=AUTH_VIEW)]
    )
    Group.objects.get_or_create(name=AGENTS)


class RoleBackend(ModelBackend):
    """Django's model backend, reading a person's own and their groups' permissions in one
    query instead of two: every desk page asks once whether the user is a manager."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                own = user_obj.user_permissions.through.objects.filter(user=user_obj).values("permission_id")
                via_groups = Group.permissions.through.objects.filter(group__user=user_obj).values("permission_id")
                permissions = Permission.objects.filter(Q(pk__in=own) | Q(pk__in=via_groups))
            rows = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
