"""The campaign statistics: the figures table (campaigns.figures) read from the
pre-aggregated cells for a campaign, a period, a unit subtree and an age band, grouped by
unit, month or age band, with a total row, then suppressed (campaigns.suppression).
Aggregates only: no case, no person, is ever read here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.access.policy import Capability, require_capability
from lantern.accounts.models import Unit
from lantern.accounts.models.units import Branch
from lantern.campaigns import figures
from lantern.campaigns.cells import all_units, last_refresh, units_digest
from lantern.campaigns.models import Campaign, FigureCell, Grain
from lantern.campaigns.rules import visible_campaigns
from lantern.campaigns.suppression import Cell, Relation, hidden_cells, is_small, quantile, shown
from lantern.cases.law import AGE_BANDS
from lantern.core.errors import BadInput, NotFound, PermissionDenied

GROUPINGS = ("unit", "month", "age_band")
TOTAL = "total"


@dataclass(frozen=True)
class Filters:
    campaign_id: int | None = None
    unit_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    age_band: str = ""
    group_by: str = "unit"


@dataclass
class Scope:
    campaign: Campaign | None
    units: list[Unit]
    groups: dict[int, Unit]  # unit id -> the unit it is counted under
    start: dt.date | None
    end: dt.date | None
    cover: dict[int, Unit] = field(default_factory=dict)  # cells' unit ids (rollups < 0) -> group


def _jurisdiction(user: Any) -> list[Unit]:
    if user.unit is None:
        return []
    # Cases belong to police units: the procuratorates and commissions of the area hold none.
    return list(Unit.objects.filter(division_code__startswith=user.unit.jurisdiction_prefix, branch=Branch.POLICE)
                .order_by("path"))


def _subtree(units: list[Unit], root: Unit) -> list[Unit]:
    return [u for u in units if u.path.startswith(root.path)]


def _unit_groups(units: list[Unit]) -> dict[int, Unit]:
    """Each unit counted under a child of the scope's top unit (or the top itself)."""
    ids = {u.pk for u in units}
    tops = [u for u in units if u.parent_id not in ids]
    heads = [u for u in units if u.parent_id == tops[0].pk] if len(tops) == 1 else tops
    groups = {}
    for unit in units:
        groups[unit.pk] = next((h for h in heads if unit.path.startswith(h.path)), tops[0] if tops else unit)
    return groups


def scope_for(user: Any, filters: Filters) -> Scope:
    require_capability(user, Capability.READ_STATISTICS)
    units, campaign = _jurisdiction(user), None
    start, end = filters.start, filters.end
    if filters.campaign_id is not None:
        campaign = visible_campaigns(user).filter(pk=filters.campaign_id).select_related("unit").first()
        if campaign is None:
            raise NotFound(_("No such campaign, or not one you may see."))
        units = _subtree(units, campaign.unit)
        start = max(filter(None, [start, campaign.starts_on]))
        end = min(filter(None, [end, campaign.ends_on]))
    if filters.unit_id is not None:
        root = Unit.objects.filter(pk=filters.unit_id).first()
        if root is None:
            raise NotFound(_("No such unit."))
        if not root.division_code.startswith(user.unit.jurisdiction_prefix):
            raise PermissionDenied(_("This unit is outside your jurisdiction."))
        if not any(u.pk == root.pk for u in units):
            raise BadInput(_("This unit is outside the campaign's scope."))
        units = _subtree(units, root)
    if start and end and start > end:
        raise BadInput(_("The period ends before it starts."))
    if filters.age_band and filters.age_band not in {b.key for b in AGE_BANDS}:
        raise BadInput(_("Unknown age band."))
    if filters.group_by not in GROUPINGS:
        raise BadInput(_("Group by unit, month or age band."))
    return Scope(campaign, units, _unit_groups(units) if units else {}, start, end)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _period_qs(start: dt.date | None, end: dt.date | None, grains: tuple[str, str, str]) -> list[Q]:
    """All time from the all-time rows (``grains[0]``, none when grouping by month), whole
    months from the month rows, the days at either ragged end from the day rows (each grain
    by age band or summed over them); each part reads its own range of the (grain, period,
    unit) index."""
    whole, months, days = grains
    if start is None and end is None:
        return [Q(grain=whole or months)]
    start = start or dt.date(1900, 1, 1)
    end = end or dt.date(2999, 12, 31)
    first_full = start if start.day == 1 else _next_month(start)
    after_last_full = _month(end + dt.timedelta(days=1))  # months wholly <= end
    if first_full >= after_last_full:
        return [Q(grain=days, period__gte=start, period__lte=end)]
    parts = [Q(grain=months, period__gte=first_full, period__lt=after_last_full)]
    if start < first_full:
        parts.append(Q(grain=days, period__gte=start, period__lt=first_full))
    if after_last_full <= end:
        parts.append(Q(grain=days, period__gte=after_last_full, period__lte=end))
    return parts


