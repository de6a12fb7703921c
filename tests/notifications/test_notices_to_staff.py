"""The notifications that drive the daily work (issue 13, item 5): each one arrives in the
recipient's inbox and, through a real SMTP server, in their mail, with a link to the case
and without the victim's name, anyone's phone or the account of what happened, even when
an officer's reason names the victim by slip."""

from __future__ import annotations

import email
import email.header
import email.policy
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from lantern.access.roles import Role
from lantern.cases.models import Case
from lantern.deadlines.sweep import sweep
from lantern.notifications.models import Notification
from lantern.notifications.services import notify
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.deadlines.test_sweep import overdue_case, smtp  # noqa: F401  (smtp: a real SMTP server on a free port)
from tests.factories import make_user, sign_in

# What must never reach an inbox or a mail: the test report's people and narrative, and
# the victim's name as an officer's reason carries it by slip.
PERSONAL = ["测试甲", "测试乙", "13800000001", "13900000001", "13900000002", "嫌疑人一", "嫌疑人二", "合成案情",
            "u1", "舅舅"]
SLIP = "测试甲所述事实证据不足，联系13800000001"


@pytest.fixture
def people(units):
    people = police(units)
    for user in people.values():
        user.email = f"{user.username}@lantern.invalid"
        user.save(update_fields=["email"])
    return people


def kinds_of(user, case_id=None) -> list[str]:
    notes = Notification.objects.filter(recipient=user)
    if case_id is not None:
        notes = notes.filter(case_id=case_id)
    return sorted(notes.values_list("kind", flat=True))


def parsed(content: str) -> tuple[str, str]:
    """An e-mail as the server received it: its decoded subject and text."""
    message = email.message_from_bytes(content.encode("utf-8"), policy=email.policy.default)
    return str(message["subject"]), message.get_body().get_content()


def leaks(text: str) -> list[str]:
    """The personal values found in ``text``; a short handle ("u1") only as a word of its own,
    since a random token (the CSRF one in every page) holds "u1" once in a few dozen pages."""
    return [p for p in PERSONAL if re.search(rf"(?<![A-Za-z0-9]){re.escape(p)}(?![A-Za-z0-9])", text)]


def minor_non_filing(people) -> tuple[int, dict[str, Api]]:
    """A 12-year-old's case: registered, assigned, reviewed and not filed after two
    approvals (supervisor, then unit head), with reasons that name the victim by slip."""
    apis = {k: Api(people[k]) for k in ("intake", "investigator", "supervisor", "county_head", "prosecutor")}
    cid = apis["intake"].post("/cases", report()).json()["id"]
    assert apis["supervisor"].act(cid, "assign", assignees=["c_inv"]).status_code == 200
    assert apis["investigator"].act(cid, "begin_review").status_code == 200
    apis["investigator"].complete_checklist(cid)
    assert apis["investigator"].act(cid, "propose_non_filing", reason=SLIP).status_code == 200
    assert apis["supervisor"].act(cid, "approve_decision", reason=SLIP).status_code == 200
    assert apis["county_head"].act(cid, "approve_decision", reason=SLIP).status_code == 200
    assert Case.objects.get(pk=cid).state == "NOT_FILED"
    return cid, apis


