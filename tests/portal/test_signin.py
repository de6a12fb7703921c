"""Signing in to the family portal: the right secret opens one case; a wrong secret and an
unknown tracking code are answered alike and locked alike; portal and staff credentials
never open each other's doors; a family never reaches another case."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from lantern.cases.models import Case
from lantern.portal.models import PortalSession
from tests.cases.test_linxia_scenario import Api
from tests.family import Family, reachable_report

pytestmark = pytest.mark.django_db


def test_the_receipts_code_and_secret_open_the_case_in_plain_words(registered):
    family = Family(registered["tracking_code"], registered["portal_secret"])
    case = family.get("/case").json()
    assert case["tracking_code"] == registered["tracking_code"]
    assert case["in_plain_words"] == "Your report has been registered."
    assert case["next_deadline"]["what"] == "Decision whether to open a criminal case"


def test_the_tracking_code_is_forgiving_about_case_and_spaces(registered):
    code = registered["tracking_code"]
    spaced = f" {code[:5].lower()} {code[5:].lower()} "
    assert Family().sign_in(spaced, registered["portal_secret"]).status_code == 200


def test_a_wrong_secret_and_an_unknown_code_get_the_same_answer(registered):
    wrong = Family().sign_in(registered["tracking_code"], "not-the-secret")
    unknown = Family().sign_in("ZZZZZZZZZZ", registered["portal_secret"])
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "portal_sign_in_failed"


def test_five_failures_lock_the_code_even_against_the_right_secret(registered):
    answers = [Family().sign_in(registered["tracking_code"], "guess").status_code for _ in range(5)]
    assert answers == [401] * 4 + [429]  # the fifth failure is told the lock at once
    locked = Family().sign_in(registered["tracking_code"], registered["portal_secret"])
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "portal_locked"


def test_an_unknown_code_locks_exactly_like_a_real_one(registered):
    answers = [Family().sign_in("ZZZZZZZZZZ", "guess") for _ in range(6)]
    real = [Family().sign_in(registered["tracking_code"], "guess") for _ in range(6)]
    assert [a.status_code for a in answers] == [r.status_code for r in real] == [401] * 4 + [429, 429]
    assert answers[-1].json() == real[-1].json()


def test_the_lock_lifts_after_fifteen_minutes(registered):
    from lantern.portal.models import PortalAttempt

    for _ in range(5):
        Family().sign_in(registered["tracking_code"], "guess")
    PortalAttempt.objects.update(at=timezone.now() - dt.timedelta(minutes=16))
    assert Family().sign_in(registered["tracking_code"], registered["portal_secret"]).status_code == 200


def test_portal_and_staff_credentials_do_not_open_each_others_doors(registered, people):
    family = Family(registered["tracking_code"], registered["portal_secret"])
    as_staff = family.client.get(f"/api/v1/cases/{registered['id']}", **family.headers)
    assert as_staff.status_code == 401
    staff = Api(people["supervisor"])
    assert staff.client.get("/api/v1/portal/case", **staff.headers).status_code == 401
    staff_pages = Client()
    staff_pages.force_login(people["supervisor"])
    assert staff_pages.get("/portal/case/")["Location"] == "/portal/"


def test_a_family_never_reaches_another_case(registered, people):
    other = Api(people["intake"]).post("/cases", reachable_report()).json()
    family = Family(registered["tracking_code"], registered["portal_secret"])
    assert family.get("/case").json()["tracking_code"] == registered["tracking_code"]
    highest = Case.objects.order_by("-pk").first().pk + 5
    for some_id in range(1, highest):
        assert family.get(f"/notices/{some_id}").status_code == 404
        assert family.post(f"/consents/{some_id}/withdraw").status_code == 404
    assert other["tracking_code"] not in family.get("/case").content.decode()


def test_the_portal_shows_no_identity_of_suspects_or_victim(registered):
    family = Family(registered["tracking_code"], registered["portal_secret"])
    body = json.dumps([family.get("/case").json(), family.get("/questions").json()], ensure_ascii=False)
    page = Client()
    page.post("/portal/", {"tracking_code": registered["tracking_code"], "secret": registered["portal_secret"]})
    body += page.get("/portal/case/").content.decode()
    for value in ("嫌疑人一", "嫌疑人二", "13900000001", "某交友App", "测试甲", "合成案情", "13800000001"):
        assert value not in body


def test_an_idle_or_ended_session_is_refused(registered):
    family = Family(registered["tracking_code"], registered["portal_secret"])
    PortalSession.objects.update(last_seen_at=timezone.now() - dt.timedelta(minutes=31))
    assert family.get("/case").status_code == 401
    again = Family(registered["tracking_code"], registered["portal_secret"])
    assert again.post("/session/end").status_code == 200
    assert again.get("/case").status_code == 401


def test_the_pages_sign_in_with_their_own_cookie_and_sign_out(registered):
    page = Client()
    wrong = page.post("/portal/", {"tracking_code": registered["tracking_code"], "secret": "x"})
    assert (wrong.status_code == 401 and "not right" in wrong.content.decode()) or "不正确" in wrong.content.decode()
    ok = page.post("/portal/", {"tracking_code": registered["tracking_code"], "secret": registered["portal_secret"]})
    assert ok.status_code == 302 and ok["Location"] == "/portal/case/"
    cookie = ok.cookies["lantern_portal"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/portal/"
    assert "sessionid" not in ok.cookies  # not a staff session
    assert page.get("/portal/case/").status_code == 200
    assert page.post("/portal/sign-out/")["Location"] == "/portal/?signed-out=1"
    assert page.get("/portal/case/")["Location"] == "/portal/"


def test_a_one_time_code_arrives_by_email_and_sms_without_case_details(registered, smtp, sms,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = Family().client.post("/api/v1/portal/code", {"tracking_code": registered["tracking_code"]},
                                    content_type="application/json")
    assert sent.status_code == 202
    (to, mail), (text,) = smtp.messages[-1], [m["text"] for m in sms()]
    assert to == ["family@example.invalid"] and sms()[0]["to"] == "13800000001"
    code = re.search(r"\b(\d{6})\b", text).group(1)
    assert code in mail
    for detail in (registered["tracking_code"], registered["case_number"], "测试甲", "13900000001"):
        assert detail not in mail and detail not in text
    assert Family().sign_in(registered["tracking_code"], code=code).status_code == 200
    assert Family().sign_in(registered["tracking_code"], code=code).status_code == 401  # used once


def test_asking_a_code_for_an_unknown_tracking_code_looks_the_same_and_sends_nothing(smtp, sms, people,
                                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = Family().client.post("/api/v1/portal/code", {"tracking_code": "ZZZZZZZZZZ"},
                                      content_type="application/json")
    assert answer.status_code == 202 and answer.json() == {"sent": "if_registered"}
    assert smtp.messages == [] and sms() == []


def ask_for_a_code(tracking_code: str, capture) -> object:
    with capture(execute=True):
        return Family().client.post("/api/v1/portal/code", {"tracking_code": tracking_code},
                                    content_type="application/json")


def test_one_time_codes_are_capped_per_case_per_hour_with_the_same_answer(registered, smtp, sms, caplog,
                                                                          django_capture_on_commit_callbacks):
    from lantern.audit.models import AuditEntry, Outcome
    from lantern.portal.models import OneTimeCode

    tracking = registered["tracking_code"]
    answers = [ask_for_a_code(tracking, django_capture_on_commit_callbacks) for _ in range(3)]
    assert len(sms()) == 3 and len(smtp.messages) == 3
    with caplog.at_level("INFO"):
        fourth = ask_for_a_code(tracking, django_capture_on_commit_callbacks)
    # Past the cap: the same status and body, and nothing reaches the family's phone or mailbox.
    assert [a.status_code for a in answers] == [202] * 3 and fourth.status_code == 202
    assert fourth.json() == answers[0].json() == {"sent": "if_registered"}
    assert len(sms()) == 3 and len(smtp.messages) == 3
    # The third code still works: the withheld request did not replace it.
    last = re.search(r"\b(\d{6})\b", sms()[-1]["text"]).group(1)
    withheld = AuditEntry.objects.get(action="portal.code_withheld")
    assert withheld.outcome == Outcome.DENIED and withheld.object_id == str(registered["id"])
    logged = caplog.text + json.dumps(withheld.details, ensure_ascii=False)
    assert "withheld" in caplog.text
    for personal in (tracking, "13800000001", "family@example.invalid", last):
        assert personal not in logged
    assert Family().sign_in(tracking, code=last).status_code == 200
    # An hour on, the family can ask again.
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    ask_for_a_code(tracking, django_capture_on_commit_callbacks)
    assert len(sms()) == 4


def test_the_cap_is_a_setting(registered, smtp, sms, settings, django_capture_on_commit_callbacks):
    settings.LANTERN_PORTAL_CODES_PER_HOUR = 1
    for _ in range(2):
        assert ask_for_a_code(registered["tracking_code"], django_capture_on_commit_callbacks).status_code == 202
    assert len(sms()) == 1


def test_the_code_page_answers_alike_past_the_cap(registered, smtp, sms, django_capture_on_commit_callbacks):
    def page_answer():
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/portal/code/", {"step": "send", "tracking_code": registered["tracking_code"]},
                                     HTTP_COOKIE="lantern_language=en")
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        return response.status_code, body

    within_cap = [page_answer() for _ in range(3)]
    assert page_answer() == within_cap[0] == within_cap[-1]
    assert len(sms()) == 3
