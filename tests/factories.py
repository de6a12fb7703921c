"""Builders for test data, all through Lantern's own actions."""

from __future__ import annotations

import itertools

from django.test import Client
from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts import actions, demo, totp
from lantern.accounts.models import Unit, User

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def unit_tree() -> dict[str, Unit]:
    """The demo tree: province > prefecture > county > brigade/station, procuratorates,
    partners, discipline commission, administration."""
    return demo.load_units()


def make_user(units: dict[str, Unit], unit_code: str, *roles: Role, username: str | None = None,
              enrolled: bool = True) -> User:
    username = username or f"user{next(_counter)}"
    user = actions.create_user(actor=None, username=username, password=PASSWORD,
                               unit=units[unit_code], roles=list(roles))
    if enrolled:
        user.totp_secret, user.totp_confirmed_at = totp.new_secret(), timezone.now()
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user


def next_code(user: User) -> str:
    """A valid TOTP code not used before (the server refuses a code twice)."""
    user.refresh_from_db()
    # The current step, not the previous one: the server accepts one step either side of
    # *its* now, and a 30-second boundary may pass between here and there.
    step = max(totp.current_step(timezone.now()), user.totp_last_step + 1)
    return totp.code_at_step(user.totp_secret, step)


def sign_in(client: Client, user: User, password: str = PASSWORD) -> None:
    """The full two-step sign-in through the pages."""
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content
    response = client.post("/accounts/sign-in/verify/", {"code": next_code(user)})
    assert response.status_code == 302 and response["Location"] == "/", response.content


def api_token(client: Client, user: User) -> str:
    response = client.post("/api/v1/auth/token", {"username": user.username, "password": PASSWORD,
                                                  "otp": next_code(user)},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]
