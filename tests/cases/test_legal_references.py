"""The law as cited: each reference the code shows a user is the one checked against the
published text (issue 12), and every one of them is listed, with its source, in
docs/legal-references.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from lantern.cases import law
from lantern.cases.states import Indicator
from lantern.cases.suspect_moves import MOVES
from lantern.cases.workflow import BY_NAME, TABLE
from lantern.deadlines.rules import POLICY, RULES, rule
from lantern.evidence import interviews
from lantern.referrals.catalogue import SERVICES
from lantern.standards.law import OFFENCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "legal-references.md"
DEFAULTS = Path(__file__).resolve().parents[2] / "lantern" / "standards" / "migrations" / "default_standards.json"


def default_items() -> list[dict]:
    """The items of the evidence standard as Lantern ships it (standards migration 0002)."""
    return [item for template in json.loads(DEFAULTS.read_text(encoding="utf-8")) for item in template["items"]]


def all_references() -> list[tuple[str, str]]:
    """(where, reference) for every legal reference in the law tables."""
    found = [(f"deadline {r.key}", str(r.legal_reference)) for r in RULES if not r.policy]
    found += [(f"workflow {t.name}", t.legal_reference) for t in TABLE if t.legal_reference]
    found += [(f"suspect move {m.name}", m.legal_reference) for m in MOVES if m.legal_reference]
    found += [(f"age band {b.key}", b.legal_reference) for b in law.AGE_BANDS if b.legal_reference]
    found += [(f"fact {f.flag}", f.legal_reference) for f in (law.MULTIPLE_SUSPECTS, law.MANDATORY_FILING)]
    found += [(f"checklist {i['key']}", i["legal_reference"]) for i in default_items()
              if i["legal_reference"] and i["legal_reference"] != POLICY]
    found += [(f"offence {key}", o.legal_reference) for key, o in OFFENCES.items()]
    found += [(f"referral {k}", s.legal_reference) for k, s in SERVICES.items()]
    return found


def citations(reference: str) -> list[str]:
    """One reference, split into the documents (with their articles) it cites."""
    return [part for part in reference.split("；") if part and part != POLICY]


def test_every_reference_in_the_law_tables_is_listed_with_its_source():
    listed = DOC.read_text(encoding="utf-8")
    missing = sorted({c for _where, ref in all_references() for c in citations(ref) if f"`{c}`" not in listed})
    assert missing == [], f"add these to docs/legal-references.md with the text checked: {missing}"


def test_every_interview_rule_reference_and_policy_rule_is_listed():
    listed = DOC.read_text(encoding="utf-8")
    with translation.override("en"):
        for r in interviews.RULES:
            assert f"`{r.legal_reference}`" in listed, r.key
    for r in RULES:
        if r.policy:
            assert f"`{r.key}`" in listed, r.key


def test_the_interview_rules_cite_the_2023_opinion_art_23_and_the_appropriate_adult_law():
    with translation.override("en"):
        cited = {r.key: str(r.legal_reference) for r in interviews.RULES}
    assert "Opinions on Handling Sexual Assault Cases against Minors (2023) art. 23" in cited["one_interview"]
    assert "Opinions on Handling Sexual Assault Cases against Minors (2023) art. 23" in cited["female_interviewer"]
    assert cited["adult_present"] == "Criminal Procedure Law art. 281; Minors Protection Law art. 110"
    assert not any("art. 14" in c or "285" in c for c in cited.values())  # the hearing date; closed trials


@pytest.mark.parametrize(("name", "expected", "wrong"), [
    ("begin_investigation", "《公安机关办理刑事案件程序规定》(2020)第一百九十一条", "第一百九十条"),
    ("suspend_investigation", "《刑事诉讼法》(2018)第一百五十五条", "第二百零六条"),
    ("submit_explanation", "第一百八十二条第一款", "（试行）"),
    ("uphold_non_filing", "《人民检察院刑事诉讼规则》(2019)第五百六十一条第二款", "（试行）"),
    ("record_supervision_reply", "《人民检察院刑事诉讼规则》(2019)第五百六十一条第二款", "（试行）"),
])
def test_the_workflow_rows_cite_the_articles_that_apply(name, expected, wrong):
    reference = BY_NAME[name].legal_reference
    assert expected in reference and wrong not in reference


def test_suspending_and_resuming_an_investigation_are_marked_as_policy():
    # No law suspends a police investigation (CPL art. 206 suspends a trial).
    for name in ("suspend_investigation", "resume_investigation"):
        reference = BY_NAME[name].legal_reference
        assert reference.startswith(f"{POLICY}；") and "第二百零六条" not in reference


@pytest.mark.parametrize(("key", "expected"), [
    ("supervision_explanation", "《公安机关办理刑事案件程序规定》(2020)第一百八十二条第一款"),
    ("supervision_filing", "《公安机关办理刑事案件程序规定》(2020)第一百八十二条第二款"),
    ("supervision_reply", "《人民检察院刑事诉讼规则》(2019)第五百六十一条第二款"),
    ("supervision_chase", "《人民检察院刑事诉讼规则》(2019)第五百六十四条第三款"),
    ("arrest_request", "《公安机关办理刑事案件程序规定》(2020)第一百二十九条"),
    ("filing_review_minor", "《关于办理性侵害未成年人刑事案件的意见》(2023，两高两部)第五条"),
])
def test_the_deadline_rules_cite_where_each_period_is_written(key, expected):
    reference = str(rule(key).legal_reference)
    assert expected in reference
    assert "第一百一十三条" not in reference  # CPL art. 113 states no period


def test_knowledge_of_age_and_direct_filing_cite_the_2023_opinion():
    for ref in (law.AGE_BANDS[0].legal_reference, law.AGE_BANDS[1].legal_reference,
                *(i["legal_reference"] for i in default_items() if i["key"] == "age_knowledge_analysis")):
        assert ref.endswith(f"{law.OPINION_2023}第十七条")
    assert law.MANDATORY_FILING.legal_reference == f"{law.OPINION_2023}第五条"
    assert not any("2013" in ref for _where, ref in all_references())  # the repealed opinion
    assert {"intellectual_disability", "pregnancy_ended"} <= set(Indicator.values)
