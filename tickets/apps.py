from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        from .counts import ticket_written
        from .models import Ticket
        from .roles import roles_ensure

        # After every migrate, once all apps' permissions exist.
        post_migrate.connect(roles_ensure, dispatch_uid="tickets.roles_ensure")
        # Every write of a ticket, whichever service or admin page made it, drops the
        # sidebar counts kept for its account.
        post_save.connect(ticket_written, sender=Ticket, dispatch_uid="tickets.counts.saved")
        post_delete.connect(ticket_written, sender=Ticket, dispatch_uid="tickets.counts.deleted")
