"""A minor victim's report is reviewed on the minors' clock (2023 opinion art. 5: file at
once; a complex case 7 days at most), and every direct-filing trigger of that article makes
the case one that must be filed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lantern.cases.models import Case
from lantern.deadlines.models import Deadline
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db

ADULT = {"name": "成年被害人", "sex": "female", "estimated_age": 30}


@pytest.fixture
def people(units):
    return police(units)


def review_clocks(case_id: int) -> list[str]:
    return sorted(Deadline.objects.filter(case_id=case_id, rule__startswith="filing_review")
                  .values_list("rule", flat=True))


def test_a_minors_case_gets_the_minors_clock_and_an_adults_the_ordinary_one(people):
    intake = Api(people["intake"])
    child = intake.post("/cases", report()).json()  # a 12-year-old
    adult = intake.post("/cases", report(victim=ADULT)).json()
    assert review_clocks(child["id"]) == ["filing_review_minor"]
    assert review_clocks(adult["id"]) == ["filing_review"]
    shown = {d["kind"]: d for d in child["deadlines"]}
    assert "filing_review_minor" in shown and shown["filing_review_minor"]["legal_reference"].endswith(
        "《公安部关于改革完善受案立案制度的意见》(2015)")
    assert "第五条" in shown["filing_review_minor"]["legal_reference"]


def test_a_minors_review_may_be_extended_to_seven_days_and_no_further(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    head = Api(people["county_head"])
    refused = head.act(cid, "extend_review_period", days=30, reason="案情复杂")
    assert refused.status_code == 409
    assert "minor_cap" in [u["code"] for u in refused.json()["error"]["details"]["unmet"]]
    assert head.act(cid, "extend_review_period", days=7, reason="需要核查线索").status_code == 200
    clock = Deadline.objects.get(case_id=cid, rule="filing_review_minor")
    assert clock.extended and clock.period_amount == 7


def test_the_minors_clock_is_met_when_the_case_is_filed(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    sup, head, inv = Api(people["supervisor"]), Api(people["county_head"]), Api(people["investigator"])
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.act(cid, "propose_filing", reason="有犯罪事实需要追究刑事责任")
    for decider in (sup, head):
        decider.act(cid, "approve_decision", reason="同意立案")
    assert Case.objects.get(pk=cid).state == "FILED"
    assert Deadline.objects.get(case_id=cid, rule="filing_review_minor").status == "met"


def test_the_receipt_prints_the_minors_review_deadline(people, tmp_path):
    import subprocess

    from django.test import Client

    from tests.factories import sign_in

    client = Client()
    sign_in(client, people["intake"])
    created = Api(people["intake"]).post("/cases", report()).json()
    page = client.post("/intake/receipt.pdf", {"case_id": created["id"], "secret": created["portal_secret"]})
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    (tmp_path / "receipt.pdf").write_bytes(page.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "receipt.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    due = timezone.localtime(Deadline.objects.get(case_id=created["id"], rule="filing_review_minor").due_at)
    assert f"{due.year}年{due.month}月{due.day}日前作出是否立案的决定" in text.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("indicator", ["intellectual_disability", "pregnancy_ended"])
def test_the_2023_opinions_further_direct_filing_triggers_make_a_case_one_that_must_be_filed(people, indicator):
    sup = Api(people["supervisor"])
    created = Api(people["intake"]).post("/cases", report(indicators=[indicator]))
    assert created.status_code == 201
    cid = created.json()["id"]
    assert "mandatory_filing" in created.json()["flags"]
    sup.act(cid, "begin_review")
    refused = sup.act(cid, "propose_non_filing", reason="x")
    assert refused.status_code == 409
    assert "mandatory_filing" in [u["code"] for u in refused.json()["error"]["details"]["unmet"]]


def test_the_intake_form_offers_the_new_triggers_in_chinese(people):
    from django.test import Client

    from tests.factories import sign_in

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    sign_in(client, people["intake"])
    page = client.get("/intake/").content.decode()
    assert 'value="intellectual_disability"' in page and 'value="pregnancy_ended"' in page
    assert "智力残疾" in page and "终止妊娠" in page
