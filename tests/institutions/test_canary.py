"""Canaries for the institutions (issue 16): a school reports a child and checks applicants
whose names and numbers are unmistakable. Afterwards they appear in no table of the raw
database, in no log line, and in nothing that the school, another institution, an inspector
or the serving unit's police read of reports, feedback, checks and figures, except what the
school itself typed, shown back to it alone."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantern.access.roles import Role
from tests.cases.helpers import police
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user, sign_in
from tests.institutions.conftest import mandatory_report
from tests.institutions.test_registry_checks import convict, id_number
from tests.people.test_canary import log_output, raw_database_text  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

CHILD, REPORTER, REPORTER_PHONE, STORY = "鸩羽学童", "鸩羽教师", "13987650001", "鸩羽操场的事"
APPLICANT, OFFENDER = "鸩羽应聘", id_number(777, born="19790101")
CLEAN = id_number(778, born="19790101")
CANARIES = [CHILD, REPORTER, REPORTER_PHONE, STORY, APPLICANT, OFFENDER, CLEAN]


def hits(text: str) -> list[str]:
    return [c for c in CANARIES if c in text]


def as_text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


class People(dict):
    def api(self, who):
        self.setdefault("_clients", {})
        if who not in self["_clients"]:
            self["_clients"][who] = Api(self[who])
        return self["_clients"][who]


def test_what_an_institution_reports_and_checks_leaks_nowhere(units, schools, log_output):  # noqa: F811
    people = People({**police(units), **schools,
                     "inspector": make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="c_insp")})
    convict(people, OFFENDER)
    school = people.api("teacher")
    filed = school.post("/mandatory-reports", mandatory_report(
        narrative=f"合成情况：{STORY}。", child={"name": CHILD, "sex": "female", "date_of_birth": "2017-03-01"},
        reporter={"name": REPORTER, "phone": REPORTER_PHONE, "position": "班主任"}))
    assert filed.status_code == 201 and hits(as_text(filed)) == []
    case_id = people["teacher"].unit.institution.reports.get().case_id
    people.api("supervisor").post(f"/mandatory-reports/{filed.json()['id']}/feedback",
                                  {"stage": "accepted", "text": "已受理。"})
    hit = school.post("/registry/checks", {"name": APPLICANT, "id_number": OFFENDER, "purpose": "hiring",
                                           "applicant_consent": True})
    miss = school.post("/registry/checks", {"name": APPLICANT, "id_number": CLEAN, "purpose": "hiring",
                                            "applicant_consent": True})
    assert (hit.json()["result"], miss.json()["result"]) == ("hit", "no_hit")
    assert hits(as_text(hit) + as_text(miss)) == []
    # The police who work the case see who reported (so the canaries are really there).
    police_page = Client()
    sign_in(police_page, people["supervisor"])
    assert REPORTER in police_page.get(f"/cases/{case_id}/").content.decode()
    # What the school reads back: its report without the child's or reporter's details; its
    # checks with the name it typed, never the number.
    own = as_text(school.get("/mandatory-reports")) + as_text(school.get(f"/mandatory-reports/{filed.json()['id']}"))
    assert hits(own) == []
    own_checks = as_text(school.get("/registry/checks"))
    assert APPLICANT in own_checks and hits(own_checks) == [APPLICANT]
    # Everyone else: nothing.
    others = [as_text(people.api("doctor").get("/registry/checks")),
              as_text(people.api("doctor").get("/mandatory-reports")),
              as_text(people.api("inspector").get("/registry/checks")),
              as_text(people.api("inspector").get("/institutions/reporting-duty")),
              as_text(people.api("intake").get("/registry/checks"))]
    pages = Client()
    sign_in(pages, people["inspector"])
    others += [pages.get("/institutions/checks/").content.decode(), pages.get("/institutions/duty/").content.decode()]
    assert hits("\n".join(others)) == []
    # Notices: the hit's two notices name no one.
    from lantern.notifications.models import Notification

    notices = " ".join(" ".join(n.worded()) for n in Notification.objects.all())
    assert hits(notices) == []
    assert hits(raw_database_text()) == []
    assert hits(log_output.getvalue()) == []
