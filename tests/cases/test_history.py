"""The case history and the audit log as people read them: names and units, what happened
in words in the reader's language, what it concerned, and the written reason for those
who may read it (pseudonymised for readers without identity access)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.access.roles import Role
from lantern.cases import workflow
from lantern.cases.checklist import set_checklist_item
from lantern.intake.services import register_report
from tests.cases.helpers import police
from tests.factories import make_user, sign_in
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db

REASON = "测试所述与监控录像不符，现有证据不能证明犯罪事实发生"  # names the victim (测试)


@pytest.fixture
def worked_case(units):
    """A minor's case proposed for non-filing by 张某 of the brigade, with a reason naming the victim."""
    people = police(units)
    inv = people["investigator"]
    inv.first_name = "张某"
    inv.save(update_fields=["first_name"])
    case = register_report(actor=people["intake"], report=_report(3)).case
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    workflow.perform(case=case, actor=inv, name="begin_review")
    for item in case.checklist.all():
        set_checklist_item(actor=inv, item=item, status="done", note="已完成取证")
    workflow.perform(case=case, actor=inv, name="propose_non_filing", payload={"reason": REASON})
    return case, people


def history_of(client, case, language):
    client.cookies["lantern_language"] = language
    page = client.get(f"/cases/{case.pk}/").content.decode()
    return page[page.index('data-testid="history"'):]


def test_the_case_history_reads_in_words_in_chinese(client, worked_case):
    case, people = worked_case
    sign_in(client, people["investigator"])
    history = history_of(client, case, "zh-hans")
    assert "张某（清水县公安局刑事侦查大队）将取证清单“法医检验鉴定”标记为已完成" in history
    assert "张某（清水县公安局刑事侦查大队）执行“提出不予立案意见”" in history
    assert REASON in history  # the team sees the reason as written
    assert "case.checklist_item" not in history and "open → done" not in history


def test_the_case_history_reads_in_words_in_english(client, worked_case):
    case, people = worked_case
    sign_in(client, people["investigator"])
    history = history_of(client, case, "en")
    assert ("张某 (Qingshui County Criminal Investigation Brigade) marked the checklist item "
            "“Forensic medical examination” done") in history
    assert "assigned 张某 (Qingshui County Criminal Investigation Brigade) to the case" in history
    assert "Propose not filing" in history
    assert "case.propose_non_filing" not in history


def test_the_audit_log_reads_in_words_and_filters_by_user_case_action_and_date(client, worked_case, units):
    case, people = worked_case
    other = register_report(actor=people["intake"], report=_report(4)).case
    inspector = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR)
    sign_in(client, inspector)
    client.cookies["lantern_language"] = "zh-hans"
    page = client.get("/audit/", {"case": case.case_number}).content.decode()
    assert "将取证清单“法医检验鉴定”标记为已完成" in page
    assert other.case_number not in page
    # The reason names the victim: an inspector without identity access never reads the name.
    assert REASON not in page
    by_user = client.get("/audit/", {"user": "c_sup", "case": case.case_number}).content.decode()
    assert "分配" in by_user and "标记为已完成" not in by_user
    by_action = client.get("/audit/", {"action": "account."}).content.decode()
    assert "法医检验鉴定" not in by_action and "登录" in by_action
    today = timezone.localdate().isoformat()
    assert "法医检验鉴定" in client.get("/audit/", {"from": today, "to": today}).content.decode()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert "法医检验鉴定" not in client.get("/audit/", {"to": yesterday}).content.decode()
    paged = client.get("/audit/", {"action": "case.", "page": 2}).status_code
    assert paged == 200
