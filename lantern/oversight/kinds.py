"""The oversight flags as data: what each means, and the thresholds of a hasty non-filing.

No law sets how fast a checklist can be worked, so the thresholds are policy, marked
"(policy)" as deadlines.rules marks its policy clocks, and each can be overridden in
settings (``LANTERN_OVERSIGHT_THRESHOLDS = {"decided_within_hours": 24, ...}``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.deadlines.rules import POLICY


class FlagKind(models.TextChoices):
    MINOR_NOT_FILED = "minor_not_filed", _("Minor's case not filed")
    HASTY_NON_FILING = "hasty_non_filing", _("Hasty non-filing")
    REOPENED_AFTER_MEDIA = "reopened_after_media", _("Reopened after media exposure")
    EVIDENCE_OVERDUE = "evidence_overdue", _("Evidence overdue")
    QUESTION_OVERDUE = "question_overdue", _("Family question unanswered")
    REPEAT_INTERVIEW = "repeat_interview", _("Child interviewed again without approval")


EXPLANATIONS: dict[str, Promise] = {
    FlagKind.MINOR_NOT_FILED: _("The case of a victim under 18 was decided not to be filed. Every such decision "
                                "goes to the procuratorate; this flag keeps it in view until the case is filed."),
    FlagKind.HASTY_NON_FILING: _("A non-filing was decided faster than its evidence checklist could have been "
                                 "worked: soon after the report, or with many items marked done minutes apart."),
    FlagKind.REOPENED_AFTER_MEDIA: _("A case not filed was filed only after media exposure: the decision changed "
                                     "because the public saw it, not because the process caught it."),
    FlagKind.EVIDENCE_OVERDUE: _("A forensic examination (72 hours), a phone extraction (48 hours) or a "
                                 "laboratory result is past its clock and still not done."),
    FlagKind.QUESTION_OVERDUE: _("A question or information request of the family is unanswered past its clock."),
    FlagKind.REPEAT_INTERVIEW: _("A child was interviewed more than once without a further interview approved "
                                 "beforehand; each interview is a fresh injury."),
}

# The clocks whose running out is "evidence overdue" (deadlines.rules).
EVIDENCE_RULES = ("forensic_examination", "phone_extraction", "lab_result")
QUESTION_RULE = "family_question"
# The decision trail is a page of the discipline app (a higher app): its address, not its
# URL name, so this app does not depend on it.
TRAIL_PATH = "/discipline/cases/{case_id}/trail/"


@dataclass(frozen=True)
class Threshold:
    key: str
    value: int
    meaning: Promise
    reference: str = POLICY


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("decided_within_hours", 24,
              _("A non-filing decided within this many hours of the report is hasty")),
    Threshold("burst_items", 5, _("... or with at least this many checklist items marked done")),
    Threshold("burst_minutes", 10, _("... within this many minutes of each other")),
)


def threshold(key: str) -> int:
    overrides = getattr(settings, "LANTERN_OVERSIGHT_THRESHOLDS", {}) or {}
    default = next(t.value for t in THRESHOLDS if t.key == key)
    return int(overrides.get(key, default))


def decided_within() -> dt.timedelta:
    return dt.timedelta(hours=threshold("decided_within_hours"))


def burst_window() -> dt.timedelta:
    return dt.timedelta(minutes=threshold("burst_minutes"))
