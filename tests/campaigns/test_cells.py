"""The rollups (a unit subtree's sums, read where a scope holds the whole subtree) give
the same tables as the units' own rows, for every grouping, period and filter; once the
unit tree changes after a refresh the readers fall back to the own rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.campaigns.cells import last_refresh
from lantern.campaigns.models import FigureCell
from lantern.campaigns.statistics import Filters, _cover, scope_for, tables

pytestmark = pytest.mark.django_db


def _all(user, **filters):
    return tables(user, Filters(**filters), ("unit", "month", "age_band"))


def test_rollups_give_the_tables_of_the_units_own_rows(world, units):
    today = timezone.localdate()
    ragged = {"start": today - dt.timedelta(days=50), "end": today - dt.timedelta(days=3)}
    cases = [{}, ragged, {**ragged, "age_band": "12_to_14"}, {"unit_id": units["AP-GAJ"].pk}]
    assert FigureCell.objects.filter(unit_id__lt=0).exists()
    assert any(k < 0 for k in _cover(scope_for(world["analyst"], Filters()), last_refresh()))  # rollups read
    with_rollups = [_all(world["analyst"], **c) for c in cases]
    refreshed = last_refresh()
    refreshed.units_digest = "the tree changed"
    refreshed.save()
    assert [_all(world["analyst"], **c) for c in cases] == with_rollups
