"""The first administrator of a new installation is made from the command line
(manage.py create_admin): a validated password from a file or the terminal, never the
command line; the second factor enrolled at the first sign-in; audited."""

from __future__ import annotations

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from lantern.access.roles import Role
from lantern.accounts.models import User
from lantern.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
GOOD = "Lantern-first-admin-2026"


def password_file(tmp_path, text: str):
    path = tmp_path / "pw"
    path.write_text(text + "\n")
    path.chmod(0o600)
    return str(path)


def test_the_first_administrator_signs_in_enrols_and_reaches_the_admin_site(tmp_path, capsys):
    call_command("create_admin", "chief", password_file=password_file(tmp_path, GOOD))
    assert "chief created" in capsys.readouterr().out
    admin = User.objects.get(username="chief")
    assert set(admin.roles.values_list("role", flat=True)) == {Role.ADMINISTRATOR}
    entry = AuditEntry.objects.get(action="user.created", object_id=str(admin.pk))
    assert entry.source == "cli" and entry.actor_id is None
    client = Client()
    signed = client.post("/accounts/sign-in/", {"username": "chief", "password": GOOD})
    assert signed["Location"] == "/accounts/sign-in/enrol/"  # no way round the second factor
    assert "<svg" in client.get("/accounts/sign-in/enrol/").content.decode()  # the QR code to scan
    secret = client.session["lantern_enrol_secret"]
    assert client.post("/accounts/sign-in/enrol/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/admin/accounts/user/add/").status_code == 200


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_weak_password_or_a_taken_name_creates_nothing_and_says_why(tmp_path):
    with pytest.raises(CommandError, match=r"Not created\. password: This password is too"):
        call_command("create_admin", "chief", password_file=password_file(tmp_path, "123456"))
    assert not User.objects.filter(username="chief").exists()
    call_command("create_admin", "chief", password_file=password_file(tmp_path, GOOD))
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_admin", "chief", password_file=password_file(tmp_path, GOOD + "x"))
    with pytest.raises(CommandError, match="No unit with code NOPE"):
        call_command("create_admin", "other", unit="NOPE", password_file=password_file(tmp_path, GOOD))
    with pytest.raises(CommandError, match="Cannot read the password file"):
        call_command("create_admin", "other", password_file=str(tmp_path / "missing"))
    assert User.objects.count() == 1
