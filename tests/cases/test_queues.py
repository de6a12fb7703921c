"""The work queues as a supervisor uses them: minors first, the clock that runs out
soonest, filters that narrow (never widen) what they may see, a queue of new reports
nobody works yet, pages that neither repeat nor skip a case, in both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.access.roles import Role
from lantern.accounts.actions import create_unit
from lantern.accounts.models.units import Branch, Level
from lantern.cases import queues, workflow
from lantern.cases.models import Case
from lantern.deadlines.models import RUNNING, Deadline
from lantern.intake.schemas import ComplainantIn, ReportIn, SuspectIn, VictimIn
from lantern.intake.services import register_report
from tests.cases.helpers import police
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    people = police(units)
    hs = create_unit(actor=None, code="HS-GAJ", name="河山县公安局", branch=Branch.POLICE, level=Level.COUNTY,
                     division_code="990122", parent=units["AP-GAJ"])
    units["HS-GAJ"] = hs
    people["other_intake"] = make_user(units, "HS-GAJ", Role.INTAKE_OFFICER, username="h_intake")
    people["other_supervisor"] = make_user(units, "HS-GAJ", Role.SUPERVISOR, username="h_sup")
    people["prefecture_head"] = make_user(units, "AP-GAJ", Role.UNIT_HEAD, username="a_head")
    return people


def registered(actor, *, age: int, days_ago: float = 1, received_at: dt.datetime | None = None,
               suspect: str = "") -> Case:
    """A report of a victim of ``age`` (a minor below 18), registered through intake."""
    received = received_at or timezone.now() - dt.timedelta(days=days_ago)
    report = ReportIn(received_at=received, channel="walk_in", offence_date=timezone.localdate(received),
                      narrative="合成案情", victim=VictimIn(name="测试", sex="female", estimated_age=age),
                      complainant=ComplainantIn(name="测试", relation="本人"),
                      suspects=[SuspectIn(name=suspect)] if suspect else [])
    return register_report(actor=actor, report=report).case


def page_client(user, language: str = "en") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["lantern_language"] = language
    return client


def listed(client: Client, query: str = "") -> list[str]:
    """The case numbers of the list page, in the order shown."""
    page = client.get(f"/cases/?{query}")
    assert page.status_code == 200
    rows = page.content.decode().split('data-testid="case-row" data-case="')[1:]
    return [row.split('"', 1)[0] for row in rows]


def run_out(case: Case, hours: float) -> None:
    """Let the case's clocks run out ``hours`` ago (a report left unattended)."""
    Deadline.objects.filter(case=case).update(due_at=timezone.now() - dt.timedelta(hours=hours))


def test_minors_come_first_then_the_clock_that_runs_out_soonest(people):
    adult = registered(people["intake"], age=30, days_ago=0.1)  # newest
    older_child = registered(people["intake"], age=12, days_ago=3)
    child = registered(people["intake"], age=13, days_ago=1)
    run_out(older_child, hours=2)  # its clocks ran out: soonest of all
    sup = page_client(people["supervisor"])
    assert listed(sup) == [older_child.case_number, child.case_number, adult.case_number]
    page = sup.get("/cases/").content.decode()
    assert 'class="overdue" data-testid="time-left">overdue by 2 h' in page
    assert "Cases 1–3 of 3" in page
    # Another order on request, and back.
    assert listed(sup, "sort=-received") == [adult.case_number, child.case_number, older_child.case_number]
    assert listed(sup, "sort=received")[0] == older_child.case_number


def test_the_overdue_filter_and_the_overdue_tab_show_only_cases_past_a_deadline(people):
    late = registered(people["intake"], age=12)
    registered(people["intake"], age=12)
    run_out(late, hours=30)
    sup = page_client(people["supervisor"])
    assert listed(sup, "overdue=on") == [late.case_number]
    assert listed(sup, "list=overdue") == [late.case_number]
    assert listed(sup, "list=overdue&flag=multiple_suspects") == []  # the tab honours the filters too
    page = sup.get("/cases/?list=overdue").content.decode()
    assert "overdue by 1 d 6 h" in page


