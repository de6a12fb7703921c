"""What the dashboard page shows: the filters read from the query string, the figures
table turned so that each figure is a line with its definition beside it, the two charts'
data and the export of exactly those lines (suppressed cells stay suppressed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts.models import Unit
from lantern.accounts.models.units import Branch, Level
from lantern.campaigns import figures, statistics
from lantern.campaigns.rules import visible_campaigns
from lantern.cases.law import AGE_BANDS
from lantern.core.errors import BadInput

CHART_FIGURES = ("received", "filed", "solved", "not_filed")


def _int(params: Mapping[str, Any], key: str) -> int | None:
    value = (params.get(key) or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise BadInput(_("Choose from the list."))
    return int(value)


def _date(params: Mapping[str, Any], key: str) -> dt.date | None:
    value = (params.get(key) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(_("Enter the date as YYYY-MM-DD.")) from None


def filters_from(params: Mapping[str, Any]) -> statistics.Filters:
    group_by = params.get("group_by") or "unit"
    return statistics.Filters(campaign_id=_int(params, "campaign_id"), unit_id=_int(params, "unit_id"),
                              start=_date(params, "from"), end=_date(params, "to"),
                              age_band=(params.get("age_band") or "").strip(), group_by=group_by)


def scope_units(user: Any) -> list[Unit]:
    """Police units of the user's jurisdiction that own cases (not internal departments)."""
    if user.unit is None:
        return []
    return list(Unit.objects.filter(division_code__startswith=user.unit.jurisdiction_prefix, branch=Branch.POLICE)
                .exclude(level=Level.DEPARTMENT).order_by("path"))


def lines(table: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per figure: its label, a value per group (the total last), its definition.
    A rate reads as a percentage on the page and in the exports alike (the API keeps the fraction)."""
    return [{"key": key, "label": d["label"], "definition": d["definition"],
             "values": [_as_shown(row[key], d["kind"]) for row in table["rows"]]}
            for key, d in table["definitions"].items()]


def _as_shown(value: Any, kind: str) -> Any:
    return f"{value * 100:.1f}%" if kind == figures.RATE and isinstance(value, float | int) else value


def _series(table: dict[str, Any]) -> dict[str, Any]:
    rows = [r for r in table["rows"] if r["group_key"] != statistics.TOTAL]
    return {"groups": [r["group"] for r in rows],
            "series": [{"key": key, "name": table["definitions"][key]["label"],
                        # A suppressed value is not drawn (a gap), never drawn as a number.
                        "data": [r[key] if isinstance(r[key], int) else None for r in rows]}
                       for key in CHART_FIGURES]}


def page(user: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    filters = filters_from(params)
    # The table and the two charts (by month, by unit) from one read of the cells.
    groupings = tuple(dict.fromkeys((filters.group_by, "month", "unit")))
    by = statistics.tables(user, filters, groupings)
    table = by[filters.group_by]
    return {
        "filters": filters, "table": table, "lines": lines(table),
        "groups": [r["group"] for r in table["rows"]],
        "charts": {"trend": _series(by["month"]), "units": _series(by["unit"]),
                   "labels": {"trend": _("Trend by month"), "units": _("Units compared"),
                              "gap": _("Suppressed values are not drawn.")}},
        "campaigns": list(visible_campaigns(user).select_related("unit")),
        "units": scope_units(user), "age_bands": AGE_BANDS,
        "groupings": [("unit", _("Unit")), ("month", _("Month")), ("age_band", _("Age band"))],
        "query": params.urlencode() if hasattr(params, "urlencode") else "",
    }


def export_rows(user: Any, params: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    table = statistics.table(user, filters_from(params))
    as_of = table["as_of"].isoformat(timespec="minutes") if table["as_of"] else ""
    header = [_("Figure"), *[r["group"] for r in table["rows"]], _("Definition")]
    body = [[line["label"], *["" if v is None else v for v in line["values"]], line["definition"]]
            for line in lines(table)]
    body.append([_("Figures as of"), as_of])
    return header, body
