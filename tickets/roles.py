"""The two roles of people in CSM Desk, as Django groups kept in step by migrate.

- Managers work in the Django admin and see every seller account.
- Agents work tickets in the web UI for the seller accounts they are members of.
"""

from django.contrib.auth.models import Group, Permission

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
