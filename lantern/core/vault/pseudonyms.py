"""Pseudonyms: how a victim is named on every page and in every document that leaves
the police. Chinese judgments write "surname + 某" (张某); where the surname itself would
point to the family (a rare or compound surname, in a county where few carry it), a
generated alias stands instead, marked as one (小禾（化名）)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from lantern.core import memo
from lantern.core.registry import Hook
from lantern.core.vault.redaction import PATTERNS

# What else of a case's people free text may name, from the apps that record it: a victim's
# name before a correction, identifiers added after intake. Each gives (value, stand-in) pairs.
REPLACEMENTS: Hook[Callable[[Any], list[tuple[str, str]]]] = Hook("pseudonymisation replacements")

# The hundred most common surnames of the mainland (household-register statistics): a
# surname among them identifies no one on its own.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
ALIAS_CHARACTERS = "禾苗雨竹安宁晴朵溪言悦青"


def pseudonym_for(name: str) -> str:
    surname = name.strip()[:1]
    if surname and surname in COMMON_SURNAMES:
        return f"{surname}某"
    return f"小{secrets.choice(ALIAS_CHARACTERS)}（化名）"


def pseudonymise(text: str, case: Any) -> str:
    """Free text written by an officer (a decision's reasons), made fit for a document that
    leaves the police: the case's people by pseudonym or role, phones and ID numbers
    masked. Officers are told to write pseudonyms; this catches the slip."""
    for value, stand_in in memo.remembered(("pseudonym replacements", case.pk), lambda: _replacements(case)):
        text = text.replace(value, stand_in)
    for pattern in PATTERNS:
        text = pattern.sub("***", text)
    return text


def _replacements(case: Any) -> list[tuple[str, str]]:
    """What to replace in the case's texts, longest first: worked out once per read-only
    request (core.memo), where a case page pseudonymises every reason in its history."""
    complainant = _complainant(case)
    replacements = [(case.victim.name, case.victim.pseudonym)]
    if complainant is not None:
        replacements.append((complainant.name, "控告人"))
    replacements += [(s.name, "犯罪嫌疑人") for s in case.suspects.all()]
    replacements += [(value, "***") for value in _identifiers(case)]
    for more in REPLACEMENTS:
        replacements += more(case)
    return [(value, stand_in) for value, stand_in in sorted(replacements, key=lambda r: len(r[0] or ""), reverse=True)
            if value and len(value) >= 2]


def _complainant(case: Any) -> Any:
    try:
        return case.complainant
    except ObjectDoesNotExist:  # generated benchmark cases have none
        return None


def _identifiers(case: Any) -> list[str]:
    complainant = _complainant(case)
    values = [case.victim.id_number, complainant.phone if complainant else "", complainant.email if complainant else ""]
    for suspect in case.suspects.all():
        values += [suspect.phone, suspect.id_number] + [a.get("handle", "") for a in suspect.accounts]
    return [v for v in values if v]
