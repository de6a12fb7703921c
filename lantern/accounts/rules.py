"""Access rules for units and users (registered with the access policy from AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.access.policy import Capability, Verb, has_capability, register, unit_subtree_q
from lantern.accounts.models import Unit, User


@register(Unit)
class UnitRule:
    """Administrators see every unit. Others see their own unit's branch of the tree: the
    units above it (their chain of command) and the units below it."""

    def _ancestor_paths(self, user: Any) -> list[str]:
        path = user.unit.path
        parts = [p for p in path.strip("/").split("/") if p]
        return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        if has_capability(user, Capability.MANAGE_ACCOUNTS):
            return qs
        if verb != Verb.VIEW or user.unit is None:
            return qs.none()
        return qs.filter(Q(path__in=self._ancestor_paths(user)) | Q(path__startswith=user.unit.path))

    def allows(self, user: Any, verb: Verb, obj: Unit) -> bool:
        if has_capability(user, Capability.MANAGE_ACCOUNTS):
            return True
        if verb != Verb.VIEW or user.unit is None:
            return False
        return obj.path in self._ancestor_paths(user) or obj.is_within(user.unit)


@register(User)
class UserRule:
    """Everyone sees themselves; supervisors and unit heads see the members of their unit's
    subtree (to assign cases); administrators see and manage everyone."""

    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        if has_capability(user, Capability.MANAGE_ACCOUNTS):
            return qs
        if verb != Verb.VIEW:
            return qs.none()
        if has_capability(user, Capability.READ_UNIT_MEMBERS):
            return qs.filter(unit_subtree_q(user, "unit") | Q(pk=user.pk))
        return qs.filter(pk=user.pk)

    def allows(self, user: Any, verb: Verb, obj: User) -> bool:
        return self.scope(user, verb, User.objects.filter(pk=obj.pk)).exists()
