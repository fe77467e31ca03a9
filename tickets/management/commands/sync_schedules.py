"""Copy the periodic tasks declared in code (``CELERY_BEAT_SCHEDULE``) into
django-celery-beat's tables, so that the admin lists them (with their last run) even
before beat has started. Re-runnable: existing rows are updated, none duplicated."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import ModelEntry

from csmdesk.celery import app


class Command(BaseCommand):
    help = "Create or update the django-celery-beat periodic tasks from CELERY_BEAT_SCHEDULE."

    def handle(self, *args, **options) -> None:
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            existed = PeriodicTask.objects.filter(name=name).exists()
            # The same conversion beat itself applies at start-up (DatabaseScheduler),
            # so both write identical rows; a manager's "enabled" switch is kept.
            ModelEntry.from_entry(name, app=app, **entry)
            self.stdout.write(f"{'updated' if existed else 'created'} {name}: {entry['task']}")