@pytest.mark.django_db(transaction=True)
def test_each_notification_arrives_in_the_inbox_and_by_mail_with_a_link_and_no_personal_data(people, smtp):  # noqa: F811
    cid, apis = minor_non_filing(people)
    assert apis["prosecutor"].act(cid, "request_explanation", reason=SLIP).status_code == 200
    # A filing proposal returned, on a second case: it names the same suspects, so the first
    # case's team is told of the link (link_alert), with no more than the others say.
    other = apis["intake"].post("/cases", report()).json()["id"]
    apis["supervisor"].act(other, "assign", assignees=["c_inv"])
    apis["investigator"].act(other, "begin_review")
    apis["investigator"].act(other, "propose_filing", reason=SLIP)
    assert apis["supervisor"].act(other, "return_decision", reason=SLIP).status_code == 200

    assert kinds_of(people["investigator"], cid) == ["assigned", "decision_made", "explanation_requested",
                                                     "link_alert"]
    assert kinds_of(people["supervisor"], cid) == ["approval_awaited", "explanation_requested", "link_alert"]
    assert kinds_of(people["county_head"], cid) == ["approval_awaited", "minor_case"]
    assert kinds_of(people["prosecutor"], cid) == ["non_filing_in_jurisdiction"]
    assert kinds_of(people["intake"]) == []  # registering a report tells nobody else's work to its registrar
    returned = Notification.objects.get(recipient=people["investigator"], case_id=other, kind="decision_made")
    with translation.override("en"):
        assert returned.shown_title == f"Your proposal was returned: case {Case.objects.get(pk=other).case_number}"
        approved = Notification.objects.get(recipient=people["investigator"], case_id=cid, kind="decision_made")
        assert approved.shown_body.startswith("Your proposal not to file the case in case ")

    # Every notification went out once by mail, to its recipient, with its link.
    notes = list(Notification.objects.select_related("recipient", "case"))
    assert len(smtp.messages) == len(notes) > 0
    by_link = {}
    for to, content in smtp.messages:
        subject, text = parsed(content)
        links = re.findall(r"https?://\S+/inbox/(\d+)/", text)
        assert links, text
        by_link[int(links[0])] = (to, subject, text)
        assert leaks(subject + text) == [], (subject, text)
    for note in notes:
        to, subject, text = by_link[note.pk]
        assert to == [note.recipient.email]
        assert note.case.case_number in subject and note.case.case_number in text
        # Chinese first, English below.
        assert note.title in text, (note.title, text)
        assert text.index(note.title) < text.index(f"{note.case.case_number}", text.index("-----"))

    # ... and the inbox, page and API, carries each with a link to the case and nothing personal.
    for who in ("investigator", "supervisor", "county_head", "prosecutor"):
        listed = apis[who].get("/inbox").json()
        assert {i["kind"] for i in listed["items"]} == set(kinds_of(people[who]))
        assert all(i["case_id"] and not i["read"] for i in listed["items"])
        assert leaks(str(listed)) == []
        page = Client()
        sign_in(page, people[who])
        html = page.get("/inbox/").content.decode()
        assert leaks(html) == [] and f'href="/inbox/{listed["items"][0]["id"]}/"' in html


