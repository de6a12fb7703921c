"""``field__any_of=[ids]``: membership in a list of values sent as one parameter.

Django's ``__in`` writes one placeholder per value: for thousands of values (a user's case
ids, written into a query so the planner can read the primary key's index,
cases.access.as_ids) that costs Python a parameter each in every query of the page. On
PostgreSQL ``= ANY(%s)`` sends the list as one array. The planner does not always treat the
two alike (cases.access measured where each is used). SQLite has no arrays and gets the
``IN`` list."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return [int(v) for v in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


IntegerField.register_lookup(AnyOf)  # and so every integer field and primary key
