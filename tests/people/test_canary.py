"""Canaries: a case whose people carry unmistakable names, phones, ID numbers and an
account, taken through intake, the checklist, a non-filing decision, its notice and the
reconsideration decision. Then everything that could leak is searched for them: every
table of the raw database, the log output, the CSV export, the documents for third
parties, the responses of users who may not see identities. Zero hits; the documents
addressed to the complainant name the complainant, and no one else."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess

import pytest
from django.db import connection
from django.test import Client

from lantern.access.roles import Role
from lantern.cases.models import Case
from lantern.core.vault import redaction
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import make_user, sign_in
from tests.family import Family, partner_services

pytestmark = pytest.mark.django_db

ADDRESSEE = "鸩羽乙"  # the complainant: named on the documents addressed to them, nowhere else
CANARIES = ["鸩羽甲", "鸩羽乙", "鸩羽丙", "13987654321", "13912340000", "990101198001019994",
            "99010119900101999X", "canary_handle_x", "鸩羽丁的案情", "canary-mail@example.invalid",
            # added to the record after intake (issue 13)
            "鸩羽戊", "13955556666", "990000862471854", "canary_account_y", "鸩羽己"]


def canary_report():
    return report(
        narrative="合成案情：鸩羽丁的案情，被害人于某地被侵害。",
        victim={"name": "鸩羽甲", "sex": "female", "estimated_age": 30, "id_number": "990101198001019994"},
        complainant={"name": "鸩羽乙", "relation": "姐姐", "phone": "13987654321",
                     "email": "canary-mail@example.invalid"},
        suspects=[{"name": "鸩羽丙", "phone": "13912340000", "id_number": "99010119900101999X",
                   "accounts": [{"platform": "某交友App", "handle": "canary_handle_x"}]}])


def as_text(response) -> str:
    """A JSON body as the characters it carries (the API escapes non-ASCII as \\uXXXX)."""
    return json.dumps(response.json(), ensure_ascii=False)


def hits(text: str) -> list[str]:
    return [c for c in CANARIES if c.lower() in text.lower()]


def raw_database_text() -> str:
    """Every row of every table, as the engine stores it (both engines)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the catalogue)
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def log_output():
    """What the configured log handlers write, with their filters, during the test."""
    stream = io.StringIO()
    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h, logging.StreamHandler) and h.filters]
    assert handlers, "the console handler with the redaction filter is configured"
    old = [h.setStream(stream) for h in handlers]
    level = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.setLevel(level)
    for h, s in zip(handlers, old, strict=True):
        h.setStream(s)


