"""The work done on a synthetic case, milestone by milestone, as the workflow's actions
would have recorded it: the team, the proposal and its approvals, the non-filing notice
and the procuratorate's supervision, the suspect's detention and arrest, the indictment
and the judgment, the clocks each of them starts and stops, the reads of the case that
come before each decision, and an audit entry for every one of them (the entries' names
and details are those of cases.workflow and cases.suspect_moves)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from lantern.cases.models import (
    Approval,
    Assignment,
    ChecklistItem,
    Decision,
    Judgment,
    NoticeDelivery,
    Proceeding,
    SuspectEvent,
)
from lantern.deadlines.arithmetic import LOCAL
from lantern.evidence.models import CustodyEvent, EvidenceItem, Interview
from lantern.site.synthetic_rows import Batch, CaseRows, clock_row
from lantern.site.synthetic_story import DAY

MINUTE = dt.timedelta(minutes=1)
# Checklist items the record itself ticks (cases.checklist.tick_from_record): the evidence
# kind registered for the item, or the victim's recorded interview.
EVIDENCE_FOR = {"forensic_examination": "forensic_report", "witness_statements": "statement", "cctv_records": "cctv"}
NOTES = {"done": "（合成数据）已完成，材料附卷。", "not_applicable": "（合成数据）无犯罪嫌疑人信息，本项无法开展。"}
BASIS = {"investigator": ("assigned", True), "supervisor": ("unit", True), "head": ("unit", True),
         "prosecutor": ("prosecutor", False)}


def read(b: Batch, c: CaseRows, at: dt.datetime, who: Any, as_: str) -> None:
    """The case page opened shortly before acting on it (cases.reads.read_case)."""
    basis, identity = BASIS[as_]
    b.log(at - b.rng.uniform(1, 30) * MINUTE, who, "case.read", c.case_id,
          {"basis": basis, "identity": identity, "purpose": "view", "sealed": False})


def act(b: Batch, c: CaseRows, at: dt.datetime, who: Any, as_: str, name: str, before: str, after: str,
        **extra: Any) -> None:
    read(b, c, at, who, as_)
    b.log(at, who, f"case.{name}", c.case_id, {"from": before, "to": after, **extra})


def work_rows(b: Batch, c: CaseRows) -> dt.datetime:
    """Every milestone's rows; returns the due time of the filing review."""
    s, m = c.story, c.story.milestones
    inv, sup = c.team[0], c.supervisor
    review_rule = "filing_review_minor" if s.minor else "filing_review"
    review = clock_row(b, c, review_rule, s.received_at, m.get("not_filed") or m.get("filed"))
    if "assigned" in m:
        for user in c.team:
            b.row(Assignment, c.case_id, user.pk, sup.pk, m["assigned"], True, None, None, "")
        act(b, c, m["assigned"], sup, "supervisor", "assign", "RECEIVED", "RECEIVED",
            assignees=sorted(u.username for u in c.team))
    if "review" in m:
        act(b, c, m["review"], inv, "investigator", "begin_review", "RECEIVED", "UNDER_REVIEW")
    if "proposed" in m:
        _decision(b, c)
    if "notice" in m:
        _notice(b, c)
    _investigation(b, c)
    _extra_reads(b, c)
    return review.at


def _decision(b: Batch, c: CaseRows) -> None:
    s, m, inv, sup = c.story, c.story.milestones, c.team[0], c.supervisor
    kind = "file" if s.files else "not_file"
    two = kind == "not_file" and s.minor
    decided = m.get("filed" if s.files else "not_filed")
    pk = b.row(Decision, c.case_id, kind, "approved" if decided else "pending",
               b.shared(Decision, "reason",
                        "（合成数据）经审查，" + ("符合立案条件。" if s.files else "现有证据不足以认定犯罪事实。")),
               "", 2 if two else 1, inv.pk, m["proposed"], decided)
    act(b, c, m["proposed"], inv, "investigator", f"propose_{'filing' if s.files else 'non_filing'}",
        "UNDER_REVIEW", "UNDER_REVIEW")
    agreed = b.shared(Approval, "reason", "（合成数据）同意。")
    if two and "first_approval" in m:
        b.row(Approval, pk, sup.pk, 1, True, agreed, m["first_approval"])
        act(b, c, m["first_approval"], sup, "supervisor", "approve_decision", "UNDER_REVIEW", "UNDER_REVIEW")
    if decided:
        approver = c.head if two else sup
        b.row(Approval, pk, approver.pk, 2 if two else 1, True, agreed, decided)
        act(b, c, decided, approver, "head" if two else "supervisor", "approve_decision", "UNDER_REVIEW",
            "FILED" if s.files else "NOT_FILED")
    if "not_filed" in m:
        clock_row(b, c, "non_filing_notice", m["not_filed"], m.get("notice"))
        if s.minor:  # every non-filing for a minor goes to the procuratorate by itself
            _supervision(b, c)


