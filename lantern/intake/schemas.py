"""One description of a report, for every way in: the API's body (intake.api, which adds
``merge_into``), the intake page (intake.forms builds one from the form) and the service
that registers it (intake.services). Bounds and choices are declared once, here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from ninja import Field
from pydantic import field_validator

from lantern.cases.states import Channel, Indicator, Sex
from lantern.core.schemas import Day, In, Moment, Out
from lantern.standards.law import DEFAULT_OFFENCES, Offence

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
IndicatorName = Literal[tuple(Indicator.values)]  # type: ignore[valid-type]
SexName = Literal[tuple(Sex.values)]  # type: ignore[valid-type]
OffenceName = Literal[tuple(Offence.values)]  # type: ignore[valid-type]


class AccountIn(In):
    platform: str = Field(max_length=40)
    handle: str = Field(max_length=100)


class SuspectIn(In):
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=32)
    id_number: str = Field("", max_length=32)
    accounts: list[AccountIn] = Field(default_factory=list, max_length=20)
    devices: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=20, description="Device IDs such as an IMEI")


class NewSuspectIn(SuspectIn):
    """A suspect identified after intake (intake.supplements.add_suspect)."""

    sex: SexName | Literal[""] = ""
    date_of_birth: Day | None = None


class VictimIn(In):
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field("", max_length=32)
    sex: SexName
    date_of_birth: Day | None = None
    estimated_age: int | None = Field(None, ge=0, le=120)


class ComplainantIn(In):
    name: str = Field(min_length=1, max_length=100)
    relation: str = Field(max_length=40)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254, description="For the family portal's sign-in codes and news")

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                message = gettext("Enter an e-mail address such as name@example.cn, or leave it empty.")
                raise ValueError(message) from None
        return value


class ReportIn(In):
    received_at: Moment
    channel: ChannelName
    offence_date: Day
    narrative: str = Field(min_length=1, max_length=20000)
    victim: VictimIn
    complainant: ComplainantIn
    suspects: list[SuspectIn] = Field(default_factory=list, max_length=50)
    indicators: list[IndicatorName] = Field(default_factory=list)
    offences: list[OffenceName] = Field(default_factory=lambda: list(DEFAULT_OFFENCES), min_length=1, max_length=6,
                                        description="The offences reported, the principal first; they choose the "
                                                    "evidence standard's templates with the victim's age band")


# --- Added after intake (intake.supplements) ------------------------------------------------

CORRECTABLE = ("victim.date_of_birth", "victim.estimated_age", "victim.sex", "victim.name", "victim.id_number",
               "offences")
CorrectableField = Literal[CORRECTABLE]  # type: ignore[valid-type]


class IndicatorIn(In):
    indicator: IndicatorName
    reason: str = Field(max_length=2000, description="Where it was found (e.g. the medical examination)")


class SupplementIn(In):
    text: str = Field(max_length=20000)


class CorrectionIn(In):
    field: CorrectableField
    value: str | int | list[OffenceName] | None = Field(
        description="The corrected value: a date as YYYY-MM-DD, an age, a sex (female, male, unknown), a name, an "
                    "ID number, or for offences a list such as [\"child_indecency\"]")
    reason: str = Field(max_length=2000)


class ChangeOut(Out):
    kind: str = Field(description="age_band, flag_added, flag_removed, checklist_added, checklist_not_applicable, "
                                  "clock_switched, clock_started, approvals_needed, supervision_opened, filing, "
                                  "pending_non_filing_refused")
    key: str
    text: str = Field(description="What changed, in the request's language")


class LinkOut(Out):
    id: int
    case_number: str
    via: list[str]


class AddedSuspectOut(Out):
    id: int
    case_id: int
    label: str
    status: str
    sex: str
    identifiers: list[str] = Field(description="The kinds of identifier indexed: phone, id_number, account, device")
    linked_cases: list[LinkOut] = Field(description="Other cases you may see that share an identifier of this "
                                                    "suspect, found by blind index")
    changes: list[ChangeOut]
    # Only for those who may see identities:
    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    date_of_birth: dt.date | None = None
    accounts: list[dict[str, str]] | None = None
    devices: list[str] | None = None


class IndicatorOut(Out):
    id: int
    indicator: str
    indicator_label: str
    recorded_at: dt.datetime
    recorded_by: str
    flags: list[str]
    changes: list[ChangeOut]
    reason: str | None = None  # only for those who may see identities


class SupplementOut(Out):
    id: int
    added_at: dt.datetime
    added_by: str
    text: str | None = None  # the narrative's own rule: only for those who may see identities


class SupplementsOut(Out):
    items: list[SupplementOut]
    count: int


class CorrectionOut(Out):
    id: int
    field: str
    corrected_at: dt.datetime
    corrected_by: str
    changes: list[ChangeOut] = Field(description="What the law recomputed from the correction")
    age_band: str
    age_band_label: str
    is_minor: bool
    flags: list[str]
    # Only for those who may see identities:
    old_value: str | None = None
    new_value: str | None = None
    reason: str | None = None


class CorrectionsOut(Out):
    items: list[CorrectionOut]
    count: int
