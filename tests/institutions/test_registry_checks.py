"""The offence-record check before hiring (入职查询, MPL art. 62): an institution hears hit
or no_hit and nothing else, through the blind index; every check is audited without the
ID number; the day's limit holds; a hit tells the institution to contact its serving unit
and tells that unit; a school's annual check of 1,000 staff answers every row."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lantern.access.roles import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Suspect
from lantern.institutions import checks
from lantern.institutions.models import BulkCheck, RegistryCheck
from lantern.institutions.scheduled import finish_bulk_checks
from lantern.linkage.models import RegistryEntry
from lantern.linkage.registry import register_convictions
from lantern.notifications.models import Notification
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(serial: int, born: str = "19800101", area: str = "990121") -> str:
    """A synthetic resident ID number with a valid check character."""
    body = f"{area}{born}{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


class People(dict):
    """The cast, and one API client per person (a second sign-in in the same 30 s would
    reuse the TOTP code, which is refused)."""

    def api(self, who: str) -> Api:
        clients = self.setdefault("_clients", {})
        if who not in clients:
            clients[who] = Api(self[who])
        return clients[who]


@pytest.fixture
def people(units, schools):
    return People({**police(units), **schools,
                   "inspector": make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="c_insp")})


def convict(people, number: str, *, born: str = "1980-01-01", sentence_months: int | None = 96,
            offence: dt.date | None = None) -> RegistryEntry:
    """A suspect with this ID number, convicted: the registry holds the entry."""
    body = report(suspects=[{"name": "登记人员", "phone": "13900000009", "id_number": number}])
    case = people.api("intake").post("/cases", body).json()
    if offence is not None:
        Case.objects.filter(pk=case["id"]).update(offence_date=offence)
    suspect = Suspect.objects.get(case_id=case["id"])
    Suspect.objects.filter(pk=suspect.pk).update(date_of_birth=dt.date.fromisoformat(born))
    suspect.refresh_from_db()
    register_convictions(case=Case.objects.get(pk=case["id"]), suspects=[suspect], at=timezone.now(),
                         judgment="（2025）清刑初字第1号", court="清水县人民法院",
                         sentences={suspect.pk: sentence_months})
    return RegistryEntry.objects.get(suspect=suspect)


def ask(api, number, **overrides):
    body = {"name": "测试求职人丙", "id_number": number, "purpose": "hiring", "applicant_consent": True, **overrides}
    return api.post("/registry/checks", body)


def test_a_convicted_persons_id_number_gives_hit_and_an_unknown_one_no_hit_in_the_same_shape(people):
    offender = id_number(1)
    convict(people, offender)
    school = people.api("teacher")
    hit, miss = ask(school, offender), ask(school, id_number(2))
    assert (hit.status_code, miss.status_code) == (201, 201)
    assert hit.json()["result"] == "hit" and miss.json()["result"] == "no_hit"
    assert set(hit.json()) == set(miss.json()) == {"check_id", "result", "checked_at", "instruction"}
    # Nothing about the person or the offence in the answer: no name, court, case or date.
    answer = json.dumps(hit.json(), ensure_ascii=False)
    for secret in ("登记人员", "清水县人民法院", "清刑初字", "1980"):
        assert secret not in answer
    assert "测试" in hit.json()["instruction"] or "Chengguan" in hit.json()["instruction"] or \
        "城关" in hit.json()["instruction"]  # the serving unit to contact
    # The same number written with spaces and a lower-case x is the same person.
    spaced = offender[:6] + " " + offender[6:14] + " " + offender[14:].lower()
    assert ask(school, spaced).json()["result"] == "hit"


def test_a_hit_tells_the_institution_to_contact_its_serving_unit_and_tells_that_unit(people):
    offender = id_number(3)
    convict(people, offender)
    ask(people.api("teacher"), offender)
    told = Notification.objects.get(recipient=people["intake"], kind="registry_check_hit")
    assert "测试第一小学" in told.worded()[0]
    instructed = Notification.objects.get(recipient=people["teacher"], kind="registry_check_instruction")
    for note in (told, instructed):  # no name, no number in a notice
        text = " ".join(note.worded())
        assert offender not in text and "测试求职人丙" not in text and "登记人员" not in text
    ask(people.api("teacher"), id_number(4))
    assert Notification.objects.filter(kind="registry_check_hit").count() == 1  # a no-hit tells nobody


def test_hit_and_no_hit_take_similar_time(people):
    offender = id_number(5)
    convict(people, offender)
    school = people.api("teacher")

    def timed(number):
        started = time.perf_counter()
        assert ask(school, number).status_code == 201
        return time.perf_counter() - started

    for n in (offender, id_number(6)):  # warm both paths
        timed(n)
    hits = [timed(offender) for _ in range(7)]
    misses = [timed(id_number(10 + i)) for i in range(7)]
    # Similar, not equal: a hit writes two notices more. Generous bounds for a busy CI machine.
    assert statistics.median(hits) < 3 * statistics.median(misses) + 0.05


def test_every_check_is_audited_with_the_blind_index_never_the_number(people):
    offender = id_number(7)
    convict(people, offender)
    ask(people.api("teacher"), offender)
    ask(people.api("teacher"), id_number(8))
    entries = AuditEntry.objects.filter(action="institution.registry_checked").order_by("seq")
    assert [e.details["result"] for e in entries] == ["hit", "no_hit"]
    assert all(e.actor_id == people["teacher"].pk for e in entries)
    assert all(e.details["institution"] == people["school"].unit_id for e in entries)
    assert all(len(e.details["id_digest"]) == 64 for e in entries)
    every = json.dumps([e.details for e in AuditEntry.objects.all()], ensure_ascii=False)
    for secret in (offender, id_number(8), "测试求职人丙"):
        assert secret not in every
    stored = RegistryCheck.objects.order_by("pk")
    assert [c.result for c in stored] == ["hit", "no_hit"]


def test_bad_input_is_refused_with_what_to_do(people):
    school = people.api("teacher")
    wrong_check = id_number(9)[:-1] + ("0" if id_number(9)[-1] != "0" else "1")
    for body, field in [({"id_number": wrong_check}, "id_number"), ({"id_number": "12345"}, "id_number"),
                        ({"applicant_consent": False}, "applicant_consent")]:
        refused = ask(school, body.pop("id_number", id_number(9)), **body)
        assert refused.status_code == 422, refused.content
        assert field in refused.json()["error"]["details"]
    assert RegistryCheck.objects.count() == 0


def test_the_daily_limit_holds_per_institution_and_refusals_are_audited(people, settings):
    settings.LANTERN_REGISTRY_CHECKS_PER_DAY = 3
    school, hospital = people.api("teacher"), people.api("doctor")
    for i in range(3):
        assert ask(school, id_number(20 + i)).status_code == 201
    refused = ask(school, id_number(30))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.json()["error"]["details"]["retry_after_seconds"] > 0
    assert ask(hospital, id_number(31)).status_code == 201  # another institution counts apart
    assert RegistryCheck.objects.filter(institution=people["school"]).count() == 3
    assert AuditEntry.objects.filter(action="institution.registry_check_limited").count() == 1
    said = ask(people.api("teacher"), id_number(32))  # the client asks in English
    assert said.status_code == 429 and "midnight" in said.json()["error"]["message"]


def test_a_sealed_juvenile_record_is_not_reported_unless_policy_says_so(people, settings):
    # 15 at the offence, three years: sealed (CPL art. 286); not reported by default (policy).
    young = id_number(40, born="20080101")
    sealed = convict(people, young, born="2008-01-01", sentence_months=36, offence=dt.date(2023, 6, 1))
    assert (sealed.minor_at_offence, sealed.reporting_rule, sealed.reportable) == (True, "sealed_juvenile", False)
    assert ask(people.api("teacher"), young).json()["result"] == "no_hit"
    # Eight years is more than the five that sealing allows: reported.
    older = id_number(42, born="20080101")
    kept = convict(people, older, born="2008-01-01", sentence_months=96, offence=dt.date(2023, 6, 1))
    assert (kept.reporting_rule, kept.reportable) == ("conviction", True)
    assert ask(people.api("teacher"), older).json()["result"] == "hit"
    settings.LANTERN_REGISTRY_REPORT_SEALED = True  # a deployment that reads MPL art. 62 as a state query
    again = id_number(43, born="20080101")
    assert convict(people, again, born="2008-01-01", sentence_months=36, offence=dt.date(2023, 6, 1)).reportable
    assert ask(people.api("teacher"), again).json()["result"] == "hit"


def test_an_entry_past_its_reporting_end_is_no_longer_reported(people):
    offender = id_number(41)
    entry = convict(people, offender)
    RegistryEntry.objects.filter(pk=entry.pk).update(reported_until=timezone.localdate() - dt.timedelta(days=1))
    assert ask(people.api("teacher"), offender).json()["result"] == "no_hit"


def csv_of(rows: list[tuple[str, str]], header: str = "姓名,身份证号") -> bytes:
    return ("\n".join([header, *(f"{name},{number}" for name, number in rows)]) + "\n").encode("utf-8")


def test_a_bulk_check_of_1000_rows_answers_every_row(people):
    offenders = {id_number(100 + i, born="19750101") for i in range(3)}
    for number in offenders:
        convict(people, number)
    rows = [(f"教职工{i:04d}", id_number(i, born=f"19{60 + i // 100:02d}0101")) for i in range(997)]
    rows += [(f"教职工{997 + i}", n) for i, n in enumerate(sorted(offenders))]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {people.api('teacher').token}")
    answer = client.post("/api/v1/registry/checks/bulk", {
        "file": SimpleUploadedFile("staff.csv", csv_of(rows), content_type="text/csv"),
        "purpose": "annual", "applicant_consent": "true"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["total"], body["done"], body["hits"], body["percent"], body["finished"]) == (1000, 1000, 3, 100, True)
    assert len(body["rows"]) == 1000
    hits = [r for r in body["rows"] if r["result"] == "hit"]
    assert sorted(r["applicant"] for r in hits) == ["教职工997", "教职工998", "教职工999"]
    assert [r["row"] for r in body["rows"]][:2] == [2, 3]  # the file's line numbers, header on line 1
    assert AuditEntry.objects.filter(action="institution.registry_checked").count() == 1000
    # One notice of the hits to the serving unit, not one per row.
    assert Notification.objects.filter(kind="registry_check_hit", recipient=people["intake"]).count() == 1


def test_a_bulk_check_moves_in_chunks_and_the_job_finishes_what_a_closed_page_left(people):
    rows = [(f"职工{i}", id_number(i)) for i in range(600)]
    batch = checks.start_bulk_check(actor=people["teacher"], file_name="staff.csv", data=csv_of(rows),
                                    purpose="annual", consent=True)
    assert (batch.total, batch.done, batch.percent) == (600, 0, 0)
    batch = checks.continue_bulk_check(batch=batch, actor=people["teacher"])
    assert (batch.done, batch.percent, batch.finished_at) == (checks.CHUNK, checks.CHUNK * 100 // 600, None)
    status = people.api("teacher").get(f"/registry/checks/bulk/{batch.pk}").json()
    assert status["finished"] is False and status["rows"] == []
    finish_bulk_checks()
    batch.refresh_from_db()
    assert batch.done == 600 and batch.finished_at is not None
    assert RegistryCheck.objects.filter(batch=batch, result="").count() == 0
    assert people.api("doctor").get(f"/registry/checks/bulk/{batch.pk}").status_code == 404  # not its batch


def test_a_bulk_file_with_bad_lines_is_refused_whole(people):
    rows = [("甲", id_number(1)), ("", id_number(2)), ("丙", "990121")]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {people.api('teacher').token}")
    answer = client.post("/api/v1/registry/checks/bulk", {
        "file": SimpleUploadedFile("staff.csv", csv_of(rows)), "purpose": "annual", "applicant_consent": "true"})
    assert answer.status_code == 422
    assert "3, 4" in answer.json()["error"]["details"]["file"][0]
    assert BulkCheck.objects.count() == 0 and RegistryCheck.objects.count() == 0
    no_header = client.post("/api/v1/registry/checks/bulk", {
        "file": SimpleUploadedFile("staff.csv", csv_of(rows[:1], header="a,b")), "purpose": "annual",
        "applicant_consent": "true"})
    assert no_header.status_code == 422


def test_who_reads_which_checks(people, units):
    offender = id_number(50)
    convict(people, offender)
    ask(people.api("teacher"), offender)
    ask(people.api("teacher"), id_number(51))
    own = people.api("teacher").get("/registry/checks").json()
    assert own["count"] == 2 and {r["applicant"] for r in own["items"]} == {"测试求职人丙"}
    assert own["limits"]["single_used_today"] == 2
    assert people.api("doctor").get("/registry/checks").json()["count"] == 0  # another institution's
    inspected = people.api("inspector").get("/registry/checks").json()
    assert inspected["count"] == 2 and all(r["applicant"] is None for r in inspected["items"])
    followed = people.api("intake").get("/registry/checks").json()  # the serving station: the hits only
    assert [r["result"] for r in followed["items"]] == ["hit"] and followed["items"][0]["applicant"] is None
    assert people.api("investigator").get("/registry/checks").status_code == 403
    assert ask(people.api("intake"), id_number(52)).status_code == 403  # the police do not check for hiring
