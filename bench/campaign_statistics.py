"""Campaign statistics over a province-sized scope (issue 15, benchmark): synthetic cases
(never real people) spread over 96 counties of 12 prefectures and two years, with filing
decisions, suspects detained and arrested, overturned non-filings; the figures refreshed
into the pre-aggregated table (campaigns.cells), then a provincial analyst reads the
dashboard's queries: the API grouped by unit, month and age band, a campaign, a
prefecture, an age band, a period with ragged ends, and the dashboard page itself (three
tables and the charts). Prints p50 / p95 / max in milliseconds and the refresh time.

On PostgreSQL the rows are made by the database (INSERT ... SELECT generate_series), so a
million cases take a minute or two; run twice to see the growth (the second run adds):

    DATABASE_URL=... python bench/campaign_statistics.py --cases 100000
    DATABASE_URL=... python bench/campaign_statistics.py --cases 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_page_latency import measure, report  # importing it sets Django up
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts import actions, demo
from lantern.accounts.models import Unit, User
from lantern.accounts.models.units import Branch, Level
from lantern.campaigns.actions import create_campaign
from lantern.campaigns.cells import last_refresh, refresh
from lantern.campaigns.models import Campaign
from lantern.cases.models import Case

PREFECTURES, COUNTIES = 12, 8


def province() -> list[int]:
    """The counties of the synthetic province (under the demo's HX-GAT), made once."""
    top = Unit.objects.get(code="HX-GAT")
    for p in range(2, 2 + PREFECTURES):
        code = f"BP{p:02d}"
        if Unit.objects.filter(code=code).exists():
            continue
        pref = actions.create_unit(actor=None, code=code, name=f"基准州{p}公安局", branch=Branch.POLICE,
                                   level=Level.PREFECTURE, division_code=f"99{p:02d}00", parent=top)
        for c in range(1, COUNTIES + 1):
            actions.create_unit(actor=None, code=f"{code}-{c:02d}", name=f"基准州{p}县{c}公安局", branch=Branch.POLICE,
                                level=Level.COUNTY, division_code=f"99{p:02d}{c:02d}", parent=pref)
    return list(Unit.objects.filter(code__startswith="BP", level=Level.COUNTY).order_by("pk")
                .values_list("pk", flat=True))


def generate(total: int, counties: list[int]) -> None:
    """Cases, decisions, suspects and their events, in SQL (PostgreSQL)."""
    assert connection.vendor == "postgresql", "the generator writes PostgreSQL SQL"
    start = Case.objects.filter(case_number__startswith="CB-").count()
    if start >= total:
        return
    officer = User.objects.get(username="intake").pk
    units = "ARRAY[" + ",".join(map(str, counties)) + "]"
    sql = [
        f"""INSERT INTO cases_case (case_number, state, unit_id, intake_unit_id, channel, received_at, offence_date,
              narrative, indicators, flags, age_band, is_minor, is_historical, reopen_trigger, tracking_code,
              portal_secret_hash, created_by_id, created_at)
            SELECT 'CB-' || g,
              CASE WHEN g % 10 < 6 THEN 'FILED' WHEN g % 10 < 8 THEN 'NOT_FILED' ELSE 'UNDER_REVIEW' END,
              ({units})[1 + g % {len(counties)}], ({units})[1 + g % {len(counties)}],
              (ARRAY['walk_in','call_110','online','mandatory_report','referral'])[1 + g % 5],
              now() - ((g::bigint * 7919) % 730) * interval '1 day' - (g % 24) * interval '1 hour',
              (now() - ((g::bigint * 7919) % 730 + 2) * interval '1 day')::date, '-', '[]', '[]',
              (ARRAY['under_12','12_to_14','14_to_16','16_to_18','adult'])[1 + (g / 7) % 5],
              (g / 7) % 5 < 4,
              g % 17 = 0, CASE WHEN g % 97 = 0 THEN 'media_exposure' ELSE '' END, 'CB' || g, '-', {officer}, now()
            FROM generate_series({start + 1}, {total}) g""",  # noqa: S608 (numbers only, no input)
        # A decision for 8 cases in 10: filed for 6, not filed for 2, decided 0-60 days after the report.
        f"""INSERT INTO cases_decision (case_id, kind, status, reason, trigger, approvals_needed, proposed_by_id,
              proposed_at, decided_at)
            SELECT id, CASE WHEN state = 'FILED' THEN 'file' ELSE 'not_file' END, 'approved', '-',
              CASE WHEN reopen_trigger <> '' AND state = 'FILED' THEN 'media_exposure' ELSE '' END, 1, {officer},
              received_at, LEAST(now(), received_at + ((id * 31) % 61) * interval '1 day' + interval '3 hours')
            FROM cases_case WHERE case_number LIKE 'CB-%' AND id > %(last)s AND state IN ('FILED', 'NOT_FILED')""",  # noqa: S608 (numbers only, no input)
        """INSERT INTO cases_suspect (case_id, name, phone, id_number, accounts, status, sex)
            SELECT id, '-', '-', '-', '-', CASE WHEN id % 3 = 0 THEN 'arrested' WHEN id % 3 = 1 THEN 'detained'
              ELSE 'at_large' END, 'male'
            FROM cases_case WHERE case_number LIKE 'CB-%' AND id > %(last)s AND state = 'FILED'""",
        f"""INSERT INTO cases_suspectevent (suspect_id, from_status, to_status, at, by_id, reason)
            SELECT s.id, CASE WHEN s.id % 7 = 0 THEN 'at_large' ELSE 'identified' END, 'detained',
              LEAST(now(), c.received_at + ((s.id * 13) % 90) * interval '1 day'), {officer}, '-'
            FROM cases_suspect s JOIN cases_case c ON c.id = s.case_id
            WHERE c.case_number LIKE 'CB-%' AND c.id > %(last)s AND s.status IN ('arrested', 'detained')""",  # noqa: S608 (numbers only, no input)
        f"""INSERT INTO cases_suspectevent (suspect_id, from_status, to_status, at, by_id, reason)
            SELECT s.id, 'arrest_requested', 'arrested', LEAST(now(), c.received_at + ((s.id * 13) % 90 + 7)
              * interval '1 day'), {officer}, '-'
            FROM cases_suspect s JOIN cases_case c ON c.id = s.case_id
            WHERE c.case_number LIKE 'CB-%' AND c.id > %(last)s AND s.status = 'arrested'""",  # noqa: S608 (numbers only, no input)
        f"""INSERT INTO cases_proceeding (case_id, kind, status, opened_at, opened_by_id, automatic, explanation,
              grounds, outcome_reason, closed_at, chase_letter)
            SELECT id, (ARRAY['reconsideration','review','supervision'])[1 + id % 3], 'overturned', received_at,
              {officer}, false, '', '', '', LEAST(now(), received_at + interval '20 days'), ''
            FROM cases_case WHERE case_number LIKE 'CB-%' AND id > %(last)s AND state = 'FILED' AND id % 41 = 0""",  # noqa: S608 (numbers only, no input)
    ]
    last = Case.objects.filter(case_number__startswith="CB-").order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement.replace("%(last)s", str(last)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def analyst() -> User:
    user = User.objects.filter(username="bench_analyst").first()
    if user is None:
        user = actions.create_user(actor=None, username="bench_analyst", password="bench-only-password",  # noqa: S106
                                   unit=Unit.objects.get(code="HX-GAT"), roles=[Role.CAMPAIGN_ANALYST])
    return user


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--keep-figures", action="store_true", help="measure the figures computed last time")
    args = parser.parse_args()
    demo.load()
    counties = province()
    started = time.perf_counter()
    generate(args.cases, counties)
    generated = time.perf_counter() - started
    done = last_refresh() if args.keep_figures else None
    done = done or refresh()
    user = analyst()
    today = timezone.localdate()
    campaign = Campaign.objects.filter(name="基准专项行动").first() or create_campaign(
        actor=user, name="基准专项行动", starts_on=today - dt.timedelta(days=300), ends_on=today, unit=user.unit)
    print(f"campaign statistics on {connection.vendor} with {Case.objects.count()} cases in {len(counties)} counties "
          f"(generated in {generated:.0f} s; figures refreshed in {done.seconds:.1f} s, {done.cells} cells)")
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    pref = Unit.objects.get(code="BP03").pk
    ragged = f"from={(today - dt.timedelta(days=400)).isoformat()}&to={(today - dt.timedelta(days=17)).isoformat()}"
    urls = {
        "API, by unit": "/api/v1/statistics?group_by=unit",
        "API, by month": "/api/v1/statistics?group_by=month",
        "API, by age band": "/api/v1/statistics?group_by=age_band",
        "API, campaign": f"/api/v1/statistics?campaign_id={campaign.pk}",
        "API, prefecture": f"/api/v1/statistics?unit_id={pref}&group_by=unit",
        "API, minors 12-14": "/api/v1/statistics?age_band=12_to_14&group_by=month",
        "API, ragged period": f"/api/v1/statistics?{ragged}",
        "dashboard page": f"/campaigns/?campaign_id={campaign.pk}",
        "dashboard, by month": "/campaigns/?group_by=month",
        "export CSV": "/campaigns/export.csv?group_by=month",
    }
    client.get(urls["dashboard page"])  # warm up templates
    for name, url in urls.items():
        report(name, *measure(client, [url] * args.samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
