"""The life of one synthetic case, drawn at random but in the order the workflow allows:
when it was received, what happened to it since and when, up to now. Nothing here
touches the database; synthetic_rows turns a story into rows.

The proportions are assumptions for load testing (not statistics): about four reports
in five are filed, a minor's more often; an investigation takes two to eight months;
one filed case in ten is suspended with its suspect at large, one in twenty-five is
revoked; one in eight sent for prosecution is not prosecuted; a few cases stall in review
or investigation and their clocks run out (what the campaign looks for); 1.5 % of reports
are duplicates merged into an earlier case."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lantern.cases.law import AgeBand, band_for_age
from lantern.cases.states import State

DAY = dt.timedelta(days=1)
# Ages of victims at the offence, weighted (most reports concern minors and young women).
AGES = list(range(6, 46))
AGE_WEIGHTS = [1 if a < 10 else 4 if a < 18 else 3 if a < 25 else 1 for a in AGES]
CHANNELS = ["walk_in"] * 5 + ["call_110"] * 3 + ["online"] * 2 + ["mandatory_report", "referral", "police_discovered"]
SUSPECT_COUNTS = [1] * 85 + [2] * 11 + [3] * 4

# Milestone -> the state the case is in from then on (milestones without one change nothing).
STATE_AFTER: dict[str, State] = {
    "registered": State.RECEIVED, "review": State.UNDER_REVIEW, "filed": State.FILED,
    "not_filed": State.NOT_FILED, "investigating": State.INVESTIGATING, "suspended": State.SUSPENDED,
    "revoked": State.REVOKED, "sent": State.SENT_FOR_PROSECUTION, "prosecuted": State.PROSECUTED,
    "declined": State.NOT_PROSECUTED, "judged": State.JUDGED, "closed": State.CLOSED,
}


@dataclass
class Item:
    """A checklist item's fate: done by the team, or ruled out by a supervisor."""

    key: str
    status: str  # "open", "done", "not_applicable"
    at: dt.datetime | None = None
    template_item: Any = None  # standards.TemplateItem: its clock, and the row the item points at


@dataclass
class Story:
    received_at: dt.datetime
    offence_date: dt.date
    age: int
    band: AgeBand
    channel: str
    suspects: int
    identified: int  # suspects known by name or phone at intake
    indicators: list[str]
    merged: bool
    offences: list[str] = field(default_factory=list)
    templates: list[Any] = field(default_factory=list)  # standards.Template, principal first
    milestones: dict[str, dt.datetime] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    files: bool = True  # the first proposal: to file (or not)
    reopen_trigger: str = ""
    convicted: bool = True

    @property
    def minor(self) -> bool:
        return "minor" in self.band.flags

    @property
    def state(self) -> str:
        if self.merged:
            return State.MERGED
        state = State.RECEIVED
        for name in self.milestones:
            state = STATE_AFTER.get(name, state)
        return state

    def at(self, name: str) -> dt.datetime | None:
        return self.milestones.get(name)


class Clock:
    """Milestones at random intervals, kept only while they lie before ``now``."""

    def __init__(self, story: Story, rng: random.Random, now: dt.datetime) -> None:
        self.story, self.rng, self.now, self.t = story, rng, now, story.received_at

    def step(self, name: str, low: float, high: float) -> bool:
        at = self.t + self.rng.uniform(low, high) * DAY
        if at > self.now:
            return False
        self.t = self.story.milestones[name] = at
        return True


# The offences reported, by the victim's age band (each must apply to the band:
# standards.law.OFFENCES), with a second one now and then.
OFFENCES_BY_BAND = {
    "under_12": (("child_indecency", "child_rape"), (55, 45)),
    "12_to_14": (("child_indecency", "child_rape"), (50, 50)),
    "14_to_16": (("rape", "forcible_indecency", "duty_of_care", "child_prostitution"), (55, 30, 10, 5)),
    "16_to_18": (("rape", "forcible_indecency", "child_prostitution"), (60, 35, 5)),
    "adult": (("rape", "forcible_indecency"), (65, 35)),
}


def offences_for(rng: random.Random, band: str) -> list[str]:
    names, weights = OFFENCES_BY_BAND[band]
    chosen = rng.choices(names, weights)
    if rng.random() < 0.08:
        chosen.append(rng.choices(names, weights)[0])
    return list(dict.fromkeys(chosen))


