from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission

        from .counts import ticket_written
        from .models import Ticket
        from .roles import permissions_changed, roles_ensure

        # After every migrate, once all apps' permissions exist.
        post_migrate.connect(roles_ensure, dispatch_uid="tickets.roles_ensure")
        # Every write of a ticket, whichever service or admin page made it, drops the
        # sidebar counts kept for its account.
        post_save.connect(ticket_written, sender=Ticket, dispatch_uid="tickets.counts.saved")
        post_delete.connect(ticket_written, sender=Ticket, dispatch_uid="tickets.counts.deleted")
        # Kept permissions (tickets.roles.RoleBackend) are read again after any role change.
        User = get_user_model()
        post_delete.connect(permissions_changed, sender=User, dispatch_uid="tickets.roles.person_deleted")
        for model in (Group, Permission):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                uid = f"tickets.roles.{model._meta.label}.{name}"
                signal.connect(permissions_changed, sender=model, dispatch_uid=uid)
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(
                permissions_changed, sender=through, dispatch_uid=f"tickets.roles.{through._meta.label}"
            )
