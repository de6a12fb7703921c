"""Adding to and correcting a case's record after intake (issue 13, item 1): never an
overwrite, always an audited action that keeps the old value, and the law recomputed
where the record it rests on changed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.deadlines.models import Deadline
from lantern.people.identifiers import cases_sharing
from tests.cases.helpers import filed_case, police, report, years_months_before
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db

ADULT = {"name": "成年被害人", "sex": "female", "estimated_age": 30}


@pytest.fixture
def people(units):
    return police(units)


def audit_text(case_id: int) -> str:
    entries = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case_id))
    return json.dumps([e.details for e in entries], ensure_ascii=False, default=str)


def born_aged(years: int, months: int = 3) -> str:
    offence = timezone.localdate() - dt.timedelta(days=2)  # the helpers' offence date
    return years_months_before(offence, years, months).isoformat()


# --- A suspect added after filing ------------------------------------------------------------------


def test_a_suspect_added_after_filing_whose_phone_links_to_another_cases_suspect(people):
    intake = Api(people["intake"])
    other = intake.post("/cases", report()).json()  # its first suspect: 13900000001
    case, api = filed_case(people, suspects=[{"name": "嫌疑人甲", "phone": "13711112222"}])
    added = api["inv"].post(f"/cases/{case['id']}/suspects", {
        "name": "嫌疑人乙", "sex": "male", "date_of_birth": "1990-05-01", "phone": "+86 139-0000-0001",
        "accounts": [{"platform": "某交友App", "handle": "@new_handle"}], "devices": ["35-209900-176148-1"]})
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["name"] == "嫌疑人乙" and body["devices"] == ["35-209900-176148-1"]
    assert sorted(body["identifiers"]) == ["account", "device", "phone"]
    assert [c["key"] for c in body["changes"]] == ["multiple_suspects"]  # two suspects now: gang-rape aggravation
    assert "multiple_suspects" in Case.objects.get(pk=case["id"]).flags
    # The investigator is not on the other case: the link is not shown to them ...
    assert body["linked_cases"] == []
    # ... the supervisor, who sees both, sees it, found by blind index at once.
    links = api["sup"].get(f"/people/{body['id']}/identifiers").json()["linked_cases"]
    assert links == [{"id": other["id"], "case_number": other["case_number"], "via": ["phone"]}]
    assert cases_sharing([("phone", "13900000001")]) == {other["id"], case["id"]}
    duplicates = intake.post("/cases/duplicates", {"suspect_phones": ["13900000001"]}).json()
    assert {d["id"] for d in duplicates} == {other["id"], case["id"]}
    # The audit says what was added, never the values.
    text = audit_text(case["id"])
    assert "case.suspect_added" in set(AuditEntry.objects.values_list("action", flat=True))
    assert "13900000001" not in text and "嫌疑人乙" not in text and "new_handle" not in text


def test_those_who_supervise_the_case_may_not_add_to_it_and_see_no_identities(people):
    case, api = filed_case(people)
    refused = api["pros"].post(f"/cases/{case['id']}/suspects", {"name": "嫌疑人乙"})
    assert refused.status_code in (403, 404)
    assert Api(people["investigator2"]).post(f"/cases/{case['id']}/suspects", {"name": "x"}).status_code == 404


# --- Identifiers added and marked wrong ---------------------------------------------------------


def test_an_identifier_added_links_at_once_and_one_marked_wrong_stays_in_the_history_matching_nothing(people):
    case, api = filed_case(people)
    suspect = api["inv"].get(f"/cases/{case['id']}/suspects").json()[0]["id"]
    path = f"/people/{suspect}/identifiers"
    imei = api["inv"].post(path, {"kind": "device", "value": "352099001761481"})
    assert imei.status_code == 201, imei.content
    assert imei.json()["kind"] == "device" and imei.json()["value"] == "352099001761481"
    account = api["inv"].post(path, {"kind": "account", "value": "chat_found", "platform": "某交友App"})
    assert account.status_code == 201 and account.json()["platform"] == "某交友App"
    assert api["inv"].post(path, {"kind": "account", "value": "x"}).status_code == 422  # an account needs its platform
    again = api["inv"].post(path, {"kind": "device", "value": "35 2099 0017 6148 1"})
    assert again.status_code == 409 and again.json()["error"]["details"]["unmet"][0]["code"] == "already_recorded"
    assert cases_sharing([("device", "35-209900-176148-1")]) == {case["id"]}

    wrong = api["inv"].post(f"/identifiers/{imei.json()['id']}/retract", {"reason": "核实为被害人的手机"})
    assert wrong.status_code == 200, wrong.content
    assert wrong.json()["in_force"] is False and wrong.json()["retraction_reason"] == "核实为被害人的手机"
    assert cases_sharing([("device", "352099001761481")]) == set()
    history = api["sup"].get(path).json()
    kinds = {(i["kind"], i["in_force"]) for i in history["items"]}
    assert ("device", False) in kinds and ("account", True) in kinds and ("phone", True) in kinds
    phone = next(i for i in history["items"] if i["kind"] == "phone")
    assert phone["value"] == "13900000001" and phone["added_by"] is None  # intake's, read from its column
    assert api["inv"].post(f"/identifiers/{imei.json()['id']}/retract", {"reason": "x"}).status_code == 409
    # The prosecutor sees the case, not identities, and does no police work on it.
    shown = api["pros"].get(path)
    assert shown.status_code == 200 and all("value" not in i for i in shown.json()["items"])
    reads = AuditEntry.objects.filter(action="case.read", object_id=str(case["id"]), details__purpose="identifiers")
    assert {r.details["identity"] for r in reads} == {True, False}  # each read recorded, as a read of the case
    assert api["pros"].post(path, {"kind": "phone", "value": "13600000000"}).status_code == 403
    text = audit_text(case["id"])
    assert "352099001761481" not in text and "chat_found" not in text and "核实" not in text


# --- Corrections -------------------------------------------------------------------------------


def test_a_date_of_birth_correction_from_15_to_13_adds_the_age_knowledge_item_and_the_minors_flags(people):
    case, api = filed_case(people, victim={"name": "被害人丙", "sex": "female", "date_of_birth": born_aged(15)})
    before = Case.objects.get(pk=case["id"])
    assert before.age_band == "14_to_16" and "caretaker_duty_check" in before.flags
    corrected = api["inv"].post(f"/cases/{case['id']}/corrections", {
        "field": "victim.date_of_birth", "value": born_aged(13), "reason": "户籍证明显示出生日期登记有误"})
    assert corrected.status_code == 201, corrected.content
    body = corrected.json()
    assert body["age_band"] == "12_to_14" and body["is_minor"] is True
    assert {"minor", "major_case"} <= set(body["flags"]) and "caretaker_duty_check" not in body["flags"]
    changes = {(c["kind"], c["key"]) for c in body["changes"]}
    assert ("age_band", "12_to_14") in changes and ("checklist_added", "age_knowledge_analysis") in changes
    assert ("flag_removed", "caretaker_duty_check") in changes
    assert ("checklist_not_applicable", "caretaker_duty_check") in changes
    assert any("Age-knowledge analysis" in c["text"] for c in body["changes"])
    checklist = {i["key"]: i for i in api["inv"].get(f"/cases/{case['id']}").json()["checklist"]}
    assert checklist["age_knowledge_analysis"]["status"] == "open"
    assert checklist["caretaker_duty_check"]["status"] == "not_applicable"  # kept, never deleted
    # The old value is kept in the history, for those who may see it, and nowhere in the audit.
    history = api["sup"].get(f"/cases/{case['id']}/corrections").json()["items"]
    assert [(h["old_value"], h["new_value"]) for h in history] == [(born_aged(15), born_aged(13))]
    assert any(c["key"] == "age_knowledge_analysis" and "Age-knowledge analysis" in c["text"]
               for c in history[0]["changes"])
    assert born_aged(15) not in audit_text(case["id"]) and born_aged(13) not in audit_text(case["id"])
    assert "old_value" not in api["pros"].get(f"/cases/{case['id']}/corrections").json()["items"][0]


def test_an_adult_found_to_be_13_is_reviewed_on_the_minors_clock_and_needs_two_approvals_to_not_file(people):
    created = Api(people["intake"]).post("/cases", report(victim=ADULT)).json()
    sup, inv = Api(people["supervisor"]), Api(people["investigator"])
    sup.act(created["id"], "assign", assignees=["c_inv"])
    inv.act(created["id"], "begin_review")
    inv.complete_checklist(created["id"])
    assert inv.act(created["id"], "propose_non_filing", reason="现有证据不能证明").status_code == 200
    corrected = inv.post(f"/cases/{created['id']}/corrections", {
        "field": "victim.estimated_age", "value": 13, "reason": "骨龄鉴定为13岁"})
    assert corrected.status_code == 201, corrected.content
    changes = {(c["kind"], c["key"]) for c in corrected.json()["changes"]}
    assert {("flag_added", "minor"), ("flag_added", "major_case"), ("checklist_added", "age_knowledge_analysis"),
            ("clock_switched", "filing_review_minor"), ("approvals_needed", "2")} <= changes
    clocks = dict(Deadline.objects.filter(case_id=created["id"], rule__startswith="filing_review")
                  .values_list("rule", "status"))
    assert clocks == {"filing_review": "cancelled", "filing_review_minor": "open"}
    case = Case.objects.get(pk=created["id"])
    assert case.is_minor and case.decisions.get(status="pending").approvals_needed == 2


def test_a_correction_needs_a_reason_a_new_value_and_a_field_that_can_be_corrected(people):
    case, api = filed_case(people)
    url = f"/cases/{case['id']}/corrections"
    assert api["inv"].post(url, {"field": "victim.sex", "value": "male", "reason": " "}).status_code == 422
    same = api["inv"].post(url, {"field": "victim.sex", "value": "female", "reason": "核对"})
    assert same.status_code == 422 and "value" in same.json()["error"]["details"]
    assert api["inv"].post(url, {"field": "victim.narrative", "value": "x", "reason": "y"}).status_code == 422
    future = api["inv"].post(url, {"field": "victim.date_of_birth", "value": "2999-01-01", "reason": "y"})
    assert future.status_code == 422
    no_such_day = api["inv"].post(url, {"field": "victim.date_of_birth", "value": "2014-02-30", "reason": "y"})
    assert no_such_day.status_code == 422 and "value" in no_such_day.json()["error"]["details"]
    assert api["inv"].post(url, {"field": "victim.estimated_age", "value": "-3", "reason": "y"}).status_code == 422
    sex = api["inv"].post(url, {"field": "victim.sex", "value": "male", "reason": "核对户籍"})
    assert sex.status_code == 201 and sex.json()["changes"] == []


def test_a_name_correction_moves_the_victims_blind_index(people):
    case, api = filed_case(people)
    victim = api["inv"].get(f"/cases/{case['id']}").json()["victim"]
    old = ("name_dob", f"测试甲|{victim['date_of_birth']}")
    assert case["id"] in cases_sharing([old])
    assert api["inv"].post(f"/cases/{case['id']}/corrections", {
        "field": "victim.name", "value": "测试丁", "reason": "户籍登记姓名"}).status_code == 201
    assert case["id"] not in cases_sharing([old])
    assert case["id"] in cases_sharing([("name_dob", f"测试丁|{victim['date_of_birth']}")])


# --- Indicators and supplements ----------------------------------------------------------------


def test_an_indicator_added_during_review_refuses_the_pending_non_filing(people):
    created = Api(people["intake"]).post("/cases", report(victim=ADULT)).json()
    sup, inv = Api(people["supervisor"]), Api(people["investigator"])
    sup.act(created["id"], "assign", assignees=["c_inv"])
    inv.act(created["id"], "begin_review")
    inv.complete_checklist(created["id"])
    assert inv.act(created["id"], "propose_non_filing", reason="现有证据不能证明").status_code == 200
    added = inv.post(f"/cases/{created['id']}/indicators",
                     {"indicator": "genital_injury", "reason": "法医检查发现生殖器损伤"})
    assert added.status_code == 201, added.content
    assert "mandatory_filing" in added.json()["flags"]
    assert "pending_non_filing_refused" in {c["kind"] for c in added.json()["changes"]}
    refused = sup.act(created["id"], "approve_decision", reason="同意")
    assert refused.status_code == 409
    unmet = refused.json()["error"]["details"]["unmet"]
    assert [u["code"] for u in unmet] == ["mandatory_filing"]
    assert "Clear abnormal injury to the genitals" in unmet[0]["message"]
    assert Case.objects.get(pk=created["id"]).state == "UNDER_REVIEW"
    assert sup.act(created["id"], "return_decision", reason="必须立案").status_code == 200
    again = inv.act(created["id"], "propose_non_filing", reason="x")
    assert again.status_code == 409
    assert "mandatory_filing" in {u["code"] for u in again.json()["error"]["details"]["unmet"]}
    assert inv.post(f"/cases/{created['id']}/indicators", {"indicator": "genital_injury", "reason": "x"}
                    ).status_code == 409
    assert "法医" not in audit_text(created["id"]) and "genital" not in audit_text(created["id"])


def test_a_narrative_supplement_is_appended_dated_and_signed_and_shown_like_the_narrative(people):
    case, api = filed_case(people)
    url = f"/cases/{case['id']}/supplements"
    first = api["inv"].post(url, {"text": "补充：被害人回忆起嫌疑人使用的车辆。"})
    assert first.status_code == 201 and first.json()["added_by"] == "c_inv"
    assert api["inv"].post(url, {"text": "   "}).status_code == 422
    api["sup"].post(url, {"text": "补充：调取到酒店登记记录。"})
    items = api["sup"].get(url).json()["items"]
    assert [i["text"][:3] for i in items] == ["补充：", "补充："] and items[0]["added_at"] <= items[1]["added_at"]
    assert all("text" not in i for i in api["pros"].get(url).json()["items"])
    assert api["pros"].post(url, {"text": "x"}).status_code == 403
    assert "车辆" not in audit_text(case["id"])


# --- The case page ------------------------------------------------------------------------------


def test_the_case_page_corrects_the_record_and_says_what_the_law_recomputed(people):
    from django.test import Client

    from tests.factories import sign_in

    case, _api = filed_case(people, victim={"name": "被害人丙", "sex": "female", "date_of_birth": born_aged(15)})
    pages = Client()
    pages.cookies["lantern_language"] = "en"
    sign_in(pages, people["investigator"])
    answer = pages.post(f"/intake/cases/{case['id']}/corrections/", {
        "field": "victim.date_of_birth", "value": born_aged(13), "reason": "户籍证明"}, follow=True)
    text = answer.content.decode()
    assert "Record corrected" in text and "Checklist item added: Age-knowledge analysis" in text
    assert "Age band: 14 to under 16 → 12 to under 14" in text
    refused = pages.post(f"/intake/cases/{case['id']}/corrections/", {
        "field": "victim.sex", "value": "female", "reason": "x"}, follow=True).content.decode()
    assert "This is the value on record already." in refused
    pages.post(f"/intake/cases/{case['id']}/supplements/", {"text": "补充：新的目击者。"})
    pages.post(f"/intake/cases/{case['id']}/suspects/", {"name": "嫌疑人戊", "phone": "13600000009",
                                                         "devices": "352099001761481"})
    page = pages.get(f"/cases/{case['id']}/").content.decode()
    assert "补充：新的目击者。" in page and "嫌疑人戊" in page and "352099001761481" in page
    assert 'action="/intake/people/' in page  # a form to add an identifier to each suspect
    prosecutor = Client()
    prosecutor.cookies["lantern_language"] = "en"
    sign_in(prosecutor, people["prosecutor"])
    shown = prosecutor.get(f"/cases/{case['id']}/").content.decode()  # a minor's case: the minors' office sees it
    assert "Additions and corrections" in shown and "补充：新的目击者。" not in shown and "嫌疑人戊" not in shown
    assert 'action="/intake/cases/' not in shown  # no forms for those who only supervise
