"""manage.py sync_schedules: the periodic tasks declared in code appear in the admin's
django-celery-beat tables, once, however often it runs."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def sync() -> str:
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    return out.getvalue()


def test_every_declared_schedule_becomes_a_periodic_task(settings):
    sync()
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["sla-sweep"] == "tickets.tasks.sweep_sla"
    assert tasks["proactive-guides"] == "tickets.tasks.send_due_proactive_guides"
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(tasks)


def test_the_sla_sweep_runs_every_minute():
    sync()
    task = PeriodicTask.objects.get(name="sla-sweep")
    assert (task.interval.every, task.interval.period, task.expire_seconds) == (60, "seconds", 55)


def test_running_it_again_duplicates_nothing():
    sync()
    before = PeriodicTask.objects.count()
    assert "updated sla-sweep" in sync()
    assert PeriodicTask.objects.count() == before


def test_a_schedule_changed_in_code_is_updated(settings):
    sync()
    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        "sla-sweep": {"task": "tickets.tasks.sweep_sla", "schedule": 120.0},
    }
    sync()
    assert PeriodicTask.objects.get(name="sla-sweep").interval.every == 120


def test_a_task_a_manager_paused_stays_paused():
    sync()
    PeriodicTask.objects.filter(name="sla-sweep").update(enabled=False)
    sync()
    assert PeriodicTask.objects.get(name="sla-sweep").enabled is False