def test_canaries_appear_nowhere_outside_the_encrypted_fields_and_the_pages_of_those_who_need_them(
        units, tmp_path, log_output, settings, django_capture_on_commit_callbacks):
    settings.LANTERN_SMS_FILE = tmp_path / "sms.jsonl"
    partner_services()
    people = police(units)
    intake, sup, head = Api(people["intake"]), Api(people["supervisor"]), Api(people["county_head"])
    created = intake.post("/cases", canary_report())
    assert created.status_code == 201
    cid = created.json()["id"]
    assert hits(as_text(created)) == []  # the intake officer registered it but sees pseudonyms
    sup.act(cid, "begin_review")
    sup.complete_checklist(cid, note="已询问鸩羽甲")
    # An officer's slip: the real name written into the reasons.
    sup.act(cid, "propose_non_filing", reason="经调查，鸩羽甲所述事实现有证据不能证明")
    with django_capture_on_commit_callbacks(execute=True):  # the family is told, by SMS
        head.act(cid, "approve_decision", reason="经审查，鸩羽甲所述事实现有证据不能证明，联系13987654321")
    assert Case.objects.get(pk=cid).state == "NOT_FILED"
    # Those who need the identity see it (so the canaries are really in the case) ...
    assert "鸩羽甲" in as_text(sup.get(f"/cases/{cid}"))
    # ... and a code path that logs them by accident, as a view or a command might:
    with redaction.request_scope():
        case = Case.objects.get(pk=cid)
        logging.getLogger("lantern.test").warning("looked at %s, phone %s", case.victim.name, case.complainant.phone)
    case = Case.objects.get(pk=cid)  # outside a request, e.g. in sweep_deadlines
    logging.getLogger("lantern.test").warning("suspect %s", case.suspects.get().name)
    client = Client()
    sign_in(client, people["supervisor"])
    page = client.get(f"/cases/{cid}/")
    assert "鸩羽甲" in page.content.decode()
    # Searched by the suspect's phone, ID number and account: found, named by its number
    # only; the audit entry (in the raw database below) and the log keep none of the text.
    for q in ("13912340000", "99010119900101999X", "某交友App:canary_handle_x"):
        answer = sup.client.get("/api/v1/search", {"q": q}, **sup.headers)
        assert [item["id"] for item in answer.json()["items"]] == [cid] and hits(as_text(answer)) == []
        results = client.get("/search/", {"q": q}).content.decode()
        assert Case.objects.get(pk=cid).case_number in results
        # The box keeps the text, and the language switch the address; nothing else holds it.
        kept = re.sub(r'name="next" value="/search/\?q=[^"]*"', "", results.replace(f'value="{q}"', ""))
        assert hits(kept) == []

    notice = client.get(f"/cases/{cid}/notice.pdf")
    assert notice.status_code == 200
    notice_text = pdf_text(notice.content, tmp_path)
    assert "不予立案通知书" in notice_text and hits(notice_text) == [ADDRESSEE]
    export = client.get("/cases/export.csv?list=mine")
    assert export.status_code == 200 and Case.objects.get(pk=cid).case_number in export.content.decode("utf-8-sig")
    assert hits(export.content.decode("utf-8-sig")) == []
    workbook = client.get("/cases/export.xlsx?list=mine")
    assert workbook.status_code == 200 and hits(xlsx_text(workbook.content)) == []

    sup.act(cid, "record_notice_delivery", method="in_person")
    decided_reconsideration(sup, units, cid)
    decision = client.get(f"/cases/{cid}/reconsideration-decision.pdf")
    assert decision.status_code == 200
    decision_text = pdf_text(decision.content, tmp_path)
    assert "刑事复议决定书" in decision_text and hits(decision_text) == [ADDRESSEE]
    partner_text = partner_views(people, sup, cid)
    assert "需要法律援助" in partner_text and hits(partner_text) == []
    family_text, family_documents = portal_views(created.json(), tmp_path)
    assert "不予立案通知书" in family_documents and "刑事复议决定书" in family_documents
    assert hits(family_text) == [] and hits(family_documents) == [ADDRESSEE]
    # Messages to the family: addressed to the complainant, about nothing in particular.
    texts = [json.loads(line)["text"] for line in settings.LANTERN_SMS_FILE.read_text().splitlines()]
    assert texts and hits("\n".join(texts)) == []

    supervised_text, prosecutor = record_additions(people, sup, cid)
    assert hits(supervised_text) == []
    inbox_text = inbox_views(people, {"supervisor": (sup, client), "county_head": (head, None),
                                      "prosecutor": prosecutor})
    assert "approval_awaited" in inbox_text and "decision_made" in inbox_text and hits(inbox_text) == []
    discipline_text = discipline_views(units, cid)
    assert "c_sup" in discipline_text and hits(discipline_text) == []

    analyst_text = analyst_views(units)
    assert "non_filing_rate" in analyst_text and hits(analyst_text) == []

    assert hits(raw_database_text()) == []
    assert hits(log_output.getvalue()) == []


def discipline_views(units, cid) -> str:
    """What a discipline inspector reads of the case (the trail, API and page; the
    accountability records, of the case and of the jurisdiction), after recording an
    outcome whose finding names the victim by slip, and one disclosed to the family."""
    from lantern.accounts.models import Unit

    inspector = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="canary_inspector")
    api = Api(inspector)
    brigade = Unit.objects.get(code="QS-XZDD").pk
    made = api.post(f"/cases/{cid}/accountability", {
        "officials": [{"unit_id": brigade, "position": "大队长"}],
        "finding": "未询问鸩羽甲即审批不予立案（13987654321）",
        "outcome": "administrative", "decided_on": "2026-01-05", "disclosed_to_family": False,
        "disclosure": "鸩羽甲的家属已另行书面告知"})
    assert made.status_code == 201, made.content
    pages = Client()
    sign_in(pages, inspector)
    return "\n".join([as_text(made), as_text(api.get(f"/cases/{cid}/decision-trail")),
                      as_text(api.get(f"/cases/{cid}/accountability")),
                      pages.get(f"/discipline/cases/{cid}/trail/").content.decode(),
                      pages.get("/discipline/records/").content.decode()])


