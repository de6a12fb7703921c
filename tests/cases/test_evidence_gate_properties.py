"""Property-based: whatever officers click, record, send to the laboratory or identify, in
any order, the evidence gate never sees an item done that nothing shows, that could not
have been done, or that waits for a laboratory result; and a non-filing is never
proposed past it."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from lantern.cases import gate, suspects, workflow
from lantern.cases.checklist import set_checklist_item
from lantern.cases.models import ItemStatus
from lantern.core.errors import LanternError
from lantern.evidence import interviews, lab, services
from lantern.evidence.models import EvidenceItem, LabSubmission
from lantern.intake.schemas import ComplainantIn, ReportIn, SuspectIn, VictimIn
from lantern.intake.services import register_report
from tests.cases.helpers import police

KEYS = ["victim_interview", "forensic_examination", "biological_evidence", "phone_extraction",
        "suspect_statements", "cctv_records", None]
SEEN: set[str] = set()  # what the runs met: runs that never hold or prove an item prove little


def make_machine(people: dict):
    inv, sup = people["investigator"], people["supervisor"]

    class Gate(RuleBasedStateMachine):
        @initialize()
        def report(self):
            report = ReportIn(received_at=timezone.now(), channel="walk_in", offence_date=timezone.localdate(),
                              narrative="合成", victim=VictimIn(name="测试", sex="female", estimated_age=30),
                              complainant=ComplainantIn(name="测试", relation="本人"),
                              suspects=[SuspectIn(name="")])  # not identified
            self.case = register_report(actor=people["intake"], report=report).case
            workflow.perform(case=self.case, actor=sup, name="assign", payload={"assignees": ["c_inv"]})
            workflow.perform(case=self.case, actor=inv, name="begin_review")

        def _try(self, call):
            with contextlib.suppress(LanternError):
                call()

        @rule(key=st.sampled_from(KEYS), kind=st.sampled_from(["sa_kit", "forensic_report", "statement"]))
        def register(self, key, kind):
            item = self.case.checklist.filter(key=key).first() if key else None
            self._try(lambda: services.register_evidence(
                actor=inv, case=self.case, kind=kind, description="合成", place="某地",
                collected_at=timezone.now() - dt.timedelta(hours=1), seal_number="S",
                checklist_item_id=item.pk if item else None))

        @rule(linked=st.booleans(), result=st.booleans())
        def kit_through_the_lab(self, linked, result):
            """The kit's usual path in one step, so that runs reach results as well as holds."""
            item = self.case.checklist.get(key="biological_evidence") if linked else None
            kit = services.register_evidence(actor=inv, case=self.case, kind="sa_kit", description="合成",
                                             place="医院", collected_at=timezone.now() - dt.timedelta(hours=1),
                                             seal_number="K", checklist_item_id=item.pk if item else None)
            lab.submit_to_lab(actor=inv, item=kit, laboratory="实验室", seal_number="K")
            if result:
                lab.record_lab_arrival(actor=inv, item=kit, received_at=timezone.now(), receipt_number="R")
                lab.record_lab_result(actor=inv, item=kit, result="结论")

        @rule(index=st.integers(0, 5))
        def send_to_lab(self, index):
            items = list(EvidenceItem.objects.filter(case=self.case, lab__isnull=True))
            if items:
                self._try(lambda: lab.submit_to_lab(actor=inv, item=items[index % len(items)], laboratory="实验室",
                                                    seal_number="S"))

        @rule(index=st.integers(0, 5))
        def lab_result(self, index):
            items = list(EvidenceItem.objects.filter(case=self.case, lab__isnull=False, lab__result_at__isnull=True))
            if items:
                item = items[index % len(items)]
                if item.lab.received_at is None:  # the laboratory's receipt comes first
                    self._try(lambda: lab.record_lab_arrival(actor=inv, item=item, received_at=timezone.now(),
                                                             receipt_number="R"))
                self._try(lambda: lab.record_lab_result(actor=inv, item=item, result="结论"))

        @rule()
        def interview(self):
            self._try(lambda: interviews.record_interview(
                actor=inv, case=self.case, at=timezone.now(), interviewer_sex="female", place="询问室"))

        @rule()
        def identify(self):
            self._try(lambda: suspects.change_status(actor=inv, suspect=self.case.suspects.first(),
                                                     move_name="identify"))

        @rule(key=st.sampled_from(KEYS[:-1]), status=st.sampled_from(ItemStatus.values),
              note=st.sampled_from([None, "", "已调取"]), by_supervisor=st.booleans())
        def click(self, key, status, note, by_supervisor):
            item = self.case.checklist.get(key=key)
            self._try(lambda: set_checklist_item(actor=sup if by_supervisor else inv, item=item, status=status,
                                                 note=note))

        @rule()
        def propose_non_filing(self):
            open_before = gate.open_items(self.case)
            try:
                workflow.perform(case=self.case, actor=inv, name="propose_non_filing", payload={"reason": "证据不足"})
            except LanternError:
                return
            assert not open_before

        @invariant()
        def the_gate_sees_only_what_is_shown(self):
            identified = self.case.suspects.exclude(status="unidentified").exists()
            held = set()
            for s in LabSubmission.objects.filter(item__case=self.case, result_at__isnull=True).select_related(
                    "item__checklist_item"):
                item = s.item
                held.add(item.checklist_item.key if item.checklist_item else
                         "biological_evidence" if item.kind == "sa_kit" else None)
            for r in gate.review(self.case):
                if r.item.key in held:
                    assert r.status == ItemStatus.OPEN
                    SEEN.add("held")
                if r.proof:
                    SEEN.add(f"proved:{r.item.key}")
                if r.status == ItemStatus.DONE:
                    assert r.item.status == ItemStatus.DONE and (r.proof or r.item.note.strip())
                    assert not r.blocked
                    if r.item.key in gate.PRECONDITIONS:
                        assert identified

    return Gate


@pytest.mark.django_db
def test_no_sequence_of_clicks_and_records_gets_past_the_evidence_gate(units):
    SEEN.clear()
    run_state_machine_as_test(make_machine(police(units)), settings=settings(
        max_examples=25, stateful_step_count=30, deadline=None, derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    assert {"held", "proved:victim_interview", "proved:biological_evidence", "proved:forensic_examination"} <= SEEN
