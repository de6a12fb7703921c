"""One-stop interviews (issue 18, item 4): where a child was interviewed (a one-stop
interview and care centre, 一站式询问救助中心, a hospital, a station) and who was present
from which agency; the statistics count the children interviewed in one-stop centres."""

from __future__ import annotations

import pytest

from lantern.audit.models import AuditEntry
from lantern.campaigns.figures import FIGURES
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db

ONE_STOP = {"at": "2026-01-01T08:00:00+08:00", "interviewer_sex": "female", "place": "县一站式询问救助中心",
            "guardian_present": True, "audio_video": True, "place_kind": "one_stop_centre",
            "attendees": [{"agency": "procuratorate", "role": "未检检察官"}, {"agency": "medical", "role": "妇科医生"},
                          {"agency": "psychological", "role": "心理咨询师"}]}


@pytest.fixture
def people(units):
    return police(units)


def interviewed(people, body):
    if "apis" not in people:  # one token per user: each sign-in takes a fresh second-factor code
        people["apis"] = {"sup": Api(people["supervisor"]), "intake": Api(people["intake"])}
    sup = people["apis"]["sup"]
    case = people["apis"]["intake"].post("/cases", report()).json()
    sup.act(case["id"], "begin_review")
    answer = sup.post(f"/cases/{case['id']}/interviews", body)
    assert answer.status_code == 201, answer.content
    return case["id"], sup


def test_the_place_and_who_was_present_from_which_agency_are_recorded(people):
    cid, sup = interviewed(people, ONE_STOP)
    shown = sup.get(f"/cases/{cid}/interviews").json()["interviews"][0]
    assert shown["place_kind"] == "one_stop_centre"
    assert [a["agency"] for a in shown["attendees"]] == ["procuratorate", "medical", "psychological"]
    entry = AuditEntry.objects.filter(action="interview.recorded").latest("pk")
    assert entry.details["place_kind"] == "one_stop_centre" and "妇科医生" not in str(entry.details)


def test_an_unknown_place_or_agency_is_refused_naming_the_field(people):
    sup = Api(people["supervisor"])
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    bad = sup.post(f"/cases/{cid}/interviews", {**ONE_STOP, "place_kind": "hotel"})
    assert bad.status_code == 422 and "place_kind" in bad.json()["error"]["details"]
    bad = sup.post(f"/cases/{cid}/interviews", {**ONE_STOP, "attendees": [{"agency": "press"}]})
    assert bad.status_code == 422 and "attendees.0.agency" in bad.json()["error"]["details"]


def test_the_statistics_count_the_children_interviewed_in_one_stop_centres(people):
    interviewed(people, ONE_STOP)
    interviewed(people, ONE_STOP)
    interviewed(people, {**ONE_STOP, "place_kind": "police_station", "place": "城关派出所", "attendees": []})
    figure = next(f for f in FIGURES if f.key == "children_interviewed_one_stop")
    assert sum(row["n"] for row in figure.source()) == 2
    assert "一站式询问救助中心" in str(figure.definition)
