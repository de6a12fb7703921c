"""Oversight flags list latency at 100,000 and 1,000,000 cases on PostgreSQL (issue 15,
item 4): the list must answer in under 300 ms.

Cases are generated in SQL (synthetic, never real people; ``generate_series``, a few
seconds per 100,000) across twenty county police units of the demo prefecture: a tenth
not filed (a third of them minors, a quarter decided within 24 hours), 1 % reopened after
media exposure, 2 % with a forensic examination past its clock, 0.5 % with a family
question unanswered past its clock, 0.1 % of children interviewed twice without approval.
The flag table is built by the reconciliation job (timed: it is the from-scratch pass),
then a county prosecutor and the prefecture's discipline inspector open the flags list,
API and page, with filters and a deep page. Prints p50 / p95 / max in milliseconds.

    DATABASE_URL=... python bench/oversight_flags.py --cases 100000
    DATABASE_URL=... python bench/oversight_flags.py --cases 1000000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_page_latency import measure, report  # importing it sets Django up
from django.db import connection, transaction
from django.test import Client

from lantern.access.roles import Role
from lantern.accounts import actions as account_actions
from lantern.accounts import demo
from lantern.accounts.models import Unit, User
from lantern.accounts.models.units import Branch, Level
from lantern.cases.models import Case, Decision
from lantern.oversight.models import OversightFlag
from lantern.oversight.services import reconcile

COUNTIES = 20
BATCH = 100_000


def counties() -> list[Unit]:
    """Twenty county police bureaus under the demo prefecture (990101 ... 990120)."""
    prefecture = Unit.objects.get(code="AP-GAJ")
    out = []
    for n in range(1, COUNTIES + 1):
        code = f"BENCH-GAJ-{n:02d}"
        unit = Unit.objects.filter(code=code).first() or account_actions.create_unit(
            actor=None, code=code, name=f"基准县{n}公安局", branch=Branch.POLICE, level=Level.COUNTY,
            division_code=f"9901{n:02d}", parent=prefecture)
        out.append(unit)
    return out


def tokens() -> tuple[str, str]:
    """An encrypted narrative and reason to copy (the columns hold envelope tokens)."""
    officer = User.objects.get(username="intake")
    seed = Case.objects.filter(case_number="BENCH-SEED").first()
    if seed is None:
        station = Unit.objects.get(code="QS-CGPCS")
        seed = Case.objects.create(case_number="BENCH-SEED", unit=station, intake_unit=station, channel="walk_in",
                                   received_at="2026-01-01T00:00:00+08:00", offence_date="2026-01-01",
                                   narrative="（基准测试合成数据）", age_band="adult", tracking_code="BSEED",
                                   portal_secret_hash="-", created_by=officer)  # noqa: S106 (no secret)
        Decision.objects.create(case=seed, kind="file", reason="（基准）", approvals_needed=1, proposed_by=officer,
                                proposed_at=seed.received_at)
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.narrative, d.reason FROM cases_case c JOIN cases_decision d ON d.case_id = c.id "
                       "WHERE c.case_number = 'BENCH-SEED'")
        return cursor.fetchone()


CASES_SQL = """
INSERT INTO cases_case (case_number, state, unit_id, intake_unit_id, channel, received_at, offence_date, narrative,
  indicators, flags, age_band, is_minor, is_historical, reopen_trigger, tracking_code, portal_secret_hash,
  created_by_id, created_at)
SELECT 'BENCH-' || lpad(n::text, 7, '0'),
  CASE WHEN n %% 10 = 0 THEN 'NOT_FILED' WHEN n %% 10 IN (1, 2, 3) THEN 'FILED' ELSE 'UNDER_REVIEW' END,
  (%(units)s::bigint[])[1 + n %% %(k)s], %(station)s, 'walk_in', now() - n * interval '1 minute', current_date,
  %(narrative)s,
  '[]', '[]', '12_to_14', n %% 3 = 0, false, CASE WHEN n %% 100 = 1 THEN 'media_exposure' ELSE '' END,
  'B' || lpad(n::text, 11, '0'), '-', %(officer)s, now()
FROM generate_series(%(low)s, %(high)s) AS n
"""

DECISIONS_SQL = """
INSERT INTO cases_decision (case_id, kind, status, reason, trigger, approvals_needed, proposed_by_id, proposed_at,
  decided_at)
SELECT c.id, CASE WHEN c.state = 'NOT_FILED' THEN 'not_file' ELSE 'file' END, 'approved', %(reason)s,
  CASE WHEN c.reopen_trigger = '' THEN '' ELSE 'media_exposure' END, 2, %(officer)s, c.received_at,
  c.received_at + ((c.id %% 96) || ' hours')::interval
