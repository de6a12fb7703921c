"""How the trail and the records name an official: display name, unit and role. Officials
are the ones held to account, not the protected persons: they are named."""

from __future__ import annotations

from typing import Any

from lantern.access.roles import Role
from lantern.audit import readable


def official(user: Any) -> dict[str, Any] | None:
    """张某（清水县公安局刑事侦查大队）· 侦查员"""
    if user is None:
        return None
    roles = "、".join(sorted(str(Role(r).label) for r in user.role_set))
    unit = user.unit.name if user.unit else ""
    name = readable.person_name(user)
    return {"id": user.pk, "name": user.get_full_name() or user.username, "unit": unit, "roles": roles,
            "text": f"{name} · {roles}" if roles else name}
