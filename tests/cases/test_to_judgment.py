"""From filing to judgment in one scenario, suspension while every suspect is at large,
and the victim's window to appeal a decision not to prosecute."""

from __future__ import annotations

import pytest

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Suspect
from lantern.deadlines.models import Deadline
from lantern.linkage.models import RegistryEntry
from tests.cases.helpers import filed_case, police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db
def sent_for_prosecution(people):
    """A filed case investigated, its one suspect detained, the evidence in, sent on."""
    case, api = filed_case(people)
    cid = case["id"]
    api["inv"].act(cid, "begin_investigation")
    sid = Suspect.objects.get(case_id=cid).pk
    api["inv"].post(f"/suspects/{sid}/moves/detain", {"reason": "拘留证 1号"})
    api["sup"].complete_checklist(cid)
    assert api["sup"].act(cid, "send_for_prosecution", reason="起诉意见书").status_code == 200
    return case, api, sid


def state(case):
    return Case.objects.get(pk=case["id"]).state


def test_the_full_path_from_filing_to_a_closed_case(units):
    people = police(units)
    case, api = filed_case(people)
    cid, inv, sup, pros = case["id"], api["inv"], api["sup"], api["pros"]
    sid = Suspect.objects.get(case_id=cid).pk
    assert inv.act(cid, "begin_investigation").status_code == 200
    assert sup.act(cid, "send_for_prosecution", reason="起诉意见书").status_code == 409  # nobody in hand
    inv.post(f"/suspects/{sid}/moves/detain", {"reason": "拘留证 1号"})
    inv.post(f"/suspects/{sid}/moves/request_arrest", {"reason": "提请批准逮捕书 1号"})
    assert pros.post(f"/suspects/{sid}/moves/approve_arrest", {"reason": "批准逮捕决定书"}).status_code == 200
    sup.complete_checklist(cid)
    assert inv.act(cid, "send_for_prosecution", reason="x").status_code == 403  # a supervisor sends it
    assert sup.act(cid, "send_for_prosecution", reason="起诉意见书").status_code == 200
    assert sup.act(cid, "prosecute", reason="x").status_code == 403  # the procuratorate indicts
    assert pros.act(cid, "prosecute", reason="起诉书 清检刑诉〔2026〕1号").status_code == 200
    assert Suspect.objects.get(pk=sid).status == "charged"
    refused = pros.act(cid, "record_judgment", reason="判决书")
    assert refused.status_code == 409 and refused.json()["error"]["details"]["unmet"][0]["code"] == "outcome_required"
    assert pros.act(cid, "record_judgment", reason="判决书（2026）1号", outcome="convicted").status_code == 200
    assert Suspect.objects.get(pk=sid).status == "convicted" and state(case) == "JUDGED"
    entry = RegistryEntry.objects.get(suspect_id=sid)  # the conviction feeds the offender registry
    assert entry.name == "嫌疑人一" and entry.judgment_reference == "判决书（2026）1号"
    assert sup.act(cid, "close_case", reason="判决生效，结案").status_code == 200
    assert state(case) == "CLOSED"
    trail = list(AuditEntry.objects.filter(object_id=str(cid), action__in=[
        "case.begin_investigation", "case.send_for_prosecution", "case.prosecute", "case.record_judgment",
        "case.close_case"]).values_list("action", flat=True))
    assert trail == ["case.begin_investigation", "case.send_for_prosecution", "case.prosecute",
                     "case.record_judgment", "case.close_case"]


def test_suspended_when_the_last_suspect_absconds_and_resumed_when_one_is_caught(units):
    people = police(units)
    case, api = filed_case(people)
    cid, inv = case["id"], api["inv"]
    inv.act(cid, "begin_investigation")
    sid = Suspect.objects.get(case_id=cid).pk
    assert inv.post(f"/suspects/{sid}/moves/abscond", {"reason": "外逃，已上网追逃"}).status_code == 200
    assert state(case) == "SUSPENDED"
    assert AuditEntry.objects.filter(object_id=str(cid), action="case.suspend_investigation").exists()
    assert inv.act(cid, "resume_investigation").status_code == 409  # nobody caught yet
    assert inv.post(f"/suspects/{sid}/moves/detain", {"reason": "抓获，拘留证 2号"}).status_code == 200
    assert state(case) == "INVESTIGATING"