def analyst_views(units) -> str:
    """The campaign analyst's pages, API and exports (issue 15): figures only."""
    from lantern.campaigns.cells import refresh

    refresh()
    analyst = make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST, username="canary_analyst")
    api = Api(analyst)
    assert api.post("/campaigns", {"name": "专项", "starts_on": "2020-01-01", "ends_on": "2030-12-31",
                                   "unit_id": units["QS-GAJ"].pk}).status_code == 201
    pages = Client()
    sign_in(pages, analyst)
    texts = [as_text(api.get(f"/statistics?group_by={g}")) for g in ("unit", "month", "age_band")]
    texts += [as_text(api.get("/campaigns")), pages.get("/campaigns/list/").content.decode()]
    for query in ("", "?group_by=month", "?group_by=age_band"):
        texts.append(pages.get(f"/campaigns/{query}").content.decode())
        texts.append(pages.get(f"/campaigns/export.csv{query}").content.decode("utf-8-sig"))
        texts.append(xlsx_text(pages.get(f"/campaigns/export.xlsx{query}").content))
    return "\n".join(texts)


def inbox_views(people, signed_in) -> str:
    """What the staff told of this case read in their inbox (API and page) and in the mail
    queued for them: the case number and what happened, never whom it concerns, though
    the reasons of the decision they were told of name the victim by slip."""
    from lantern.notifications.models import OutboxMessage

    texts = []
    for who in ("supervisor", "county_head", "prosecutor"):
        api, pages = signed_in.get(who, (None, None))  # a code is good once: reuse their sessions
        api = api or Api(people[who])
        if pages is None:
            pages = Client()
            sign_in(pages, people[who])
        texts += [as_text(api.get("/inbox")), pages.get("/inbox/").content.decode()]
    texts += [f"{m.subject}\n{m.body}" for m in OutboxMessage.objects.all()]
    return "\n".join(texts)


def record_additions(people, sup, cid) -> str:
    """Added after intake, by slip naming the victim in the reasons: a suspect, identifiers
    (one marked wrong), a supplement, a correction. What a prosecutor supervising the
    decision sees of them (the case, never identities)."""
    suspect = sup.post(f"/cases/{cid}/suspects", {"name": "鸩羽戊", "phone": "13955556666",
                                                   "devices": ["990000862471854"]})
    assert suspect.status_code == 201, suspect.content
    assert "鸩羽戊" in as_text(suspect)  # the supervisor sees identities
    added = sup.post(f"/people/{suspect.json()['id']}/identifiers",
                     {"kind": "account", "platform": "某交友App", "value": "canary_account_y"})
    assert added.status_code == 201, added.content
    assert sup.post(f"/identifiers/{added.json()['id']}/retract", {"reason": "鸩羽甲说不是这个账号"}).status_code == 200
    assert sup.post(f"/cases/{cid}/supplements", {"text": "补充：鸩羽戊与鸩羽甲在聊天中提到年龄"}).status_code == 201
    corrected = sup.post(f"/cases/{cid}/corrections", {"field": "victim.name", "value": "鸩羽己",
                                                       "reason": "鸩羽甲的户籍登记姓名为鸩羽己"})
    assert corrected.status_code == 201, corrected.content
    assert sup.act(cid, "complain_to_procuratorate").status_code == 200  # the prosecutor now sees the case
    prosecutor = Api(people["prosecutor"])
    answers = [prosecutor.get(f"/cases/{cid}"), prosecutor.get(f"/cases/{cid}/supplements"),
               prosecutor.get(f"/cases/{cid}/corrections"),
               prosecutor.get(f"/people/{suspect.json()['id']}/identifiers")]
    assert all(a.status_code == 200 for a in answers), [a.content for a in answers]
    pages = Client()
    sign_in(pages, people["prosecutor"])
    page = pages.get(f"/cases/{cid}/")
    assert page.status_code == 200 and "data-testid=\"record\"" in page.content.decode()
    # The oversight flags of the jurisdiction (a minor's case not filed): numbers, never names.
    flags, flags_page = prosecutor.get("/oversight/flags?status=all"), pages.get("/oversight/flags/?status=all")
    assert cid in [f["case_id"] for f in flags.json()["items"]], flags.content
    assert Case.objects.get(pk=cid).case_number in flags_page.content.decode()
    return "\n".join([*(as_text(a) for a in answers), page.content.decode(), as_text(flags),
                      flags_page.content.decode()]), (prosecutor, pages)


