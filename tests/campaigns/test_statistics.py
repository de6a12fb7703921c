"""The statistics of a generated set of cases match counts computed here, independently,
from the cases themselves; a group of three is published as "<5" and the total cannot
give it away."""

from __future__ import annotations

from collections import Counter

import pytest

from lantern.campaigns.statistics import Filters, table
from lantern.cases.models import Case, Decision, SuspectEvent

pytestmark = pytest.mark.django_db


def _rows(user, **filters):
    return {r["group_key"]: r for r in table(user, Filters(**filters))["rows"]}


def _published(n):
    return "<5" if 1 <= n <= 4 else n


def test_figures_by_unit_match_the_cases_and_a_group_of_three_is_suppressed(world):
    rows = _rows(world["analyst"], group_by="unit")
    cases = Case.objects.select_related("unit")
    received = Counter(c.unit.code for c in cases)
    assert received == {"QS-GAJ": 20, "HP-GAJ": 3}
    assert rows["HP-GAJ"]["received"] == "<5"
    # The total less the other groups would give HP's 3 away: another cell is withheld.
    others = [r["received"] for k, r in rows.items() if k not in ("HP-GAJ", "total")]
    assert not isinstance(rows["total"]["received"], int) or not all(isinstance(v, int) for v in others)
    assert rows["QS-GAJ"]["received"] == "x"  # the next smallest group, withheld (not "<5": it is not small)
    assert rows["total"]["received"] == 23
    approved = Decision.objects.filter(status="approved")
    assert rows["QS-GAJ"]["filed"] == approved.filter(kind="file").count() == 8
    assert rows["QS-GAJ"]["not_filed"] == _published(approved.filter(kind="not_file").count())
    solved = SuspectEvent.objects.filter(to_status="detained").values("suspect__case").distinct().count()
    assert rows["QS-GAJ"]["solved"] == solved == 5
    mandatory = cases.filter(channel="mandatory_report").count()
    assert rows["QS-GAJ"]["mandatory_reports"] == _published(mandatory)
    minors = cases.filter(is_minor=True).count()
    assert rows["total"]["minors_share"] == round(minors / 23, 3)
    assert rows["QS-GAJ"]["minors_share"] == "x"  # a rate of a withheld count is withheld
    assert rows["QS-GAJ"]["median_days_to_decision"] is not None


def test_figures_by_month_and_age_band_match_the_cases(world):
    by_band = _rows(world["analyst"], group_by="age_band")
    expected = Counter(Case.objects.values_list("age_band", flat=True))
    for band, n in expected.items():
        assert by_band[band]["received"] == _published(n), band
    by_month = _rows(world["analyst"], group_by="month")
    months = Counter(c.received_at.astimezone().strftime("%Y-%m") for c in Case.objects.all())
    for month, n in months.items():
        assert by_month[month]["received"] == _published(n), month


def test_a_unit_filter_reads_its_subtree_only(world, units):
    rows = _rows(world["analyst"], unit_id=units["HP-GAJ"].pk)
    assert rows["total"]["received"] == "<5"
    assert rows["total"]["filed"] == 0
