"""Small-number suppression (the GBVIMS / UNHCR data-protection practice): a count from 1
to 4 is published as "<5", and further cells are withheld ("x") wherever a table's sums
would let a hidden count be worked out by subtraction — a total and all but one of its
parts. Pure functions over the table's counts, so the rule can be tested by itself."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

SMALL = "<5"
WITHHELD = "x"

Cell = tuple[str, str]  # (row, figure)
Relation = tuple[Cell, tuple[Cell, ...]]  # a total and the parts it is the sum of


def is_small(value: int) -> bool:
    return 1 <= value <= 4


def _complement(values: Mapping[Cell, int], hidden: set[Cell], relation: Relation, working: set[Cell]) -> Cell:
    """The cell to withhold beside the one hidden cell of ``relation``: a total that is not
    published anyway, else the smallest other part above zero, else the total."""
    total, parts = relation
    if total in working and total not in hidden:
        return total
    others = sorted((values[c], c) for c in parts if c not in hidden and values[c] > 0)
    return others[0][1] if others else total


def hidden_cells(values: Mapping[Cell, int], relations: Iterable[Relation],
                 working: Iterable[Cell] = ()) -> set[Cell]:
    """The cells not to publish: every small count, then complements until no relation has
    exactly one hidden cell. ``working`` cells are read by a published rate but not shown
    themselves (a rate's denominator); they take part as if published."""
    hidden = {cell for cell, value in values.items() if is_small(value)}
    relations, spare = list(relations), set(working)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            total, parts = relation
            if sum(1 for cell in (total, *parts) if cell in hidden) == 1:
                hidden.add(_complement(values, hidden, relation, spare))
                changed = True
    return hidden


def shown(value: int, hidden: bool) -> int | str:
    if not hidden:
        return value
    return SMALL if is_small(value) else WITHHELD


def quantile(histogram: Mapping[Hashable, int], q: float) -> int | None:
    """The nearest-rank ``q`` quantile of a histogram {bucket lower bound: count}: the
    smallest bucket whose cumulative count reaches ceil(q * n). None when empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank, seen = max(1, math.ceil(q * n)), 0
    for bucket in sorted(histogram):  # type: ignore[type-var]
        seen += histogram[bucket]
        if seen >= rank:
            return int(bucket)  # type: ignore[call-overload]
    raise AssertionError("unreachable: the cumulative count reaches n")
