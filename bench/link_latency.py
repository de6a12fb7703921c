"""Linking a new report against the persons already known (issue 14): exact links through
the blind index and fuzzy matching with the stored Splink model, per report.

N synthetic persons (linkage.matching.synthetic: Faker zh_CN names with realistic errors,
never real people) are stored as suspects of N cases, with their identifiers' blind
indexes and their blocking keys (keyed hashes), as intake would leave them. Then K new
reports arrive, each with one suspect: most are another record of a known person (a
homophone, a transposed date, an old phone), some a stranger. Each is written in a
transaction that is rolled back afterwards, and what is timed is what linkage does on
top of intake: people.events.announce_indexed (links, networks, alerts, candidates by
blocking key, scoring with the model, the registry). Prints p50 / p99 / max in ms.

    make bench     or     DATABASE_URL=... python bench/link_latency.py --persons 1000000 --reports 200
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from lantern.accounts import demo  # noqa: E402
from lantern.accounts.models import Unit, User  # noqa: E402
from lantern.cases.models import Case, Suspect  # noqa: E402
from lantern.core.vault.blind import IdKind, digest, keyed  # noqa: E402
from lantern.linkage.matching import scoring, synthetic  # noqa: E402
from lantern.linkage.models import PersonKey  # noqa: E402
from lantern.people import events  # noqa: E402
from lantern.people.models import Identifier, PersonRole  # noqa: E402

BATCH = 5000


def _case(n: int, unit: Unit, station: Unit, officer: User, now) -> Case:
    return Case(case_number=f"LINK-{n:08d}", state="UNDER_REVIEW", unit=unit, intake_unit=station, channel="walk_in",
                received_at=now, offence_date=now.date(), narrative="（基准测试合成数据）", flags=[], age_band="adult",
                is_minor=False, tracking_code=f"L{n:09d}", portal_secret_hash="-",  # noqa: S106 (no secret)
                created_by=officer)


def _suspect(case: Case, record) -> Suspect:
    return Suspect(case=case, name=record.name, phone=record.phone, id_number=record.id_number, sex=record.sex,
                   date_of_birth=record.date_of_birth, status="identified")


def _identifiers(s: Suspect) -> list[Identifier]:
    rows = []
    for kind, raw in ((IdKind.PHONE, s.phone), (IdKind.ID_NUMBER, s.id_number)):
        value = digest(kind, raw)
        if value:
            rows.append(Identifier(case=s.case, role=PersonRole.SUSPECT, suspect=s, kind=kind, digest=value))
    return rows


def generate(total: int) -> list:
    """The persons as the database holds them; returns the truths, to draw new reports from."""
    truths = list(synthetic.persons(total))
    existing = Case.objects.filter(case_number__startswith="LINK-").count()
    unit, station = Unit.objects.get(code="QS-GAJ"), Unit.objects.get(code="QS-CGPCS")
    officer, now = User.objects.get(username="intake"), timezone.now()
    started = time.perf_counter()
    for start in range(existing, total, BATCH):
        chunk = truths[start:start + BATCH]
        with transaction.atomic():
            cases = Case.objects.bulk_create([_case(start + i, unit, station, officer, now) for i in range(len(chunk))])
            suspects = Suspect.objects.bulk_create([_suspect(c, t.record) for c, t in zip(cases, chunk, strict=True)])
            Identifier.objects.bulk_create([row for s in suspects for row in _identifiers(s)], batch_size=BATCH)
            PersonKey.objects.bulk_create([PersonKey(suspect=s, rule=r, digest=keyed(r, v))
                                           for s, t in zip(suspects, chunk, strict=True)
                                           for r, v in set(scoring.blocking_keys(t.record))], batch_size=BATCH)
        if (start // BATCH) % 20 == 0:
            print(f"  stored {start + len(chunk):,} persons ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return truths


def new_reports(truths: list, count: int, seed: int = 5) -> list:
    """Mostly another record of a known person (with the generator's errors), some strangers."""
    gen, rng = synthetic.Generator(seed), random.Random(seed)
    made = []
    for i in range(count):
        if i % 4 == 3:
            made.append(gen.person(f"new{i}"))
        else:
            made.append(gen.duplicate(rng.choice(truths).record, f"new{i}"))
    return made


def link_one(record, unit: Unit, station: Unit, officer: User) -> float:
    with transaction.atomic():
        case = _case(10**8 + random.randrange(10**8), unit, station, officer, timezone.now())
        case.save()
        suspect = _suspect(case, record)
        suspect.save()
        rows = Identifier.objects.bulk_create(_identifiers(suspect))
        started = time.perf_counter()
        events.announce_indexed(case, rows, officer)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args()
    demo.load()
    print(f"linking a new report against {args.persons:,} persons ({connection.vendor})")
    truths = generate(args.persons)
    unit, station = Unit.objects.get(code="QS-GAJ"), Unit.objects.get(code="QS-CGPCS")
    officer = User.objects.get(username="intake")
    link_one(new_reports(truths, 1)[0], unit, station, officer)  # the model and DuckDB loaded once per process
    timed = [(r.id, link_one(r, unit, station, officer)) for r in new_reports(truths, args.reports)]
    show("per report", [t for _id, t in timed], "   (target p99 < 50 ms)")
    # Another record of a known person links (a network grows, its teams are told); a stranger does not.
    show("  known person", [t for rid, t in timed if int(rid[3:]) % 4 != 3])
    show("  stranger", [t for rid, t in timed if int(rid[3:]) % 4 == 3])


def show(label: str, times: list[float], note: str = "") -> None:
    times = sorted(times)
    p99 = times[max(int(len(times) * 0.99) - 1, 0)]
    print(f"  {label:<14} p50 {statistics.median(times):6.1f} ms   p99 {p99:6.1f} ms   max {times[-1]:6.1f} ms{note}")


if __name__ == "__main__":
    main()