@pytest.mark.django_db
def test_the_inbox_speaks_the_readers_language(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    Api(people["supervisor"]).act(cid, "assign", assignees=["c_inv"])
    number = Case.objects.get(pk=cid).case_number
    inv = Api(people["investigator"])
    english = inv.client.get("/api/v1/inbox", HTTP_ACCEPT_LANGUAGE="en", **inv.headers).json()
    chinese = inv.client.get("/api/v1/inbox", HTTP_ACCEPT_LANGUAGE="zh-hans", **inv.headers).json()
    assert english["items"][0]["title"] == f"You were assigned to case {number}"
    assert chinese["items"][0]["title"] != english["items"][0]["title"] and number in chinese["items"][0]["title"]
    assert re.search(r"[\u4e00-\u9fff]", chinese["items"][0]["title"])
    page = Client()
    sign_in(page, people["investigator"])
    page.cookies["lantern_language"] = "en"
    assert f"You were assigned to case {number}" in page.get("/inbox/").content.decode()
    page.cookies["lantern_language"] = "zh-hans"
    assert chinese["items"][0]["title"] in page.get("/inbox/").content.decode()


@pytest.mark.django_db
def test_an_overdue_clock_is_worded_in_the_readers_language(units):
    _people, case, _clock = overdue_case(units, days_late=0.1)
    sweep()
    inv = Api(Notification.objects.filter(kind="deadline_overdue").first().recipient)
    english = inv.client.get("/api/v1/inbox", HTTP_ACCEPT_LANGUAGE="en", **inv.headers).json()["items"]
    chinese = inv.client.get("/api/v1/inbox", HTTP_ACCEPT_LANGUAGE="zh-hans", **inv.headers).json()["items"]
    overdue_en = next(i["title"] for i in english if i["kind"] == "deadline_overdue")
    overdue_zh = next(i["title"] for i in chinese if i["kind"] == "deadline_overdue")
    assert overdue_en.startswith("Overdue: ") and case.case_number in overdue_en
    assert overdue_zh != overdue_en and re.search(r"[\u4e00-\u9fff]", overdue_zh)


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_shows_the_case(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    Api(people["supervisor"]).act(cid, "assign", assignees=["c_inv"])
    note = Notification.objects.get(recipient=people["investigator"], kind="assigned")
    page = Client()
    sign_in(page, people["investigator"])
    page.cookies["lantern_language"] = "en"
    assert 'data-testid="inbox-count"' in page.get("/inbox/").content.decode()
    opened = page.get(f"/inbox/{note.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/cases/{cid}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="inbox-count"' not in page.get("/inbox/").content.decode()  # the badge is gone


@pytest.mark.django_db
def test_mark_all_read_needs_the_forms_csrf_token_and_touches_only_my_own(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    Api(people["supervisor"]).act(cid, "assign", assignees=["c_inv", "c_inv2"])
    page = Client(enforce_csrf_checks=True)
    sign_in_csrf(page, people["investigator"])
    assert page.post("/inbox/read/").status_code == 403  # no token: refused
    html = page.get("/inbox/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert page.post("/inbox/read/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Notification.objects.filter(recipient=people["investigator"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["investigator2"], read_at__isnull=True).exists()


def sign_in_csrf(client: Client, user) -> None:
    """The two-step sign-in with CSRF checks on (the pages' forms carry the token)."""
    from tests.factories import PASSWORD, next_code

    def token(path):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).content.decode()).group(1)

    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token("/accounts/sign-in/")})
    done = client.post("/accounts/sign-in/verify/", {"code": next_code(user),
                                                     "csrfmiddlewaretoken": token("/accounts/sign-in/verify/")})
    assert done.status_code == 302 and done["Location"] == "/"


@pytest.mark.django_db
def test_only_the_recipient_reads_or_marks_a_notification(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    Api(people["supervisor"]).act(cid, "assign", assignees=["c_inv"])
    note = Notification.objects.get(recipient=people["investigator"], kind="assigned")
    other = Api(people["investigator2"])
    assert other.post(f"/inbox/{note.pk}/read").status_code == 404
    assert other.get("/inbox").json() == {"items": [], "count": 0, "unread": 0}
    assert other.post("/inbox/read-all").json() == {"marked": 0, "unread": 0}
    note.refresh_from_db()
    assert note.read_at is None
    mine = Api(people["investigator"])
    assert mine.get("/inbox?unread=true").json()["count"] == 1
    read = mine.post(f"/inbox/{note.pk}/read")
    assert read.status_code == 200 and read.json()["read"] is True and read.json()["case_id"] == cid
    assert mine.get("/inbox?unread=true").json()["items"] == []
    assert mine.get("/inbox").json()["count"] == 1


@pytest.mark.django_db
def test_a_refused_action_tells_nobody(people):
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    before = Notification.objects.count()
    refused = Api(people["supervisor"]).act(cid, "assign", assignees=["c_inv", "nobody_such"])
    assert refused.status_code == 422  # not eligible for the team
    assert Notification.objects.count() == before and not mail.outbox


@pytest.mark.django_db
def test_an_adult_non_filing_reaches_the_procuratorate_when_a_complaint_opens_its_supervision(people, units):
    adult = make_user(units, "QS-JCY", Role.PROSECUTOR, username="c_pros_adult")
    apis = {k: Api(people[k]) for k in ("intake", "supervisor", "county_head")}
    cid = apis["intake"].post("/cases", report(victim={"name": "测试甲", "sex": "female",
                                                        "estimated_age": 30})).json()["id"]
    apis["supervisor"].act(cid, "begin_review")
    apis["supervisor"].complete_checklist(cid)
    apis["supervisor"].act(cid, "propose_non_filing", reason=SLIP)
    assert kinds_of(people["county_head"], cid) == ["approval_awaited"]  # the only supervisor proposed
    assert apis["county_head"].act(cid, "approve_decision", reason=SLIP).status_code == 200
    assert kinds_of(people["supervisor"], cid) == ["decision_made"]
    assert kinds_of(adult, cid) == []  # an adult's non-filing is not before the procuratorate by itself
    assert apis["supervisor"].act(cid, "complain_to_procuratorate").status_code == 200
    assert kinds_of(adult, cid) == ["non_filing_in_jurisdiction"]
    assert kinds_of(people["prosecutor"], cid) == []  # the minors' office, and an adult's case


@pytest.mark.django_db
def test_the_kinds_other_work_sends_are_worded_too(people):
    """A transfer awaiting acceptance and a link alert are sent by other work (transfers,
    linkage): given the kind and the case, they read in the reader's language."""
    cid = Api(people["intake"]).post("/cases", report()).json()["id"]
    case = Case.objects.get(pk=cid)
    notify(recipients=[people["supervisor"]], kind="transfer_awaited", case=case)
    notify(recipients=[people["supervisor"]], kind="link_alert", case=case)
    sup = Api(people["supervisor"])
    titles = {i["kind"]: i["title"] for i in sup.get("/inbox").json()["items"]}
    assert titles["transfer_awaited"] == f"A transfer awaits your acceptance: case {case.case_number}"
    assert titles["link_alert"] == f"Case {case.case_number} is linked to another case"
    assert len(mail.outbox) == 0 or all(leaks(m.body) == [] for m in mail.outbox)
