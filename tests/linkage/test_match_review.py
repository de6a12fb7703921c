"""The review queue of person matches (issue 14, item 4): a match between the thresholds
waits for an investigator who sees both cases; confirming links the cases into one
network, rejecting keeps them apart (and undoes a link the match had made); each decision
is audited, and one who cannot see both sides cannot decide."""

from __future__ import annotations

import pytest

from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.models import Suspect
from lantern.linkage.matches import record_match
from lantern.linkage.models import MatchStatus, NetworkMember, PersonMatch
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


def two_cases(people) -> tuple[Suspect, Suspect]:
    """Two suspects the model does not take for one person: the tests put the match in."""
    intake = Api(people["intake"])
    a = intake.post("/cases", report(suspects=[{"name": "王建国", "phone": "13811112222"}])).json()
    b = intake.post("/cases", report(suspects=[{"name": "李明", "phone": "13933334444"}])).json()
    return Suspect.objects.get(case_id=a["id"]), Suspect.objects.get(case_id=b["id"])


def in_one_network(x: Suspect, y: Suspect) -> bool:
    ids = dict(NetworkMember.objects.filter(case_id__in=[x.case_id, y.case_id]).values_list("case_id", "network_id"))
    return len(ids) == 2 and len(set(ids.values())) == 1


def test_a_confirmed_match_links_the_cases_and_a_rejection_keeps_them_apart(people, settings):
    left, right = two_cases(people)
    match = record_match(left, right, 0.93, model_version=3)
    assert match.status == MatchStatus.PENDING and not in_one_network(left, right)
    sup = Api(people["supervisor"])
    queue = sup.get("/matches").json()
    assert [m["id"] for m in queue["items"]] == [match.pk] and queue["items"][0]["model_version"] == 3
    # The investigator not on both cases neither sees nor decides it.
    inv = Api(people["investigator"])
    assert inv.get("/matches").json()["items"] == []
    assert inv.post(f"/matches/{match.pk}/confirm", {}).status_code == 404
    confirmed = sup.post(f"/matches/{match.pk}/confirm", {"reason": "同一人，出生日期一致"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert in_one_network(left, right)
    links = sup.get(f"/cases/{right.case_id}/links").json()["items"]
    assert links[0]["via"][0]["kind"] == "person_match" and links[0]["via"][0]["probability"] == 0.93
    assert sup.post(f"/matches/{match.pk}/confirm", {}).status_code == 409  # decided once

    # Found wrong later: rejected with a reason, the link is undone.
    assert sup.post(f"/matches/{match.pk}/reject", {"reason": ""}).status_code == 422
    assert sup.post(f"/matches/{match.pk}/reject", {"reason": "核实为不同人"}).status_code == 200
    assert not in_one_network(left, right)
    actions = list(AuditEntry.objects.filter(action__startswith="linkage.match").values_list("action", flat=True))
    assert actions == [Event.LINKAGE_MATCH_FOUND, Event.LINKAGE_MATCH_CONFIRMED, Event.LINKAGE_MATCH_REJECTED]


def test_above_the_high_threshold_a_match_links_at_once_and_below_review_nothing_is_kept(people):
    left, right = two_cases(people)
    assert record_match(left, right, 0.2, model_version=1) is None
    assert not PersonMatch.objects.exists()
    linked = record_match(left, right, 0.999, model_version=1)
    assert linked.status == MatchStatus.LINKED and in_one_network(left, right)


def test_the_review_page_shows_both_records_side_by_side(people, client):
    from tests.factories import sign_in

    left, right = two_cases(people)
    record_match(left, right, 0.9, model_version=1)
    sign_in(client, people["supervisor"])
    page = client.get("/linkage/matches/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "王建国" in page and "李明" in page and "概率 0.9" in page
    assert 'data-splink-chart="waterfall-' in page and 'data-splink-chart="match-weights"' in page


def test_deciding_twice_on_the_page_says_why_it_is_refused(people, client):
    from tests.factories import sign_in

    left, right = two_cases(people)
    match = record_match(left, right, 0.9, model_version=1)
    sign_in(client, people["supervisor"])
    first = client.post(f"/linkage/matches/{match.pk}/confirm/", follow=True)
    assert first.status_code == 200 and "匹配已确认" in first.content.decode()
    again = client.post(f"/linkage/matches/{match.pk}/confirm/", follow=True)
    assert again.status_code == 200 and "该匹配已作出判定。" in again.content.decode()
    assert "已判定。" in again.content.decode()  # the unmet condition, as the refusal lists it
