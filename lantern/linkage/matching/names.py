"""Names as the matching model compares them: the characters (NFKC, no spaces), the
surname and given name, and their pinyin without tones, so that a homophone written with
another character (张伟 / 张维) still agrees on the pinyin."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Two-character surnames (复姓) that a full name starts with; pypinyin does not split names,
# and a full name is split at its first character otherwise. The common ones of the
# Hundred Family Surnames, not an exhaustive list.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "澹台", "公冶", "宗政", "濮阳",
    "淳于", "单于", "太叔", "申屠", "仲孙", "钟离", "闻人", "万俟", "赫连", "百里", "东郭", "拓跋",
})

# Separators inside a name: spaces, and the middle dots of transliterated names (阿卜杜·热合曼).
_SEPARATORS = re.compile(r"[\s·•・.\-]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def clean(raw: str | None) -> str:
    """NFKC (full-width letters and digits become ASCII) without separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or "")).strip()


def is_chinese(name: str) -> bool:
    return bool(_CJK.search(name))


def split_name(raw: str | None) -> tuple[str, str]:
    """(surname, given name) of a full name. Chinese: compound surname or first character;
    Latin ("John Smith"): the last word is the surname."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return "", ""
    if is_chinese(text):
        name = clean(text)
        if len(name) < 2:
            return name, ""
        cut = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:cut], name[cut:]
    words = [w for w in _SEPARATORS.split(text) if w]
    if len(words) < 2:
        return "", clean(text)
    return clean(words[-1]), clean("".join(words[:-1]))


_NOT_LETTERS = re.compile(r"[^a-z]")


@lru_cache(maxsize=1 << 18)
def pinyin(text: str) -> str:
    """Toneless pinyin of the whole text, lower case, letters only ('' for none). Latin text
    is its own pinyin, so Latin names go through the same comparisons. Cached: a million
    persons have far fewer distinct surnames and given names."""
    if not text:
        return ""
    if text.isascii():
        return _NOT_LETTERS.sub("", text.casefold())
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    return _NOT_LETTERS.sub("", "".join(syllables).casefold())


@lru_cache(maxsize=1 << 18)
def name_columns(name: str, surname: str, given_name: str) -> tuple[str, str, str, str, str, str]:
    """(full name, surname, given name) cleaned, and the pinyin of each, from whichever the
    record has. A Chinese full name's pinyin is its surname's and given name's, so a
    heteronym reads the same in all three."""
    full, surname, given = clean(name), clean(surname), clean(given_name)
    if full and not (surname or given):
        surname, given = split_name(name)
    if not full:
        full = surname + given
    surname_py, given_py = pinyin(surname), pinyin(given)
    full_py = surname_py + given_py if is_chinese(full) and full == surname + given else pinyin(full)
    return full, surname, given, full_py, surname_py, given_py
