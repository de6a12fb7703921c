"""What the search box can find a case by.

Each matcher turns the typed text into a condition on Case: the cases it names by one
kind of key (a case number, a tracking code, a phone through the blind index ...). The
search app registers the built-in matchers; an app that gives cases another number to be
found by (a mandatory report's receipt number) registers its own from its
AppConfig.ready. A matcher answers with a condition, never with cases: the search applies
the user's scope to it, so no matcher can reach a case the user may not see. The order
of registration is the order of precedence when one case matches by several kinds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise

from lantern.core.registry import Hook


@dataclass(frozen=True)
class SearchText:
    """The typed text in the forms matchers compare: ``text`` NFKC-normalised (full-width
    digits, letters, colons and spaces become their ASCII forms) with runs of whitespace
    made one space; ``compact`` the same without any whitespace."""

    text: str
    compact: str

    @classmethod
    def of(cls, raw: str) -> SearchText:
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw or "")).strip()
        return cls(text=text, compact=text.replace(" ", ""))


@dataclass(frozen=True)
class Matcher:
    kind: str  # what the search answers as "matched"
    label: Promise  # how the results page names it
    q: Callable[[SearchText], Q | None]  # None: the text cannot be a key of this kind


MATCHERS: Hook[Matcher] = Hook("case search matchers")
register_matcher = MATCHERS.register
