"""python manage.py snooping_report [--days 7]: the weekly access report as text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lantern.people import snooping


class Command(BaseCommand):
    help = "Reads of cases outside the case team, bulk reads and spikes on one case (for inspectors)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        report = snooping.build(since=timezone.now() - dt.timedelta(days=days))
        self.stdout.write(f"access report {report.since:%Y-%m-%d %H:%M} .. {report.until:%Y-%m-%d %H:%M}")
        self.stdout.write("user\toutside_team\twith_identity\tbreak_glass\tcases\tbulk_hours")
        for u in report.users:
            bulk = ",".join(f"{hour}={n}" for hour, n in u.bulk_hours) or "-"
            self.stdout.write(f"{u.username}\t{u.outside_team}\t{u.with_identity_outside}\t{u.break_glass}\t"
                              f"{len(u.cases_outside)}\t{bulk}")
        self.stdout.write("spikes: case\tday\treaders")
        for s in report.spikes:
            self.stdout.write(f"{s.case_number}\t{s.day}\t{s.readers}")