def _cover(scope: Scope, refreshed: Any) -> dict[int, Unit]:
    """The cells' unit ids that add up to exactly the scope's units, each with the group it
    is counted under: a unit's rollup (-id) where the group holds its whole subtree, else
    the unit's own rows and the cover of its children. Own rows only if the unit tree has
    changed since the rollups were summed."""
    everything = all_units()
    if refreshed is None or refreshed.units_digest != units_digest(everything):
        return dict(scope.groups)
    members: dict[int, set[int]] = defaultdict(set)
    for unit_id, group in scope.groups.items():
        members[group.pk].add(unit_id)
    heads = {g.pk: g for g in scope.groups.values()}
    children: dict[int | None, list[int]] = defaultdict(list)
    below: dict[int, set[int]] = {pk: set() for pk, _parent, _path in everything}
    for pk, parent, _path in everything:
        children[parent].append(pk)
    for pk, _parent, _path in sorted(everything, key=lambda u: len(u[2]), reverse=True):
        below[pk] = {pk}.union(*(below[c] for c in children[pk]))
    out: dict[int, Unit] = {}

    def cover(pk: int, group: Unit) -> None:
        if below.get(pk, {pk}) <= members[group.pk]:
            out[-pk if children[pk] else pk] = group
            return
        if pk in members[group.pk]:
            out[pk] = group
        for child in children[pk]:
            cover(child, group)

    for group in heads.values():
        cover(group.pk, group)
    return out


DIMS = {"unit": "unit_id", "month": "month", "age_band": "age_band"}