def test_a_decision_not_to_prosecute_leaves_the_victim_seven_days_to_appeal(units):
    people = police(units)
    case, api, _sid = sent_for_prosecution(people)
    cid, sup, pros = case["id"], api["sup"], api["pros"]
    assert pros.act(cid, "decline_prosecution", reason="不起诉决定书").status_code == 200
    appeal = Deadline.objects.get(case_id=cid, rule="non_prosecution_appeal")
    assert appeal.period_amount == 7
    refused = sup.act(cid, "close_case", reason="结案")
    assert refused.status_code == 409 and refused.json()["error"]["details"]["unmet"][0]["code"] == \
        "appeal_window_open"


def test_a_case_sent_for_prosecution_reaches_the_procuratorate_of_its_jurisdiction(units):
    from lantern.access.roles import Role
    from tests.factories import make_user

    people = police(units)
    case, api = filed_case(people, victim={"name": "测试", "sex": "female", "estimated_age": 30})
    cid, inv, sup = case["id"], api["inv"], api["sup"]
    general = Api(make_user(units, "QS-JCY", Role.PROSECUTOR, username="c_pros_general"))
    inv.act(cid, "begin_investigation")
    sid = Suspect.objects.get(case_id=cid).pk
    inv.post(f"/suspects/{sid}/moves/detain", {"reason": "拘留证 1号"})
    inv.post(f"/suspects/{sid}/moves/release_on_bail", {"reason": "取保候审决定书"})
    sup.complete_checklist(cid)
    assert general.get(f"/cases/{cid}").status_code == 404
    assert sup.act(cid, "send_for_prosecution", reason="起诉意见书").status_code == 200
    assert general.get(f"/cases/{cid}").status_code == 200


def test_a_suspended_case_gets_cold_case_reviews_on_a_clock(units):
    people = police(units)
    case, api = filed_case(people)
    cid, inv = case["id"], api["inv"]
    inv.act(cid, "begin_investigation")
    sid = Suspect.objects.get(case_id=cid).pk
    assert inv.post(f"/cases/{cid}/cold-case-reviews", {"rechecked": ["witnesses"], "findings": "无"}
                    ).status_code == 409  # not suspended
    inv.post(f"/suspects/{sid}/moves/abscond", {"reason": "外逃"})
    first = Deadline.objects.get(case_id=cid, rule="cold_case_review", status="open")
    assert (first.due_at - first.started_at).days >= 179
    assert inv.post(f"/cases/{cid}/cold-case-reviews", {"rechecked": ["nonsense"], "findings": "无"}
                    ).status_code == 422
    done = inv.post(f"/cases/{cid}/cold-case-reviews", {"rechecked": ["dna_databases", "linked_cases"],
                                                        "findings": "数据库比对无新结果"})
    assert done.status_code == 201
    first.refresh_from_db()
    assert first.status == "met"
    assert Deadline.objects.filter(case_id=cid, rule="cold_case_review", status="open").count() == 1  # the next
    inv.post(f"/suspects/{sid}/moves/detain", {"reason": "抓获"})
    assert not Deadline.objects.filter(case_id=cid, rule="cold_case_review", status="open").exists()
    reviews = inv.get(f"/cases/{cid}/cold-case-reviews").json()
    assert reviews[0]["rechecked"] == ["dna_databases", "linked_cases"]


def test_a_supervisor_marks_a_case_historical(units):
    people = police(units)
    case, api = filed_case(people)
    assert api["inv"].post(f"/cases/{case['id']}/historical", {"reason": "案发于十年前"}).status_code == 403
    assert api["sup"].post(f"/cases/{case['id']}/historical", {"reason": ""}).status_code == 422
    assert api["sup"].post(f"/cases/{case['id']}/historical", {"reason": "案发于十年前"}).json()["is_historical"]


