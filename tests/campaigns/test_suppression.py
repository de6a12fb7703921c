"""Properties of the suppression and of quantiles read from a histogram."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.campaigns.cells import bucket_of
from lantern.campaigns.suppression import hidden_cells, quantile

counts = st.integers(min_value=0, max_value=40)


@st.composite
def tables(draw):
    """Groups × figures of counts, the total row their sums, and a figure that is the sum
    of two others in every row (as "overturned" is of its kinds)."""
    groups = [f"g{i}" for i in range(draw(st.integers(1, 6)))]
    values = {}
    for g in groups:
        a, b = draw(counts), draw(counts)
        values |= {(g, "a"): a, (g, "b"): b, (g, "ab"): a + b, (g, "c"): draw(counts)}
    for f in ("a", "b", "ab", "c"):
        values[("total", f)] = sum(values[(g, f)] for g in groups)
    relations = [(("total", f), tuple((g, f) for g in groups)) for f in ("a", "b", "ab", "c")]
    relations += [((r, "ab"), ((r, "a"), (r, "b"))) for r in [*groups, "total"]]
    return values, relations


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_cell_can_be_recovered_by_subtraction(table):
    values, relations = table
    hidden = hidden_cells(values, relations)
    assert {c for c, v in values.items() if 1 <= v <= 4} <= hidden  # every small count hidden
    for total, parts in relations:
        # A relation with exactly one hidden cell gives it away (the total less the others).
        assert sum(1 for c in (total, *parts) if c in hidden) != 1, (total, parts, hidden)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_only_what_must_be_hidden_is_hidden_in_a_table_without_small_counts(table):
    values, relations = table
    if not any(1 <= v <= 4 for v in values.values()):
        assert hidden_cells(values, relations) == set()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=200),
       st.sampled_from([0.5, 0.9, 0.25, 0.1, 1.0]))
def test_a_quantile_from_the_histogram_is_the_nearest_rank_quantile_of_the_bucketed_days(days, q):
    histogram: dict[int, int] = {}
    for d in days:
        histogram[bucket_of(d)] = histogram.get(bucket_of(d), 0) + 1
    ranked = sorted(bucket_of(d) for d in days)
    assert quantile(histogram, q) == ranked[max(1, math.ceil(q * len(days))) - 1]
    if max(days) <= 30:  # exact below the wide buckets
        assert quantile(histogram, q) == sorted(days)[max(1, math.ceil(q * len(days))) - 1]


def test_histograms_of_two_units_add_up_to_the_histogram_of_both():
    left, right = {0: 2, 3: 1}, {3: 4, 45: 1}
    both = {0: 2, 3: 5, 45: 1}
    assert quantile(both, 0.5) == 3 and quantile(both, 0.9) == 45
    assert quantile({}, 0.5) is None
    assert quantile(left, 0.5) == 0 and quantile(right, 0.9) == 45
