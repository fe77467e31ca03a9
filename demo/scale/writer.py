"""Writing generated rows fast: COPY on PostgreSQL, executemany elsewhere."""

import random
from bisect import bisect
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Max


class Weighted:
    """Draws from a fixed weighted list faster than ``Random.choices`` (no per-call setup)."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]):
        self.items = [item for item, _ in pairs]
        self.cumulative = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]

    def spread(self, count: int) -> list[Any]:
        """``count`` items in the exact proportions of the weights (rare items still show up)."""
        return [self.items[bisect(self.cumulative, (k + 0.5) / count * self.total)] for k in range(count)]


class TableSink:
    """Buffers rows for one table and writes them in one go.

    Rows are tuples (or lists) in ``columns`` order with Python values (the same rows serve both
    writers): COPY on PostgreSQL, ``executemany`` with the fields' own database
    preparation everywhere else.
    """

    def __init__(self, model: type[models.Model], columns: str):
        """``columns``: the attribute names (``buyer_id``) of the row's values, space-separated."""
        self.model = model
        self.fields = [model._meta.get_field(name) for name in columns.split()]
        # A column added to the model later, with a default, must not break the COPY.
        given = {f.attname for f in self.fields}
        self.defaulted = [f for f in model._meta.concrete_fields if f.attname not in given and f.has_default()]
        self.fields += self.defaulted
        self.rows: list[tuple] = []
        self.written = 0
        self._type_oids: list[int] | None = None
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        qn = connection.ops.quote_name
        table = qn(self.model._meta.db_table)
        columns = ", ".join(qn(f.column) for f in self.fields)
        rows = self.rows
        if self.defaulted:
            defaults = tuple(f.get_default() for f in self.defaulted)
            rows = [(*row, *defaults) for row in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Binary COPY: several times faster than text, where psycopg formats
                # every datetime and decimal in Python. It needs the column types, looked
                # up before COPY starts: until it ends the connection can run nothing else.
                types = self._column_type_oids(cursor)
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(types)
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.fields))
                prepared = [
                    tuple(f.get_db_prep_save(value, connection) for f, value in zip(self.fields, row, strict=True))
                    for row in rows
                ]
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)
        self.written += len(self.rows)
        self.rows.clear()

    def _column_type_oids(self, cursor) -> list[int]:
        if self._type_oids is not None:
            return self._type_oids
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            [self.model._meta.db_table],
        )
        oids = dict(cursor.fetchall())
        self._type_oids = [oids[f.column] for f in self.fields]
        return self._type_oids
