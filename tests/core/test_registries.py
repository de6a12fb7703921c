"""The hooks through which higher apps plug into lower ones deliver: a case moving reaches
its subscribers, a registered case-page section renders, a registered job runs, and each
app's own registrations are in place (the portal hears of moves, linkage of convictions,
the case page shows evidence, family questions and referrals)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.template import Engine

from lantern.cases import events, sections
from lantern.core.scheduled import JOBS, Job, all_jobs
from lantern.notifications.services import OUTBOXES
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in


def test_a_case_moving_reaches_every_subscriber_inside_its_transaction(units):
    people = police(units)
    heard = []

    def probe(case, before, after):
        heard.append((case.case_number, before, after, case.state))

    events.case_moved.register(probe)
    try:
        case = Api(people["intake"]).post("/cases", report()).json()
        Api(people["supervisor"]).act(case["id"], "assign", assignees=["c_inv"])
        assert Api(people["investigator"]).act(case["id"], "begin_review").status_code == 200
    finally:
        events.case_moved.unregister(probe)
    assert heard == [(case["case_number"], "RECEIVED", "UNDER_REVIEW", "UNDER_REVIEW")]


def test_the_apps_above_cases_subscribe_from_their_app_configs():
    from lantern.institutions.services import on_case_moved
    from lantern.linkage.registry import register_convictions
    from lantern.notifications.models import OutboxMessage
    from lantern.portal.family import case_moved
    from lantern.portal.models import FamilyMessage

    assert list(events.case_moved) == [on_case_moved, case_moved]
    assert list(events.convicted) == [register_convictions]
    assert [o.model for o in OUTBOXES] == [OutboxMessage, FamilyMessage]
    assert sorted((s.slot, s.order, s.key) for s in sections.SECTIONS) == [
        ("family", 10, "family_questions"), ("family", 15, "mandatory_report"), ("family", 20, "referrals"),
        ("work", 5, "record"),
        ("work", 10, "evidence"), ("work", 60, "links")]
    from lantern.linkage import fuzzy, linking
    from lantern.people import events as people_events

    assert list(people_events.indexed) == [linking.on_indexed, fuzzy.on_indexed]
    assert list(people_events.retracted) == [linking.on_retracted, fuzzy.on_retracted]


def test_a_registered_section_renders_on_the_case_page_and_goes_when_unregistered(client, units):
    people = police(units)
    case = Api(people["intake"]).post("/cases", report()).json()
    probe = sections.Section(
        key="probe", slot="family", order=1,
        template=Engine.get_default().from_string('<section data-testid="probe">{{ probe_text }}</section>'),
        context=lambda case, user, identity: {"probe_text": f"probe for {case.case_number} identity={identity}"})
    sign_in(client, people["supervisor"])
    sections.register(probe)
    try:
        page = client.get(f"/cases/{case['id']}/").content.decode()
    finally:
        sections.SECTIONS.unregister(probe)
    assert f"probe for {case['case_number']} identity=True" in page
    assert 'data-testid="evidence"' in page and 'data-testid="referrals"' in page
    assert "probe for" not in client.get(f"/cases/{case['id']}/").content.decode()


def test_a_section_must_name_a_known_slot():
    import pytest

    with pytest.raises(ValueError, match="slot"):
        sections.register(sections.Section(key="x", template="x.html", context=dict, slot="sidebar"))


def test_a_registered_job_runs_and_each_app_declares_its_own(db):
    ran = []
    probe = Job(name="tests.probe", run=lambda: ran.append(1) or "1 probe", every=dt.timedelta(minutes=1))
    JOBS.register(probe)
    try:
        out = StringIO()
        call_command("run_jobs", only=["tests.probe"], stdout=out)
        assert ran == [1] and "tests.probe: 1 probe" in out.getvalue()
        names = [j.name for j in all_jobs()]
    finally:
        JOBS.unregister(probe)
    # Clocks are recomputed before they are escalated, and messages go out last.
    assert names.index("deadlines.recompute_provisional") < names.index("deadlines.escalate") \
        < names.index("notifications.deliver")
    out = StringIO()
    call_command("sweep_deadlines", stdout=out)  # the clocks and the messages, now
    assert "deadlines.escalate:" in out.getvalue() and "notifications.deliver:" in out.getvalue()
