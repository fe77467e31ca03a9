"""The audit log, read-only."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from ..models import AuditEvent
from .base import changes_text, date_filter


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everybody, superusers included: an audit log nobody can edit."""

    list_display = ("created_at", "actor_label", "action", "subject_link", "changes_summary")
    list_filter = ("content_type", date_filter("created_at"))
    search_fields = ("object_id__exact", "actor_label__exact", "action__startswith")
    search_help_text = "An exact object id or actor, or the start of an action (ticket.)."
    list_select_related = ("content_type", "actor")
    fields = ("created_at", "actor", "actor_label", "action", "subject_link", "content_type", "object_id", "changes")
    show_full_result_count = False

    @admin.display(description="Subject")
    def subject_link(self, obj: AuditEvent) -> str:
        content_type = obj.content_type
        label = f"{content_type.name} {obj.object_id}"
        try:
            url = reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="Changes")
    def changes_summary(self, obj: AuditEvent) -> str:
        return Truncator(changes_text(obj.changes)).chars(120)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