def test_the_unassigned_queue_shows_only_new_unassigned_reports_of_the_supervisors_units(people):
    waiting = registered(people["intake"], age=12)
    assigned = registered(people["intake"], age=12)
    elsewhere = registered(people["other_intake"], age=12)  # another county's new report
    workflow.perform(case=assigned, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    sup = page_client(people["supervisor"])
    assert listed(sup, "list=unassigned") == [waiting.case_number]
    assert elsewhere.case_number not in sup.get("/cases/?list=unassigned").content.decode()
    assert listed(page_client(people["other_supervisor"]), "list=unassigned") == [elsewhere.case_number]
    # The home page shows the same queue to those who assign.
    assert waiting.case_number in sup.get("/").content.decode()
    # An investigator assigns nothing: no such tab, and the queue is empty if asked for.
    inv = page_client(people["investigator"])
    assert 'data-testid="tab-unassigned"' not in inv.get("/cases/").content.decode()
    assert listed(inv, "list=unassigned") == []
    assert 'data-testid="tab-unassigned"' in sup.get("/cases/").content.decode()


def test_a_case_in_another_unit_never_appears_whatever_the_filter(people, units):
    mine = registered(people["intake"], age=12)
    theirs = registered(people["other_intake"], age=12)
    sup = page_client(people["supervisor"])
    for query in ("", f"unit={units['HS-GAJ'].pk}", "list=overdue", "list=unassigned", "assignee=c_inv",
                  "flag=minor", "sort=case_number"):
        assert theirs.case_number not in sup.get(f"/cases/?{query}").content.decode(), query
    # Not a unit this supervisor may choose: said so, and the filter is left out.
    assert listed(sup, f"unit={units['HS-GAJ'].pk}") == [mine.case_number]
    assert "Select a valid choice" in sup.get(f"/cases/?unit={units['HS-GAJ'].pk}").content.decode()
    # The prefecture head sees both counties and narrows to one.
    head = page_client(people["prefecture_head"])
    assert set(listed(head)) == {mine.case_number, theirs.case_number}
    assert listed(head, f"unit={units['HS-GAJ'].pk}") == [theirs.case_number]
    assert listed(head, f"unit={units['QS-GAJ'].pk}") == [mine.case_number]


def test_columns_show_the_team_and_which_decision_a_proposal_awaits(people):
    case = registered(people["intake"], age=12, suspect="嫌疑人甲")
    sup, inv = Api(people["supervisor"]), Api(people["investigator"])
    sup.act(case.pk, "assign", assignees=["c_inv"])
    inv.act(case.pk, "begin_review")
    inv.complete_checklist(case.pk)
    assert inv.act(case.pk, "propose_non_filing", reason="现有证据不能证明有犯罪事实").status_code == 200
    page = page_client(people["supervisor"]).get("/cases/").content.decode()
    assert "Non-filing: awaiting the supervisor" in page and "c_inv" in page
    assert sup.act(case.pk, "approve_decision", reason="同意").status_code == 200
    row = sup.get("/cases?page=1").json()["items"][0]
    assert row["awaiting"] == {"kind": "not_file", "level": 2, "label": "Non-filing: awaiting the unit head"}
    assert row["team"] == ["c_inv"]
    assert "awaiting the unit head" in page_client(people["county_head"]).get("/cases/?list=decide").content.decode()
    chinese = page_client(people["county_head"], "zh-hans").get("/cases/?list=decide").content.decode()
    assert "不立案：待单位负责人审批" in chinese


def test_the_filter_form_keeps_its_values_and_the_links_keep_the_filters(people, units):
    registered(people["intake"], age=12)
    sup = page_client(people["supervisor"])
    page = sup.get("/cases/?list=overdue&state=RECEIVED&flag=minor&overdue=on&received_from=2026-01-01"
                   "&sort=-received&page=1").content.decode()
    assert '<option value="RECEIVED" selected>' in page and '<option value="minor" selected>' in page
    assert 'value="2026-01-01"' in page and 'id="id_overdue" checked' in page
    assert '<option value="-received" selected>' in page
    assert sup.get("/cases/?received_from=0001-01-01&received_to=9999-12-31").status_code == 200  # narrows nothing
    assert 'href="?list=mine&amp;state=RECEIVED&amp;flag=minor&amp;overdue=on' in page  # tabs keep the filters
    page = sup.get("/cases/?list=not_filed&state=RECEIVED&flag=minor&page=1").content.decode()
    assert "export.csv?list=not_filed&amp;state=RECEIVED&amp;flag=minor" not in page  # an empty list: no export
    page = sup.get("/cases/?list=mine&state=RECEIVED&flag=minor&page=1").content.decode()
    assert "export.csv?list=mine&amp;state=RECEIVED&amp;flag=minor\"" in page  # the export keeps them, not the page


def test_the_export_holds_the_filtered_list_in_its_order(people):
    child = registered(people["intake"], age=12)
    adult = registered(people["intake"], age=30)
    sup = page_client(people["supervisor"])
    export = sup.get("/cases/export.csv?list=mine&flag=minor").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(export)))
    assert "Next deadline" in lines[0] and "Time left" in lines[0] and "Awaiting" in lines[0]
    assert [line[0] for line in lines[1:]] == [child.case_number]
    assert adult.case_number in sup.get("/cases/export.csv?list=mine&sort=-received").content.decode("utf-8-sig")
    assert sup.get("/cases/export.xlsx?list=mine&flag=minor").status_code == 200


