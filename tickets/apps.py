from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        from .roles import roles_ensure

        # After every migrate, once all apps' permissions exist.
        post_migrate.connect(roles_ensure, dispatch_uid="tickets.roles_ensure")
