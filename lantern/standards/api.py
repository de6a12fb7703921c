"""The evidence standard in the API: the templates in force, drafts, one version, two
versions side by side; drafting and approving (the same actions and selectors as the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.standards import actions, selectors
from lantern.standards.schemas import DiffOut, DraftIn, TemplateOut, TemplatesOut

router = Router(tags=["evidence standards"])


def _page(templates: list[Any], *, with_items: bool = True) -> dict[str, Any]:
    items = [selectors.template_json(t, with_items=with_items) for t in templates]
    return {"items": items, "count": len(items)}


@router.get("/evidence-standards", response=TemplatesOut, exclude_unset=True,
            summary="The templates of the evidence standard in force today in your province, with their versions "
                    "and items")
def in_force(request: HttpRequest) -> dict[str, Any]:
    return _page(selectors.templates_in_force(request.user))


@router.get("/evidence-standards/drafts", response=TemplatesOut, exclude_unset=True,
            summary="Versions drafted and awaiting approval")
def drafts(request: HttpRequest) -> dict[str, Any]:
    return _page(list(selectors.drafts(request.user)))


@router.post("/evidence-standards", response={201: TemplateOut}, exclude_unset=True,
             summary="Draft a new version (a provincial administrator); in force from its date once the "
                     "provincial police and procuratorate approve it")
def draft(request: HttpRequest, payload: DraftIn) -> Status:
    template = actions.draft_template(actor=request.user, offence=payload.offence, age_band=payload.age_band,
                                      effective_from=payload.effective_from, note=payload.note,
                                      items=[i.model_dump() for i in payload.items])
    return Status(201, selectors.template_json(template))


@router.get("/evidence-standards/{template_id}", response=TemplateOut, exclude_unset=True,
            summary="One version with its items")
def detail(request: HttpRequest, template_id: int) -> dict[str, Any]:
    return selectors.template_json(selectors.template_for(request.user, template_id))


@router.post("/evidence-standards/{template_id}/approve", response=TemplateOut, exclude_unset=True,
             summary="Approve a draft for your side (provincial police unit head, or provincial prosecutor)")
def approve(request: HttpRequest, template_id: int) -> dict[str, Any]:
    template = selectors.template_for(request.user, template_id)
    return selectors.template_json(actions.approve_template(actor=request.user, template=template))


@router.get("/evidence-standards/{template_id}/diff/{other_id}", response=DiffOut, exclude_unset=True,
            summary="Two versions side by side, item by item")
def diff(request: HttpRequest, template_id: int, other_id: int) -> dict[str, Any]:
    old = selectors.template_for(request.user, other_id)
    new = selectors.template_for(request.user, template_id)
    return {"old": selectors.template_json(old, with_items=False), "new": selectors.template_json(new,
                                                                                                  with_items=False),
            "rows": selectors.diff(old, new)}