def test_the_list_page_is_in_both_languages(people):
    registered(people["intake"], age=12)
    english = page_client(people["supervisor"]).get("/cases/").content.decode()
    chinese = page_client(people["supervisor"], "zh-hans").get("/cases/").content.decode()
    for text in ("Next deadline", "New, not yet assigned", "Minors first, then next deadline", "Not assigned"):
        assert text in english and text not in chinese
    for text in ("下一期限", "新案件（未分派）", "未成年人优先，其次按最近期限", "未分派", "天"):
        assert text in chinese, text


def test_the_list_makes_the_same_number_of_queries_for_three_cases_or_twelve(people):
    sup = page_client(people["supervisor"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert sup.get("/cases/").status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        registered(people["intake"], age=12)
    few = queries()
    for n in range(9):
        case = registered(people["intake"], age=12 if n % 2 else 30)
        workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    assert queries() == few


# --- The API ---------------------------------------------------------------------------------

def test_the_api_takes_the_same_filters_and_sorting(people, units):
    child = registered(people["intake"], age=12, days_ago=2)
    adult = registered(people["intake"], age=30, days_ago=1)
    old = registered(people["intake"], age=12, days_ago=40)
    theirs = registered(people["other_intake"], age=12)
    workflow.perform(case=adult, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    run_out(old, hours=1)
    sup = Api(people["supervisor"])

    def ids(query: str) -> list[int]:
        response = sup.get(f"/cases?{query}")
        assert response.status_code == 200, response.content
        body = response.json()
        return [c["id"] for c in (body["items"] if isinstance(body, dict) else body)]

    # As before: a plain list, newest first; the old filters still work.
    assert ids("") == [adult.pk, child.pk, old.pk]
    assert ids("minor=true") == [child.pk, old.pk] and ids("overdue=true") == [old.pk]
    assert ids("state=RECEIVED&minor=false") == [adult.pk]
    # The new ones.
    assert ids("sort=priority") == [old.pk, child.pk, adult.pk]
    assert ids("sort=case_number") == sorted(ids(""), key=lambda pk: Case.objects.get(pk=pk).case_number)
    assert ids("flag=minor") == [child.pk, old.pk]
    assert ids("assignee=c_inv") == [adult.pk]
    assert ids(f"unit_id={units['HS-GAJ'].pk}") == [] and theirs.pk not in ids("")
    day = timezone.localdate(child.received_at).isoformat()
    assert ids(f"received_from={day}&received_to={day}") == [child.pk]
    # Paged: {"items", "count"}.
    body = sup.get("/cases?limit=2&page=2").json()
    assert body["count"] == 3 and [c["id"] for c in body["items"]] == [old.pk]
    assert sup.get("/cases?page=1&limit=1&minor=true").json()["count"] == 2
    item = sup.get("/cases?page=1&sort=priority").json()["items"][0]
    assert item["next_deadline"]["overdue"] is True and item["next_deadline"]["left"].startswith("overdue by")
    assert item["unit"] == units["QS-GAJ"].name and item["awaiting"] is None
    for bad in ("sort=bogus", "flag=bogus", "limit=0", "limit=501", "page=0", "received_from=yesterday",
                "received_to=0", "received_to=9999-12-31"):
        assert sup.get(f"/cases?{bad}").status_code == 422, bad
    assert sup.get("/cases?assignee=c%00inv").status_code == 400  # a NUL in any address (core.middleware)


# --- Paging, as a property ----------------------------------------------------------------

def test_pages_partition_the_filtered_list_without_repeats_or_gaps(people):
    """Whatever the filter, order and page size, the pages of a queue together hold each
    case of the filtered list exactly once. Several reports share one received time and
    many share no clock, so the orders have ties to break."""
    same_time = timezone.now() - dt.timedelta(hours=5)
    cases = [registered(people["intake"], age=age, received_at=same_time if n % 3 == 0 else None,
                        days_ago=n / 4) for n, age in enumerate([12, 30, 15, 40, 9, 25, 17, 33, 13, 50, 16])]
    Deadline.objects.filter(case__in=cases[::4]).update(status="met")  # no clock running
    run_out(cases[1], hours=3)
    sup = people["supervisor"]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(sort=st.sampled_from(list(queues.SORTS)), size=st.integers(1, 12),
           minor=st.sampled_from([None, True, False]), overdue=st.sampled_from([None, True, False]),
           which=st.sampled_from(["mine", "overdue", "unassigned"]))
    def check(sort, size, minor, overdue, which):
        wanted = queues.Filters(sort=sort, minor=minor, overdue=overdue)
        everything = list(queues.queue(sup, which, wanted).values_list("pk", flat=True))
        paginator = queues.paginated(sup, which, wanted, per_page=size)
        seen = [c.pk for n in paginator.page_range for c in paginator.page(n).object_list]
        assert len(seen) == len(set(seen)) == paginator.count
        assert seen == everything
        late = set(Deadline.objects.filter(status__in=RUNNING, due_at__lt=timezone.now())
                   .values_list("case_id", flat=True))
        assert cases[1].pk in late
        expected = {c.pk for c in cases if minor is None or c.is_minor == minor}
        if which == "overdue" or overdue:
            expected &= late
        if overdue is False:
            expected -= late
        assert set(seen) == expected

    check()


def test_a_list_longer_than_the_count_cap_says_more_than_and_pages_up_to_it(people, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 4)
    for days in range(6):
        registered(people["intake"], age=30, days_ago=days + 1)
    sup = page_client(people["supervisor"])
    page = sup.get("/cases/?sort=-received").content.decode()
    assert "Cases 1–6 of" not in page and "of more than 4: narrow the list with the filters" in page
    paged = queues.paginated(people["supervisor"], "mine", queues.Filters(sort="-received"), per_page=2)
    assert paged.capped and paged.num_pages == 2
    assert len(paged.get_page(9).object_list) == 2 and not paged.get_page(2).has_next()
    since = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert "Cases 1–2 of 2" in sup.get(f"/cases/?received_from={since}").content.decode()  # below the cap: exact
    sup.cookies["lantern_language"] = "zh-hans"
    assert "共超过 4 件" in sup.get("/cases/").content.decode()


def test_a_prosecutors_filters_offer_the_units_and_investigators_they_oversee_and_no_others(people, units):
    other_inv = make_user(units, "HS-GAJ", Role.INVESTIGATOR, username="h_inv")
    prosecutor = people["prosecutor"]
    assignees = [username for username, _name in queues.assignee_choices(prosecutor)]
    assert "c_inv" in assignees and "c_inv2" in assignees
    assert other_inv.username not in assignees and "c_sup" not in assignees  # investigators only
    offered = {pk for pk, _name in queues.unit_choices(prosecutor)}
    assert units["QS-GAJ"].pk in offered and units["HS-GAJ"].pk not in offered
    assert units["QS-JCY-WJ"].pk not in offered  # police units, not the procuratorate itself
