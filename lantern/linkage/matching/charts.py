"""Splink's own charts of the matching model and of one scored pair, as Vega-Lite specs
(dicts) for ``linkage/_splink_chart.html``, which renders them with the vega, vega-lite
and vega-embed that Splink ships, served as Lantern's static files (no CDN).

No chart holds personal data: the model charts hold m and u probabilities and level
labels; the waterfall of a pair is built by Splink with its details hidden, its two text
layers of values removed, and every spec is checked against the pair's values before it
is returned."""

from __future__ import annotations

import json
from typing import Any

from lantern.linkage.matching.artefacts import Trained, current_model
from lantern.linkage.matching.model import trained_settings
from lantern.linkage.matching.records import PersonRecord, prepare
from lantern.linkage.matching.scoring import compared

# The files of linkage/static/linkage/vendor/ (copied from splink/internals/files/external_js/).
LIBRARIES = ("linkage/vendor/vega-5.31.0.js", "linkage/vendor/vega-lite-5.2.0.js",
             "linkage/vendor/vega-interpreter-1.2.0.js", "linkage/vendor/vega-embed-6.20.2.js")
_VALUE_FIELDS = ("value_l", "value_r")


class ChartLeak(AssertionError):
    """A chart spec would carry a value of the records."""


def _settings_object(model: Trained | None) -> Any:
    from splink import SettingsCreator

    settings = trained_settings((model or current_model()).settings, dialect="duckdb")
    return SettingsCreator.from_path_or_dict(settings).get_settings("duckdb")


def match_weights_chart(model: Trained | None = None) -> dict[str, Any]:
    """The partial match weight of every comparison level."""
    return _settings_object(model).match_weights_chart().chart_dict


def m_u_parameters_chart(model: Trained | None = None) -> dict[str, Any]:
    """The m and u probabilities of every comparison level."""
    return _settings_object(model).m_u_parameters_chart().chart_dict


def _without_values(node: Any) -> Any:
    """The spec without the layers and tooltip entries that show value_l / value_r."""
    if isinstance(node, dict):
        return {k: _without_values(v) for k, v in node.items() if k not in _VALUE_FIELDS}
    if isinstance(node, list):
        return [_without_values(item) for item in node if not _shows_values(item)]
    return node


def _shows_values(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    if node.get("field") in _VALUE_FIELDS:
        return True
    text = node.get("encoding", {}).get("text", {}) if isinstance(node.get("encoding"), dict) else {}
    return isinstance(text, dict) and text.get("field") in _VALUE_FIELDS


# The columns checked, and the shortest value checked in each: a short pinyin ("wei") or
# Latin name is a word of the chart's English labels ("weight") and proves nothing.
_CHECKED = {"name": 2, "surname": 2, "given_name": 2, "name_py": 6, "dob": 8, "place": 2, "address": 2, "phone": 5,
            "id_number": 6}


def ensure_no_values(spec: dict[str, Any], records: list[PersonRecord]) -> None:
    """Raise ChartLeak if a value of these records is in the spec."""
    text = json.dumps(spec, ensure_ascii=False)
    for record in records:
        for column, value in prepare(record).items():
            shortest = _CHECKED.get(column)
            if shortest and value and len(value) >= max(shortest, 1 if value.isascii() is False else 4) \
                    and value in text:
                raise ChartLeak(column)


def waterfall_chart(left: PersonRecord, right: PersonRecord, model: Trained | None = None) -> dict[str, Any]:
    """How the match weight of one pair adds up, level by level, without the values."""
    from splink.internals.charts import WaterfallChart
    from splink.internals.waterfall_chart import records_to_waterfall_data

    trained = model or current_model()
    rows = compared([left], [right], trained)
    data = records_to_waterfall_data(rows, _settings_object(trained), hide_details=True)
    spec = _without_values(WaterfallChart(data, filter_nulls=True).chart_dict)
    ensure_no_values(spec, [left, right])
    return spec


def chart_context(spec: dict[str, Any], element_id: str) -> dict[str, Any]:
    """What ``linkage/_splink_chart.html`` needs: {% include ... with chart=... %}."""
    return {"spec": spec, "element_id": element_id, "libraries": LIBRARIES}
