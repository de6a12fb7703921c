"""How account, user and unit events read in the audit log (registered from AccountsConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event, Family, family
from lantern.audit.readable import Line, ObjectKind, Reading, said

SAID = {
    Event.ACCOUNT_API_TOKEN_ISSUED: gettext_lazy("%(actor)s was issued an API token"),
    Event.ACCOUNT_LOCKED: gettext_lazy("The account was locked after repeated failed sign-ins"),
    Event.ACCOUNT_PASSWORD_CHANGED: gettext_lazy("%(actor)s changed their password"),
    Event.ACCOUNT_RECOVERY_CODE_USED: gettext_lazy("%(actor)s signed in with a recovery code"),
    Event.ACCOUNT_RECOVERY_CODES_REGENERATED: gettext_lazy("%(actor)s generated new recovery codes"),
    Event.ACCOUNT_SECOND_FACTOR_ENROLLED: gettext_lazy("%(actor)s: second factor enrolled"),
    Event.ACCOUNT_SECOND_FACTOR_RESET: gettext_lazy("%(actor)s reset a user's second factor"),
    Event.ACCOUNT_SIGN_IN: gettext_lazy("%(actor)s signed in"),
    Event.ACCOUNT_SIGN_OUT: gettext_lazy("%(actor)s signed out"),
    Event.ACCOUNT_UNLOCKED: gettext_lazy("%(actor)s unlocked a user's account"),
    Event.UNIT_CREATED: gettext_lazy("%(actor)s created a unit"),
    Event.UNIT_INSTITUTION_REGISTERED: gettext_lazy("%(actor)s registered an institution"),
    Event.USER_ACTIVATED: gettext_lazy("%(actor)s activated a user account"),
    Event.USER_CREATED: gettext_lazy("%(actor)s created a user account"),
    Event.USER_DEACTIVATED: gettext_lazy("%(actor)s deactivated a user account"),
    Event.USER_ROLES_CHANGED: gettext_lazy("%(actor)s changed a user's roles"),
}


def admin_line(reading: Reading) -> Line:
    verb = reading.entry.action.split(".", 1)[1]
    fields = ", ".join(reading.details.get("fields", []))
    message = _("%(actor)s added %(object)s in the administration") if verb == "add" else \
        _("%(actor)s changed %(object)s in the administration (%(fields)s)")
    return Line(message % {"actor": reading.actor, "object": reading.entry.object_type, "fields": fields})


def user_labels(ids: Iterable[str]) -> dict[str, str]:
    users = get_user_model().objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    return {str(pk): name for pk, name in users.values_list("pk", "username")}


def find_users(text: str) -> list[str]:
    return [str(pk) for pk in get_user_model().objects.filter(username__iexact=text).values_list("pk", flat=True)]


def register() -> None:
    readable.OBJECT_KINDS.register(ObjectKind("accounts.user", user_labels, find_users))
    for event, message in SAID.items():
        readable.register(event, said(message))
    readable.register(family(Family.ADMIN, ""), admin_line)
