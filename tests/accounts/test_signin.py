"""Signing in as a police system needs it: two steps, one message for every bad password,
lockout after five failures, no code accepted twice, recovery codes, idle sign-out."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from lantern.accounts.middleware import LAST_SEEN
from lantern.accounts.models import User
from lantern.audit.models import AuditEntry
from tests.factories import PASSWORD, api_token, next_code, sign_in

pytestmark = pytest.mark.django_db

WRONG = "Wrong username or password."
LOCKED = "This account is locked after repeated failed sign-ins"


def post_password(client: Client, username: str, password: str):
    return client.post("/accounts/sign-in/", {"username": username, "password": password},
                       HTTP_COOKIE="lantern_language=en")


def english(client: Client) -> Client:
    client.cookies["lantern_language"] = "en"
    return client


def test_password_then_code_signs_in_and_lands_on_home(client, investigator):
    sign_in(client, investigator)
    home = client.get("/")
    assert home.status_code == 200
    assert "inv" in home.content.decode()


def test_password_alone_does_not_sign_in(client, investigator):
    response = post_password(client, "inv", PASSWORD)
    assert response["Location"] == "/accounts/sign-in/verify/"
    assert client.get("/").status_code == 302  # still anonymous


def test_wrong_password_and_unknown_user_get_the_same_message(client, investigator):
    english(client)
    wrong_password = post_password(client, "inv", "not-the-password").content.decode()
    unknown_user = post_password(client, "nobody-here", "not-the-password").content.decode()
    assert WRONG in wrong_password and WRONG in unknown_user
    error = lambda html: html.split('data-testid="sign-in-error">')[1].split("</ul>")[0]  # noqa: E731
    assert error(wrong_password) == error(unknown_user)


def test_five_failures_in_fifteen_minutes_lock_the_account_until_unlocked(client, investigator):
    english(client)
    for _ in range(4):
        assert WRONG in post_password(client, "inv", "bad-password").content.decode()
    fifth = post_password(client, "inv", "bad-password").content.decode()
    assert LOCKED in fifth and "Ask your administrator to unlock it" in fifth
    # Even the right password is refused now, with the same clear message.
    assert LOCKED in post_password(client, "inv", PASSWORD).content.decode()
    assert User.objects.get(username="inv").is_locked
    assert AuditEntry.objects.filter(action="account.locked", object_id=str(investigator.pk)).exists()


MY_UNITS = {"HX-GAT", "AP-GAJ", "QS-GAJ", "QS-XZDD"}  # what the investigator may see


def units_seen(client: Client, **headers: str) -> set[str]:
    response = client.get("/api/v1/units", **headers)
    assert response.status_code == 200, response.content
    return {u["code"] for u in response.json()}


def test_a_strangers_wrong_passwords_refuse_new_sign_ins_but_do_not_end_the_officers_shift(
        client, investigator, administrator):
    sign_in(client, investigator)  # the officer's browser, mid-shift ...
    token = api_token(Client(), investigator)  # ... and a token for their integration
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    stranger = english(Client())
    for _ in range(5):
        post_password(stranger, "inv", "someone-elses-guess")
    assert User.objects.get(username="inv").is_locked
    # New sign-ins are refused, on the page and for a token, even with the right password and code.
    assert LOCKED in post_password(english(Client()), "inv", PASSWORD).content.decode()
    refused = Client().post("/api/v1/auth/token", {"username": "inv", "password": PASSWORD,
                                                   "otp": next_code(investigator)},
                            content_type="application/json")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "account_locked"
    # The session and the token already issued keep working, with all their permissions.
    assert client.get("/cases/").status_code == 200
    assert units_seen(client) == MY_UNITS
    assert units_seen(Client(), **bearer) == MY_UNITS
    # Ending them stays an administrator's decision: deactivation.
    from lantern.accounts.actions import set_active

    set_active(actor=administrator, user=investigator, active=False)
    assert client.get("/api/v1/units").status_code == 401
    assert Client().get("/api/v1/units", **bearer).status_code == 401


def test_a_lock_between_the_password_and_the_code_refuses_the_code(client, investigator):
    english(client)
    assert post_password(client, "inv", PASSWORD)["Location"] == "/accounts/sign-in/verify/"
    for _ in range(5):
        post_password(english(Client()), "inv", "someone-elses-guess")
    verify = client.post("/accounts/sign-in/verify/", {"code": next_code(investigator)}, follow=True)
    assert LOCKED in verify.content.decode()
    assert client.get("/api/v1/units").status_code == 401  # not signed in


def test_unknown_usernames_lock_the_same_way_so_lockout_reveals_nothing(client, units):
    english(client)
    for _ in range(5):
        post_password(client, "ghost", "bad-password")
    assert LOCKED in post_password(client, "ghost", "whatever").content.decode()


def test_a_successful_sign_in_resets_the_failure_count(client, investigator):
    for _ in range(4):
        post_password(client, "inv", "bad-password")
    sign_in(client, investigator)
    client.post("/accounts/sign-out/")
    for _ in range(4):
        post_password(client, "inv", "bad-password")
    assert not User.objects.get(username="inv").is_locked


def test_wrong_codes_count_towards_the_lockout(client, investigator):
    english(client)
    for _ in range(5):
        post_password(client, "inv", PASSWORD)
        client.post("/accounts/sign-in/verify/", {"code": "000000"})
    assert User.objects.get(username="inv").is_locked


def test_a_code_is_never_accepted_twice(client, investigator):
    code = next_code(investigator)
    post_password(client, "inv", PASSWORD)
    assert client.post("/accounts/sign-in/verify/", {"code": code}).status_code == 302
    other = Client()
    english(other)
    post_password(other, "inv", PASSWORD)
    replay = other.post("/accounts/sign-in/verify/", {"code": code})
    assert replay.status_code == 200
    assert "The verification code is not correct" in replay.content.decode()


def test_enrolment_shows_a_qr_code_and_gives_recovery_codes_that_work_once(client, units):
    from lantern.access.roles import Role
    from tests.factories import make_user

    user = make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER, username="newbie", enrolled=False)
    assert post_password(client, "newbie", PASSWORD)["Location"] == "/accounts/sign-in/enrol/"
    page = client.get("/accounts/sign-in/enrol/").content.decode()
    assert "<svg" in page
    secret = client.session["lantern_enrol_secret"]
    assert secret in page
    import pyotp

    done = client.post("/accounts/sign-in/enrol/", {"code": pyotp.TOTP(secret).now()})
    assert done["Location"] == "/accounts/recovery-codes/"
    codes_page = client.get("/accounts/recovery-codes/").content.decode()
    codes = re.findall(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>", codes_page)
    assert len(codes) == 10
    # Shown once only.
    assert codes[0] not in client.get("/accounts/recovery-codes/").content.decode()
    client.post("/accounts/sign-out/")
    post_password(client, "newbie", PASSWORD)
    assert client.post("/accounts/sign-in/verify/", {"code": codes[0]}).status_code == 302
    client.post("/accounts/sign-out/")
    post_password(client, "newbie", PASSWORD)
    assert client.post("/accounts/sign-in/verify/", {"code": codes[0]}).status_code == 200
    user.refresh_from_db()
    assert user.has_second_factor


def test_passwords_are_stored_with_argon2(investigator, settings):
    from django.conf import settings as real

    assert real.PASSWORD_HASHERS  # tests swap in a cheaper argon2; production is argon2 too
    assert identify_hasher(User.objects.get(pk=investigator.pk).password).algorithm == "argon2"


def test_production_settings_hash_with_argon2():
    import importlib

    import lantern.settings as s

    importlib.reload(s)
    assert s.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_idle_for_thirty_minutes_signs_the_user_out(client, investigator):
    sign_in(client, investigator)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get("/")
    assert response["Location"] == "/accounts/sign-in/?idle=1"
    english(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="account.sign_out", details__reason="idle").exists()


def test_activity_within_thirty_minutes_keeps_the_session(client, investigator):
    sign_in(client, investigator)
    session = client.session
    session[LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get("/").status_code == 200


def test_sign_in_pages_refuse_a_stale_second_step(client, investigator):
    post_password(client, "inv", PASSWORD)
    session = client.session
    session["lantern_pending_sign_in"]["at"] -= 600
    session.save()
    response = client.post("/accounts/sign-in/verify/", {"code": next_code(investigator)})
    assert response["Location"] == "/accounts/sign-in/"


def test_next_parameter_cannot_send_the_user_to_another_site(client, investigator):
    client.post("/accounts/sign-in/?next=https://evil.example/", {"username": "inv", "password": PASSWORD})
    response = client.post("/accounts/sign-in/verify/", {"code": next_code(investigator)})
    assert response["Location"] == "/"
