"""Writing generated rows fast: COPY on PostgreSQL (psycopg 3 ``cursor.copy``), one
``executemany`` per table on SQLite. Rows arrive as tuples in the order of a table's
declared columns, with their primary keys already chosen (``Ids``), so the rows of one
case can point at each other without a round trip per row.

The generator is for a database nobody else writes to while it runs (a benchmark's or a
test's): it takes ids above the current maximum and, on PostgreSQL, moves each
sequence past what it wrote at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, Model


@dataclass
class Table:
    """A model and the columns (attnames) its generated rows give, in order."""

    model: type[Model]
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # PostgreSQL: rows already in COPY's text format

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    def db_columns(self) -> list[str]:
        by_attname = {f.attname: f.column for f in self.model._meta.concrete_fields}
        return [by_attname[name] for name in self.columns]

    def add(self, *values: Any) -> None:
        self.rows.append(values)


class Ids:
    """Primary keys handed out above the highest in each table when generation started."""

    def __init__(self) -> None:
        self._next: dict[type[Model], int] = {}

    def take(self, model: type[Model], n: int = 1) -> int:
        """The first of ``n`` consecutive new ids of ``model``."""
        if model not in self._next:
            self._next[model] = (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        first = self._next[model]
        self._next[model] = first + n
        return first

    def models(self) -> list[type[Model]]:
        return list(self._next)


def write(tables: Iterable[Table]) -> int:
    """Insert every table's rows (in the order given: parents before children); returns
    the number of rows written. Call inside a transaction."""
    written = 0
    for table in tables:
        if table.rows or table.lines:
            (_copy if connection.vendor == "postgresql" else _executemany)(table)
            written += len(table.rows) + len(table.lines)
            table.rows.clear()
            table.lines.clear()
    return written


# COPY's text format: a row per line, tab-separated, \N for NULL, backslash escapes.
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
CHUNK = 20_000  # rows per write to the server


def escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:  # rarely: skip translate's cost
        return text.translate(ESCAPES)
    return text


def _text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return escape(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if isinstance(value, str):  # a TextChoices member
        return escape(str(value))
    return value.isoformat()  # datetimes (aware) and dates


def _copy(table: Table) -> None:
    """Formatting the text here is several times faster than psycopg's write_row."""
    columns = ", ".join(f'"{c}"' for c in table.db_columns())
    rows = table.rows
    with connection.cursor() as cursor, cursor.cursor.copy(
            f'COPY "{table.db_table}" ({columns}) FROM STDIN') as copy:
        for start in range(0, len(rows), CHUNK):
            copy.write("".join("\t".join(map(_text, row)) + "\n" for row in rows[start:start + CHUNK]))
        for start in range(0, len(table.lines), CHUNK):
            copy.write("".join(table.lines[start:start + CHUNK]))


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _executemany(table: Table) -> None:
    columns = table.db_columns()
    sql = (f'INSERT INTO "{table.db_table}" ({", ".join(columns)}) '  # noqa: S608 (our own names)
           f'VALUES ({", ".join(["%s"] * len(columns))})')
    rows: Sequence[tuple[Any, ...]] = [tuple(_sqlite_value(v) for v in row) for row in table.rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def bulk_mode() -> bool:
    """PostgreSQL, as a superuser (a benchmark's throwaway cluster): this transaction fires
    no triggers (``session_replication_role = replica``, as pg_restore --disable-triggers
    does), so the foreign-key checks, one query per row and key, and the audit log's
    seal-on-commit trigger are skipped. The generated rows point only at rows generated
    with them or found before (the tests check every key); as any other role the checks
    run and generation is slower, never different. True when in force."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        if cursor.fetchone()[0] != "on":
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def move_sequences(models: Iterable[type[Model]]) -> None:
    """PostgreSQL: the next id the application draws comes after the generated ones."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    with connection.cursor() as cursor:
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(f'SELECT setval(pg_get_serial_sequence(%s, %s), '  # noqa: S608 (our own names)
                           f'GREATEST((SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"), 1))', [table, pk])
