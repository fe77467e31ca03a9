"""What every admin of CSM Desk shares: the audit mixin, the same-account form check,
id search through the index, read-only inlines. ``reviews.admin`` uses them too."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connection, models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from ..audit import audit_record, audit_trail, field_changes

# The admin change page shows the latest events and links to the rest.
AUDIT_TRAIL_LIMIT = 20


def _audit_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The current values of the model fields ``names`` of ``obj``, as the audit log keeps them."""
    values = {}
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.concrete or field.many_to_many:
            continue
        if field.is_relation and field.related_model is get_user_model():
            # Usernames, not ids, like ticket_update: the trail must read well years later.
            user = getattr(obj, name)
            values[name] = user.get_username() if user else None
        else:
            values[name] = field.value_from_object(obj)
    return values


def changes_text(changes: Any) -> str:
    """``{"status": ["new", "open"]}`` as ``status: new → open``."""
    if not isinstance(changes, dict):
        return str(changes)
    parts = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{name}: {value[0]} → {value[1]}")
        else:
            parts.append(f"{name}: {value}")
    return "; ".join(parts)


class AuditedAdminMixin:
    """Admin adds, edits and deletes of an important model leave an audit event.

    The event goes through ``tickets.audit.audit_record`` with the manager as actor:
    ``<audit_name>.created`` on add, ``<audit_name>.updated`` with ``{field: [old, new]}``
    on change, ``<audit_name>.deleted`` on delete. Add ``"audit_history"`` to
    ``readonly_fields`` to show the object's trail on its change page.
    """

    audit_name = ""  # the action prefix, e.g. "ticket"; defaults to the model name

    def get_audit_name(self) -> str:
        return self.audit_name or self.model._meta.model_name

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        if change:
            self.save_audited(request=request, obj=obj, names=form.changed_data)
            return
        super().save_model(request, obj, form, change)
        audit_record(
            subject=obj,
            action=f"{self.get_audit_name()}.created",
            actor=request.user,
            changes=field_changes({}, _audit_values(obj, form.changed_data)),
        )

    def save_audited(self, *, request: HttpRequest, obj: models.Model, names: Iterable[str]) -> None:
        """Save the fields ``names`` of ``obj`` and record those whose value changed."""
        names = list(names)
        if not names:
            return
        stored = type(obj)._default_manager.get(pk=obj.pk)
        changes = field_changes(_audit_values(stored, names), _audit_values(obj, names))
        if not changes:
            return
        auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
        # Only the edited fields: a full save would overwrite what a task changed meanwhile.
        obj.save(update_fields=[*changes, *auto_now])
        audit_record(subject=obj, action=f"{self.get_audit_name()}.updated", actor=request.user, changes=changes)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(subject=obj, action=f"{self.get_audit_name()}.deleted", actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        # The bulk action records one event per object, like deleting them one by one.
        for obj in queryset:
            audit_record(subject=obj, action=f"{self.get_audit_name()}.deleted", actor=request.user)
        super().delete_queryset(request, queryset)

    @admin.display(description="Audit trail")
    def audit_history(self, obj: models.Model) -> str:
        if obj is None or obj.pk is None:
            return "—"
        events = [
            (
                date_format(timezone.localtime(event.created_at), "DATETIME_FORMAT"),
                event.actor_label,
                event.action,
                changes_text(event.changes),
            )
            for event in audit_trail(obj)[:AUDIT_TRAIL_LIMIT]
        ]
        if not events:
            return "No changes recorded yet."
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        query = urlencode({"content_type__id__exact": content_type.pk, "object_id": obj.pk})
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Changes</th></tr></thead>"
            '<tbody>{}</tbody></table><p><a href="{}?{}">Every audit event of this object</a></p>',
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", events),
            reverse("admin:tickets_auditevent_changelist"),
            query,
        )


class SameAccountForm(forms.ModelForm):
    """Refuses to link a record to another seller account's buyer, order or product:
    agents see data by account, so a mislinked row would leak it to the wrong team."""

    same_account_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        account = cleaned.get("seller_account")
        if account is None:
            return cleaned
        for name in self.same_account_fields:
            related = cleaned.get(name)
            if related is not None and related.seller_account_id != account.pk:
                self.add_error(name, f"This {related._meta.verbose_name} belongs to another seller account.")
        return cleaned


class NumericIdSearchMixin:
    """A search for a bare number finds that id through the index.

    Django's ``id__exact`` search casts the column to text, which scans the whole table.
    """

    search_id_field = "pk"

    def get_search_results(self, request: HttpRequest, queryset: models.QuerySet, search_term: str):
        term = search_term.strip().lstrip("#")
        if term.isdigit():
            return queryset.filter(**{self.search_id_field: int(term)}), False
        return super().get_search_results(request, queryset, search_term)


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown for context; they are changed on their own pages."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


# Date filters rather than date_hierarchy on the huge tables: date_hierarchy runs a
# DISTINCT over the whole table on every page load.
def date_filter(field: str) -> tuple[str, type[admin.DateFieldListFilter]]:
    return (field, admin.DateFieldListFilter)


class LargeTablePaginator(Paginator):
    """A paginator for tables of millions of rows.

    Django counts the whole changelist on every page; an unfiltered ``COUNT(*)`` over a
    million orders costs 100–200 ms and grows with the table. Unfiltered, on PostgreSQL,
    the planner's row estimate (kept fresh by autovacuum) is good enough to page through;
    filtered lists are counted exactly, through their indexes.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > 10_000:
                return row[0]
        return super().count
