"""Printed documents in Chinese: the fonts must really be embedded (text extraction alone
would pass with empty boxes), fast, and no real name in a document for third parties."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from lantern.cases.models import Case
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

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
    sup.act(cid, "propose_non_filing", reason="经全面调查取证，现有证据不能证明犯罪事实发生")
    head.act(cid, "approve_decision", reason="同意")
    assert Case.objects.get(pk=cid).state == "NOT_FILED"
    sign_in(client, people["supervisor"])
    response = client.get(f"/cases/{cid}/notice.pdf")
    assert response.status_code == 200
    assert re.search(r"Noto[\w-]*CJK", fonts(response.content, tmp_path))
    body = text(response.content, tmp_path)
    for expected in ("不予立案通知书", "现有证据不能证明犯罪事实发生", "七日以内", "复议", "第一百一十三条"):
        assert expected in body.replace("\n", "")
    assert "测试庚" not in body


def test_no_notice_for_a_case_not_decided(client, units):
    people = police(units)
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    sign_in(client, people["supervisor"])
    assert client.get(f"/cases/{cid}/notice.pdf").status_code == 409
