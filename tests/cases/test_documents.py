"""Printed documents in Chinese: the fonts must really be embedded (text extraction alone
would pass with empty boxes), fast, and no real name in a document for third parties."""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from django.test import Client
from django.utils import timezone

from lantern.access.roles import Role
from lantern.audit.models import AuditEntry
from lantern.cases import documents, workflow
from lantern.cases.models import Case, DocumentCounter, IssuedDocument
from lantern.core.public import qr_svg
from lantern.deadlines.models import Deadline
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.cases.test_pages import form
from tests.concurrency import race
from tests.factories import make_user, sign_in
from tests.family import Family

pytestmark = pytest.mark.django_db


def fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_receipt_is_a_chinese_pdf_with_an_embedded_cjk_font_and_the_secret(client, units, tmp_path):
    people = police(units)
    created = Api(people["intake"]).post("/cases", report()).json()
    sign_in(client, people["intake"])
    started = time.monotonic()
    response = client.post("/intake/receipt.pdf", {"case_id": created["id"], "secret": created["portal_secret"]})
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert created["case_number"] in response["Content-Disposition"]
    listing = fonts(response.content, tmp_path)
    assert re.search(r"Noto[\w-]*CJK", listing), listing
    assert all(line.split()[-5] == "yes" for line in listing.splitlines()[2:] if line.strip()), listing  # embedded
    body = text(response.content, tmp_path)
    for expected in ("受案回执", created["case_number"], created["tracking_code"], created["portal_secret"], "复议"):
        assert expected in body
    assert "测试甲" not in body  # the victim by pseudonym only
    assert elapsed < 10, "PDF rendering is slow: is libharfbuzz-subset0 installed?"


def flat(body: str) -> str:
    return body.replace("\n", "")


def test_a_wrong_secret_gets_no_receipt(client, units):
    people = police(units)
    created = Api(people["intake"]).post("/cases", report()).json()
    sign_in(client, people["intake"])
    assert client.post("/intake/receipt.pdf", {"case_id": created["id"], "secret": "guess"}).status_code == 404


def test_the_non_filing_notice_states_reasons_and_the_right_to_reconsideration(client, units, tmp_path):
    people = police(units)
    sup, head = Api(people["supervisor"]), Api(people["county_head"])
    cid = Api(people["intake"]).post("/cases", report(victim={"name": "测试庚", "sex": "female",
                                                              "estimated_age": 30})).json()["id"]
    sup.act(cid, "begin_review")
    sup.complete_checklist(cid)
    sup.act(cid, "propose_non_filing", reason="拟不予立案：初步调查未见犯罪事实")
    head.act(cid, "approve_decision", reason="经全面调查取证，现有证据不能证明犯罪事实发生")
    assert Case.objects.get(pk=cid).state == "NOT_FILED"
    sign_in(client, people["supervisor"])
    response = client.get(f"/cases/{cid}/notice.pdf")
    assert response.status_code == 200
    assert re.search(r"Noto[\w-]*CJK", fonts(response.content, tmp_path))
    body = flat(text(response.content, tmp_path))
    for expected in ("不予立案通知书", "现有证据不能证明犯罪事实发生", "七日以内", "复议", "第一百一十三条"):
        assert expected in body
    assert "测试庚" not in body


def test_no_notice_for_a_case_not_decided(client, units):
    people = police(units)
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    sign_in(client, people["supervisor"])
    assert client.get(f"/cases/{cid}/notice.pdf").status_code == 409


# --- What an official document carries (issue 12, items 15-17) -------------------------------


YEAR = timezone.localdate().year


def receipt_of(client, created) -> str:
    response = client.post("/intake/receipt.pdf", {"case_id": created["id"], "secret": created["portal_secret"]})
    assert response.status_code == 200, response.content
    return response.content


def test_the_receipt_names_the_complainant_the_units_telephone_its_number_and_the_portal_address(
        client, units, tmp_path, settings, monkeypatch):
    settings.LANTERN_PUBLIC_URL = "https://lantern.example.gov.cn"
    drawn = []
    monkeypatch.setattr(documents, "qr_svg", lambda data: drawn.append(data) or qr_svg(data))
    people = police(units)
    created = Api(people["intake"]).post("/cases", report()).json()
    sign_in(client, people["intake"])
    body = flat(text(receipt_of(client, created), tmp_path))
    for expected in ("测试乙：", "联系电话", "0000-6210110", f"清县公（城关）受案字〔{YEAR}〕1号",
                     "https://lantern.example.gov.cn/portal/", "清水县公安局城关派出所"):
        assert expected in body, expected
    # The QR code holds the sign-in page's address, nothing of the case.
    assert drawn == ["https://lantern.example.gov.cn/portal/"]
    # A reprint is the same document: same number, none drawn.
    assert f"受案字〔{YEAR}〕1号" in flat(text(receipt_of(client, created), tmp_path))
    assert DocumentCounter.objects.get(kind="receipt").last == 1
    assert IssuedDocument.objects.filter(case_id=created["id"]).count() == 1


