"""What the search API answers, as typed schemas."""

from __future__ import annotations

from pydantic import Field

from lantern.core.schemas import Out


class SearchHitOut(Out):
    id: int
    case_number: str
    state: str
    matched: str = Field(description='What the text matched: "case_number", "tracking_code", "phone", '
                                     '"id_number", "account", "pseudonym", or a kind another app registers')


class SearchOut(Out):
    items: list[SearchHitOut] = Field(description="The newest 50 visible matches")
    count: int = Field(description="How many visible cases matched in all, up to 2,000 (see more)")
    more: bool = Field(False, description="More than 2,000 visible cases matched: count is 2,000 and the "
                                         "text should be narrowed")
