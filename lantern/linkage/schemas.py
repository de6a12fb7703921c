"""What the linkage API answers, as typed schemas (API.md, "Linkage and networks")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from lantern.core.schemas import In, Out

ViaKind = Literal["phone", "id_number", "account", "device", "person_match"]


class ViaOut(Out):
    kind: ViaKind
    probability: float | None = Field(None, description="person_match only: the model's match probability")


class LinkOut(Out):
    case_id: int | None = Field(description="null when the reader may not see the case")
    case_number: str | None = Field(description="null when the reader may not see the case")
    state: str | None
    unit: str
    contact: str = Field(description="whom to ask about the case: its lead investigator and the unit's phone")
    via: list[ViaOut]


class RegistryHitOut(Out):
    person_id: int
    via: Literal["id_number", "person_match"]
    probability: float | None
    convicted_at: dt.datetime
    found_at: dt.datetime


class LinksOut(Out):
    items: list[LinkOut]
    count: int
    network_id: int | None
    registry_hits: list[RegistryHitOut]


class NodeOut(Out):
    id: str
    type: Literal["case", "person", "identifier"]
    label: str
    case_id: int | None = None
    state: str | None = None
    state_label: str | None = None
    unit: str | None = None
    kind: str | None = Field(None, description="identifier nodes: phone, id_number, account or device")


class EdgeOut(Out):
    source: str
    target: str
    kind: str


class NetworkOut(Out):
    network_id: int | None
    case_count: int
    truncated: bool
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class NetworkRowOut(Out):
    id: int
    cases: int
    joined_recently: int = Field(description="cases that joined in the last 30 days")
    created_at: dt.datetime
    grown_at: dt.datetime
    units: list[str]


class NetworksOut(Out):
    items: list[NetworkRowOut]
    count: int


class MatchPersonOut(Out):
    id: int
    case_id: int
    case_number: str


class MatchOut(Out):
    id: int
    left: MatchPersonOut
    right: MatchPersonOut
    probability: float
    model_version: int
    status: Literal["linked", "pending", "confirmed", "rejected", "withdrawn"]
    found_at: dt.datetime


class MatchesOut(Out):
    items: list[MatchOut]
    count: int


class NetworksQuery(Schema):
    order: Literal["size", "growth"] = "size"


class DecisionIn(In):
    reason: str = Field("", max_length=2000)
