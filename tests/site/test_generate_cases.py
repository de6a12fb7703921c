"""The synthetic load (issue 17, "A million cases"): generated cases are cases like any
other to the pages, lists, search, clocks and audit log, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import Min
from django.test import Client
from django.utils import timezone

from lantern.accounts.models import User
from lantern.audit.models import AuditEntry
from lantern.audit.verify import verify_chain
from lantern.cases.models import Case, Proceeding, Suspect, SuspectEvent, Victim
from lantern.core.vault.blind import IdKind, digest
from lantern.deadlines.models import RUNNING, Deadline
from lantern.deadlines.sweep import sweep
from lantern.people import snooping
from lantern.people.models import Identifier
from lantern.site import synthetic
from lantern.site.synthetic_rows import COLUMNS

pytestmark = pytest.mark.django_db
CASES = 300


@pytest.fixture
def province():
    return synthetic.generate(cases=CASES, prefectures=1, seed=7)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_every_state_of_a_generated_case_opens_for_the_county_supervisor(province):
    # Across the province: which county draws the few merged reports depends on the day the
    # generator runs (a case's age decides its story), so one county may have none.
    states = set(Case.objects.values_list("state", flat=True))
    assert {"INVESTIGATING", "CLOSED", "NOT_FILED", "SENT_FOR_PROSECUTION", "MERGED"} <= states
    for state in states:
        case = Case.objects.filter(state=state).select_related("unit").order_by("-pk").first()
        supervisor = User.objects.filter(username__endswith="-sup1", unit__path__startswith=case.unit.path).get()
        client = signed_in(supervisor.username)
        page = client.get(f"/cases/{case.pk}/")
        assert page.status_code == 200, (state, page.status_code)
        assert case.case_number in page.content.decode()
        assert client.get(f"/api/v1/cases/{case.pk}").json()["state"] == state


def test_the_states_come_in_realistic_proportions(province):
    states = Counter(Case.objects.values_list("state", flat=True))
    assert sum(states.values()) == CASES == province.cases and states == province.states
    assert len(states) >= 9  # from RECEIVED to CLOSED over a year of reports
    assert max(states.values()) < CASES * 0.5
    assert states["NOT_FILED"] > CASES * 0.05 and states["CLOSED"] > CASES * 0.05
    assert 0 < states["MERGED"] < CASES * 0.05


def test_the_lists_filter_generated_cases_as_registered_ones(province):
    sup, inv = User.objects.get(username="sy0101-sup1"), User.objects.get(username="sy0101-inv1")
    county = Case.objects.filter(unit__code="SY0101-GAJ", merged_into__isnull=True)
    listed = signed_in(sup.username).get("/api/v1/cases?state=INVESTIGATING&limit=5").json()
    assert listed["count"] == county.filter(state="INVESTIGATING").count() > 0
    assert {c["state"] for c in listed["items"]} == {"INVESTIGATING"}
    mine = signed_in(inv.username).get("/api/v1/cases?limit=500").json()
    assert mine["count"] == inv.assignments.filter(active=True, case__merged_into__isnull=True).count() > 0
    page = signed_in(sup.username).get("/cases/?list=overdue")
    assert page.status_code == 200


def test_search_finds_a_generated_case_by_number_tracking_code_and_suspect_phone(province):
    client = signed_in("sy0101-sup1")
    case = Case.objects.filter(unit__code="SY0101-GAJ", state="INVESTIGATING").order_by("pk").first()
    for text in (case.case_number, case.tracking_code):
        found = client.get("/api/v1/search", {"q": text}).json()
        assert [item["id"] for item in found["items"]] == [case.pk]
    suspect = next(s for s in Suspect.objects.filter(case__unit__code="SY0101-GAJ", case__merged_into__isnull=True)
                   .order_by("pk") if s.phone)
    found = client.get("/api/v1/search", {"q": suspect.phone}).json()
    assert suspect.case_id in [item["id"] for item in found["items"]]


def test_identity_fields_decrypt_and_their_blind_indexes_match(province):
    victim = next(v for v in Victim.objects.order_by("pk") if v.id_number)
    assert 2 <= len(victim.name) <= 4 and victim.id_number.startswith("98") and len(victim.id_number) == 18
    assert victim.id_number[6:14] == victim.date_of_birth.strftime("%Y%m%d")
    assert Identifier.objects.filter(case=victim.case, kind=IdKind.ID_NUMBER,
                                     digest=digest(IdKind.ID_NUMBER, victim.id_number)).exists()
    suspect = next(s for s in Suspect.objects.order_by("pk") if s.phone)
    assert suspect.phone.isdigit() and len(suspect.phone) == 11
    assert Identifier.objects.filter(suspect=suspect, digest=digest(IdKind.PHONE, suspect.phone)).exists()


def test_the_audit_chain_verifies_with_every_generated_entry_in_it(province):
    report = verify_chain()
    assert report.ok, report.problem
    entries = AuditEntry.objects.filter(source="synthetic")
    assert entries.count() == province.audit_entries > CASES * 10
    assert report.checked == AuditEntry.objects.count()
    assert entries.filter(action="case.registered").count() == CASES


def test_clocks_run_as_the_sweep_left_them_and_the_sweep_goes_on(province):
    now = timezone.now()
    late = Deadline.objects.filter(status__in=RUNNING, due_at__lt=now - dt.timedelta(minutes=6))
    assert late.exists() and not late.filter(escalation_level=0).exists()
    assert not Deadline.objects.filter(status="open", due_at__lt=now - dt.timedelta(minutes=6)).exists()
    assert Deadline.objects.filter(status="open", due_at__gt=now).exists()
    sweep()  # escalates what ran out since generation; nothing else to do
    assert sweep() == 0


def test_every_generated_row_points_at_rows_that_exist(province):
    """PostgreSQL skips the foreign-key triggers while generating (synthetic_sink.bulk_mode):
    each key is checked here instead."""
    for model in [*COLUMNS, AuditEntry]:
        for fk in (f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)):
            parents = fk.related_model._base_manager.values("pk")
            dangling = model._base_manager.filter(**{f"{fk.attname}__isnull": False}).exclude(
                **{f"{fk.attname}__in": parents})
            assert not dangling.exists(), f"{model.__name__}.{fk.name}"


def test_the_access_report_shows_the_generated_bulk_reads_and_spike(province):
    report = snooping.build(since=timezone.now() - dt.timedelta(days=7))
    looker = next(u for u in report.users if u.username == "sy0101-sup1")
    assert looker.bulk_hours and looker.bulk_hours[0][1] >= 25
    assert any(s.readers >= 7 for s in report.spikes)


def test_the_command_adds_cases_to_the_province_already_there(capsys):
    call_command("generate_cases", cases=40, prefectures=1, seed=3)
    call_command("generate_cases", cases=40, prefectures=1, seed=4)
    out = capsys.readouterr().out
    assert "40 cases" in out and Case.objects.count() == 80
    assert User.objects.filter(username__startswith="sy01").count() == User.objects.filter(
        username__startswith="sy").count() > 20  # one prefecture, its staff made once
    assert len(set(Case.objects.values_list("tracking_code", flat=True))) == 80


def test_the_database_kept_columns_match_the_generated_clocks_and_proceedings(province):
    """Loaded by COPY, the cases' next deadline and procuratorate flag come from the
    triggers (cases migration 0015) as they do for a registered case."""
    soonest = dict(Deadline.objects.filter(status__in=RUNNING).values("case_id").annotate(m=Min("due_at"))
                   .values_list("case_id", "m"))
    kept = dict(Case.objects.values_list("pk", "next_due_at"))
    assert kept == {pk: soonest.get(pk) for pk in kept} and any(kept.values())
    supervised = set(Proceeding.objects.filter(kind="supervision").values_list("case_id", flat=True))
    supervised |= set(SuspectEvent.objects.filter(to_status="arrest_requested").values_list("suspect__case_id",
                                                                                           flat=True))
    assert set(Case.objects.filter(procuratorate_involved=True).values_list("pk", flat=True)) == supervised
    assert supervised
