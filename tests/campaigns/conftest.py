import pytest

from lantern.access.roles import Role
from tests.campaigns.world import build
from tests.factories import make_user


@pytest.fixture
def world(units):
    """The generated cases of tests/campaigns/world.py, and an analyst of the prefecture."""
    built = build(units)
    built["analyst"] = make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="an")
    return built
