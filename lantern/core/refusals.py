"""A refused action shown on the page it returns to (the API renders the same error as
JSON): the refusal, then each reason, whether a field's problem or an unmet condition,
with its legal reference where the rule gives one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from lantern.core.errors import LanternError


def report_refusal(request: HttpRequest, exc: LanternError) -> None:
    messages.error(request, str(exc.message))
    for problems in exc.details.values():
        for problem in problems if isinstance(problems, list) else []:
            if isinstance(problem, str):
                messages.error(request, problem)
            elif isinstance(problem, dict):
                reference = problem.get("legal_reference", "")
                text = problem.get("message", "")
                messages.error(request, f"{text} ({reference})" if reference else text)


def attempt(request: HttpRequest, call: Callable[[], object], done: str | None = None) -> bool:
    """Take an action for a page: its refusal, or ``done``, becomes a message on the page
    the view returns to. Says whether the action was taken."""
    try:
        call()
    except LanternError as exc:
        report_refusal(request, exc)
        return False
    if done:
        messages.success(request, done)
    return True


# What was typed into a refused form, kept for the page the view redirects to (post,
# redirect, get): the form shows it again instead of making the officer retype a reason.
KEPT = "lantern_kept_form"


def keep_typed(request: HttpRequest, form: str, fields: dict[str, str]) -> None:
    request.session[KEPT] = {"form": form, "values": {k: v for k, v in fields.items() if v}}


def take_kept(request: HttpRequest) -> dict[str, object]:
    """The refused form's name and values (once: a reload shows the empty form again)."""
    kept = request.session.pop(KEPT, None) if hasattr(request, "session") else None
    return {"kept_form": kept["form"], "kept": kept["values"]} if kept else {"kept_form": "", "kept": {}}