FROM cases_case c WHERE c.case_number LIKE 'BENCH-%%' AND c.case_number <> 'BENCH-SEED'
  AND (c.state = 'NOT_FILED' OR c.reopen_trigger <> '') AND c.id BETWEEN %(low)s AND %(high)s
"""

CLOCKS_SQL = """
INSERT INTO deadlines_deadline (case_id, rule, subject, started_at, due_at, provisional, period_amount, period_unit,
  period_extends, status, extended, escalation_level)
SELECT c.id, CASE WHEN c.id %% 200 = 7 THEN 'family_question' ELSE 'forensic_examination' END,
  CASE WHEN c.id %% 200 = 7 THEN 'question:' || c.id ELSE '' END, c.received_at, c.received_at + interval '72 hours',
  false, 72, 'hours', true, 'overdue', false, 1
FROM cases_case c WHERE c.case_number LIKE 'BENCH-%%' AND (c.id %% 50 = 3 OR c.id %% 200 = 7)
  AND c.id BETWEEN %(low)s AND %(high)s
"""

INTERVIEWS_SQL = """
INSERT INTO evidence_interview (case_id, sequence, at, interviewer_id, interviewer_sex, place, guardian_present,
  appropriate_adult, audio_video)
SELECT c.id, 2, c.received_at + interval '2 days', %(officer)s, 'female', '询问室', true, '', false
FROM cases_case c WHERE c.case_number LIKE 'BENCH-%%' AND c.is_minor AND c.id %% 1000 = 3
  AND c.id BETWEEN %(low)s AND %(high)s
"""


def generate(total: int) -> None:
    existing = Case.objects.filter(case_number__startswith="BENCH-").exclude(case_number="BENCH-SEED").count()
    if existing >= total:
        return
    units, narrative_reason = [u.pk for u in counties()], tokens()
    params = {"units": units, "k": len(units), "station": Unit.objects.get(code="QS-CGPCS").pk,
              "narrative": narrative_reason[0], "reason": narrative_reason[1],
              "officer": User.objects.get(username="intake").pk}
    for start in range(existing + 1, total + 1, BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            before = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
            cursor.execute(CASES_SQL, {**params, "low": start, "high": min(start + BATCH - 1, total)})
            ids = {"low": before + 1, "high": before + BATCH}
            for sql in (DECISIONS_SQL, CLOCKS_SQL, INTERVIEWS_SQL):
                cursor.execute(sql, {**params, **ids})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def users() -> dict[str, User]:
    county = Unit.objects.get(code="BENCH-GAJ-01")
    procuratorate = Unit.objects.filter(code="BENCH-JCY-01").first() or account_actions.create_unit(
        actor=None, code="BENCH-JCY-01", name="基准县1人民检察院", branch=Branch.PROCURATORATE, level=Level.COUNTY,
        division_code=county.division_code, parent=Unit.objects.get(code="AP-JCY"))
    pros = User.objects.filter(username="bench_prosecutor").first() or account_actions.create_user(
        actor=None, username="bench_prosecutor", password="bench-only-password", unit=procuratorate,  # noqa: S106
        roles=[Role.PROSECUTOR])
    return {"county prosecutor": pros, "prefecture inspector": User.objects.get(username="inspector")}


URLS = {
    "API, open flags": "/api/v1/oversight/flags",
    "API, one kind": "/api/v1/oversight/flags?flag=hasty_non_filing",
    "API, since a day": "/api/v1/oversight/flags?since=2026-11-01",
    "API, all incl. cleared": "/api/v1/oversight/flags?status=all",
    "API, page 200": "/api/v1/oversight/flags?page=200",
    "page, open flags": "/oversight/flags/",
    "page, one kind": "/oversight/flags/?flag=evidence_overdue",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    demo.load()
    started = time.perf_counter()
    generate(args.cases)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    drift = reconcile()
    print(f"oversight flags on {connection.vendor} with {Case.objects.count()} cases, "
          f"{OversightFlag.objects.filter(cleared_at__isnull=True).count()} open flags "
          f"(generated in {generated:.0f} s; reconciliation from scratch {time.perf_counter() - started:.1f} s, "
          f"raised {drift.raised})")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE oversight_oversightflag")
    for who, user in users().items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        client.get("/oversight/flags/")  # warm up templates
        for name, url in URLS.items():
            report(f"{who}: {name}", *measure(client, [url] * args.samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