def partner_views(people, sup, cid) -> str:
    """Everything a partner agency sees of a referral whose need names the victim by slip."""
    made = sup.post(f"/cases/{cid}/referrals", {
        "service": "legal_aid", "partner": "QS-FLYZ", "given_by": "victim", "shared": ["age_band"],
        "need": "鸩羽甲需要法律援助，联系13987654321", "contact_route": "case_team"})
    assert made.status_code == 201, made.content
    partner = make_user(people["intake"].unit.__class__.objects.in_bulk(field_name="code"), "QS-FLYZ",
                        Role.PARTNER_CASEWORKER, username="canary_partner")
    api = Api(partner)
    api.post(f"/referrals/{made.json()['id']}/notes", {"text": "已约见鸩羽甲"})
    pages = Client()
    sign_in(pages, partner)
    return "\n".join([as_text(api.get("/referrals")), as_text(api.get(f"/referrals/{made.json()['id']}")),
                      pages.get("/referrals/").content.decode(),
                      pages.get(f"/referrals/{made.json()['id']}/").content.decode(),
                      pages.get("/inbox/").content.decode()])


def decided_reconsideration(sup, units, cid) -> None:
    """The complainant applied; a head who took no part upheld the decision, by slip naming the victim."""
    assert sup.act(cid, "apply_reconsideration").status_code == 200
    other_head = Api(make_user(units, "QS-GAJ", Role.UNIT_HEAD, username="canary_head2"))
    decided = other_head.act(cid, "decide_reconsideration", outcome="upheld", reason="鸩羽甲的控告经复议不能成立")
    assert decided.status_code == 200, decided.content


def portal_views(created, tmp_path) -> tuple[str, str]:
    """Everything the family's portal shows (the page, the API), and the documents it hands out."""
    family = Family(created["tracking_code"], created["portal_secret"])
    status = family.get("/case")
    notices = status.json()["notices"]
    notice = family.client.get(f"/api/v1/portal/notices/{notices[0]['id']}", **family.headers)
    decision = family.client.get(f"/api/v1/portal/decisions/{notices[1]['id']}", **family.headers)
    pages = Client()
    pages.post("/portal/", {"tracking_code": created["tracking_code"], "secret": created["portal_secret"]})
    page_decision = pages.get(f"/portal/decisions/{notices[1]['id']}.pdf")
    texts = [as_text(status), as_text(family.get("/questions")), pages.get("/portal/case/").content.decode()]
    return "\n".join(texts), "\n".join(pdf_text(r.content, tmp_path) for r in (notice, decision, page_decision))


def test_the_log_filter_blanks_identities_seen_in_the_request_and_anything_shaped_like_one(log_output):
    from lantern.core.vault import crypto, redaction

    logger = logging.getLogger("lantern.test")
    with redaction.request_scope():
        crypto.decrypt(crypto.encrypt("鸩羽甲", context="t"), context="t")
        logger.error("victim %s", "鸩羽甲")
        try:
            raise ValueError("bad phone 13912340000 for 鸩羽甲")
        except ValueError:
            logger.exception("failed")
    logger.warning("outside a request: 990101198001019994 and +86 139-8765-4321")
    out = log_output.getvalue()
    assert hits(out) == [] and "139-8765-4321" not in out
    assert out.count("[redacted]") >= 5 and "ValueError" in out  # the traceback is kept, blanked


def test_exports_neutralise_formulas():
    from openpyxl import load_workbook

    from lantern.core.exports import safe_cell, xlsx_response

    assert [safe_cell(v) for v in ("=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "张某", 3)] == [
        "'=HYPERLINK(\"x\")", "'+1", "'-1", "'@SUM(A1)", "'\tx", "张某", "3"]

    book = load_workbook(io.BytesIO(xlsx_response(["a"], [["=1+1"], ["@SUM(A1)"]], "x.xlsx", "t").content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert [c.value for c in cells] == ["a", "=1+1", "@SUM(A1)"] and {c.data_type for c in cells} == {"s"}


def test_refusals_do_not_echo_what_was_sent(units):
    intake = Api(police(units)["intake"])
    too_long = canary_report()
    too_long["victim"]["name"] = "鸩羽甲" * 40
    too_long["complainant"]["phone"] = "13987654321" * 4
    response = intake.post("/cases", too_long)
    assert response.status_code == 422 and {"victim.name", "complainant.phone"} <= set(
        response.json()["error"]["details"])
    assert hits(as_text(response)) == []
