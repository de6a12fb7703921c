"""A province's cases (issue 17, "A million cases"): the pages, lists, search, deadline
sweep and access report on 100,000 or 1,000,000 generated cases (lantern.site.synthetic:
a made-up province, 100,000 reports a year), against the targets below. Prints p50 / p95
/ p99 / max in milliseconds per measurement, the most queries one request made, and the
EXPLAIN (ANALYZE) of the slowest query of anything that misses its target. With --json the
numbers are saved; with --compare the growth from a saved run is checked (1.5x at most
from 100,000 to 1,000,000 cases).

    make bench  (100,000 cases)     LANTERN_BENCH_CASES=1000000 make bench
    DATABASE_URL=... python bench/scale.py --cases 100000 --json /tmp/scale-100k.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")
os.environ.setdefault("LANTERN_SEARCHES_PER_MINUTE", "1000000")  # the bench searches faster than a person

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from lantern.accounts.models import User  # noqa: E402
from lantern.cases.models import Case, Suspect  # noqa: E402
from lantern.deadlines.models import RUNNING, Deadline  # noqa: E402
from lantern.deadlines.sweep import sweep  # noqa: E402
from lantern.people import snooping  # noqa: E402
from lantern.site import synthetic  # noqa: E402

TARGETS = {"page": 150.0, "list": 300.0, "search": 300.0, "sweep": 10_000.0, "report": 300.0}
GROWTH = 1.5
COUNTY, PREFECTURE = "SY0101", "SY01"
LISTS = {
    "default order": "/cases/", "by deadline": "/cases/?sort=deadline", "by case number": "/cases/?sort=-case_number",
    "minors, overdue": "/cases/?flag=minor&overdue=on", "investigating": "/cases/?state=INVESTIGATING",
    "assignee": f"/cases/?assignee={COUNTY.lower()}-inv1&sort=received", "page 40": "/cases/?page=40",
    "overdue": "/cases/?list=overdue", "awaiting decision": "/cases/?list=decide",
    "unassigned": "/cases/?list=unassigned", "API, paged": "/api/v1/cases?page=3&limit=50&sort=priority",
}
WHO = {"supervisor": f"{COUNTY.lower()}-sup1", "prefecture head": f"{PREFECTURE.lower()}-head1",
       "investigator": f"{COUNTY.lower()}-inv1", "minors prosecutor": f"{COUNTY.lower()}wj-pros1"}


class Run:
    """Timed requests of one kind; the slowest query of the slowest request is kept."""

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind, self.times, self.queries = name, kind, [], 0
        self.slowest: tuple[float, str] = (0.0, "")

    def get(self, client: Client, url: str, **params: str) -> None:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        self.add(ms, captured.captured_queries)

    def add(self, ms: float, queries: list[dict[str, str]]) -> None:
        self.times.append(ms)
        self.queries = max(self.queries, len(queries))
        if ms > self.slowest[0] and queries:
            worst = max(queries, key=lambda q: float(q["time"]))
            self.slowest = (ms, worst["sql"])

    def p(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))]

    @property
    def misses(self) -> bool:
        return self.p(0.99) > TARGETS[self.kind]

    def done(self) -> Run:
        print(self.line(), flush=True)
        return self

    def line(self) -> str:
        flag = "MISS" if self.misses else "ok"
        return (f"  {self.name:<38} p50 {self.p(0.5):7.1f}  p95 {self.p(0.95):7.1f}  p99 {self.p(0.99):7.1f}  "
                f"max {max(self.times):7.1f} ms  {self.queries:3} q  [{flag} < {TARGETS[self.kind]:.0f}]")


def client_for(username: str) -> Client:
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username=username))
    return client


def case_pages(samples: int, rng: random.Random) -> list[Run]:
    runs = []
    county = Case.objects.filter(unit__code=f"{COUNTY}-GAJ").values_list("pk", flat=True)
    inv = User.objects.get(username=WHO["investigator"])
    minors = Case.objects.filter(unit__code=f"{COUNTY}-GAJ", is_minor=True).values_list("pk", flat=True)
    for who, pool in (("supervisor", county), ("investigator", inv.assignments.values_list("case_id", flat=True)),
                      ("minors prosecutor", minors)):
        ids = rng.sample(list(pool), min(samples, len(pool)))
        client = client_for(WHO[who])
        client.get(f"/cases/{ids[0]}/")  # templates and the calendar warm
        page, api = Run(f"case page ({who})", "page"), Run(f"case JSON ({who})", "page")
        for pk in ids:
            page.get(client, f"/cases/{pk}/")
            api.get(client, f"/api/v1/cases/{pk}")
        runs += [page.done(), api.done()]
    return runs


def lists(samples: int) -> list[Run]:
    runs = []
    for who in ("supervisor", "prefecture head", "investigator", "minors prosecutor"):
        client = client_for(WHO[who])
        client.get("/cases/")
        for name, url in LISTS.items():
            if who in ("investigator", "minors prosecutor") and name in ("awaiting decision", "unassigned"):
                continue
            run = Run(f"list {name} ({who})", "list")
            for _ in range(samples):
                run.get(client, url)
            runs.append(run.done())
    return runs


def searches(samples: int) -> list[Run]:
    case = Case.objects.filter(unit__code=f"{COUNTY}-GAJ", state="INVESTIGATING").order_by("-pk").first()
    suspect = next(s for s in Suspect.objects.filter(case__unit__code=f"{COUNTY}-GAJ").order_by("-pk")[:200]
                   if s.phone)
    texts = {"case number": case.case_number, "tracking code": case.tracking_code, "phone": suspect.phone,
             "pseudonym (many)": "张某", "nothing found": "13000000000"}
    runs = []
    for who in ("supervisor", "prefecture head"):
        client = client_for(WHO[who])
        for name, text in texts.items():
            run = Run(f"search {name} ({who})", "search")
            for _ in range(samples):
                run.get(client, "/search/", q=text)
            runs.append(run.done())
    return runs


def timed(name: str, kind: str, fn, samples: int) -> Run:
    run = Run(name, kind)
    for _ in range(samples):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            run.add((time.perf_counter() - started) * 1000, captured.captured_queries)
    return run.done()


def sweeps() -> list[Run]:
    """The sweep catches up on what ran out since generation, then runs as every five
    minutes (all running clocks looked at, the few that crossed a step escalated)."""
    open_clocks = Deadline.objects.filter(status__in=RUNNING).count()
    print(f"  running clocks: {open_clocks}")
    catch_up = timed("sweep, catching up after generation", "sweep", sweep, 1)
    return [catch_up, timed("sweep, every five minutes", "sweep", sweep, 3)]


def reports(samples: int) -> list[Run]:
    inspector = User.objects.get(username=f"{PREFECTURE.lower()}-insp1")
    head = User.objects.get(username=f"{PREFECTURE.lower()}-head1")
    week = timezone.now() - timezone.timedelta(days=7)
    return [timed("access report, a week, everyone", "report", lambda: snooping.build(since=week), samples),
            timed("access report, a week, inspector", "report",
                  lambda: snooping.build(viewer=inspector, since=week), samples),
            timed("access report, a week, unit head", "report", lambda: snooping.build(viewer=head, since=week),
                  samples)]


def explain(run: Run) -> None:
    sql = run.slowest[1]
    if not sql.lstrip().upper().startswith("SELECT") or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join("      " + row[0] for row in cursor.fetchall())
    print(f"  -- {run.name}: slowest query of the slowest request ({run.slowest[0]:.0f} ms)\n      {sql[:600]}\n{plan}")


def compare(results: dict[str, float], path: str) -> int:
    other = json.loads(Path(path).read_text())
    worst = 0
    print(f"growth from {other['cases']} to {results['cases']} cases (p99; at most {GROWTH}x):")
    for name, p99 in results["p99"].items():
        before = other["p99"].get(name)
        if before:
            growth = p99 / before
            flag = "MISS" if growth > GROWTH and p99 > 20 else "ok"  # a few ms either way is noise
            worst += flag == "MISS"
            print(f"  {name:<38} {before:8.1f} -> {p99:8.1f} ms  x{growth:4.2f}  [{flag}]")
    return worst


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=int(os.environ.get("LANTERN_BENCH_CASES", "100000")))
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--json")
    parser.add_argument("--compare")
    parser.add_argument("--only", help="comma-separated: pages, lists, search, sweep, report")
    args = parser.parse_args()
    have = Case.objects.filter(unit__code__startswith="SY").count()
    if have < args.cases:
        summary = synthetic.generate(cases=args.cases - have, years=synthetic.default_years(args.cases))
        print(f"generated {summary.cases} cases, {summary.rows} rows and {summary.audit_entries} audit entries "
              f"in {summary.seconds:.0f} s ({summary.cases / summary.seconds:.0f} cases/s)")
    print(f"scale on {connection.vendor} with {Case.objects.count()} cases")
    rng, few = random.Random(5), max(3, args.samples // 10)
    parts = {"pages": lambda: case_pages(args.samples, rng), "lists": lambda: lists(few),
             "search": lambda: searches(few), "sweep": sweeps, "report": lambda: reports(few)}
    wanted = args.only.split(",") if args.only else list(parts)
    runs = [run for name in wanted for run in parts[name]()]
    for run in runs:
        if run.misses:
            explain(run)
    results = {"cases": Case.objects.count(), "p99": {r.name: round(r.p(0.99), 1) for r in runs}}
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    growth_misses = compare(results, args.compare) if args.compare else 0
    return 1 if any(r.misses for r in runs) or growth_misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
