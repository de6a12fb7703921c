"""The access report counts in the database (issue 17) and answers as the report that
loaded a week of reads into Python did: that report is kept below as the reference, and
both read the same varied week (bases, purposes, identities, hours and days)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts.models import User
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.people import snooping
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user

pytestmark = pytest.mark.django_db
BASES = ["assigned", "unit", "prosecutor", "break_glass", "intake", None]
PURPOSES = ["view", "view", "view", "registered", "action", None]


def reference(since: dt.datetime, until: dt.datetime, users) -> snooping.Report:
    """The report as it was computed before issue 17 (lantern/people/snooping.py at c0e1d24)."""
    entries = (AuditEntry.objects.filter(action=Event.CASE_READ, at__gte=since, at__lt=until, actor_id__in=users)
               .values_list("actor_id", "object_id", "at", "details"))
    reads = [e for e in entries if e[3].get("purpose") != "registered"]
    looked_up = [r for r in reads if r[3].get("purpose", "view") == "view"]
    numbers = {str(pk): n for pk, n in Case.objects.filter(pk__in={int(r[1]) for r in reads if r[1].isdigit()})
               .values_list("pk", "case_number")}
    names = dict(User.objects.filter(pk__in={r[0] for r in reads if r[0]}).values_list("pk", "username"))
    lines: dict[int, snooping.UserLine] = {}
    for actor, case_id, _at, details in reads:
        if actor is None or details.get("basis") == "assigned":
            continue
        line = lines.setdefault(actor, snooping.UserLine(actor, names.get(actor, "?")))
        line.outside_team += 1
        line.with_identity_outside += bool(details.get("identity"))
        line.break_glass += details.get("basis") == "break_glass"
        line.cases_outside.add(numbers.get(case_id, case_id))
    per_hour, per_day = defaultdict(set), defaultdict(set)
    for actor, case_id, at, _details in looked_up:
        per_hour[(actor, timezone.localtime(at).strftime("%Y-%m-%d %H:00"))].add(case_id)
        per_day[(case_id, timezone.localtime(at).date().isoformat())].add(actor)
    for (actor, hour), cases in sorted(per_hour.items()):
        if len(cases) > snooping.BULK_CASES_PER_HOUR:
            lines.setdefault(actor, snooping.UserLine(actor, names.get(actor, "?"))).bulk_hours.append(
                (hour, len(cases)))
    spikes = [snooping.Spike(numbers.get(c, c), day, len(readers)) for (c, day), readers in sorted(per_day.items())
              if len(readers) > snooping.SPIKE_READERS_PER_DAY]
    ordered = sorted(lines.values(), key=lambda u: (-len(u.bulk_hours), -u.outside_team, u.username))
    return snooping.Report(since, until, ordered, spikes)


@pytest.fixture
def week(units):
    """Four readers and twelve cases; 600 reads spread over the hours of four days (one of
    them outside the week), a few of each basis, purpose and identity, some with details
    missing, and one read of something that is no case id."""
    people = police(units)
    readers = [people["supervisor"], people["county_head"], people["investigator"],
               make_user(units, "QS-JCY-WJ", Role.PROSECUTOR, username="r_pros")]
    intake = Api(people["intake"])
    case_ids = [str(intake.post("/cases", report()).json()["id"]) for _ in range(12)] + ["x-1"]
    rng, now = random.Random(17), timezone.now()
    for _ in range(600):
        details = {"basis": rng.choice(BASES), "identity": rng.random() < 0.5, "purpose": rng.choice(PURPOSES),
                   "sealed": False}
        details = {k: v for k, v in details.items() if v is not None and rng.random() > 0.05}
        at = now - dt.timedelta(days=rng.choice([0, 1, 2, 8]), hours=rng.randint(0, 3), minutes=rng.randint(0, 59))
        AuditEntry.objects.create(at=at, actor_id=rng.choice(readers).pk, action=Event.CASE_READ,
                                  object_type="cases.case", object_id=rng.choice(case_ids), source="test",
                                  outcome="success", details=details, content_hash="-")
    return readers


@pytest.mark.parametrize(("bulk", "spike"), [(2, 1), (4, 2), (20, 5)])
def test_the_report_in_sql_answers_as_the_report_in_python(week, monkeypatch, bulk, spike):
    monkeypatch.setattr(snooping, "BULK_CASES_PER_HOUR", bulk)
    monkeypatch.setattr(snooping, "SPIKE_READERS_PER_DAY", spike)
    until = timezone.now()
    since = until - dt.timedelta(days=7)
    expected = reference(since, until, User.objects.values("pk"))
    assert snooping.build(since=since, until=until) == expected
    assert expected.users and (expected.spikes or spike == 5)
    head = next(u for u in week if u.username == "c_head")
    scoped = snooping.build(viewer=head, since=since, until=until)
    assert scoped == reference(since, until, snooping.users_under(head))
