"""The case page fits the work: the actions first, refusals with only their real reasons,
no buttons for actions the user's role can never take, a refused form keeps what was
typed, and no clock key or subject code reaches the page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.cases import workflow
from lantern.cases.checklist import set_checklist_item
from lantern.intake.services import register_report
from tests.cases.helpers import police
from tests.factories import sign_in
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


@pytest.fixture
def case(people):
    return register_report(actor=people["intake"], report=_report(3)).case


def english_page(client, case):
    client.cookies["lantern_language"] = "en"
    return client.get(f"/cases/{case.pk}/").content.decode()


def part(page, testid):
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</section>", start)]


def test_the_actions_come_first_and_refusals_give_only_their_real_reasons(client, people, case):
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    sign_in(client, people["investigator"])
    page = english_page(client, case)
    assert page.index('data-testid="actions"') < page.index('data-testid="checklist"')
    assert page.index('data-testid="jump-links"') < page.index('data-testid="actions"')
    actions = part(page, "actions")
    assert 'data-action="begin_review"' in actions
    # Actions of other states are not refusals worth reading.
    assert "The case is" not in actions and "this needs:" not in actions


def test_a_refusal_lists_the_guards_that_failed_in_this_state(client, people, case):
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    workflow.perform(case=case, actor=people["investigator"], name="begin_review")
    sign_in(client, people["investigator"])
    why_not = part(english_page(client, case), "actions")
    assert "Propose not filing" in why_not and "Evidence checklist items are still open" in why_not
    assert "The case is" not in why_not


def test_actions_the_role_can_never_take_are_not_buttons(client, people, case):
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    sign_in(client, people["investigator"])
    actions = part(english_page(client, case), "actions")
    for never in ("assign", "approve_decision", "decide_reconsideration", "close_case"):
        assert f'data-action="{never}"' not in actions
    assert "Assign investigators" not in actions  # not even among the refusals


def test_a_refused_decision_keeps_the_reason_typed_in_its_form(client, people, case):
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    workflow.perform(case=case, actor=people["investigator"], name="begin_review")
    for item in case.checklist.all():
        set_checklist_item(actor=people["investigator"], item=item, status="done", note="已完成取证")
    workflow.perform(case=case, actor=people["investigator"], name="propose_non_filing", payload={"reason": "理由"})
    sign_in(client, people["supervisor"])
    typed = "经审查，同意不予立案，理由如下：现有证据不能证明犯罪事实发生"
    page = client.post(f"/cases/{case.pk}/actions/approve_decision/", {"reason": typed}, follow=True).content.decode()
    assert re.search(r'data-action="approve_decision">.*?<textarea name="reason"[^>]*>' + typed, page, re.S)
    assert typed not in client.get(f"/cases/{case.pk}/").content.decode()  # kept once, not forever


def test_a_reason_typed_into_an_action_refused_by_its_conditions_is_not_lost(client, people, case):
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    workflow.perform(case=case, actor=people["investigator"], name="begin_review")
    sign_in(client, people["investigator"])
    typed = "经审查，现有证据不能证明犯罪事实发生，建议不予立案"
    page = client.post(f"/cases/{case.pk}/actions/propose_non_filing/", {"reason": typed}, follow=True).content.decode()
    assert typed in part(page, "actions")


def test_a_refused_checklist_note_is_kept(client, people, case):
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    sign_in(client, people["investigator"])
    item = case.checklist.get(key="forensic_examination")
    note = "已联系法医中心，等待排期"
    client.post(f"/cases/{case.pk}/checklist/{item.pk}/", {"status": "not_applicable", "note": note})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert note in part(page, "checklist")


def test_clock_keys_never_reach_the_page(client, people, case):
    sign_in(client, people["supervisor"])
    page = english_page(client, case)
    clocks = page[page.index('data-testid="clocks"'):page.index("</table>", page.index('data-testid="clocks"'))]
    assert "forensic_examination" not in clocks and "(S-" not in clocks
    assert "Forensic medical examination" in clocks  # the subject by its name


def test_the_page_asks_each_question_of_the_database_once(client, people, case):
    """The page's JSON and its buttons' guards ask the same things (a pending transfer, the
    gate's view of the checklist, why this user may see the case); a GET works each out
    once. Each repeat was a round trip on every case page a million-case province serves."""
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    sign_in(client, people["supervisor"])
    client.get(f"/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    pending = [s for s in statements if s.startswith('SELECT "cases_casetransfer"') and "'pending'" in s]
    checklist = [s for s in statements if s.startswith('SELECT "cases_checklistitem"') and "templateitem" in s]
    basis = [s for s in statements if 'AS "basis"' in s]
    assert len(pending) == 1, pending
    assert len(checklist) == 2, checklist  # the gate's view (JSON and guards), and the history's rows
    assert len(basis) == 1, basis
    # The pending proposal, the guards, the documents and the history each ask about the
    # decisions; the JSON, documents and history about the proceedings; the guards, JSON,
    # sections and history about the suspects; the team section, JSON, guards and history
    # about the assignments.
    for table in ("cases_decision", "cases_proceeding", "cases_suspect", "cases_assignment"):
        reads = [s for s in statements if s.startswith(f'SELECT "{table}"')
                 and re.search(rf'"{table}"\."case_id" = {case.pk}\b', s)]
        assert len(reads) == 1, reads


def _round_trips_of_the_page(client, people, suspects: int, tag: int) -> int:
    # Each suspect shares a phone with a report of its own, so every suspect has identifiers,
    # clocks to list and a linked case to check.
    report = _report(40)
    report.suspects = [report.suspects[0].model_copy(update={"name": f"嫌{n}", "phone": f"139{tag}111{n:03d}"})
                       for n in range(suspects)]
    case = register_report(actor=people["intake"], report=report).case
    for n in range(suspects):
        other = _report(50 + n)
        other.suspects = [other.suspects[0].model_copy(update={"phone": f"139{tag}111{n:03d}"})]
        register_report(actor=people["intake"], report=other)
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    client.force_login(people["supervisor"])
    client.get(f"/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="linked-cases"') == suspects  # each names its other case
    return len(captured.captured_queries)


def test_the_page_asks_as_often_for_one_suspect_as_for_four(client, people):
    """The suspects, their clocks, identifiers and linked cases are read for all of them at
    once: a case with four suspects costs the page no more round trips than one with one
    (it cost three more per suspect, and the suspects were read eight times)."""
    assert _round_trips_of_the_page(client, people, 4, tag=1) == _round_trips_of_the_page(client, people, 1, tag=2)
