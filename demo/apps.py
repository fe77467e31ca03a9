from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data: ``manage.py seed_demo`` (a believable desk, written through the
    domain's intake) and ``manage.py seed_scale`` (benchmark-sized data, bulk-loaded)."""

    name = "demo"
