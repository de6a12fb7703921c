"""Blind indexes: a keyed hash (HMAC-SHA256) of an identifier's normalised form.

Two cases that share a suspect's phone or dating-app account have the same digest, so
the same-suspect check at intake and the linkage of cases work on digests alone; the
database without the index key cannot test a guessed phone number against them. The
normalisation decides what counts as "the same": it is here, in one table, per kind."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.keys import provider


class IdKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    ID_NUMBER = "id_number", _("ID number")
    HANDLE = "handle", _("Platform account")
    NAME_DOB = "name_dob", _("Name and date of birth")
    DEVICE = "device", _("Device ID")


def normalize_phone(raw: str) -> str:
    """Mainland numbers in one form: digits only, without +86 / 0086 / a leading trunk 0
    on landlines kept (they are part of the area code)."""
    digits = re.sub(r"\D", "", raw or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix):]
    return digits


def normalize_id_number(raw: str) -> str:
    """Resident ID numbers: no spaces, the check letter upper-cased (x and X are one)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", raw or "")).upper()


def normalize_handle(raw: str) -> str:
    """platform|handle: a handle means nothing without its platform; case and a leading @
    do not distinguish accounts on the platforms we see."""
    platform, _sep, handle = (raw or "").partition("|")
    platform = unicodedata.normalize("NFKC", platform).strip().casefold()
    handle = unicodedata.normalize("NFKC", handle).strip().lstrip("@").casefold()
    return f"{platform}|{handle}" if platform and handle else ""


def normalize_device(raw: str) -> str:
    """IMEI, MEID, serial or MAC: one form without spaces, dashes, colons or dots, upper-cased
    (an IMEI read off a box as 35-209900-176148-1 is the 352099001761481 of the extraction)."""
    return re.sub(r"[\s\-:.]", "", unicodedata.normalize("NFKC", raw or "")).upper()


def normalize_name_dob(raw: str) -> str:
    name, _sep, dob = (raw or "").partition("|")
    name = re.sub(r"\s", "", unicodedata.normalize("NFKC", name))
    return f"{name}|{dob}" if name and dob else ""


NORMALIZERS: dict[str, Callable[[str], str]] = {
    IdKind.PHONE: normalize_phone,
    IdKind.ID_NUMBER: normalize_id_number,
    IdKind.HANDLE: normalize_handle,
    IdKind.NAME_DOB: normalize_name_dob,
    IdKind.DEVICE: normalize_device,
}


def digest(kind: str, raw: str) -> str:
    """The blind index of one identifier, or "" when there is nothing to index."""
    normal = NORMALIZERS[kind](raw)
    if not normal:
        return ""
    return hmac.new(provider().index_key(), f"{kind}|{normal}".encode(), hashlib.sha256).hexdigest()


def handle(platform: str, account: str) -> str:
    return f"{platform}|{account}"


def name_dob(name: str, date_of_birth: object) -> str:
    return f"{name}|{date_of_birth}" if name and date_of_birth else ""


def keyed(label: str, value: str) -> str:
    """A keyed hash of a derived key (a fuzzy-matching blocking key such as a name's pinyin
    with a birth year), with the index key and a label of its own, so that it never equals
    an identifier's digest."""
    return hmac.new(provider().index_key(), f"key:{label}|{value}".encode(), hashlib.sha256).hexdigest()
