"""Intake throughput on PostgreSQL beside pgbench (issue 3).

Each Lantern transaction registers a full report: case, victim, complainant, three
suspects, the evidence checklist, the clocks and the audit entry (~25 rows). pgbench runs
an insert-only script of the same shape (same row counts, similar widths) on the same
database in the same run, so the ratio shows what the application costs over the
database itself. Target: at least 40 % of pgbench.

    make bench         or    DATABASE_URL=... python bench/intake_throughput.py --clients 8 --seconds 10
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from processes import rate_in_processes  # noqa: E402

from lantern.accounts import demo  # noqa: E402
from lantern.accounts.models import User  # noqa: E402
from lantern.intake.schemas import ComplainantIn, ReportIn, SuspectIn, VictimIn  # noqa: E402
from lantern.intake.services import register_report  # noqa: E402

TARGET = 0.40
PGBENCH_SCRIPT = """
BEGIN;
INSERT INTO bench_case (number, state, narrative, flags, received_at)
  VALUES (md5(random()::text), 'RECEIVED', repeat('案', 60), '["minor"]', now());
INSERT INTO bench_person (kind, name, phone) VALUES ('victim', 'x', '139'), ('complainant', 'x', '138'),
  ('suspect', 'x', '137'), ('suspect', 'x', '136'), ('suspect', 'x', '135');
INSERT INTO bench_item (key, status, due_at) SELECT 'item' || g, 'open', now() FROM generate_series(1, 12) g;
INSERT INTO bench_item (key, status, due_at) SELECT 'clock' || g, 'open', now() FROM generate_series(1, 5) g;
INSERT INTO bench_audit (action, details, content_hash)
  VALUES ('case.registered', '{"flags": ["minor"]}', md5(random()::text));
COMMIT;
"""


def report(n: int) -> ReportIn:
    return ReportIn(received_at=timezone.now(), channel="walk_in",
                    offence_date=timezone.localdate(),
                    narrative="（基准测试合成数据）" + "案" * 50,
                    victim=VictimIn(name="基准", sex="female", estimated_age=12),
                    complainant=ComplainantIn(name="基准", relation="母亲", phone="13800000000"),
                    suspects=[SuspectIn(name=f"嫌{n}", phone=f"139{n:08d}"[-11:]) for _ in range(3)])


def lantern_tps(clients: int, seconds: float) -> float:
    officer = User.objects.get(username="intake")
    return rate_in_processes(lambda n: register_report(actor=officer, report=report(n)), clients, seconds)


def pgbench_tps(clients: int, seconds: float) -> float:
    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_case (id bigserial PRIMARY KEY, number text UNIQUE, "
                  "state text, narrative text, flags jsonb, received_at timestamptz)")
        c.execute("CREATE TABLE IF NOT EXISTS bench_person (id bigserial PRIMARY KEY, kind text, name text, "
                  "phone text)")
        c.execute("CREATE TABLE IF NOT EXISTS bench_item (id bigserial PRIMARY KEY, key text, status text, "
                  "due_at timestamptz)")
        c.execute("CREATE TABLE IF NOT EXISTS bench_audit (id bigserial PRIMARY KEY, action text, details jsonb, "
                  "content_hash text)")
    params = connection.settings_dict
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as fh:
        fh.write(PGBENCH_SCRIPT)
    pgbench = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))[-1]
    command = [str(pgbench), "-n", "-f", fh.name, "-c", str(clients), "-j", "2", "-T", str(int(seconds)),
               "-h", params["HOST"], "-p", str(params["PORT"]), "-U", params["USER"], params["NAME"]]
    run = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 (our own arguments)
    return float(re.search(r"tps = ([\d.]+)", run.stdout).group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("intake throughput is measured on PostgreSQL: set DATABASE_URL")
        return 1
    demo.load()
    lantern = lantern_tps(args.clients, args.seconds)
    reference = pgbench_tps(args.clients, args.seconds)
    ratio = lantern / reference
    print(f"intake on postgresql, {args.clients} concurrent clients, {args.seconds:.0f} s each")
    print(f"  Lantern register_report: {lantern:8.1f} reports/s (one transaction each, ~25 rows)")
    print(f"  pgbench equivalent     : {reference:8.1f} tps")
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"  ratio                  : {ratio:8.1%}  ({verdict} the {TARGET:.0%} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