def _supervision(b: Batch, c: CaseRows) -> None:
    m = c.story.milestones
    opened = m["not_filed"]
    status, closed = "open", None
    if "filed" in m and m["filed"] > opened:
        status, closed = "overturned", m["filed"]
    elif b.now - opened > 40 * DAY:
        status, closed = "upheld", opened + b.rng.uniform(15, 40) * DAY
    upheld = "（合成数据）经审查，公安机关不立案理由成立。"
    reason = b.shared(Proceeding, "outcome_reason", upheld) if status == "upheld" else ""
    b.row(Proceeding, c.case_id, "supervision", status, opened, None, True, "", "", reason, closed, None, "")


def _notice(b: Batch, c: CaseRows) -> None:
    s, m, inv = c.story, c.story.milestones, c.team[0]
    b.row(NoticeDelivery, c.case_id, m["notice"], inv.pk, "当面送达")
    act(b, c, m["notice"], inv, "investigator", "record_notice_delivery", "NOT_FILED", "NOT_FILED")
    clock_row(b, c, "reconsideration_application", m["notice"], None, lapses=True)
    if "reopen_proposed" in m:
        pk = b.row(Decision, c.case_id, "file", "approved" if "filed" in m else "pending",
                   b.shared(Decision, "reason", "（合成数据）出现新的事实和证据，建议立案。"), s.reopen_trigger, 1,
                   inv.pk, m["reopen_proposed"], m.get("filed"))
        act(b, c, m["reopen_proposed"], inv, "investigator", "propose_filing", "NOT_FILED", "NOT_FILED",
            trigger=s.reopen_trigger)
        if "filed" in m:
            b.row(Approval, pk, c.supervisor.pk, 1, True, b.shared(Approval, "reason", "（合成数据）同意立案。"),
                  m["filed"])
            act(b, c, m["filed"], c.supervisor, "supervisor", "approve_decision", "NOT_FILED", "FILED")


def _investigation(b: Batch, c: CaseRows) -> None:
    m, inv, sup = c.story.milestones, c.team[0], c.supervisor
    if "investigating" not in m:
        return
    act(b, c, m["investigating"], inv, "investigator", "begin_investigation", "FILED", "INVESTIGATING")
    _suspect_moves(b, c)
    if "suspended" in m:
        act(b, c, m["suspended"], inv, "investigator", "suspend_investigation", "INVESTIGATING", "SUSPENDED")
        clock_row(b, c, "cold_case_review", m["suspended"], None)
    if "revoked" in m:
        act(b, c, m["revoked"], sup, "supervisor", "revoke_case", "INVESTIGATING", "REVOKED")
    if "sent" in m:
        act(b, c, m["sent"], sup, "supervisor", "send_for_prosecution", "INVESTIGATING", "SENT_FOR_PROSECUTION")
    _prosecution(b, c)
    if "closed" in m:
        before = "REVOKED" if "revoked" in m else "NOT_PROSECUTED" if "declined" in m else "JUDGED"
        act(b, c, m["closed"], sup, "supervisor", "close_case", before, "CLOSED")


def _move(b: Batch, c: CaseRows, at: dt.datetime, who: Any, name: str, before: str, after: str) -> None:
    suspect = c.suspects[0]
    b.row(SuspectEvent, suspect, before, after, at, who.pk, "")
    b.log(at, who, f"suspect.{name}", c.case_id, {"suspect": suspect, "from": before, "to": after})


def _suspect_moves(b: Batch, c: CaseRows) -> None:
    """The first suspect detained, arrest requested and approved, each with its clock."""
    m, inv, subject = c.story.milestones, c.team[0], f"S-{c.suspects[0]}" if c.suspects else ""
    if "detained" in m:
        _move(b, c, m["detained"], inv, "detain", "identified", "detained")
        clock_row(b, c, "arrest_request", m["detained"], m.get("arrest_requested"), subject=subject)
    if "arrest_requested" in m:
        _move(b, c, m["arrest_requested"], inv, "request_arrest", "detained", "arrest_requested")
        clock_row(b, c, "arrest_decision", m["arrest_requested"], m.get("arrested"), subject=subject)
    if "arrested" in m:
        _move(b, c, m["arrested"], c.prosecutor, "approve_arrest", "arrest_requested", "arrested")
        ended = m.get("sent") or m.get("revoked")
        held = ((ended or b.now) - m["arrested"]).days
        months = 2 if held <= 58 else 3 if held <= 88 else 5 if held <= 150 else 7  # CPL arts. 156-159
        clock_row(b, c, "investigation_custody", m["arrested"], ended, subject=subject, months=months)
    if "suspended" in m and c.suspects and c.story.identified:
        _move(b, c, m["suspended"] - 2 * MINUTE, inv, "abscond", "identified", "at_large")


