"""Audit event names come from one enumeration (audit.events): every writer in the code
passes a member or a named family, and every counted refusal still names an action."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import lantern
from lantern.audit.events import Event, Family
from lantern.core.actions import REGISTRY

SOURCE = Path(lantern.__file__).parent


def _action_arguments():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record":
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        yield f"{path.relative_to(SOURCE)}:{node.lineno}", keyword.value


def _names(value: ast.expr) -> list[str]:
    """The Event members or families an ``action=`` expression can produce."""
    if isinstance(value, ast.IfExp):
        return _names(value.body) + _names(value.orelse)
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "Event":
        return [f"Event.{value.attr}"]
    if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "family":
        return [ast.unparse(value.args[0])]
    return [f"not enumerated: {ast.unparse(value)}"]


def test_every_audit_write_names_an_enumerated_event_or_family():
    used = {where: _names(value) for where, value in _action_arguments()}
    assert used, "the scan found no audit writes"
    strays = {where: names for where, names in used.items()
              if any(n.startswith("not enumerated") or (n.startswith("Event.") and n[6:] not in Event.__members__)
                     or (n.startswith("Family.") and n[7:] not in Family.__members__) for n in names)}
    assert strays == {}


def _import_every_module() -> None:
    """Actions register when their module is imported; import them all."""
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if "migrations" not in parts and "commands" not in parts and parts[-1] != "__init__":
            importlib.import_module(".".join(parts))


def test_every_enumerated_refusal_names_an_action_that_still_exists():
    _import_every_module()
    actions = {name.rsplit(".", 1)[1] for name in REGISTRY}
    refusals = [e for e in Event if e.startswith(f"{Family.DENIED}.")]
    assert refusals, "the break-glass limit counts a refusal: it must be enumerated"
    assert [e for e in refusals if e.removeprefix(f"{Family.DENIED}.") not in actions] == []


def test_event_names_are_unique_and_dotted():
    assert len(set(Event)) == len(list(Event))
    assert all(e.count(".") == 1 and e == e.lower() for e in Event)
