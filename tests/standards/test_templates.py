"""The evidence standard as data (issue 18): a case's checklist comes from the templates of
its offences and its victim's age band, at the versions in force when it was registered;
a new version is in force from its date once the provincial police and procuratorate have
both approved it, and for cases registered from then on only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.standards import selectors
from lantern.standards.models import Template, TemplateStatus
from tests.cases.helpers import report, years_months_before
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


def adult_report(**overrides):
    offence = timezone.localdate() - dt.timedelta(days=2)
    return report(victim={"name": "测试丙", "sex": "female",
                          "date_of_birth": years_months_before(offence, 30, 0).isoformat()}, **overrides)


def child_report(**overrides):
    offence = timezone.localdate() - dt.timedelta(days=2)
    return report(victim={"name": "测试丁", "sex": "male",
                          "date_of_birth": years_months_before(offence, 9, 0).isoformat()}, **overrides)


def keys(case):
    return [item["key"] for item in case["checklist"]]


def test_a_case_of_indecency_with_a_child_gets_that_templates_items(people):
    case = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"])).json()
    assert case["offences"] == ["child_indecency"]
    assert case["checklist_template"] == {"id": case["checklist_template"]["id"], "key": "child_indecency/under_12",
                                          "version": 1}
    template = Template.objects.get(pk=case["checklist_template"]["id"])
    assert keys(case) == [i.key for i in template.items.all()]
    assert "online_indecency" in keys(case)
    interview = next(i for i in case["checklist"] if i["key"] == "victim_interview")
    assert interview["satisfied_by"] == ["interview"]


def test_a_rape_of_an_adult_gets_another(people):
    case = Api(people["intake"]).post("/cases", adult_report(offences=["rape"])).json()
    assert case["checklist_template"]["key"] == "rape/adult"
    assert "online_indecency" not in keys(case) and "age_knowledge_analysis" not in keys(case)
    assert keys(case) == [i.key for i in Template.objects.get(offence="rape", age_band="adult").items.all()]
    child = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"])).json()
    assert keys(case) != keys(child)


def test_intake_defaults_to_rape_and_takes_several_offences_each_key_once(people):
    intake = Api(people["intake"])
    assert intake.post("/cases", adult_report()).json()["offences"] == ["rape"]
    both = intake.post("/cases", child_report(offences=["child_indecency", "child_prostitution"])).json()
    assert [t["key"] for t in both["checklist_templates"]] == ["child_indecency/under_12",
                                                              "child_prostitution/under_12"]
    assert {"online_indecency", "other_minors"} <= set(keys(both))
    assert len(keys(both)) == len(set(keys(both)))


@pytest.mark.parametrize(("body", "field"), [
    ({"offences": []}, "offences"),
    ({"offences": ["burglary"]}, "offences.0"),
    ({"offences": ["child_indecency"]}, "offences"),  # an adult victim: indecency with a child cannot apply
])
def test_offences_that_cannot_be_are_refused_with_the_field_named(people, body, field):
    response = Api(people["intake"]).post("/cases", adult_report(**body))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["details"]
    assert Case.objects.count() == 0


def test_correcting_the_offences_is_audited_and_brings_the_checklist_in_line(people):
    case = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"])).json()
    sup = Api(people["supervisor"])
    corrected = sup.post(f"/cases/{case['id']}/corrections", {"field": "offences", "value": ["child_rape"],
                                                              "reason": "核实后为奸淫幼女"})
    assert corrected.status_code == 201, corrected.content
    assert "offences" in [c["kind"] for c in corrected.json()["changes"]]
    after = sup.get(f"/cases/{case['id']}").json()
    assert after["offences"] == ["child_rape"] and after["checklist_template"]["key"] == "child_rape/under_12"
    dropped = next(i for i in after["checklist"] if i["key"] == "online_indecency")
    assert dropped["status"] == "not_applicable"  # never deleted
    entry = AuditEntry.objects.filter(action="case.corrected").latest("pk")
    assert entry.details["field"] == "offences" and entry.details["offences"] == ["child_rape"]
    refused = sup.post(f"/cases/{case['id']}/corrections", {"field": "offences", "value": ["forcible_indecency"],
                                                            "reason": "x"})
    assert refused.status_code == 422 and "value" in refused.json()["error"]["details"]


# --- A new version -------------------------------------------------------------------------------------


def new_version(people, *, effective_from=None, title="询问被害人（修订）"):
    base = Template.objects.get(offence="child_indecency", age_band="under_12", version=1)
    items = [selectors.item_json(i) for i in base.items.all()]
    body_items = [{k: i[k] for k in ("key", "title_zh", "title_en", "guidance_zh", "guidance_en", "satisfied_by",
                                     "legal_reference")} | {"clock": i["clock"] or ""} for i in items]
    body_items[0]["title_zh"] = title
    body_items.append({"key": "school_records", "title_zh": "学校记录调取", "title_en": "School records obtained",
                       "satisfied_by": ["evidence"], "legal_reference": "(policy)"})
    response = Api(people["admin"]).post("/evidence-standards", {
        "offence": "child_indecency", "age_band": "under_12", "note": "增加学校记录",
        "effective_from": (effective_from or timezone.localdate()).isoformat(), "items": body_items})
    assert response.status_code == 201, response.content
    return response.json()


def in_force_version(user):
    listed = Api(user).get("/evidence-standards").json()["items"]
    return next(t["version"] for t in listed if t["key"] == "child_indecency/under_12")


def test_a_version_approved_by_the_police_only_does_not_take_effect(people):
    draft = new_version(people)
    assert draft["status"] == "draft" and draft["version"] == 2
    approved = Api(people["police_head"]).post(f"/evidence-standards/{draft['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "draft"
    assert in_force_version(people["investigator"]) == 1
    case = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"])).json()
    assert case["checklist_template"]["version"] == 1
    again = Api(people["police_head"]).post(f"/evidence-standards/{draft['id']}/approve")
    assert again.status_code == 409  # one approval per side


def test_approved_by_both_it_takes_effect_on_its_date_for_new_cases_only(people):
    before = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"])).json()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    draft = new_version(people, effective_from=tomorrow)
    for approver in ("provincial_prosecutor", "police_head"):
        assert Api(people[approver]).post(f"/evidence-standards/{draft['id']}/approve").status_code == 200
    template = Template.objects.get(pk=draft["id"])
    assert template.status == TemplateStatus.APPROVED
    sides = sorted(e.details["side"] for e in AuditEntry.objects.filter(action="standard.approved"))
    assert sides == ["police", "procuratorate"]
    assert in_force_version(people["investigator"]) == 1  # not yet: its date is tomorrow
    assert selectors.in_force(offence="child_indecency", age_band="under_12", division="990121",
                              on=tomorrow) == template
    # On its date: the next case gets version 2; the earlier one keeps version 1.
    Template.objects.filter(pk=template.pk).update(effective_from=timezone.localdate())
    after = Api(people["intake"]).post("/cases", child_report(offences=["child_indecency"])).json()
    assert after["checklist_template"]["version"] == 2 and "school_records" in keys(after)
    kept = Api(people["supervisor"]).get(f"/cases/{before['id']}").json()
    assert kept["checklist_template"]["version"] == 1 and "school_records" not in keys(kept)


def test_who_drafts_and_who_approves(people):
    refused = Api(people["investigator"]).post("/evidence-standards", {
        "offence": "rape", "age_band": "adult", "effective_from": timezone.localdate().isoformat(),
        "items": [{"key": "x", "title_zh": "甲", "title_en": "A", "satisfied_by": ["note"]}]})
    assert refused.status_code == 403
    draft = new_version(people)
    for who in ("prosecutor", "county_head"):  # county level: not the province's approvers
        assert Api(people[who]).post(f"/evidence-standards/{draft['id']}/approve").status_code == 403
    assert Api(people["admin"]).post(f"/evidence-standards/{draft['id']}/approve").status_code == 403


def test_a_draft_with_bad_items_is_refused_item_by_item(people):
    response = Api(people["admin"]).post("/evidence-standards", {
        "offence": "child_indecency", "age_band": "adult", "effective_from": "2000-01-01",
        "items": [{"key": "a", "title_zh": "甲", "title_en": "A", "satisfied_by": ["note"], "clock": "lab_result"},
                  {"key": "a", "title_zh": "乙", "title_en": "B", "satisfied_by": ["note"]}]})
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert {"age_band", "effective_from", "items"} <= set(details) and len(details["items"]) == 2


def test_two_versions_side_by_side(people):
    draft = new_version(people)
    base = Template.objects.get(offence="child_indecency", age_band="under_12", version=1)
    rows = Api(people["prosecutor"]).get(f"/evidence-standards/{draft['id']}/diff/{base.pk}").json()["rows"]
    change = {r["key"]: r["change"] for r in rows}
    assert change["school_records"] == "added" and change["victim_interview"] == "changed"
    assert change["forensic_examination"] == "same"
    assert next(r for r in rows if r["key"] == "victim_interview")["fields"] == ["title_zh"]


def test_the_api_lists_the_templates_in_force_with_their_versions(people):
    body = Api(people["prosecutor"]).get("/evidence-standards").json()
    assert body["count"] == Template.objects.filter(version=1).count()
    assert {(t["key"], t["version"]) for t in body["items"]} >= {("rape/adult", 1), ("child_indecency/under_12", 1)}
    assert all(t["items"] for t in body["items"])