def _prosecution(b: Batch, c: CaseRows) -> None:
    s, m, pros = c.story, c.story.milestones, c.prosecutor
    if "prosecuted" in m:
        act(b, c, m["prosecuted"], pros, "prosecutor", "prosecute", "SENT_FOR_PROSECUTION", "PROSECUTED")
        _move(b, c, m["prosecuted"], pros, "charge", "arrested", "charged")
    if "declined" in m:
        act(b, c, m["declined"], pros, "prosecutor", "decline_prosecution", "SENT_FOR_PROSECUTION",
            "NOT_PROSECUTED")
        clock_row(b, c, "non_prosecution_appeal", m["declined"], None, lapses=True)
    if "judged" in m:
        verdict = "convicted" if s.convicted else "acquitted"
        b.row(Judgment, c.case_id, c.suspects[0], verdict, "强奸罪" if verdict == "convicted" else "",
              f"有期徒刑{b.rng.randint(3, 12)}年" if verdict == "convicted" else "",
              b.shared(Judgment, "reference", "（合成数据）刑事判决书"), pros.pk, m["judged"])
        act(b, c, m["judged"], pros, "prosecutor", "record_judgment", "PROSECUTED", "JUDGED",
            verdicts={str(c.suspects[0]): verdict})
        _move(b, c, m["judged"], pros, "convict" if s.convicted else "acquit", "charged", verdict)


def _extra_reads(b: Batch, c: CaseRows) -> None:
    """Reads between the decisions: the team checking its case, the supervisor browsing."""
    m = c.story.milestones
    last = max(m.values())
    for _ in range(b.rng.choice((0, 1, 1, 2, 3))):
        at = min(b.now, last + b.rng.uniform(0, 20) * DAY)
        who, as_ = b.rng.choice([(c.team[0], "investigator"), (c.supervisor, "supervisor"), (c.head, "head")])
        if as_ == "investigator" and "assigned" not in m:
            continue
        read(b, c, at, who, as_)


def checklist_rows(b: Batch, c: CaseRows, review_due: dt.datetime) -> None:
    """The items of the victim's age band, due with the filing decision or their own clock."""
    s = c.story
    offence_start = dt.datetime.combine(s.offence_date, dt.time(0, 0), tzinfo=LOCAL)
    starts = {"forensic_examination": offence_start, "cctv_preservation": offence_start,
              "phone_extraction": s.received_at}
    responsible = c.team[0].pk if c.team and s.at("assigned") else None
    for item in s.items:
        template, due = item.template_item, review_due
        if template.clock in starts and (template.clock != "phone_extraction" or c.has_phone):
            settled = item.at if item.status != "open" else None
            due = clock_row(b, c, template.clock, starts[template.clock], settled, subject=item.key).at
        pk = b.ids.take(ChecklistItem)
        source = recorded_item(b, c, item.key, pk, item.at) if item.status == "done" else None
        by = (c.supervisor if item.status == "not_applicable" else c.team[0]) if item.at else None
        note = "" if by is None or source else b.shared(ChecklistItem, "note", NOTES[item.status])
        b.add(ChecklistItem, pk, c.case_id, item.key, item.status, responsible, due, note, getattr(by, "pk", None),
              item.at, template.pk)
        if by is not None:
            extra = {"automatic": True, "source": source} if source else {}
            b.log(item.at, by, "case.checklist_item", c.case_id,
                  {"item": item.key, "from": "open", "to": item.status, **extra})


def recorded_item(b: Batch, c: CaseRows, key: str, item_id: int, at: dt.datetime) -> str | None:
    """The record that ticks a checklist item by itself, if this item has one: its source."""
    inv = c.team[0]
    if key == "victim_interview":
        # Children are mostly interviewed in a one-stop centre (一站式询问救助中心), with the
        # women's federation or a hospital's staff present; adults at the station.
        one_stop = c.story.minor and b.rng.random() < 0.7
        place, kind = (("（合成数据）一站式询问救助中心", "one_stop_centre") if one_stop
                       else ("（合成数据）未成年人询问室", "police_station") if c.story.minor
                       else ("（合成数据）刑侦大队询问室", "police_station"))
        attendees = [{"agency": "womens_federation", "role": ""}] if one_stop else []
        b.row(Interview, c.case_id, 1, at, inv.pk, "female", place, c.story.minor, "", True, None, kind,
              json.dumps(attendees))
        b.log(at, inv, "interview.recorded", c.case_id, {"sequence": 1, "audio_video": True, "repeat": False})
        return "interview:1"
    kind = EVIDENCE_FOR.get(key)
    if kind is None:
        return None
    number = len(c.evidence) + 1
    c.evidence.append(key)
    pk = b.row(EvidenceItem, c.case_id, number, kind, item_id,
               b.shared(EvidenceItem, "description", f"（合成数据）{kind}"), inv.pk, at, at)
    b.row(CustodyEvent, pk, 1, "", inv.first_name or inv.username, at, "（合成数据）刑侦大队物证室", "", inv.pk, at)
    b.log(at, inv, "evidence.registered", c.case_id,
          {"item": pk, "number": number, "kind": kind, "checklist_item": key})
    return f"evidence:E-{number}"