def test_a_judgment_per_suspect_and_only_convictions_reach_the_registry(units):
    people = police(units)
    two = [{"name": "嫌疑人一", "phone": "13900000001"}, {"name": "嫌疑人二", "phone": "13900000002"}]
    case = Api(people["intake"]).post("/cases", report(suspects=two)).json()
    cid = case["id"]
    sup, head, pros = Api(people["supervisor"]), Api(people["county_head"]), Api(people["prosecutor"])
    sup.act(cid, "begin_review")
    sup.act(cid, "propose_filing", reason="有犯罪事实")
    head.act(cid, "approve_decision", reason="同意")
    sup.act(cid, "begin_investigation")
    first, second = Suspect.objects.filter(case_id=cid).order_by("pk")
    for s in (first, second):
        sup.post(f"/suspects/{s.pk}/moves/detain", {"reason": "拘留证"})
    sup.complete_checklist(cid)
    sup.act(cid, "send_for_prosecution", reason="起诉意见书")
    pros.act(cid, "prosecute", reason="起诉书")
    partial = pros.act(cid, "record_judgment", reason="判决书", verdicts=[
        {"suspect_id": first.pk, "verdict": "convicted", "charges": "强奸罪", "sentence": "有期徒刑十二年"}])
    assert partial.status_code == 409  # the second suspect has no verdict and no common outcome
    done = pros.act(cid, "record_judgment", reason="判决书（2026）2号", court="清水县人民法院", verdicts=[
        {"suspect_id": first.pk, "verdict": "convicted", "charges": "强奸罪", "sentence": "有期徒刑十二年",
         "sentence_months": 144},
        {"suspect_id": second.pk, "verdict": "acquitted"}])
    assert done.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("convicted", "acquitted")
    assert first.judgment.sentence == "有期徒刑十二年" and first.judgment.charges == "强奸罪"
    assert list(RegistryEntry.objects.values_list("suspect_id", flat=True)) == [first.pk]
    # The entry records the court, the charges and the sentence, and the rule that decides
    # whether hiring checks are told of it: an adult's conviction, reported without end.
    entry = RegistryEntry.objects.get()
    assert (entry.court, entry.charges, entry.sentence_months) == ("清水县人民法院", "强奸罪", 144)
    assert (entry.reporting_rule, entry.reportable, entry.reported_until) == ("conviction", True, None)


def test_investigation_custody_extensions_in_the_order_the_law_sets(units):
    people = police(units)
    case, api = filed_case(people)
    cid, inv, pros = case["id"], api["inv"], api["pros"]
    inv.act(cid, "begin_investigation")
    sid = Suspect.objects.get(case_id=cid).pk
    inv.post(f"/suspects/{sid}/moves/detain", {"reason": "拘留证"})
    inv.post(f"/suspects/{sid}/moves/request_arrest", {"reason": "提请批准逮捕书"})
    pros.post(f"/suspects/{sid}/moves/approve_arrest", {"reason": "批准逮捕决定书"})
    assert inv.post(f"/suspects/{sid}/custody/extension", {"article": "156", "reason": "x"}).status_code == 403
    assert pros.post(f"/suspects/{sid}/custody/extension", {"article": "158", "reason": "x"}).status_code == 409
    for article, months in (("156", 3), ("158", 5), ("159", 7)):
        done = pros.post(f"/suspects/{sid}/custody/extension", {"article": article, "reason": "延长侦查羁押期限决定书"})
        assert done.status_code == 200 and done.json()["months_in_all"] == months
    assert pros.post(f"/suspects/{sid}/custody/extension", {"article": "159", "reason": "x"}).status_code == 409


def test_the_case_page_records_a_verdict_per_suspect(units):
    from django.test import Client

    from tests.factories import sign_in

    people = police(units)
    case, api, sid = sent_for_prosecution(people)
    cid, pros = case["id"], api["pros"]
    pros.act(cid, "prosecute", reason="起诉书")
    client = Client()
    sign_in(client, people["prosecutor"])
    assert f'name="verdict_{sid}"' in client.get(f"/cases/{cid}/").content.decode()
    form = {"reason": "判决书（2026）3号", f"verdict_{sid}": "convicted", f"charges_{sid}": "强奸罪",
            f"sentence_{sid}": "有期徒刑十年"}
    client.post(f"/cases/{cid}/actions/record_judgment/", form)
    suspect = Suspect.objects.get(pk=sid)
    assert suspect.status == "convicted" and suspect.judgment.sentence == "有期徒刑十年"


