"""The people of the evidence standard: a provincial administrator who drafts, the
provincial police and procuratorate who approve, and the county police and prosecutor."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from tests.cases.helpers import police
from tests.factories import make_user


@pytest.fixture
def people(units):
    return {**police(units),
            "admin": make_user(units, "HX-XXZX", Role.ADMINISTRATOR, username="s_admin"),
            "police_head": make_user(units, "HX-GAT", Role.UNIT_HEAD, username="s_gat"),
            "provincial_prosecutor": make_user(units, "HX-JCY", Role.PROSECUTOR, username="s_jcy")}