def _cells(scope: Scope, filters: Filters, groupings: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Rows (grouping, key, figure, bucket, value) for each grouping asked, in one query:
    the period's parts as one UNION ALL (each an index-only range scan on PostgreSQL),
    summed once per grouping (GROUPING SETS on PostgreSQL, a UNION of GROUP BYs on SQLite)."""
    by_band = bool(filters.age_band) or "age_band" in groupings
    grains = (Grain.ALL_TIME, Grain.MONTH, Grain.DAY) if by_band else \
        (Grain.ALL_TIME_ALL_BANDS, Grain.MONTH_ALL_BANDS, Grain.DAY_ALL_BANDS)
    if "month" in groupings:
        grains = ("", *grains[1:])
    units = [u.pk for u in scope.units]
    if not units:
        return []
    rolled = list(scope.cover)  # the day rows by band have no rollups
    branches, params = [], []
    for period in _period_qs(scope.start, scope.end, grains):
        by_day_and_band = dict(period.children)["grain"] == Grain.DAY
        qs = FigureCell.objects.filter(period, unit_id__in=units if by_day_and_band else rolled)
        if filters.age_band:
            qs = qs.filter(age_band=filters.age_band)
        sql, branch_params = qs.values_list("unit_id", "month", "age_band", "figure", "bucket", "value") \
            .order_by().query.sql_with_params()
        branches.append(sql)
        params.extend(branch_params)
    source = " UNION ALL ".join(f"SELECT * FROM ({b}) b{i}" for i, b in enumerate(branches))  # noqa: S608
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sets = ", ".join(f"({DIMS[g]}, figure, bucket)" for g in groupings)
            keys = ", ".join(f"GROUPING({DIMS[g]})" for g in groupings)
            cursor.execute(f"SELECT {', '.join(DIMS[g] for g in groupings)}, figure, bucket, SUM(value), "  # noqa: S608
                           f"ARRAY[{keys}] FROM ({source}) q GROUP BY GROUPING SETS ({sets})", params)
            for row in cursor.fetchall():
                i = row[-1].index(0)  # the set's one grouped dimension
                out.append((groupings[i], row[i], *row[len(groupings):-1]))
            return out
        for g in groupings:
            cursor.execute(f"SELECT {DIMS[g]}, figure, bucket, SUM(value) FROM ({source}) q "  # noqa: S608
                           f"GROUP BY {DIMS[g]}, figure, bucket", params)
            out += [(g, *row) for row in cursor.fetchall()]
        return out


def _group_labels(scope: Scope, filters: Filters, keys: set[Any]) -> list[tuple[str, str]]:
    """(key, label) of every group, in reading order."""
    if filters.group_by == "unit":
        english = (get_language() or "").startswith("en")
        heads = sorted({g.pk: g for g in scope.groups.values()}.values(), key=lambda u: u.path)
        return [(u.code, (u.name_en or u.name) if english else u.name) for u in heads]
    if filters.group_by == "age_band":
        return [(b.key, str(b.label)) for b in AGE_BANDS if not filters.age_band or b.key == filters.age_band]
    months = sorted(keys)
    if not months:
        return []
    out, month = [], months[0]
    while month <= months[-1]:
        out.append((month.strftime("%Y-%m"), month.strftime("%Y-%m")))
        month = _next_month(month)
    return out


def _gather(scope: Scope, rows: list[tuple[Any, ...]], grouping: str) \
        -> tuple[dict[str, dict[str, int]], dict[str, dict[int, int]], set[Any]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    seen = set()
    for of, dim, figure, bucket, value in rows:
        if of != grouping:
            continue
        if grouping == "unit":
            key = (scope.groups.get(dim) or scope.cover[dim]).code
        elif grouping == "month":
            dim = dt.date.fromisoformat(dim[:10]) if isinstance(dim, str) else dim  # SQLite: text
            key = dim.strftime("%Y-%m")
        else:
            key = dim
        seen.add(dim)
        if figure == "days_to_decision":
            histograms[key][bucket] += value
        else:
            counts[key][figure] += value
    return counts, histograms, seen


def _with_parts(counts: dict[str, int]) -> dict[str, int]:
    out = {f.key: counts.get(f.key, 0) for f in figures.FIGURES if f.source is not None}
    for f in figures.FIGURES:
        if f.parts:
            out[f.key] = sum(out.get(p, 0) for p in f.parts)
    return out


def _relations(rows: list[str]) -> list[Relation]:
    keys = [f.key for f in figures.FIGURES if f.kind == figures.COUNT and (f.source or f.parts)]
    columns = [((TOTAL, k), tuple((r, k) for r in rows)) for k in keys]
    parts = [((r, f.key), tuple((r, p) for p in f.parts)) for f in figures.FIGURES if f.parts for r in [*rows, TOTAL]]
    return columns + parts


def _publish(row: str, counts: dict[str, int], histogram: dict[int, int], hidden: set[Cell]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in figures.shown():
        if f.kind == figures.COUNT:
            out[f.key] = shown(counts[f.key], (row, f.key) in hidden)
        elif f.kind == figures.RATE:
            num, den = f.of
            withheld = (row, num) in hidden or (row, den) in hidden
            out[f.key] = "x" if withheld else (round(counts[num] / counts[den], 3) if counts[den] else None)
        else:
            n = sum(histogram.values())
            out[f.key] = "x" if is_small(n) else quantile(histogram, f.of[1])
    return out


def table(user: Any, filters: Filters) -> dict[str, Any]:
    """The rows (one per group, then the total) and the definitions, as the API and page show them."""
    return tables(user, filters, (filters.group_by,))[filters.group_by]


def tables(user: Any, filters: Filters, groupings: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """``table`` for each of ``groupings`` (the dashboard's table and its two charts), the
    cells read once for all of them."""
    scope = scope_for(user, filters)
    for grouping in groupings:
        if grouping not in GROUPINGS:
            raise BadInput(_("Group by unit, month or age band."))
    refreshed = last_refresh()
    if scope.units:
        scope.cover = _cover(scope, refreshed)
    rows = _cells(scope, filters, groupings)
    return {g: _table(scope, replace(filters, group_by=g), rows, refreshed) for g in groupings}


def _table(scope: Scope, filters: Filters, cells: list[tuple[Any, ...]], refreshed: Any) -> dict[str, Any]:
    raw, histograms, seen = _gather(scope, cells, filters.group_by)
    groups = _group_labels(scope, filters, seen)
    counts = {key: _with_parts(raw.get(key, {})) for key, _label in groups}
    total_hist: dict[int, int] = defaultdict(int)
    for hist in histograms.values():
        for bucket, n in hist.items():
            total_hist[bucket] += n
    counts[TOTAL] = {k: sum(c[k] for c in counts.values()) for k in _with_parts({})}
    values = {(row, key): n for row, c in counts.items() for key, n in c.items()}
    working = {(row, f.key) for row in counts for f in figures.FIGURES if not f.shown}
    hidden = hidden_cells(values, _relations([k for k, _label in groups]), working)
    rows = [{"group": label, "group_key": key, **_publish(key, counts[key], histograms.get(key, {}), hidden)}
            for key, label in groups]
    rows.append({"group": _("Total"), "group_key": TOTAL, **_publish(TOTAL, counts[TOTAL], total_hist, hidden)})
    return {"rows": rows, "definitions": {f.key: f.json() for f in figures.shown()},
            "as_of": refreshed.as_of if refreshed else None,
            "period": {"from": scope.start, "to": scope.end}}
