"""Blind indexes: one identifier in its many spellings is one digest; the digest needs
the key; the same-suspect check at intake works on digests alone."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.core.vault.blind import IdKind, digest, handle
from lantern.people.models import Identifier
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api


@pytest.mark.parametrize("spelling", ["13900000001", "139 0000 0001", "+86 139-0000-0001", "0086 13900000001",
                                      "86-139-0000-0001"])
def test_a_phone_in_any_spelling_is_one_digest(spelling):
    assert digest(IdKind.PHONE, spelling) == digest(IdKind.PHONE, "13900000001")


def test_id_numbers_ignore_case_and_spaces_but_not_digits():
    assert digest(IdKind.ID_NUMBER, "99010120100101123x") == digest(IdKind.ID_NUMBER, "990101 20100101 123X")
    assert digest(IdKind.ID_NUMBER, "990101201001011231") != digest(IdKind.ID_NUMBER, "990101201001011232")


def test_handles_are_per_platform():
    def h(platform, account):
        return digest(IdKind.HANDLE, handle(platform, account))

    assert h("某交友App", "@Night_Owl") == h("某交友app", "night_owl")
    assert h("某交友App", "night_owl") != h("另一App", "night_owl")


def test_nothing_is_indexed_for_an_empty_identifier():
    assert digest(IdKind.PHONE, "") == "" and digest(IdKind.HANDLE, handle("", "x")) == ""


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_digest_is_not_the_plain_hash_of_the_number(phone):
    """Without the index key, hashing guessed numbers finds nothing."""
    assert digest(IdKind.PHONE, phone) not in {hashlib.sha256(phone.encode()).hexdigest(),
                                               hashlib.sha256(f"phone|{phone}".encode()).hexdigest()}


@pytest.mark.django_db
def test_the_duplicate_check_finds_a_suspect_by_phone_account_or_id_number_in_another_spelling(units):
    people = police(units)
    intake = Api(people["intake"])
    body = report()
    body["suspects"][1]["id_number"] = "99010119900101123X"
    first = intake.post("/cases", body).json()
    assert Identifier.objects.filter(case_id=first["id"]).count() == 6  # victim name+dob; 2 phones, 2 handles, 1 id
    for query in ({"suspect_phones": ["+86 139 0000 0002"]},
                  {"suspect_accounts": [{"platform": "某交友app", "handle": "@U3"}]},
                  {"id_numbers": ["99010119900101123x"]}):
        found = intake.post("/cases/duplicates", query).json()
        assert [m["id"] for m in found] == [first["id"]], query
    assert intake.post("/cases/duplicates", {"suspect_phones": ["13900000099"]}).json() == []


@pytest.mark.django_db
def test_the_intake_page_warns_of_a_duplicate_by_id_number_or_account(client, units):
    from tests.factories import sign_in

    people = police(units)
    body = report()
    body["suspects"][0]["id_number"] = "99010119900101123X"
    first = Api(people["intake"]).post("/cases", body).json()
    sign_in(client, people["intake"])
    by_id = client.post("/intake/duplicates/", {"suspect_2_id_number": "990101 19900101 123x"})
    by_account = client.post("/intake/duplicates/", {"suspect_3_account": "某交友App: U1"})
    assert first["case_number"] in by_id.content.decode() and first["case_number"] in by_account.content.decode()
    assert first["case_number"] not in client.post("/intake/duplicates/", {"suspect_1_phone": "13700000000"}
                                                   ).content.decode()
