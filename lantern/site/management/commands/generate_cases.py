"""python manage.py generate_cases --cases N [--seed S] [--prefectures K] [--years Y]:
a synthetic province's cases for load tests (lantern.site.synthetic). Made-up people
only. For a database nobody else writes to while it runs (a benchmark's or a test's)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.core.context import origin
from lantern.site import synthetic


class Command(BaseCommand):
    help = "Generate N synthetic cases (states, clocks, suspects, evidence, audit entries) in a made-up province."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefectures", type=int, default=6)
        parser.add_argument("--years", type=float, default=None,
                            help="the span of the reports (default: 100,000 a year, at least one year)")
        parser.add_argument("--batch", type=int, default=synthetic.BATCH)

    def handle(self, *args: Any, cases: int, seed: int, prefectures: int, years: float | None, batch: int,
               **options: Any) -> None:
        if cases < 1 or not 1 <= prefectures <= 99 or batch < 1:
            raise CommandError("--cases and --batch must be positive, --prefectures between 1 and 99")
        with origin("cli"):
            summary = synthetic.generate(cases=cases, seed=seed, prefectures=prefectures, years=years, batch=batch,
                                         progress=self._progress)
        self.stdout.write(f"{summary.cases} cases, {summary.rows} rows and {summary.audit_entries} audit entries "
                          f"in {summary.seconds:.0f} s")
        self.stdout.write("states: " + ", ".join(f"{k} {v}" for k, v in summary.states.most_common()))

    def _progress(self, summary: synthetic.Summary) -> None:
        rate = summary.cases / summary.seconds if summary.seconds else 0
        self.stdout.write(f"  {summary.cases} cases ({rate:.0f}/s), {summary.audit_entries} audit entries")
