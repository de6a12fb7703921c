"""GET /api/v1/search?q=: cases found by every kind of key, within the user's scope only,
each search audited without its text and limited per minute."""

from __future__ import annotations

import json
import logging

import pytest

from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.cases.matchers import MATCHERS, Matcher
from lantern.cases.models import Case
from tests.cases.test_linxia_scenario import Api
from tests.search.conftest import A_VICTIM_ID, B_HANDLE, B_ID_NUMBER, B_PHONE, SHARED_PHONE

pytestmark = pytest.mark.django_db


def search(api: Api, q: str):
    return api.client.get("/api/v1/search", {"q": q}, **api.headers)


def found(api: Api, q: str) -> list[tuple[str, str]]:
    response = search(api, q)
    assert response.status_code == 200, response.content
    return sorted((item["case_number"], item["matched"]) for item in response.json()["items"])


def searches() -> list[dict]:
    return [e.details for e in AuditEntry.objects.filter(action=Event.SEARCH_PERFORMED).order_by("pk")]


def test_a_phone_finds_only_the_cases_the_user_may_see_and_an_invisible_match_answers_as_none(world):
    a, b = world["a"], world["b"]
    inv, sup = Api(world["people"]["investigator"]), Api(world["people"]["supervisor"])
    assert found(sup, SHARED_PHONE) == sorted([(a.case_number, "phone"), (b.case_number, "phone")])
    only_a = search(inv, SHARED_PHONE).json()
    assert only_a == {"items": [{"id": a.pk, "case_number": a.case_number, "state": a.state, "matched": "phone"}],
                      "count": 1, "more": False}
    # B's own suspect's phone exists only outside the investigator's scope: the answer, its
    # status and headers' shape, and the audit entry are those of a phone no case holds.
    invisible, nowhere = search(inv, B_PHONE), search(inv, "13799999999")
    assert (invisible.status_code, invisible.json()) == (nowhere.status_code, nowhere.json()) == (
        200, {"items": [], "count": 0, "more": False})
    assert sorted(invisible.headers) == sorted(nowhere.headers)
    assert searches()[-2:] == [{"tried": ["tracking_code", "phone", "account"], "matched": [], "count": 0,
                                "more": False, "cases": []}] * 2


@pytest.mark.parametrize("typed", ["13900000001", "+86 139 0000 0001", "0086-139-0000-0001", "１３９００００００01",
                                   "139 0000 0001 "])
def test_a_phone_is_found_however_it_is_written(world, typed):
    assert found(Api(world["people"]["investigator"]), typed) == [(world["a"].case_number, "phone")]


def test_an_id_number_a_platform_account_and_a_case_number_are_found_in_their_usual_spellings(world):
    a, b = world["a"], world["b"]
    sup, inv = Api(world["people"]["supervisor"]), Api(world["people"]["investigator"])
    assert found(sup, B_ID_NUMBER.lower()) == [(b.case_number, "id_number")]
    assert found(inv, A_VICTIM_ID) == [(a.case_number, "id_number")]  # the victim's, too
    assert found(inv, B_ID_NUMBER) == []
    # An account is its platform and handle; the platform is written as the officer wrote it.
    assert found(inv, "某交友App:shared_u1") == [(a.case_number, "account")]
    assert found(inv, "某交友app：@Shared_U1") == [(a.case_number, "account")]  # full-width colon, @, case
    assert found(inv, "某交友App shared_u1") == [(a.case_number, "account")]
    assert found(inv, "shared_u1") == []  # not one of the common platforms: give it
    # ... a handle alone is looked for on the common platforms.
    assert found(sup, B_HANDLE[1]) == [(b.case_number, "account")]
    assert found(inv, B_HANDLE[1]) == [] and found(inv, f"{B_HANDLE[0]}:{B_HANDLE[1]}") == []
    number = a.case_number  # e.g. QS-XZDD-2026-00001
    unit_year, serial = number.rsplit("-", 1)
    for typed in (number, number.lower(), f" {unit_year}-{int(serial)} "):
        assert found(inv, typed) == [(number, "case_number")], typed
    assert found(inv, b.case_number) == []