def test_the_receipt_page_of_a_merged_report_shows_the_portal_address_and_the_surviving_deadline(
        client, units, settings):
    settings.LANTERN_PUBLIC_URL = "https://lantern.example.gov.cn"
    sign_in(client, police(units)["intake"])
    client.post("/intake/", form())
    existing = Case.objects.get()
    client.post("/intake/", form(merge_into=str(existing.pk), narrative="第二次报案"))
    page = client.get("/intake/receipt/").content.decode()
    due = timezone.localtime(Deadline.objects.get(case=existing, rule__startswith="filing_review").due_at)
    assert "https://lantern.example.gov.cn/portal/" in page and f"{due:%Y-%m-%d %H:%M}" in page


def test_a_merged_reports_receipt_names_the_case_it_joined_and_that_cases_review_deadline(client, units, tmp_path):
    people = police(units)
    intake = Api(people["intake"])
    first = intake.post("/cases", report()).json()
    merged = intake.post("/cases", report(merge_into=first["id"], narrative="家属再次报案")).json()
    clock = Deadline.objects.get(case_id=first["id"], rule__startswith="filing_review")
    sign_in(client, people["intake"])
    body = flat(text(receipt_of(client, merged), tmp_path))
    assert first["case_number"] in body and merged["case_number"] in body
    assert f"{timezone.localtime(clock.due_at):%Y年%-m月%-d日}前作出是否立案的决定" in body
    assert body.count("\x0c") == 1, "the receipt fits on one page"


def not_filed_adult(people, intake=None, inv=None, sup=None) -> tuple[int, dict]:
    """An adult's case not filed: proposed with a draft, decided with the supervisor's reasons."""
    intake = intake or Api(people["intake"])
    inv, sup = inv or Api(people["investigator"]), sup or Api(people["supervisor"])
    cid = intake.post("/cases", report(victim={"name": "测试庚", "sex": "female", "estimated_age": 30})).json()["id"]
    sup.act(cid, "assign", assignees=["c_inv"])
    inv.act(cid, "begin_review")
    inv.complete_checklist(cid, note="已完成")
    inv.act(cid, "propose_non_filing", reason="拟不予立案")
    assert sup.act(cid, "approve_decision", reason="现有证据不能证明测试庚所述犯罪事实发生").status_code == 200
    return cid, {"inv": inv, "sup": sup}


def test_the_non_filing_notice_carries_the_complainant_number_decided_reasons_basis_and_unit(client, units, tmp_path):
    people = police(units)
    cid, _api = not_filed_adult(people)
    sign_in(client, people["supervisor"])
    body = flat(text(client.get(f"/cases/{cid}/notice.pdf").content, tmp_path))
    for expected in ("测试乙：", f"清县公（刑）不立字〔{YEAR}〕1号", "我局认为：现有证据不能证明小",
                     flat(workflow.BY_NAME["propose_non_filing"].legal_reference), "清水县公安局", "0000-6210110"):
        assert expected in body, expected
    assert "拟不予立案" not in body and "测试庚" not in body  # not the draft; the victim by pseudonym
    again = Client()
    sign_in(again, people["county_head"])
    assert f"不立字〔{YEAR}〕1号" in flat(text(again.get(f"/cases/{cid}/notice.pdf").content, tmp_path))
    assert DocumentCounter.objects.get(kind="non_filing_notice").last == 1
    assert AuditEntry.objects.filter(action="case.document_issued", object_id=str(cid)).count() == 1


