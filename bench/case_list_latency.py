"""Work-queue latency with 50,000 cases in the database (issue 13, item 4).

The cases of bench/case_page_latency.py (synthetic, never real people), a third of them
with an investigator on the team, some with a pending proposal and some with clocks run
out; then a supervisor whose scope covers them all opens the case lists: the default
order (minors first, then the next deadline), other orders, filters, a deep page, the
new-and-unassigned queue, the export and the paged API. Prints p50 / p95 / max in
milliseconds and the most queries one request made (a list's query count must not grow
with its rows).

    DATABASE_URL=... python bench/case_list_latency.py --cases 50000
    (or on the embedded SQLite database: LANTERN_VAR_DIR=/tmp/b python bench/case_list_latency.py)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_page_latency import generate, measure, report  # importing it sets Django up
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from lantern.accounts import demo
from lantern.accounts.models import User
from lantern.cases.models import Assignment, Case, Decision
from lantern.deadlines.models import Deadline


def work_on_them() -> None:
    """Teams, proposals and late clocks on a share of the cases, once."""
    if Assignment.objects.filter(case__case_number__startswith="BENCH-").exists():
        return
    inv, sup = User.objects.get(username="investigator"), User.objects.get(username="supervisor")
    now = timezone.now()
    ids = list(Case.objects.filter(case_number__startswith="BENCH-").order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        Assignment.objects.bulk_create([Assignment(case_id=pk, user=inv, assigned_by=sup, assigned_at=now)
                                        for pk in ids[::3]], batch_size=5000)
        Decision.objects.bulk_create([Decision(case_id=pk, kind="not_file", reason="（基准）", approvals_needed=2,
                                               proposed_by=inv, proposed_at=now) for pk in ids[1::20]],
                                     batch_size=5000)
        Deadline.objects.filter(case_id__in=ids[::7], rule="filing_review").update(due_at=now - dt.timedelta(hours=5))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


URLS = {
    "list, default order": "/cases/",
    "list, by deadline": "/cases/?sort=deadline",
    "list, by case number": "/cases/?sort=-case_number",
    "list, minors, overdue": "/cases/?flag=minor&overdue=on",
    "list, assignee": "/cases/?assignee=investigator&sort=received",
    "list, received range": "/cases/?received_from={week}&received_to={today}",
    "list, page 500": "/cases/?page=500",
    "awaiting my decision": "/cases/?list=decide",
    "new, not yet assigned": "/cases/?list=unassigned",
    "API, paged": "/api/v1/cases?page=3&limit=50&sort=priority",
    "export CSV (5,000)": "/cases/export.csv?list=mine&flag=minor",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    demo.load()
    started = time.perf_counter()
    generate(args.cases)
    work_on_them()
    print(f"case lists on {connection.vendor} with {Case.objects.count()} cases "
          f"(prepared in {time.perf_counter() - started:.0f} s)")
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="supervisor"))
    today = timezone.localdate()
    client.get("/cases/")  # warm up templates
    for name, url in URLS.items():
        url = url.format(today=today.isoformat(), week=(today - dt.timedelta(days=7)).isoformat())
        samples = 3 if "export" in name else args.samples
        report(name, *measure(client, [url] * samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