def test_a_tracking_code_and_a_pseudonym_find_their_case(world):
    a, b = world["a"], world["b"]
    inv, sup = Api(world["people"]["investigator"]), Api(world["people"]["supervisor"])
    code = a.tracking_code
    assert found(inv, f"{code[:5].lower()} {code[5:]}") == [(a.case_number, "tracking_code")]
    assert found(inv, b.tracking_code) == []
    assert a.victim.pseudonym == "张某"
    assert found(inv, "张某") == [(a.case_number, "pseudonym")]
    alias = b.victim.pseudonym  # e.g. 小禾（化名）: a rare surname gets an alias
    assert alias.endswith("（化名）")
    assert found(sup, alias) == found(sup, alias[:2]) == [(b.case_number, "pseudonym")]
    assert found(sup, alias.replace("（", "(").replace("）", ")")) == [(b.case_number, "pseudonym")]
    assert found(inv, alias) == []


def test_every_search_is_audited_with_what_matched_and_never_what_was_typed(world, caplog):
    sup = Api(world["people"]["supervisor"])
    typed = ["+86 139 0000 0001", B_ID_NUMBER, f"{B_HANDLE[0]}:{B_HANDLE[1]}", "张某", "no-such-thing"]
    with caplog.at_level(logging.DEBUG):
        for q in typed:
            assert search(sup, q).status_code == 200
    entries = AuditEntry.objects.filter(action=Event.SEARCH_PERFORMED).order_by("pk")
    assert [(e.actor_id, e.details["matched"], e.details["count"]) for e in entries] == [
        (world["people"]["supervisor"].pk, ["phone"], 2), (world["people"]["supervisor"].pk, ["id_number"], 1),
        (world["people"]["supervisor"].pk, ["account"], 1), (world["people"]["supervisor"].pk, ["pseudonym"], 1),
        (world["people"]["supervisor"].pk, [], 0)]
    stored = json.dumps([e.details for e in entries], ensure_ascii=False) + " ".join(
        f"{e.object_type} {e.object_id}" for e in entries)
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for q in [*typed, SHARED_PHONE, "1390000", "b_only_handle", "no-such"]:
        assert q not in stored and q not in logged, q


def test_past_the_limit_a_search_answers_429_in_the_error_shape_and_is_not_run(world, settings):
    settings.LANTERN_SEARCHES_PER_MINUTE = 3
    inv, sup = Api(world["people"]["investigator"]), Api(world["people"]["supervisor"])
    assert [search(inv, SHARED_PHONE).status_code for _ in range(3)] == [200, 200, 200]
    refused = search(inv, SHARED_PHONE)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.json()["error"]["details"] == {"retry_after_seconds": 60}
    assert len(searches()) == 3
    assert search(sup, SHARED_PHONE).status_code == 200  # per user


def test_the_search_is_for_those_who_work_cases(world, units):
    from lantern.access.roles import Role
    from tests.factories import make_user

    for role, unit in ((Role.CAMPAIGN_ANALYST, "AP-GAJ"), (Role.PARTNER_CASEWORKER, "QS-FLYZ"),
                       (Role.ADMINISTRATOR, "HX-XXZX")):
        response = search(Api(make_user(units, unit, role)), SHARED_PHONE)
        assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert Api(world["people"]["investigator"]).client.get("/api/v1/search", {"q": "x"}).status_code == 401
    inv = Api(world["people"]["investigator"])
    assert search(inv, "").status_code == 422 and search(inv, "9" * 101).status_code == 422
    assert searches() == []


def test_each_finds_the_cases_of_their_own_basis(world):
    a, b = world["a"], world["b"]
    both = sorted([(a.case_number, "phone"), (b.case_number, "phone")])
    assert found(Api(world["people"]["investigator2"]), SHARED_PHONE) == [(b.case_number, "phone")]
    intake = Api(world["people"]["intake"])
    assert found(intake, SHARED_PHONE) == both  # still at intake, in its unit
    assert found(Api(world["people"]["prosecutor"]), SHARED_PHONE) == both  # the minors' office: minors' cases
    begin = Api(world["people"]["investigator"]).act(a.pk, "begin_review")
    assert begin.status_code == 200, begin.content
    assert found(intake, SHARED_PHONE) == [(b.case_number, "phone")]  # A left intake


