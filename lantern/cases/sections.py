"""Sections of the case page that higher apps contribute (evidence and interviews,
family questions, referrals), registered from their AppConfig.ready, as NetBox injects
panels: the case page lists what is registered and never imports those apps.

A section's ``context`` is a selector: (case, user, identity) -> the names its template
reads. ``slot`` places it: "work" among the investigation sections, "family" under the
actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lantern.core.registry import Hook

SLOTS = ("work", "family")


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[..., dict[str, Any]]
    slot: str = "work"
    order: int = 100


SECTIONS: Hook[Section] = Hook("case page sections")


def register(section: Section) -> None:
    if section.slot not in SLOTS:
        raise ValueError(f"section {section.key}: slot must be one of {SLOTS}")
    SECTIONS.register(section)


def render_context(case: Any, user: Any, *, identity: bool) -> dict[str, Any]:
    """Every registered section's names, and ``section_templates`` by slot, in order."""
    context: dict[str, Any] = {}
    templates: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    for section in sorted(SECTIONS, key=lambda s: (s.order, s.key)):
        context.update(section.context(case, user, identity=identity))
        templates[section.slot].append(section.template)
    return {**context, "section_templates": templates}