def test_each_decision_the_complainant_receives_is_a_numbered_document_on_the_case_page_and_the_portal(
        client, units, tmp_path):
    people = police(units)
    cid, api = not_filed_adult(people)
    inv, head = api["inv"], Api(people["county_head"])
    up = Api(make_user(units, "AP-GAJ", Role.UNIT_HEAD, username="c_ap_head"))
    pros = Api(people["prosecutor"])
    inv.act(cid, "record_notice_delivery", method="in_person")
    inv.act(cid, "apply_reconsideration")
    decided = head.act(cid, "decide_reconsideration", outcome="upheld", reason="复议认为原决定认定事实清楚")
    assert decided.status_code == 200
    assert inv.act(cid, "apply_review").status_code == 200
    assert up.act(cid, "decide_review", outcome="upheld", reason="复核认为原决定适用法律正确").status_code == 200
    assert inv.act(cid, "complain_to_procuratorate").status_code == 200
    pros.act(cid, "request_explanation", reason="请说明不立案理由")
    api["sup"].act(cid, "submit_explanation", reason="说明：现有证据不能证明犯罪事实")
    assert pros.act(cid, "uphold_non_filing", reason="经审查，公安机关不立案理由成立").status_code == 200

    sign_in(client, people["supervisor"])
    page = client.get(f"/cases/{cid}/").content.decode()
    for testid in ("notice-pdf", "reconsideration-decision-pdf", "review-decision-pdf", "supervision-reply-pdf"):
        assert f'data-testid="{testid}"' in page
    reconsideration = flat(text(client.get(f"/cases/{cid}/reconsideration-decision.pdf").content, tmp_path))
    for expected in ("刑事复议决定书", "测试乙：", f"清县公（刑）复议字〔{YEAR}〕1号", "复议认为原决定认定事实清楚",
                     "维持原不予立案决定", flat(workflow.BY_NAME["decide_reconsideration"].legal_reference),
                     f"不立字〔{YEAR}〕1号", "申请复核", "清水县公安局"):
        assert expected in reconsideration, expected
    review = flat(text(client.get(f"/cases/{cid}/review-decision.pdf").content, tmp_path))
    for expected in ("刑事复核决定书", "测试乙：", f"安州公（刑）复核字〔{YEAR}〕1号", "复核认为原决定适用法律正确",
                     flat(workflow.BY_NAME["decide_review"].legal_reference), "安平州公安局"):
        assert expected in review, expected
    # The prosecutor prints the procuratorate's reply; without identity access, the
    # complainant is named by relation to the victim's pseudonym.
    prosecutor = Client()
    sign_in(prosecutor, people["prosecutor"])
    reply = flat(text(prosecutor.get(f"/cases/{cid}/supervision-reply.pdf").content, tmp_path))
    for expected in (f"清县检不立告字〔{YEAR}〕1号", "经审查，公安机关不立案理由成立", "清水县人民检察院", "的舅舅：",
                     flat(workflow.BY_NAME["uphold_non_filing"].legal_reference)):
        assert expected in reply, expected
    assert "测试乙" not in reply and "说明：" not in reply

    # The family's portal lists every one, and prints the same numbers.
    created = Case.objects.get(pk=cid)
    family = Family(created.tracking_code, reset_secret(created))
    notices = family.get("/case").json()["notices"]
    assert [n["kind"] for n in notices] == ["non_filing_notice", "reconsideration_decision", "review_decision",
                                            "supervision_reply"]
    printed = {}
    for n in notices[1:]:
        response = family.client.get(f"/api/v1/portal/decisions/{n['id']}", **family.headers)
        assert response.status_code == 200
        printed[n["kind"]] = flat(text(response.content, tmp_path))
    assert f"清县检不立告字〔{YEAR}〕1号" in printed["supervision_reply"] and "测试乙：" in printed["supervision_reply"]
    assert f"复议字〔{YEAR}〕1号" in printed["reconsideration_decision"]
    assert DocumentCounter.objects.filter(last__gt=1).count() == 0
    other = family.client.get(f"/api/v1/portal/decisions/{NOBODY}", **family.headers)
    assert other.status_code == 404
    pages = Client()
    pages.post("/portal/", {"tracking_code": created.tracking_code, "secret": "s3cret-s3cret"})
    portal_page = pages.get("/portal/case/").content.decode()
    assert all(f"/portal/decisions/{n['id']}.pdf" in portal_page for n in notices[1:])
    assert f"/portal/notices/{notices[0]['id']}.pdf" in portal_page


def test_no_decision_document_before_the_decision(client, units):
    people = police(units)
    cid, _api = not_filed_adult(people)
    sign_in(client, people["supervisor"])
    assert client.get(f"/cases/{cid}/reconsideration-decision.pdf").status_code == 409
    assert client.get(f"/cases/{cid}/supervision-reply.pdf").status_code == 409


NOBODY = 999_999


def reset_secret(case) -> str:
    """The portal secret is shown once: the test sets a known one, as intake would have."""
    from lantern.intake.services import portal_secret_digest

    Case.objects.filter(pk=case.pk).update(portal_secret_hash=portal_secret_digest(case.tracking_code, "s3cret-s3cret"))
    return "s3cret-s3cret"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_first_printings_at_once_share_one_number_and_the_series_has_no_gaps(units):
    people = police(units)
    intake = Api(people["intake"])
    cases = [intake.post("/cases", report()).json()["id"] for _ in range(4)]
    unit = units["QS-GAJ"]

    def prints(worker: int) -> None:
        case = Case.objects.get(pk=cases[worker % 4])
        documents.issue_document(actor=None, case=case, kind="non_filing_notice", subject="decision:1", unit=unit,
                                 year=YEAR)

    assert race(12, prints) == []
    issued = IssuedDocument.objects.filter(kind="non_filing_notice")
    assert issued.count() == 4 and sorted(issued.values_list("serial", flat=True)) == [1, 2, 3, 4]
    assert DocumentCounter.objects.get(kind="non_filing_notice").last == 4


def test_printing_the_complainants_name_is_an_identity_read_on_the_record(client, units):
    people = police(units)
    cid, _api = not_filed_adult(people)
    sign_in(client, people["supervisor"])
    client.get(f"/cases/{cid}/notice.pdf")
    read = AuditEntry.objects.filter(action="case.read", object_id=str(cid), details__purpose="document").get()
    assert read.details["identity"] is True and read.actor_id == people["supervisor"].pk