def test_a_merged_report_is_found_by_whoever_sees_the_case_it_joined(world):
    """A merged report is part of its case's file: its own keys find it for the case's team
    (asked of the key's matches one by one, not by first reading every merged report)."""
    a, b = world["a"], world["b"]
    inv = Api(world["people"]["investigator"])
    assert found(inv, B_PHONE) == []
    Case.objects.filter(pk=b.pk).update(merged_into=a)
    assert found(inv, B_PHONE) == [(b.case_number, "phone")]
    assert found(inv, SHARED_PHONE) == sorted([(a.case_number, "phone"), (b.case_number, "phone")])
    Case.objects.filter(pk=b.pk).update(merged_into=None)
    assert found(inv, B_PHONE) == []


def test_another_app_adds_a_key_to_search_by_through_the_registry(world):
    """How a mandatory report's receipt number joins the search (issue 16)."""
    from django.db.models import Q

    a = world["a"]
    probe = Matcher("receipt_number", "Receipt number",
                    lambda t: Q(pk=a.pk) if t.compact.upper() == "MR-2026-000001" else None)
    MATCHERS.register(probe)
    try:
        sup = Api(world["people"]["supervisor"])
        assert found(sup, "mr-2026-000001") == [(a.case_number, "receipt_number")]
        assert found(Api(world["people"]["investigator2"]), "MR-2026-000001") == []  # still scoped
    finally:
        MATCHERS.unregister(probe)
    assert found(sup, "MR-2026-000001") == []


def test_the_list_is_newest_first_and_shows_fifty_of_the_count(world, monkeypatch):
    from lantern.search import selectors

    a, b = world["a"], world["b"]
    sup = Api(world["people"]["supervisor"])
    newest_first = sorted([a, b], key=lambda c: (c.received_at, c.pk), reverse=True)
    assert [item["id"] for item in search(sup, SHARED_PHONE).json()["items"]] == [c.pk for c in newest_first]
    monkeypatch.setattr(selectors, "SHOWN", 1)
    body = search(sup, SHARED_PHONE).json()
    assert body["count"] == 2 and [item["id"] for item in body["items"]] == [newest_first[0].pk]
    assert body["more"] is False


def test_past_the_count_cap_the_answer_says_more_and_still_shows_the_newest(world, monkeypatch):
    """A common pseudonym in a big scope: counted up to the cap, then "more than"."""
    from lantern.search import selectors

    a, b = world["a"], world["b"]
    newest = max([a, b], key=lambda c: (c.received_at, c.pk))
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    sup = Api(world["people"]["supervisor"])
    body = search(sup, SHARED_PHONE).json()
    assert (body["count"], body["more"]) == (1, True) and body["items"][0]["id"] == newest.pk
    assert len(body["items"]) == 2  # the newest fifty are still shown, all of them here


def test_past_the_count_cap_the_page_says_more_than(world, monkeypatch):
    from django.test import Client

    from lantern.search import selectors
    from tests.factories import sign_in

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    browser = Client()
    sign_in(browser, world["people"]["supervisor"])
    browser.cookies["lantern_language"] = "en"
    page = browser.get("/search/", {"q": SHARED_PHONE}).content.decode()
    assert "More than 1 cases match: the newest 2 are shown." in page


def test_an_identifier_added_after_intake_is_found_at_once_and_one_marked_wrong_no_longer(world):
    """Supplements (issue 13 item 1) go into the blind index the search reads: a phone found
    in the chats a week later finds the case; once marked wrong, it finds nothing."""
    a, sup = world["a"], Api(world["people"]["supervisor"])
    late_phone = "13655554444"
    assert found(sup, late_phone) == []
    suspect = a.suspects.order_by("pk").first()
    added = sup.post(f"/people/{suspect.pk}/identifiers", {"kind": "phone", "value": late_phone})
    assert added.status_code == 201, added.content
    assert found(sup, late_phone) == [(a.case_number, "phone")]
    added_suspect = sup.post(f"/cases/{a.pk}/suspects", {"name": "后来者", "phone": "13644443333"})
    assert added_suspect.status_code == 201, added_suspect.content
    assert found(sup, "136 4444 3333") == [(a.case_number, "phone")]
    assert sup.post(f"/identifiers/{added.json()['id']}/retract", {"reason": "号码记错"}).status_code == 200
    assert found(sup, late_phone) == []
