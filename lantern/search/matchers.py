"""The built-in keys a case is found by. Phones, ID numbers and platform accounts are
looked up through their blind indexes (people.Identifier): the typed value is hashed the
way intake hashed the stored one, and no encrypted column is read, let alone scanned."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.cases.matchers import Matcher, SearchText, register_matcher
from lantern.core.vault.blind import IdKind, digest, handle
from lantern.people.models import Identifier

# A handle is indexed with its platform (blind.normalize_handle), so a handle typed alone
# is tried on these platforms, under the names officers usually record them by; any
# other platform is searched as "platform:handle".
KNOWN_PLATFORMS = ("微信", "WeChat", "QQ", "抖音", "Douyin", "快手", "微博", "小红书", "陌陌", "探探", "Soul",
                   "哔哩哔哩", "B站", "Telegram", "Instagram", "Facebook", "TikTok", "Snapchat", "Discord")
CASE_NUMBER = re.compile(r"(?P<unit>[A-Z][A-Z0-9-]*)-(?P<year>[0-9]{4})-(?P<n>[0-9]{1,5})")
TRACKING_CODE = re.compile(r"[A-Z0-9]{6,16}")
PHONE = re.compile(r"\+?[0-9]{5,15}")  # ASCII digits: NFKC has made full-width ones so
ID_NUMBER = re.compile(r"[0-9]{15}|[0-9]{17}[0-9X]")
PLATFORM_AND_HANDLE = re.compile(r"(?P<platform>[^:|]+?)\s*[:|]\s*(?P<handle>\S+)|(?P<p>\S+) (?P<h>\S+)")


def _indexed(kind: str, digests: set[str]) -> Q | None:
    digests.discard("")
    if not digests:
        return None
    return Q(pk__in=Identifier.objects.filter(kind=kind, digest__in=digests).values("case_id"))


def case_number(t: SearchText) -> Q | None:
    """QS-XZDD-2026-00017, typed in any case, with or without the leading zeros."""
    found = CASE_NUMBER.fullmatch(t.compact.upper())
    if found is None:
        return None
    return Q(case_number=f"{found['unit']}-{found['year']}-{int(found['n']):05d}")


def tracking_code(t: SearchText) -> Q | None:
    code = t.compact.replace("-", "").upper()
    return Q(tracking_code=code) if TRACKING_CODE.fullmatch(code) else None


def phone_digest(t: SearchText) -> str | None:
    number = re.sub(r"[-()]", "", t.compact)
    return digest(IdKind.PHONE, number) if PHONE.fullmatch(number) else None


def id_number_digest(t: SearchText) -> str | None:
    number = t.compact.replace("-", "").upper()
    return digest(IdKind.ID_NUMBER, number) if ID_NUMBER.fullmatch(number) else None


def phone(t: SearchText) -> Q | None:
    value = phone_digest(t)
    return _indexed(IdKind.PHONE, {value}) if value else None


def id_number(t: SearchText) -> Q | None:
    value = id_number_digest(t)
    return _indexed(IdKind.ID_NUMBER, {value}) if value else None


def account(t: SearchText) -> Q | None:
    """"platform:handle" (or "platform handle"), or a handle alone on the known platforms."""
    pair = PLATFORM_AND_HANDLE.fullmatch(t.text)
    if pair is not None:
        platforms, name = [pair["platform"] or pair["p"]], pair["handle"] or pair["h"]
    elif t.text and " " not in t.text:
        platforms, name = list(KNOWN_PLATFORMS), t.text
    else:
        return None
    return _indexed(IdKind.HANDLE, {digest(IdKind.HANDLE, handle(p, name)) for p in platforms})


def pseudonym(t: SearchText) -> Q | None:
    """张某, or 小禾 for 小禾（化名）: pseudonyms are written with full-width brackets, which
    the normalised text has turned into ASCII ones."""
    if not 2 <= len(t.compact) <= 40 or re.search(r"[0-9]", t.compact):
        return None
    written = t.compact.replace("(", "（").replace(")", "）")
    return Q(victim__pseudonym__startswith=written)


BUILT_IN = [
    Matcher("case_number", _("Case number"), case_number),
    Matcher("tracking_code", _("Tracking code"), tracking_code),
    Matcher("phone", _("Phone"), phone),
    Matcher("id_number", _("ID number"), id_number),
    Matcher("account", _("Platform account"), account),
    Matcher("pseudonym", _("Pseudonym"), pseudonym),
]


def register() -> None:
    for matcher in BUILT_IN:
        register_matcher(matcher)
