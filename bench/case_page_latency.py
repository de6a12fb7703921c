"""Case page latency with 100,000 cases in the database (issue 3).

Cases are bulk-generated (synthetic, never real people) with their victims, checklist
items and clocks, then a supervisor whose scope covers them all opens random case pages
and the case list. Prints p50 / p95 / max in milliseconds.

    make bench      or    DATABASE_URL=... python bench/case_page_latency.py --cases 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from lantern.accounts import demo  # noqa: E402
from lantern.accounts.models import Unit, User  # noqa: E402
from lantern.cases.models import Case, ChecklistItem, Victim  # noqa: E402
from lantern.deadlines.models import Deadline  # noqa: E402
from lantern.standards.models import Template  # noqa: E402

BATCH = 5000
STATES = ["RECEIVED", "UNDER_REVIEW", "FILED", "NOT_FILED"]


def generate(total: int) -> None:
    existing = Case.objects.count()
    if existing >= total:
        return
    unit, station = Unit.objects.get(code="QS-GAJ"), Unit.objects.get(code="QS-CGPCS")
    officer = User.objects.get(username="intake")
    standard = Template.objects.get(offence="rape", age_band="12_to_14", version=1)  # as migrations ship it
    template_items = list(standard.items.all()[:10])
    now, rng = timezone.now(), random.Random(1)
    for start in range(existing, total, BATCH):
        with transaction.atomic():
            cases = Case.objects.bulk_create([Case(
                case_number=f"BENCH-{n:07d}", state=rng.choice(STATES), unit=unit, intake_unit=station,
                channel="walk_in", received_at=now - dt.timedelta(minutes=n), offence_date=now.date(),
                narrative="（基准测试合成数据）", flags=["minor"] if n % 3 == 0 else [], age_band="12_to_14",
                offences=["rape"],
                is_minor=n % 3 == 0, tracking_code=f"B{n:09d}", portal_secret_hash="-",  # noqa: S106 (no secret)
                created_by=officer)
                for n in range(start, min(start + BATCH, total))])
            Victim.objects.bulk_create([Victim(case=c, pseudonym="某某", name="基准", sex="female",
                                               estimated_age=12, age_at_offence=12) for c in cases])
            ChecklistItem.objects.bulk_create([ChecklistItem(case=c, key=t.key, due_at=now, template_item=t)
                                               for c in cases for t in template_items])
            Case.templates.through.objects.bulk_create([Case.templates.through(case=c, template=standard)
                                                        for c in cases])
            Deadline.objects.bulk_create([Deadline(case=c, rule=r, started_at=now, due_at=now + dt.timedelta(days=3),
                                                   period_amount=3, period_unit="days", period_extends=True)
                                          for c in cases for r in ("filing_review", "forensic_examination")])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None


def measure(client: Client, urls: list[str]) -> tuple[list[float], int]:
    times, queries = [], 0
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(captured.captured_queries))
    return times, queries


def report(name: str, times: list[float], queries: int) -> None:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"  {name:<22} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {times[-1]:7.1f} ms   ({queries} queries at most)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=100)
    args = parser.parse_args()
    demo.load()
    started = time.perf_counter()
    generate(args.cases)
    print(f"case pages on {connection.vendor} with {Case.objects.count()} cases "
          f"(generated in {time.perf_counter() - started:.0f} s)")
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="supervisor"))
    ids = random.Random(2).sample(list(Case.objects.values_list("pk", flat=True)), args.samples)
    client.get(f"/cases/{ids[0]}/")  # warm up templates and the calendar
    report("case page", *measure(client, [f"/cases/{i}/" for i in ids]))
    report("case JSON (API)", *measure(client, [f"/api/v1/cases/{i}" for i in ids]))
    report("case list, first page", *measure(client, ["/cases/"] * 20))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
