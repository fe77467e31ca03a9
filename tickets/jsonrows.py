"""Several short lists in one statement: each list is a JSON array in one column.

A page that shows eleven short lists (the ticket workspace) spent most of its time having
the ORM build and compile a statement for each, not reading rows: ~0.5 ms of Python each
against ~0.3 ms in the database. ``ListsStatement`` asks for all of them in one statement about one
row (a ticket), each list a ``JSONRows`` subquery correlated to that row, and has the ORM
compile it once per process; ``json_instances`` turns the rows back into model instances,
so templates and model methods (``get_status_display``, ``is_negative``) work as with any
queryset. PostgreSQL and SQLite, the two databases the desk runs on.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import JSONField, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


class _ExactDecoder(json.JSONDecoder):
    """Money stays exact: a JSON number with a fraction becomes a Decimal, not a float."""

    def __init__(self, **kwargs):
        super().__init__(parse_float=Decimal, **kwargs)


class JSONRows(Subquery):
    """The rows of ``queryset`` (ordered and sliced as given) as one JSON array of objects
    holding ``fields``: attnames of the model (``order_id``) or ``relation__field`` of a
    forward relation (``product__title``)."""

    def __init__(self, queryset: QuerySet, fields: tuple[str, ...]):
        rows = queryset.values(obj=JSONObject(**{name: name for name in fields}))
        super().__init__(rows, output_field=JSONField(decoder=_ExactDecoder))

    def as_postgresql(self, compiler, connection, **extra):
        # jsonb, not json: Django reads jsonb as text and decodes it with the field's decoder.
        template = "(SELECT COALESCE(jsonb_agg(r.obj), '[]'::jsonb) FROM (%(subquery)s) r)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # json() keeps each object an object: the JSON subtype does not cross a subquery.
        template = "(SELECT json_group_array(json(r.obj)) FROM (%(subquery)s) r)"
        return self.as_sql(compiler, connection, template=template, **extra)


# Stands for the row's primary key while the statement is compiled: no row has this key.
_PK = -7_340_033_991


class ListsStatement:
    """Named lists about one row of ``model`` in one statement.

    ``lists()`` returns ``{name: (model, queryset, fields)}``, each queryset correlated to the
    row with ``OuterRef`` (and ordered, sliced); it is called once per process and database,
    when the statement is first compiled. Only the row's primary key changes between calls.
    """

    def __init__(self, model: type[models.Model], lists: Callable[[], dict]):
        self.model = model
        self.lists = lists
        self._compiled: dict[tuple[str, str], tuple[str, tuple, dict]] = {}

    def fetch(self, pk: int, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, list[models.Model]]:
        connection = connections[using]
        sql, params, lists = self._compile(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, tuple(pk if p == _PK else p for p in params))
            row = cursor.fetchone()
        if row is None:
            raise self.model.DoesNotExist(f"No {self.model._meta.verbose_name} with key {pk}.")
        return {
            name: json_instances(
                model, json.loads(value, cls=_ExactDecoder) if isinstance(value, str) else value, using=using
            )
            for (name, (model, _queryset, _fields)), value in zip(lists.items(), row, strict=True)
        }

    def _compile(self, connection) -> tuple[str, tuple, dict]:
        key = (connection.alias, connection.vendor)
        if key not in self._compiled:
            lists = self.lists()
            queryset = (
                self.model._default_manager.filter(pk=_PK)
                .order_by()
                .values(**{f"{name}_rows": JSONRows(qs, fields) for name, (_model, qs, fields) in lists.items()})
            )
            sql, params = queryset.query.get_compiler(connection=connection).as_sql()
            if params.count(_PK) != 1:
                raise ValueError("The lists' statement must have the row's key as its only changing parameter.")
            self._compiled[key] = (sql, tuple(params), lists)
        return self._compiled[key]


def json_instances(model: type[models.Model], rows: list[dict], *, using: str = DEFAULT_DB_ALIAS) -> list:
    """Instances of ``model`` from ``JSONRows`` rows, each value back in its field's Python
    type; ``relation__field`` values become the related instance, or None when its ``id`` is
    null (as ``select_related`` leaves them: no query to fetch them later)."""
    instances = []
    for row in rows:
        own, related = {}, defaultdict(dict)
        for key, value in row.items():
            name, _, rest = key.partition("__")
            (related[name] if rest else own)[rest or name] = value
        instance = _instance(model, own, using)
        for name, values in related.items():
            relation = model._meta.get_field(name)
            other = None if values.get("id") is None else _instance(relation.related_model, values, using)
            relation.set_cached_value(instance, other)
        instances.append(instance)
    return instances


def _instance(model: type[models.Model], values: dict, using: str) -> models.Model:
    # from_db takes the values in the model's field order (jsonb sorts an object's keys): a
    # row read from the database (not "adding"), the columns left out deferred.
    fields = [f for f in model._meta.concrete_fields if f.attname in values]
    vendor = connections[using].vendor
    return model.from_db(
        using, [f.attname for f in fields], [_python(f, values[f.attname], vendor=vendor) for f in fields]
    )


def _python(field: models.Field, value, *, vendor: str = ""):
    """A JSON value as the field holds it: datetimes are ISO text (naive UTC on SQLite),
    decimals numbers (SQLite drops trailing zeros), booleans 0/1 on SQLite, JSON columns
    text on SQLite (its json_object() embeds a column's JSON as a string)."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(value) if vendor == "sqlite" and isinstance(value, str) else value
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
    if isinstance(field, models.DateField):
        return parse_date(value)
    if isinstance(field, models.DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return field.to_python(value)
