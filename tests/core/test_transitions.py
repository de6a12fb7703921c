"""The transition engine that the case workflow, suspects and referrals share."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.core.errors import Conflict
from lantern.core.transitions import Row, Table, Unmet


@dataclass
class Thing:
    status: str = "a"
    reason: str = ""


def to(status):
    def step(ctx):
        ctx.status = status
    return step


def reason_given(ctx):
    return None if ctx.reason else Unmet("reason_required", "A reason is required.")


ROWS = (
    Row(name="forward", title="Forward", from_states=frozenset({"a"}), to_states=frozenset({"b"}), step=to("b"),
        guards=(reason_given,)),
    Row(name="back", title="Back", from_states=frozenset({"b"}), to_states=frozenset({"a"}), step=to("a")),
    Row(name="note", title="Note", from_states=frozenset({"a", "b"}), to_states=frozenset(), step=lambda ctx: None),
    Row(name="astray", title="Astray", from_states=frozenset({"b"}), to_states=frozenset({"a"}), step=to("z")),
)
TABLE = Table(ROWS, status=lambda ctx: ctx.status,
              wrong_status=lambda row, status: Unmet("status", f"{row.name} is not possible from {status}"),
              refusal=lambda row: f"{row.title} cannot be taken now.")


def test_a_row_is_taken_when_its_status_and_guards_allow():
    thing = Thing(reason="because")
    assert TABLE.perform(TABLE.get("forward"), thing) == ("a", "b")
    assert thing.status == "b"


def test_a_refusal_names_every_unmet_condition_and_changes_nothing():
    thing = Thing()
    with pytest.raises(Conflict) as refused:
        TABLE.perform(TABLE.get("forward"), thing)
    assert refused.value.details["unmet"] == [{"code": "reason_required", "message": "A reason is required."}]
    assert str(refused.value.message) == "Forward cannot be taken now."
    assert thing.status == "a"
    with pytest.raises(Conflict) as wrong:
        TABLE.perform(TABLE.get("back"), thing)
    assert wrong.value.details["unmet"][0]["code"] == "status"


def test_a_step_that_leads_outside_its_declared_targets_is_stopped():
    with pytest.raises(AssertionError, match="astray led to z"):
        TABLE.perform(TABLE.get("astray"), Thing(status="b"))


def test_the_moves_a_table_declares_leave_out_rows_that_change_nothing():
    assert TABLE.moves() == {("a", "b"), ("b", "a")}


def test_two_rows_of_one_name_are_refused():
    with pytest.raises(ValueError, match="two rows"):
        Table(ROWS + ROWS[:1], status=lambda ctx: ctx.status, wrong_status=lambda row, s: Unmet("s", s))


def test_available_hides_only_the_conditions_the_caller_will_satisfy():
    listed = dict((row.name, [u.code for u in unmet]) for row, unmet in TABLE.available(Thing(), ROWS[:3],
                                                                                        frozenset({"reason_required"})))
    assert listed == {"forward": [], "back": ["status"], "note": []}


@given(st.lists(st.sampled_from([r.name for r in ROWS[:3]]), max_size=30), st.booleans())
def test_whatever_is_tried_the_status_only_moves_along_declared_moves(names, with_reason):
    thing = Thing(reason="r" if with_reason else "")
    for name in names:
        before = thing.status
        try:
            TABLE.perform(TABLE.get(name), thing)
        except Conflict:
            assert thing.status == before
            continue
        assert thing.status == before or (before, thing.status) in TABLE.moves()
