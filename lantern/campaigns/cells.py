"""The refresh of the pre-aggregated figures (FigureCell): each count figure's daily
source summed by the database straight into the table (INSERT ... SELECT, so a million
cases never pass through Python), the days-to-decision histogram, then the day rows
summed over the age bands, the month rows as sums of the day rows and the all-time
rows as sums of the month rows, and each unit's subtree summed (rollups). One transaction:
readers see the old figures until it commits."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lantern.accounts.models import Unit
from lantern.campaigns import figures
from lantern.campaigns.models import ALL_TIME, FigureCell, FigureRefresh, Grain
from lantern.cases.models import Decision, DecisionStatus

TABLE = FigureCell._meta.db_table
COLUMNS = "grain, period, month, unit_id, age_band, figure, bucket, value"


def _insert_select(qs: QuerySet[Any], *, select: str) -> None:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {select} FROM ({sql}) q", params)  # noqa: S608


def _count_figure(figure: figures.Figure) -> None:
    assert figure.source is not None
    rows = figure.source().annotate(m=TruncMonth("d"))
    _insert_select(rows, select=f"'D', q.d, q.m, q.u, q.ab, '{figure.key}', 0, q.n")


def bucket_of(days: int) -> int:
    """The histogram bucket (its lower bound) for a number of whole days."""
    return max(b for b in figures.BUCKETS if b <= max(days, 0))


def _decision_histogram() -> None:
    """Days from the report to the case's first approved filing decision."""
    zone = figures._zone()
    first = (Decision.objects.filter(status=DecisionStatus.APPROVED, case__merged_into__isnull=True)
             .values("case").annotate(at=Min("decided_at"))
             .values_list("case__unit", "case__age_band", "case__received_at", "at"))
    counts: Counter[tuple[Any, ...]] = Counter()
    for unit, band, received, decided in first.iterator(chunk_size=20000):
        day = decided.astimezone(zone).date()
        counts[(day, unit, band, bucket_of((decided - received).days))] += 1
    FigureCell.objects.bulk_create(
        [FigureCell(grain=Grain.DAY, period=day, month=day.replace(day=1), unit_id=unit, age_band=band,
                    figure="days_to_decision", bucket=bucket, value=n)
         for (day, unit, band, bucket), n in counts.items()], batch_size=5000)


def _all_bands() -> None:
    """The day rows summed over the age bands: what a period's ragged ends read when no
    age band is asked for (several times fewer rows than by band)."""
    rows = (FigureCell.objects.filter(grain=Grain.DAY).values("period", "month", "unit_id", "figure", "bucket")
            .annotate(n=Sum("value")).order_by())
    _insert_select(rows, select="'E', q.period, q.month, q.unit_id, '*', q.figure, q.bucket, q.n")


def _months() -> None:
    rows = (FigureCell.objects.filter(grain=Grain.DAY).values("month", "unit_id", "age_band", "figure", "bucket")
            .annotate(n=Sum("value")).order_by())
    _insert_select(rows, select="'M', q.month, q.month, q.unit_id, q.age_band, q.figure, q.bucket, q.n")
    banded = (FigureCell.objects.filter(grain=Grain.MONTH).values("month", "unit_id", "figure", "bucket")
              .annotate(n=Sum("value")).order_by())
    _insert_select(banded, select="'A', q.month, q.month, q.unit_id, '*', q.figure, q.bucket, q.n")
    for grain, whole in ((Grain.MONTH, Grain.ALL_TIME), (Grain.MONTH_ALL_BANDS, Grain.ALL_TIME_ALL_BANDS)):
        rows = (FigureCell.objects.filter(grain=grain).values("unit_id", "age_band", "figure", "bucket")
                .annotate(n=Sum("value")).order_by())
        _insert_select(rows, select=f"'{whole}', '{ALL_TIME}', '{ALL_TIME}', q.unit_id, q.age_band, q.figure, "
                                    "q.bucket, q.n")


def _rollups() -> None:
    """Each unit with units below it gets its subtree's sums too (all grains but the day
    rows by band), under unit_id = -its id: a province's figures by month read one row per
    month and figure, not one per county."""
    unit = Unit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} ({COLUMNS}) SELECT c.grain, c.period, c.month, -a.id, c.age_band, c.figure, "  # noqa: S608
            f"c.bucket, SUM(c.value) FROM {TABLE} c JOIN {unit} u ON u.id = c.unit_id "
            f"JOIN {unit} a ON substr(u.path, 1, length(a.path)) = a.path "
            f"WHERE c.grain <> %s AND c.unit_id > 0 AND EXISTS (SELECT 1 FROM {unit} k WHERE k.parent_id = a.id) "
            "GROUP BY c.grain, c.period, c.month, a.id, c.age_band, c.figure, c.bucket", [Grain.DAY])


def units_digest(units: list[tuple[int, int | None, str]]) -> str:
    """A fingerprint of the unit tree ((id, parent id, path) of every unit)."""
    return hashlib.sha256(repr(sorted(units)).encode()).hexdigest()


def all_units() -> list[tuple[int, int | None, str]]:
    return list(Unit.objects.values_list("pk", "parent_id", "path"))


def refresh() -> FigureRefresh:
    """Recompute every figure from the cases (the periodic job; tests call it directly)."""
    started, as_of = time.perf_counter(), timezone.now()
    with transaction.atomic():
        FigureCell.objects.all().delete()
        for figure in figures.FIGURES:
            if figure.source is not None:
                _count_figure(figure)
        _decision_histogram()
        _all_bands()
        _months()
        _rollups()
        FigureRefresh.objects.all().delete()
        done = FigureRefresh.objects.create(as_of=as_of, cells=FigureCell.objects.count(),
                                            units_digest=units_digest(all_units()),
                                            seconds=time.perf_counter() - started)
    if connection.vendor == "postgresql":
        # VACUUM marks the new rows all-visible, so that the readers' scans of the covering
        # index never visit the table; it cannot run inside a transaction (tests), ANALYZE can.
        with connection.cursor() as cursor:
            cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {TABLE}")
    return done


def last_refresh() -> FigureRefresh | None:
    return FigureRefresh.objects.order_by("-as_of").first()
