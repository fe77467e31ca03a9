from django.apps import AppConfig


class AmazonConfig(AppConfig):
    name = "amazon"
    verbose_name = "Amazon channels"

    def ready(self) -> None:
        # The SP-API channel's admin page and Celery tasks live beside its code (amazon/spapi/),
        # where the admin's and Celery's discovery (amazon.admin, amazon.tasks) do not look.
        from .spapi import admin, checks, tasks  # noqa: F401
