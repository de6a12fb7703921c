"""One small engine for everything whose status moves by a declared table: the case
workflow (cases.workflow), suspects through the Criminal Procedure Law (cases.suspects)
and referrals to partner agencies (referrals.catalogue).

A table is rows; a row names the statuses it starts from and may lead to, who may take
it, its guards (each returns the condition it finds unmet, or None) and its step, bound
explicitly (``step=steps.propose_non_filing``) so that "find callers" finds it. The
engine checks the status and the guards, runs the step, and refuses a step that led
somewhere its row does not declare. Each domain keeps its own errors' wording and its
own history rows; the engine knows no model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from lantern.core.errors import Conflict


@dataclass(frozen=True)
class Unmet:
    """A condition a guard found unmet: a code for programs, a sentence for people."""

    code: str
    message: Any

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self.message)}


Guard = Callable[[Any], Unmet | None]


@dataclass(kw_only=True)
class StepCtx:
    """What a step of a table that moves one object (a suspect, a referral) receives: who,
    when, why, and the row being taken; the domain adds the object."""

    actor: Any
    at: Any
    reason: str = ""
    move: Any = None  # the row being taken (set by ``Table.perform``)


@dataclass(frozen=True)
class Row:
    name: str
    title: Any
    from_states: frozenset[str]
    to_states: frozenset[str]  # empty: the row changes no status by itself
    step: Callable[[Any], None]
    roles: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()
    legal_reference: str = ""


R = TypeVar("R", bound=Row)


@dataclass
class Table(Generic[R]):
    """``status`` reads the current status from a step's context; ``wrong_status`` words
    the refusal when the row does not start from it; ``refusal`` words the conflict."""

    rows: tuple[R, ...]
    status: Callable[[Any], str]
    wrong_status: Callable[[R, str], Unmet]
    refusal: Callable[[R], Any] = field(default=lambda row: None)

    def __post_init__(self) -> None:
        self.by_name: dict[str, R] = {}
        for row in self.rows:
            if row.name in self.by_name:
                raise ValueError(f"two rows are named {row.name}")
            self.by_name[row.name] = row

    def __iter__(self) -> Iterator[R]:
        return iter(self.rows)

    def get(self, name: str) -> R | None:
        return self.by_name.get(name)

    def moves(self) -> frozenset[tuple[str, str]]:
        """Every (from, to) status change some row declares."""
        return frozenset((a, b) for row in self.rows for a in row.from_states for b in row.to_states if a != b)

    def unmet(self, row: R, ctx: Any) -> list[Unmet]:
        current = self.status(ctx)
        if current not in row.from_states:
            return [self.wrong_status(row, current)]
        return [u for guard in row.guards if (u := guard(ctx)) is not None]

    def perform(self, row: R, ctx: Any) -> tuple[str, str]:
        """Check, then take ``row``: returns the status before and after."""
        if unmet := self.unmet(row, ctx):
            raise Conflict(self.refusal(row), unmet=[u.as_dict() for u in unmet])
        before = self.status(ctx)
        if isinstance(ctx, StepCtx):
            ctx.move = row
        row.step(ctx)
        after = self.status(ctx)
        if after != before and after not in row.to_states:
            raise AssertionError(f"{row.name} led to {after}, not in its declared targets")
        return before, after

    def available(self, ctx: Any, rows: Iterable[R], hide: frozenset[str] = frozenset()) -> list[tuple[R, list[Unmet]]]:
        """Each row with the conditions unmet now (codes in ``hide``, which the caller's
        input will satisfy, left out)."""
        return [(row, [u for u in self.unmet(row, ctx) if u.code not in hide]) for row in rows]
