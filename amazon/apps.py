from django.apps import AppConfig


class AmazonConfig(AppConfig):
    name = "amazon"
    verbose_name = "Amazon channels"

    def ready(self) -> None:
        # The SP-API channel's admin page and Celery tasks live beside its code (amazon/spapi/),
        # where the admin's and Celery's discovery (amazon.admin, amazon.tasks) do not look.
        # The Messaging API gateway of the one outbound path (the domain does not import channels).
        from tickets.outbound.gateways import gateway_register

        from .review_requests import admin as review_requests_admin  # noqa: F401
        from .review_requests import tasks as review_requests_tasks  # noqa: F401
        from .spapi import admin, checks, tasks  # noqa: F401
        from .spapi.messaging import GATEWAY, GATEWAY_NAME

        gateway_register(GATEWAY_NAME, GATEWAY)
