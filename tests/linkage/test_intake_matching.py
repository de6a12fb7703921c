"""Fuzzy matching at intake (issue 14, items 4 and 7): a suspect the case learns of is scored
against the persons already known with the stored model, without retraining; a homophone
and a transposed birth date still match, the same common name born another year does not;
a match to a registered offender flags the case."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from lantern.cases.models import Case, Suspect
from lantern.linkage.models import LINKING_STATUSES, MatchStatus, PersonKey, PersonMatch, RegistryHit
from lantern.linkage.registry import register_convictions
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    return police(units)


def case_with(intake: Api, sup: Api, **suspect) -> tuple[int, Suspect]:
    """A report with no suspect known, then the suspect identified by the investigation."""
    case = intake.post("/cases", report(suspects=[])).json()["id"]
    sup.act(case, "assign", assignees=["c_inv"])
    made = sup.post(f"/cases/{case}/suspects", {"sex": "male", **suspect})
    assert made.status_code == 201, made.content
    return case, Suspect.objects.get(pk=made.json()["id"])


def matches_of(suspect: Suspect) -> list[PersonMatch]:
    return list(PersonMatch.objects.filter(left=suspect) | PersonMatch.objects.filter(right=suspect))


def test_a_homophone_and_a_transposed_birth_date_match_another_year_does_not(people):
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    _a, first = case_with(intake, sup, name="张伟明", date_of_birth="1990-03-12", phone="13512340001")
    # The same man in a later report: a homophone (铭 for 明), day and month swapped, a new phone.
    _b, again = case_with(intake, sup, name="张伟铭", date_of_birth="1990-12-03", phone="13698760002")
    # The same common name, born fifteen years earlier: another man.
    _c, other = case_with(intake, sup, name="张伟明", date_of_birth="1975-06-21", phone="13711112222")
    [match] = matches_of(again)
    assert {match.left_id, match.right_id} == {first.pk, again.pk}
    assert match.status in (MatchStatus.LINKED, MatchStatus.PENDING) and match.probability >= 0.5
    assert not [m for m in matches_of(other) if {m.left_id, m.right_id} & {first.pk, again.pk}]
    # Blocking keys are kept as keyed hashes only: no name, pinyin or date in them.
    # (A hex digest can contain "1990" by chance: each key must be a digest, nothing else.)
    keys = list(PersonKey.objects.values_list("digest", flat=True))
    assert keys and all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys), keys


def test_a_suspect_the_model_takes_for_a_registered_offender_is_flagged(people, settings):
    settings.LANTERN_MATCH_AUTO_LINK = 0.9
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    old, convicted = case_with(intake, sup, name="欧阳振华", date_of_birth="1982-07-09", phone="13300001111")
    register_convictions(case=Case.objects.get(pk=old), suspects=[convicted], at=timezone.now(),
                         judgment="（2025）清刑初字第2号")
    new, suspect = case_with(intake, sup, name="欧阳振华", date_of_birth="1982-07-09", phone="13300001111")
    [match] = matches_of(suspect)
    assert match.status in LINKING_STATUSES
    [hit] = RegistryHit.objects.filter(case_id=new)
    assert hit.via in ("person_match", "id_number") and hit.suspect_id == suspect.pk
