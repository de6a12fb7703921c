"""Every audit event reads as a sentence in both languages (audit.readable): a new event
added to events.py, a new workflow action, suspect move or referral status without a
rendering of its own, or with an untranslated one, fails here instead of reaching the
history as a code."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from lantern.audit import readable
from lantern.audit.events import Event, Family, family
from lantern.audit.models import AuditEntry
from lantern.cases.suspect_moves import MOVES
from lantern.cases.workflow import TABLE
from lantern.referrals.catalogue import Status
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ALL_EVENTS = sorted({*(e.value for e in Event), *(family(Family.WORKFLOW, t.name) for t in TABLE),
                     *(family(Family.SUSPECT_MOVE, m.name) for m in MOVES),
                     *(family(Family.REFERRAL_MOVE, s) for s in Status.values),
                     family(Family.ADMIN, "add"), family(Family.ADMIN, "change"), family(Family.DENIED, "assign")})


@pytest.mark.parametrize("action", ALL_EVENTS)
def test_every_event_has_a_rendering_of_its_own(action):
    assert readable.rendering_for(action) is not None, f"{action} reads only as the generic sentence"


@pytest.fixture
def zhang(units):
    user = make_user(units, "QS-XZDD", username="zhang")  # no unit name inside: see below
    user.unit = None
    user.save(update_fields=["unit"])
    return user


def sentence(action, actor, language):
    entry = AuditEntry(action=action, actor_id=actor.pk, at=timezone.now(), object_type="", object_id="", source="web",
                       outcome="success", details={})
    with translation.override(language):
        row = readable.read([entry], reader=None)[0]
    return row["text"]


@pytest.mark.parametrize("action", ALL_EVENTS)
def test_every_event_reads_in_chinese_and_in_english(action, zhang):
    chinese, english = sentence(action, zhang, "zh-hans"), sentence(action, zhang, "en")
    assert chinese and english and chinese != english, (action, chinese, english)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), chinese
    assert action not in chinese and action not in english
