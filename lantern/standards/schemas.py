"""What the evidence-standards API takes and answers (API.md, "Evidence standards")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field

from lantern.core.schemas import Day, In, Out
from lantern.standards.law import Offence
from lantern.standards.models import Satisfier

OffenceKey = Literal[tuple(Offence.values)]  # type: ignore[valid-type]
BandKey = Literal["under_12", "12_to_14", "14_to_16", "16_to_18", "adult"]
SatisfierKey = Literal[tuple(Satisfier.values)]  # type: ignore[valid-type]


class ItemIn(In):
    key: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    guidance_zh: str = Field("", max_length=2000)
    guidance_en: str = Field("", max_length=2000)
    satisfied_by: list[SatisfierKey] = Field(min_length=1, max_length=4)  # type: ignore[valid-type]
    clock: str = Field("", max_length=40, description="forensic_examination, cctv_preservation, phone_extraction, "
                                                      "or empty: due with the filing decision")
    legal_reference: str = Field("", max_length=300, description="An article checked against the published "
                                                                 "text, or (policy)")


class DraftIn(In):
    offence: OffenceKey  # type: ignore[valid-type]
    age_band: BandKey
    effective_from: Day
    note: str = Field("", max_length=2000, description="What changed and why")
    items: list[ItemIn] = Field(min_length=1, max_length=60)


class StandardItemOut(Out):
    key: str
    title: str
    title_zh: str
    title_en: str
    guidance: str
    guidance_zh: str
    guidance_en: str
    satisfied_by: list[str]
    satisfied_by_labels: list[str]
    clock: str | None = Field(description="The deadline rule that sets the due time; null: the filing decision")
    clock_label: str = Field(description="The deadline rule's title (empty with the filing decision)")
    legal_reference: str


class ApprovalOut(Out):
    side: str = Field(description="police or procuratorate")
    by: str
    at: dt.datetime


class TemplateOut(Out):
    id: int
    key: str = Field(description="offence/age_band")
    version: int
    offence: str
    offence_label: str
    age_band_label: str
    offence_reference: str
    age_band: str
    province: str | None = Field(description="The province's division prefix; null for the national defaults")
    status: str = Field(description="draft or approved")
    status_label: str
    effective_from: dt.date
    note: str
    approvals: list[ApprovalOut]
    items: list[StandardItemOut] | None = None


class TemplatesOut(Out):
    items: list[TemplateOut]
    count: int


class DiffRowOut(Out):
    key: str
    change: str = Field(description="added, removed, changed or same")
    fields: list[str]
    old: StandardItemOut | None
    new: StandardItemOut | None


class DiffOut(Out):
    old: TemplateOut
    new: TemplateOut
    rows: list[DiffRowOut]


