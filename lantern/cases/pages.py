"""What the case page shows around the case JSON: the actions split into those the user
can take now and those refused for a reason the user can act on, and clocks named for
people (the checklist item's or suspect's name, never a rule key or subject code)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.cases import items
from lantern.deadlines.rules import BY_KEY as RULES

# Shown in the decision card beside the proposal, not among the other actions.
DECISION_ACTIONS = frozenset({"approve_decision", "return_decision"})


def split_actions(actions: list[dict[str, Any]]) -> dict[str, Any]:
    """``allowed``: the buttons. ``refused``: actions of this state whose guards fail, with
    those reasons; an action for another state is not a refusal worth reading ("the case is
    not under review" for every other state's action), so it is left out."""
    allowed = [a for a in actions if a["allowed"] and a["name"] not in DECISION_ACTIONS]
    refused = [a for a in actions if not a["allowed"] and not any(u["code"] == "state" for u in a["unmet"])]
    return {"allowed_actions": allowed, "refused_actions": refused}


def kept_action(kept: dict[str, Any]) -> str:
    """The workflow action whose refused form ``kept`` holds (core.refusals.keep_typed), or ""."""
    form = str(kept.get("kept_form", ""))
    return form.removeprefix("action:") if form.startswith("action:") else ""


def kept_unshown(kept: dict[str, Any], actions: list[dict[str, Any]]) -> str:
    """The reason typed into an action refused because its conditions are not met (its form
    is not on the page now): shown once, so that what was written is not lost."""
    name = kept_action(kept)
    if not name:
        return ""
    if any(a["name"] == name and a["allowed"] for a in actions):
        return ""
    return str(kept["kept"].get("reason", ""))


def clock_subjects(case: Any, data: dict[str, Any], *, identity: bool) -> dict[str, str]:
    """Each clock's subject as people name it: the checklist item's title, the suspect's
    label on this page; a subject without a name people know is left unnamed."""
    labels: dict[str, str] = {i.key: items.title(i) for i in case.checklist.select_related("template_item")}
    for n, suspect in enumerate(case.suspects_in_order(), start=1):
        label = suspect.name if identity and suspect.name else _("Suspect %(n)s") % {"n": n}
        labels[f"S-{suspect.pk}"] = label
    return {d["subject"]: labels[d["subject"]] for d in data["deadlines"] if d["subject"] in labels}


def clock_titles() -> dict[str, str]:
    return {key: str(rule.title) for key, rule in RULES.items()}
