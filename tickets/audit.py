"""The one audit mechanism: every state change of a ticket, outreach case, claim or
chargeback is recorded here, whichever channel made it (agent UI, admin, API, task)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from .models import AuditEvent

# A person (a user), or a label for a machine actor: "system", "api-key:ab12cd", "celery:sla_sweep".
Actor = AbstractBaseUser | str | None


def actor_label(actor: Actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def iso(value: Any) -> str | None:
    """A moment as the audit trail stores it (ISO 8601), or None."""
    return value.isoformat() if value else None


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for the fields whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(value)]
        for name, value in after.items()
        if _jsonable(before.get(name)) != _jsonable(value)
    }


def audit_record(*, subject: models.Model, action: str, actor: Actor, changes: dict | None = None) -> AuditEvent:
    """Append one audit event for ``subject``."""
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
        action=action,
        changes=changes or {},
        actor=None if isinstance(actor, str) or actor is None else actor,
        actor_label=actor_label(actor),
    )


def audit_trail(subject: models.Model):
    """The events of one object, newest first. A ticket's include those of the tickets merged
    into it (tickets.merge): the history moves with the conversation, unedited."""
    ids = Q(object_id=str(subject.pk))
    if subject._meta.label == "tickets.Ticket":
        merged = subject.merged_tickets.annotate(key=Cast("pk", models.CharField())).values("key")
        ids |= Q(object_id__in=merged)  # a subquery: still one statement
    return AuditEvent.objects.filter(
        ids, content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False)
    ).select_related("actor")
