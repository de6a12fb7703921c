"""A realistic synthetic load (issue 17, "A million cases"): ``generate`` registers
``cases`` made-up reports in a made-up province (synthetic_world) over the past years,
each taken as far through the workflow as its age allows (synthetic_story), with its
people, blind indexes, checklist, clocks, decisions, evidence and audit entries
(synthetic_rows, synthetic_work, synthetic_audit), written in batches with COPY on
PostgreSQL (synthetic_sink).

The pace is a province's: about 100,000 reports a year (so 1,000,000 cases span ten
years and 100,000 one year, and the work of a day is the same at both sizes; only the
history grows). Every page and selector reads the result as it reads registered cases:
the same tables, states, clocks and audit entries, and the chain verifies."""

from __future__ import annotations

import datetime as dt
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from lantern.audit.services import seal_pending
from lantern.cases import kept
from lantern.cases.models import Case, CaseCounter
from lantern.deadlines.arithmetic import LOCAL
from lantern.deadlines.services import current_calendar
from lantern.site import synthetic_audit, synthetic_world
from lantern.site.synthetic_people import People
from lantern.site.synthetic_rows import Batch, CaseRows, case_row, people_rows
from lantern.site.synthetic_sink import Ids, bulk_mode, move_sequences, write
from lantern.site.synthetic_story import Story, draw
from lantern.site.synthetic_work import checklist_rows, work_rows
from lantern.site.synthetic_world import County, World
from lantern.standards import selectors as standards

CASES_PER_YEAR = 100_000
BATCH = 5_000
MERGED_SHARE = 0.015
DAY = dt.timedelta(days=1)
READ_BY_UNIT = {"basis": "unit", "identity": True, "purpose": "view", "sealed": False}


@dataclass
class Summary:
    cases: int = 0
    rows: int = 0
    audit_entries: int = 0
    seconds: float = 0.0
    states: Counter[str] = field(default_factory=Counter)


def default_years(cases: int) -> float:
    """A province's history at its pace, at least a year so every state is reached."""
    return min(10.0, max(1.0, cases / CASES_PER_YEAR))


@dataclass
class Numbers:
    """Case numbers per handling unit and year, after those already issued."""

    last: dict[tuple[int, int], int] = field(default_factory=dict)

    def next(self, county: County, at: dt.datetime) -> str:
        year = at.astimezone(LOCAL).year
        key = (county.bureau.pk, year)
        if key not in self.last:
            self.last[key] = (CaseCounter.objects.filter(unit_id=key[0], year=year).aggregate(m=Max("last"))["m"]
                              or 0)
        self.last[key] += 1
        return f"{county.bureau.code}-{year}-{self.last[key]:05d}"

    def save(self) -> None:
        """Counters move past the generated numbers, so the next real report continues."""
        for (unit_id, year), last in self.last.items():
            CaseCounter.objects.update_or_create(unit_id=unit_id, year=year, defaults={"last": last})


class Writer(threading.Thread):
    """Writes each batch in a transaction of its own, on a connection of its own, while the
    next batch is built: the database's share of the work (index upkeep above all) runs on
    the second core meanwhile. Used on PostgreSQL outside any transaction; inside one (a
    test's) the batches are written in it, in turn."""

    def __init__(self, ids: Ids, summary: Summary) -> None:
        super().__init__(name="synthetic-writer", daemon=True)
        self.ids, self.summary = ids, summary
        self.batches: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while (b := self.batches.get()) is not None:
                write_batch(b, self.ids, self.summary)
        except BaseException as exc:
            self.error = exc
            while self.batches.get() is not None:  # let the builder finish putting
                pass
        finally:
            connection.close()

    def put(self, b: Batch | None) -> None:
        if self.error is not None:
            raise self.error
        self.batches.put(b)

    def finish(self) -> None:
        self.put(None)
        self.join()
        if self.error is not None:
            raise self.error


def write_batch(b: Batch, ids: Ids, summary: Summary) -> None:
    with transaction.atomic():
        triggers_off = bulk_mode()
        summary.rows += write([b.tables[m] for m in list(b.tables)])
        if triggers_off and b.case_ids:  # what the clocks' and proceedings' triggers would have kept
            kept.recompute(min(b.case_ids), max(b.case_ids))
        summary.audit_entries += synthetic_audit.write_sealed(b.events, ids)


