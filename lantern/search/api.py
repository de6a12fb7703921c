"""GET /api/v1/search?q=: the cases the user may see that the text names (API.md)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lantern.search import services
from lantern.search.schemas import SearchOut

router = Router(tags=["search"])
API_FIELDS = ("id", "case_number", "state", "matched")
# A GET is not rate-limited elsewhere, so lantern.api does not document 429 for it: this one is.
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RATE_LIMITED = {"responses": {429: {"description": "Too many searches this minute (details.retry_after_seconds)",
                                    "content": ERROR}}}


class SearchQuery(Schema):
    # Checked by the search itself (1 to 100 characters), after the caller's permission.
    q: str = Field("", description="A case number, tracking code, phone, ID number, platform:handle or "
                                   "pseudonym; 1 to 100 characters (else 422)")


@router.get("/search", response=SearchOut, openapi_extra=RATE_LIMITED,
            description="Visible cases only: a case the user may not see is never named, and a text that "
                        "names only such cases answers as one that names none. Audited without the text; "
                        "429 past the per-minute limit.")
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict:
    found = services.search_cases(actor=request.user, query=query.q)
    return {"items": [{k: item[k] for k in API_FIELDS} for item in found.items], "count": found.count,
            "more": found.more}
