"""Envelope encryption: the database holds tokens, the application reads values, and a
rotation (twice) loses nothing."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection

from lantern.cases.models import Case, Suspect, Victim
from lantern.core.vault import crypto
from lantern.core.vault.keys import LocalKeyFile, provider
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import unit_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(tmp_path, settings):
    """A key file of the test's own, so rotations do not touch the shared one."""
    settings.LANTERN_KEY_FILE = tmp_path / "keys.json"
    LocalKeyFile.RECHECK = 0.0
    assert provider().create() and not provider().create()  # made once, then left alone
    yield provider()
    LocalKeyFile.RECHECK = 5.0


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_value_is_a_token_in_the_database_and_the_value_in_the_model(keys, units):
    case = Api(police(units)["intake"]).post("/cases", report()).json()
    victim = Victim.objects.get(case_id=case["id"])
    stored = raw("cases_victim", "name", victim.pk)
    assert stored.startswith("e1.") and "测试甲" not in stored
    assert victim.name == "测试甲"
    assert raw("cases_victim", "date_of_birth", victim.pk).startswith("e1.")
    assert victim.date_of_birth.isoformat() == report()["victim"]["date_of_birth"]
    assert Suspect.objects.filter(case_id=case["id"]).first().accounts == [{"handle": "u1", "platform": "某交友App"}]


def test_the_same_value_encrypts_differently_each_time_and_is_bound_to_its_column(keys):
    a = crypto.encrypt("13900000001", context="cases.suspect.phone")
    b = crypto.encrypt("13900000001", context="cases.suspect.phone")
    assert a != b
    assert crypto.decrypt(a, context="cases.suspect.phone") == "13900000001"
    with pytest.raises(crypto.UnreadableValue):  # copied into another column, it does not read
        crypto.decrypt(a, context="cases.complainant.phone")


def test_a_tampered_token_is_refused_not_misread(keys):
    token = crypto.encrypt("测试", context="cases.victim.name")
    head, body = token.rsplit(".", 1)
    flipped = head + "." + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.UnreadableValue):
        crypto.decrypt(flipped, context="cases.victim.name")


def test_encrypted_columns_refuse_searches_that_could_only_match_nothing(keys):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="blind index"):
        list(Victim.objects.filter(name="测试甲"))


def test_rotating_twice_rewraps_every_value_and_everything_still_reads(keys, units):
    api = Api(police(units)["intake"])
    ids = [api.post("/cases", report(narrative=f"合成案情{n}")).json()["id"] for n in range(3)]
    first = keys.current_key_id()
    call_command("rotate_keys", new_key="k2", settle_seconds=0)
    call_command("rotate_keys", new_key="k3", settle_seconds=0, retire=True)
    assert json.loads(keys.path.read_text())["current"] == "k3"
    assert sorted(json.loads(keys.path.read_text())["keys"]) == ["k3"]  # the first and k2 archived
    assert sorted(json.loads(keys.path.read_text())["retired"]) == sorted([first, "k2"])
    for pk in ids:
        case = Case.objects.get(pk=pk)
        assert crypto.key_id_of(raw("cases_case", "narrative", pk)) == "k3" != first
        assert case.narrative.startswith("合成案情")
        assert case.victim.name == "测试甲" and case.complainant.phone == "13800000001"
        assert [s.phone for s in case.suspects.order_by("id")][:2] == ["13900000001", "13900000002"]


def test_a_value_written_under_a_retired_key_names_the_missing_key(keys):
    token = crypto.encrypt("测试", context="cases.victim.name")
    call_command("rotate_keys", new_key="k2", settle_seconds=0, retire=True)
    with pytest.raises(Exception) as caught:  # the token was not in the database, so not re-wrapped
        crypto.decrypt(token, context="cases.victim.name")
    assert getattr(caught.value, "code", "") == "key_unavailable"


def test_an_archived_key_can_be_restored_to_read_an_old_backup(keys):
    token = crypto.encrypt("测试", context="cases.victim.name")
    first = keys.current_key_id()
    call_command("rotate_keys", new_key="k2", settle_seconds=0, retire=True)
    call_command("rotate_keys", restore=first)
    assert crypto.decrypt(token, context="cases.victim.name") == "测试"


def test_a_missing_key_file_stops_the_application_and_is_not_replaced(tmp_path, settings):
    from django.core.management.base import CommandError

    settings.LANTERN_KEY_FILE = tmp_path / "absent.json"
    with pytest.raises(Exception) as caught:
        crypto.encrypt("测试", context="cases.victim.name")
    assert getattr(caught.value, "code", "") == "key_unavailable"
    assert not settings.LANTERN_KEY_FILE.exists()
    # On a database that already holds encrypted values, init_keys refuses to make new keys.
    settings.LANTERN_KEY_FILE = tmp_path / "real.json"
    provider().create()
    case_id = Api(police(unit_tree())["intake"]).post("/cases", report()).json()["id"]
    assert Victim.objects.filter(case_id=case_id).exists()
    settings.LANTERN_KEY_FILE = tmp_path / "lost.json"
    with pytest.raises(CommandError, match="restore it from its backup"):
        call_command("init_keys")
    assert not settings.LANTERN_KEY_FILE.exists()