class Generator:
    def __init__(self, *, seed: int, prefectures: int, now: dt.datetime) -> None:
        self.world: World = synthetic_world.ensure(prefectures=prefectures, seed=seed)
        seal_pending()  # the chain head must be current (the new staff's entries in it) before appending
        self.rng, self.now, self.ids = random.Random(seed), now, Ids()
        self.people, self.calendar, self.numbers = People(seed), current_calendar(), Numbers()
        self.recent: dict[int, list[int]] = {}  # county bureau -> its latest cases (a duplicate joins one)
        self._standards: dict[tuple[tuple[str, ...], str], tuple[list[Any], list[Any]]] = {}
        self.offenders: dict[int, list[tuple[Any, ...]]] = {}  # county bureau -> its recent suspects
        self.summary = Summary()
        self.writer: Writer | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.writer = Writer(self.ids, self.summary)
            self.writer.start()

    def standard(self, offences: tuple[str, ...], band: str) -> tuple[list[Any], list[Any]]:
        """The evidence standard's templates in force today for these offences and band, and
        their items (standards.selectors, as intake chooses them), read once per combination."""
        key = (offences, band)
        if key not in self._standards:
            templates = standards.templates_for(offences=offences, age_band=band,
                                                division=synthetic_world.PROVINCE, on=self.now.date())
            self._standards[key] = (templates, standards.items_of(templates))
        return self._standards[key]

    def batch(self, times: list[dt.datetime]) -> None:
        b = Batch(self.ids, self.people, self.rng, self.now, self.calendar)
        for received in times:
            self.summary.states[self.case(b, received).state] += 1
        self.summary.cases += len(times)
        self.put(b)

    def case(self, b: Batch, received: dt.datetime) -> Story:
        rng = self.rng
        county = rng.choice(self.world.counties)
        recent = self.recent.setdefault(county.bureau.pk, [])
        merged_into = rng.choice(recent) if recent and rng.random() < MERGED_SHARE else None
        story = draw(rng, received, self.now, merged=merged_into is not None, standard=self.standard)
        station = rng.randrange(len(county.stations))
        intake = rng.choice(county.people("intake")[station * 2:station * 2 + 2])
        minor = story.minor
        c = CaseRows(story, county, b.ids.take(Case), intake,
                     rng.sample(county.people("investigator"), 2 if rng.random() < 0.3 else 1),
                     rng.choice(county.people("supervisor")), county.people("head")[0],
                     county.people("minors_prosecutor")[0] if minor else rng.choice(county.people("prosecutor")),
                     offenders=self.offenders.setdefault(county.bureau.pk, []))
        people_rows(b, c)
        case_row(b, c, self.numbers.next(county, received), c.case_id, merged_into)
        if merged_into is None:
            checklist_rows(b, c, work_rows(b, c))
            recent.append(c.case_id)
            del recent[:-50]
        return story

    def patterns(self) -> None:
        """What the weekly access report exists to catch, once: yesterday a supervisor
        looks up 25 of the county's cases within an hour, and the day before seven people
        open one case (the report's thresholds are 20 cases an hour, 5 readers a day)."""
        county, prefecture = self.world.counties[0], self.world.prefectures[0]
        cases = self.recent.get(county.bureau.pk, [])
        if len(cases) < 26:
            return
        b = Batch(self.ids, self.people, self.rng, self.now, self.calendar)
        looker = county.people("supervisor")[0]
        hour = (self.now - DAY).replace(minute=0, second=0, microsecond=0)
        for n, case_id in enumerate(cases[-25:]):
            b.log(hour + dt.timedelta(minutes=2 * n + 1), looker, "case.read", case_id, READ_BY_UNIT)
        readers = (county.people("supervisor") + county.people("head") + prefecture.staff["head"]
                   + county.people("prosecutor") + county.people("minors_prosecutor"))
        # From nine in the morning (local), so that the seven reads fall within one local day.
        morning = timezone.localtime(self.now - 2 * DAY).replace(hour=9, minute=0, second=0, microsecond=0)
        for n, reader in enumerate(readers):
            basis = {**READ_BY_UNIT, "basis": "prosecutor", "identity": False} if reader.unit.branch != "police" \
                else READ_BY_UNIT
            b.log(morning + dt.timedelta(minutes=37 * n), reader, "case.read", cases[0], basis)
        self.put(b)

    def put(self, b: Batch) -> None:
        if self.writer is not None:
            self.writer.put(b)
        else:
            write_batch(b, self.ids, self.summary)

    def finish(self) -> None:
        if self.writer is not None:
            self.writer.finish()
        with transaction.atomic():
            self.numbers.save()
            move_sequences(self.ids.models())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner must know the tables have grown


def arrival_times(n: int, years: float, now: dt.datetime, rng: random.Random) -> list[dt.datetime]:
    """``n`` reports spread evenly over the years before ``now``, oldest first."""
    span = dt.timedelta(days=365.25 * years)
    return [now - span + span * ((k + rng.random()) / n) for k in range(n)]


def generate(*, cases: int, seed: int = 1, prefectures: int = 6, years: float | None = None,
             now: dt.datetime | None = None, batch: int = BATCH,
             progress: Callable[[Summary], None] | None = None) -> Summary:
    """Add ``cases`` synthetic cases (see the module's docstring); returns what was made."""
    started = time.perf_counter()
    now = now or timezone.now()
    generator = Generator(seed=seed, prefectures=prefectures, now=now)
    times = arrival_times(cases, years or default_years(cases), now, random.Random(seed + 1))
    for start in range(0, cases, batch):
        generator.batch(times[start:start + batch])
        generator.summary.seconds = time.perf_counter() - started
        if progress is not None:
            progress(generator.summary)
    generator.patterns()
    generator.finish()
    generator.summary.seconds = time.perf_counter() - started
    return generator.summary
