"""The access rule for audit entries (registered with the access policy from AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.access.policy import Capability, Verb, has_capability, register
from lantern.audit.models import AuditEntry


@register(AuditEntry)
class AuditEntryRule:
    """The audit log is read by administrators and discipline inspectors; nobody changes it."""

    def scope(self, user: Any, verb: Verb, qs: QuerySet[Any]) -> QuerySet[Any]:
        if verb == Verb.VIEW and has_capability(user, Capability.READ_AUDIT):
            return qs
        return qs.none()

    def allows(self, user: Any, verb: Verb, obj: AuditEntry) -> bool:
        return verb == Verb.VIEW and has_capability(user, Capability.READ_AUDIT)
