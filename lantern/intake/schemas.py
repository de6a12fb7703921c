"""One description of a report, for every way in: the API's body (intake.api, which adds
``merge_into``), the intake page (intake.forms builds one from the form) and the service
that registers it (intake.services). Bounds and choices are declared once, here."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from ninja import Field
from pydantic import field_validator

from lantern.cases.states import Channel, Indicator, Sex
from lantern.core.schemas import Day, In, Moment

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
IndicatorName = Literal[tuple(Indicator.values)]  # type: ignore[valid-type]
SexName = Literal[tuple(Sex.values)]  # type: ignore[valid-type]


class AccountIn(In):
    platform: str = Field(max_length=40)
    handle: str = Field(max_length=100)


class SuspectIn(In):
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=32)
    id_number: str = Field("", max_length=32)
    accounts: list[AccountIn] = Field(default_factory=list, max_length=20)


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