def draw(rng: random.Random, received_at: dt.datetime, now: dt.datetime, *, merged: bool,
         standard: Callable[[tuple[str, ...], str], tuple[list[Any], list[Any]]]) -> Story:
    """``standard`` gives the templates in force and their items for (offences, band)."""
    age = rng.choices(AGES, AGE_WEIGHTS)[0]
    band = band_for_age(age)
    local = received_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    historical = rng.random() < 0.04
    offence = local - dt.timedelta(days=rng.randint(400, 3000) if historical else rng.choice([0, 0, 0, 1, 1, 2, 5, 20]))
    suspects = rng.choice(SUSPECT_COUNTS)
    indicators = ["genital_injury"] if "minor" in band.flags and rng.random() < 0.04 else []
    story = Story(received_at, offence, age, band, rng.choice(CHANNELS), suspects,
                  sum(rng.random() < 0.9 for _ in range(suspects)), indicators, merged)
    story.offences = offences_for(rng, band.key)
    story.templates, template_items = standard(tuple(story.offences), band.key)
    story.milestones["registered"] = received_at
    if not merged:
        story.items = [Item(t.key, "open", template_item=t) for t in template_items]
        _live(story, Clock(story, rng, now))
    return story


def _live(story: Story, c: Clock) -> None:
    stalls = c.rng.random() < 0.02  # forgotten: the clocks run out and nobody acts
    file = story.files = bool(story.indicators) or c.rng.random() < (0.88 if story.minor else 0.78)
    stall_at = _decide(story, c, file, stalls)
    _items(story, c, settle_first=not file, stall_at=stall_at)


def _decide(story: Story, c: Clock, file: bool, stalls: bool) -> dt.datetime | None:
    """The milestones from assignment on; returns when work stopped on a stalled case."""
    if not c.step("assigned", 0.02, 1.5) or not c.step("review", 0.01, 0.8):
        return None
    if stalls:
        return c.t + 2 * DAY
    if not c.step("proposed", 0.3, 3.2):
        return None
    if not file and story.minor and not c.step("first_approval", 0.05, 1.0):
        return None  # a minor's non-filing needs a second approver one level up
    if not c.step("filed" if file else "not_filed", 0.05, 1.2):
        return None
    if not file and not _not_filed(story, c):
        return None
    return _investigate(story, c)


def _not_filed(story: Story, c: Clock) -> bool:
    """Notice delivered; True when the case is later reopened and filed after all."""
    if not c.step("notice", 0.1, 2.5) or c.rng.random() >= 0.05:
        return False
    story.reopen_trigger = c.rng.choice(["new_facts"] * 6 + ["procuratorate_notice"] * 3 + ["media_exposure"])
    return c.step("reopen_proposed", 10, 60) and c.step("filed", 0.1, 2)


def _investigate(story: Story, c: Clock) -> dt.datetime | None:
    if not c.step("investigating", 0.05, 3):
        return None
    stalls, roll = c.rng.random() < 0.02, c.rng.random()
    in_hand = roll >= 0.10  # one case in ten: every suspect at large
    if in_hand and not story.identified:
        story.identified = 1  # found by the investigation (recorded as if known from the start)
    if in_hand:
        _ = c.step("detained", 0.5, 20) and c.step("arrest_requested", 1, 3) and c.step("arrested", 2, 7)
    if stalls:
        return c.t + 10 * DAY
    if not in_hand:
        c.step("suspended", 20, 120)
    elif roll < 0.14:
        _ = c.step("revoked", 20, 150) and c.step("closed", 20, 90)
    elif c.step("sent", 30, 200):
        if c.rng.random() < 0.12:
            _ = c.step("declined", 20, 60) and c.step("closed", 10, 40)
        else:
            story.convicted = c.rng.random() < 0.96
            _ = c.step("prosecuted", 15, 60) and c.step("judged", 30, 120) and c.step("closed", 15, 60)
    return None


def _items(story: Story, c: Clock, *, settle_first: bool, stall_at: dt.datetime | None) -> None:
    """Checklist work: most items between the start of the review and the proposal, the
    rest during the investigation (all before the case is sent on or revoked); a
    non-filing needs every item settled before it is proposed."""
    start, proposed, began = story.at("review"), story.at("proposed"), story.at("investigating")
    ended = story.at("sent") or story.at("revoked") or story.at("suspended")
    no_suspect = story.identified == 0
    for item in story.items:
        if start is None:
            continue
        ruled_out = no_suspect and item.key in ("phone_extraction", "suspect_statements")
        if settle_first or ruled_out or c.rng.random() < 0.55:
            at = (start + c.rng.uniform(0.02, 0.95) * (proposed - start) if proposed
                  else start + c.rng.uniform(0.05, 3) * DAY)
        elif began is not None:
            at = began + c.rng.uniform(0.02, 0.9) * ((ended or began + 200 * DAY) - began)
        else:
            continue
        if at <= c.now and (stall_at is None or at <= stall_at):
            item.status, item.at = ("not_applicable" if ruled_out else "done"), at
