"""The audit log as people read it: who (display name and unit), what happened in words
in the reader's language, what it concerned, and the reason where the domain row holds
one and the reader may read it.

Each app says how its own events read: it registers a ``Rendering`` for an event name
(``case.checklist_item``) or for a family prefix (``case.``: every workflow action) from
its AppConfig.ready, as the case-page sections are registered, so the audit app never
imports the apps above it. An event without a rendering still reads, in the generic
sentence; tests/audit/test_readable.py fails on any ``Event`` member left to it.

The audit entry itself holds ids and codes only (events.py); names and reasons are looked
up in the domain rows at reading time, under the reader's access."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.audit.models import AuditEntry, Outcome
from lantern.core.registry import Hook


@dataclass
class Line:
    """One entry as a sentence; ``reason`` is the written reason (already fit for the reader)."""

    text: str
    reason: str = ""


@dataclass
class Reading:
    """What a renderer is given: the entry, the acting user's name as the reader sees it,
    who reads, and a cache the renderers of one page share (cases, access)."""

    entry: AuditEntry
    actor: str
    reader: Any
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def details(self) -> dict[str, Any]:
        return self.entry.details or {}


Render = Callable[[Reading], Line | str]


@dataclass(frozen=True)
class Rendering:
    event: str  # an event name, or a family prefix ending in "." (cases.workflow's "case.")
    render: Render


RENDERINGS: Hook[Rendering] = Hook("audit event renderings")


@dataclass(frozen=True)
class ObjectKind:
    """How entries' objects of one type are named (a case by its number) and found by that
    name (the audit log's case filter)."""

    object_type: str
    labels: Callable[[Iterable[str]], dict[str, str]]
    find: Callable[[str], list[str]]


OBJECT_KINDS: Hook[ObjectKind] = Hook("audit object kinds")


def register(event: str, render: Render) -> None:
    RENDERINGS.register(Rendering(str(event), render))


def renders(event: str) -> Callable[[Render], Render]:
    """Decorator form of ``register``."""
    def wrap(fn: Render) -> Render:
        register(event, fn)
        return fn
    return wrap


def said(message: Any) -> Render:
    """A rendering that is one sentence about the actor (a lazy string with %(actor)s)."""
    return lambda reading: Line(str(message) % {"actor": reading.actor})


def rendering_for(action: str) -> Rendering | None:
    """The rendering of this event name: its own, else its family's, else None."""
    by_event = {r.event: r for r in RENDERINGS}
    if action in by_event:
        return by_event[action]
    prefix = action.split(".", 1)[0] + "."
    return by_event.get(prefix)


def generic(reading: Reading) -> Line:
    return Line(_("%(actor)s: %(action)s") % {"actor": reading.actor, "action": reading.entry.action})


def person_name(user: Any) -> str:
    """A staff member as colleagues know them: display name and unit (张某（清水县公安局刑侦大队）)."""
    name = user.get_full_name() or user.username
    unit = getattr(user, "unit", None)
    if unit is None:
        return name
    if (get_language() or "").startswith("en"):
        return f"{name} ({getattr(unit, 'name_en', '') or unit.name})"
    return f"{name}（{unit.name}）"  # Chinese brackets, without the spaces English puts round them


def people_by_id(ids: Iterable[Any]) -> dict[int, str]:
    wanted = {int(i) for i in ids if i is not None and str(i).isdigit()}
    users = get_user_model().objects.filter(pk__in=wanted).select_related("unit")
    return {u.pk: person_name(u) for u in users}


def _actor(entry: AuditEntry, names: dict[int, str]) -> str:
    if entry.actor_id is None:
        by_family = entry.action.startswith("portal.") or (entry.details or {}).get("by") == "family"
        return _("The family (portal)") if by_family else _("Lantern (automatic)")
    return names.get(entry.actor_id, _("user #%(id)s") % {"id": entry.actor_id})


def object_labels(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    for kind in OBJECT_KINDS:
        ids = {e.object_id for e in entries if e.object_type == kind.object_type and e.object_id}
        if ids:
            labels.update({(kind.object_type, k): v for k, v in kind.labels(ids).items()})
    return labels


def find_objects(object_type: str, text: str) -> list[str]:
    for kind in OBJECT_KINDS:
        if kind.object_type == object_type:
            return kind.find(text)
    return []


def read(entries: Iterable[AuditEntry], *, reader: Any, cache: dict[str, Any] | None = None,
         name_objects: bool = True) -> list[dict[str, Any]]:
    """The entries as rows people read: ``at``, ``who``, ``text``, ``reason``, ``object``,
    ``outcome`` and the entry itself. Renderers share ``cache`` (the case page passes
    what it already knows about the reader's access). A page whose entries all concern
    one object it names already (a case's history) passes ``name_objects=False``: the
    ``object`` column is then empty, and its lookups are not made."""
    entries = list(entries)
    names = people_by_id(e.actor_id for e in entries)
    labels = object_labels(entries) if name_objects else {}
    shared = cache if cache is not None else {}
    shared.setdefault("people", {}).update(names)
    rows = []
    for entry in entries:
        reading = Reading(entry=entry, actor=_actor(entry, names), reader=reader, cache=shared)
        rendering = rendering_for(entry.action)
        line = rendering.render(reading) if rendering else generic(reading)
        if isinstance(line, str):
            line = Line(line)
        if entry.outcome != Outcome.SUCCESS and entry.action.split(".", 1)[0] != "denied":
            line.text = _("%(text)s (outcome: %(outcome)s)") % {"text": line.text,
                                                                  "outcome": entry.get_outcome_display()}
        rows.append({"entry": entry, "at": entry.at, "who": reading.actor, "text": line.text,
                     "reason": line.reason, "outcome": entry.outcome,
                     "object": labels.get((entry.object_type, entry.object_id), "")})
    return rows


def refused_line(reading: Reading) -> Line:
    return Line(_("%(actor)s was refused “%(action)s”: not permitted") % {
        "actor": reading.actor, "action": reading.entry.action.split(".", 1)[1]})
