"""``column = ANY(…)``: one array for PostgreSQL rather than a list or a join to plan."""

from django.db.models import Lookup
from django.db.models.lookups import In


def db_base_type(field, connection) -> str:
    """The column's type without its length or scale (``varchar``, ``numeric``): an
    explicit cast to ``varchar(19)`` would truncate, the insert's assignment refuses."""
    return field.db_type(connection).split("(")[0]


class AnyOf(Lookup):
    """``column IN values`` or ``column IN (subquery)``, written ``column = ANY(…)`` on
    PostgreSQL, the same rows either way.

    - Values: one array parameter instead of one per value (for 1,000 ids Django prepares
      each value and psycopg parses a query text too long to cache).
    - A subquery (``values()`` of one column): ``ANY(ARRAY(subquery))`` runs it once as a
      value instead of planning it as a semi-join; the permission gate's agent memberships
      made the queue's rows query plan in 0.6 ms instead of 1.5.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def _subquery(self) -> bool:
        return hasattr(self.rhs, "as_sql")

    def as_sql(self, compiler, connection):
        return compiler.compile(In(self.lhs, self.rhs if self._subquery() else list(self.rhs)))

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if self._subquery():
            subquery, sub_params = compiler.compile(self.rhs)
            return f"{lhs} = ANY(ARRAY{subquery})", (*params, *sub_params)
        return f"{lhs} = ANY(%s::{db_base_type(self.lhs.output_field, connection)}[])", (*params, list(self.rhs))