def test_the_victims_appeal_against_non_prosecution(units):
    from lantern.access.roles import Role
    from tests.factories import make_user

    people = police(units)
    case, api, sid = sent_for_prosecution(people)
    cid, sup, pros = case["id"], api["sup"], api["pros"]
    pros.act(cid, "decline_prosecution", reason="不起诉决定书")
    assert pros.act(cid, "apply_prosecution_appeal").status_code == 200
    assert Deadline.objects.get(case_id=cid, rule="non_prosecution_appeal").status == "met"
    closing = sup.act(cid, "close_case", reason="结案")
    assert closing.status_code == 409 and "proceeding_open" in {u["code"] for u in
                                                                 closing.json()["error"]["details"]["unmet"]}
    # The county procuratorate declined: it cannot decide the appeal against itself (CPL art. 180).
    denied = pros.act(cid, "decide_prosecution_appeal", reason="维持不起诉决定", outcome="upheld")
    assert denied.status_code == 409
    assert [u["code"] for u in denied.json()["error"]["details"]["unmet"]] == ["not_next_procuratorate_up"]
    assert state(case) == "NOT_PROSECUTED"
    offered = {a["name"]: a for a in pros.get(f"/cases/{cid}/actions").json()}
    assert not offered["decide_prosecution_appeal"]["allowed"]
    # Nor may a second county procuratorate office; the prefecture procuratorate decides.
    county = Api(make_user(units, "QS-JCY", Role.PROSECUTOR, username="c_pros_county"))
    assert county.act(cid, "decide_prosecution_appeal", reason="x", outcome="upheld").status_code == 409
    upper = make_user(units, "AP-JCY", Role.PROSECUTOR, username="c_pros_prefecture")
    prefecture = Api(upper)
    offered = {a["name"]: a for a in prefecture.get(f"/cases/{cid}/actions").json()}
    assert offered["decide_prosecution_appeal"]["allowed"]
    assert prefecture.act(cid, "decide_prosecution_appeal", reason="上一级检察院决定起诉", outcome="overturned"
                          ).status_code == 200
    assert state(case) == "PROSECUTED" and Suspect.objects.get(pk=sid).status == "charged"
    entry = AuditEntry.objects.get(object_id=str(cid), action="case.decide_prosecution_appeal")
    assert entry.actor_id == upper.pk


def test_the_indictment_and_the_judgment_move_suspects_through_their_own_table_with_history(units):
    from lantern.audit.models import AuditEntry
    from lantern.cases.models import SuspectEvent

    people = police(units)
    case, api, sid = sent_for_prosecution(people)
    assert api["pros"].act(case["id"], "prosecute", reason="起诉书 1号").status_code == 200
    assert api["pros"].act(case["id"], "record_judgment", reason="判决书 1号", outcome="convicted").status_code == 200
    moves = list(SuspectEvent.objects.filter(suspect_id=sid).order_by("at", "pk")
                 .values_list("from_status", "to_status"))
    assert moves[-2:] == [("detained", "charged"), ("charged", "convicted")]
    audited = set(AuditEntry.objects.filter(object_id=str(case["id"])).values_list("action", flat=True))
    assert {"suspect.charge", "suspect.convict"} <= audited
    # Those rows are the workflow's: nobody takes them as moves of their own.
    assert api["pros"].post(f"/suspects/{sid}/moves/acquit", {"reason": "x"}).status_code == 404


def test_the_procuratorate_one_level_up_decides_the_appeal_on_the_case_page(units):
    from django.test import Client

    from lantern.access.roles import Role
    from tests.factories import make_user, sign_in

    people = police(units)
    case, api, _sid = sent_for_prosecution(people)
    cid, pros = case["id"], api["pros"]
    pros.act(cid, "decline_prosecution", reason="不起诉决定书")
    pros.act(cid, "apply_prosecution_appeal")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, make_user(units, "AP-JCY", Role.PROSECUTOR, username="c_pros_prefecture"))
    page = client.get(f"/cases/{cid}/").content.decode()
    form = page[page.index('data-action="decide_prosecution_appeal"'):]
    assert 'name="outcome"' in form[:form.index("</form>")]
    client.post(f"/cases/{cid}/actions/decide_prosecution_appeal/", {"outcome": "upheld", "reason": "维持不起诉决定"})
    appeal = Case.objects.get(pk=cid).proceedings.get(kind="prosecution_appeal")
    assert appeal.status == "upheld" and state(case) == "NOT_PROSECUTED"


def test_an_appeal_against_a_decision_recorded_before_the_deciding_procuratorate_was_goes_one_level_up(units):
    from lantern.access.roles import Role
    from tests.factories import make_user

    people = police(units)
    case, api, _sid = sent_for_prosecution(people)
    cid, pros = case["id"], api["pros"]
    pros.act(cid, "decline_prosecution", reason="不起诉决定书")
    assert Case.objects.get(pk=cid).prosecuting_unit.code == "QS-JCY"  # the minors' office's procuratorate
    Case.objects.filter(pk=cid).update(prosecuting_unit=None)  # as rows migrated from before
    pros.act(cid, "apply_prosecution_appeal")
    assert pros.act(cid, "decide_prosecution_appeal", reason="x", outcome="upheld").status_code == 409
    upper = Api(make_user(units, "AP-JCY", Role.PROSECUTOR, username="c_pros_prefecture"))
    assert upper.act(cid, "decide_prosecution_appeal", reason="维持", outcome="upheld").status_code == 200
