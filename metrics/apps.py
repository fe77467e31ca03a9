from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self) -> None:
        from .triggers import _after_migrate

        # After every migrate, not once per app: any app's migration may rebuild tickets_order.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="metrics.sqlite_triggers")
