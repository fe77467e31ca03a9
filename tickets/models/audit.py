from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEvent(models.Model):
    """Who changed what, when: one row per state change of a ticket, case or claim.

    Written only by ``tickets.audit.audit_record`` (services and the admin call it),
    never edited afterwards.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=64)
    # {"field": [old, new]} for changes; free-form detail for other actions.
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who acted when it was not a person: "system", "api-key:<prefix>", "celery:<task>".
    actor_label = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="audit_subject_time")]

    def __str__(self) -> str:
        return f"{self.actor_label}: {self.action} {self.content_type.model} {self.object_id}"
