"""The crash test's check is not blind: shown a database with what a crash could have done
to it (an acknowledged write missing, a file gone, a case without its clocks, a file no
row names), it names each one."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lantern.cases.workflow import perform
from lantern.deadlines.models import Deadline
from lantern.evidence import storage
from lantern.evidence.services import register_evidence_with_file
from lantern.intake.schemas import ReportIn
from lantern.intake.services import register_report
from tests.cases.helpers import police, report
from tests.crash import world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + b"x" * 2000


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, settings):
    settings.LANTERN_EVIDENCE_DIR = tmp_path / "evidence"


def test_the_check_names_each_loss_and_each_half_written_record(units):
    people = police(units)
    case = register_report(actor=people["intake"], report=ReportIn.model_validate(report())).case
    perform(case=case, actor=people["supervisor"], name="begin_review")
    item, row = register_evidence_with_file(
        actor=people["supervisor"], case=case, upload=SimpleUploadedFile("scan.pdf", PDF), kind="document",
        description="合成物证", collected_at=timezone.now(), place="清水县公安局")
    storage.path_of(str(row.uuid)).unlink()
    Deadline.objects.filter(case=case).delete()
    orphan = storage.path_of(str(uuid.uuid4()))
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"an upload that never committed")

    found = world.check({"cases": [{"id": case.pk + 1000, "key": "never-committed"}],
                         "evidence": [{"item": item.pk, "file": str(row.uuid), "sha256": "0" * 64}]})

    problems = "\n".join(found["problems"])
    assert f"acknowledged case {case.pk + 1000} is missing" in problems
    assert f"case {case.pk} is half-written" in problems
    assert f"evidence file {row.uuid}: missing on disk or its digest differs" in problems
    assert f"acknowledged evidence item {item.pk}: its file row is missing or differs" in problems
    assert found["orphans_swept"] == 1 and not orphan.exists()


def test_a_whole_database_passes_the_check(units):
    people = police(units)
    case = register_report(actor=people["intake"], report=ReportIn.model_validate(report())).case
    perform(case=case, actor=people["supervisor"], name="begin_review")
    item, row = register_evidence_with_file(
        actor=people["supervisor"], case=case, upload=SimpleUploadedFile("scan.pdf", PDF), kind="document",
        description="合成物证", collected_at=timezone.now(), place="清水县公安局")

    found = world.check({"cases": [], "evidence": [{"item": item.pk, "file": str(row.uuid), "sha256": row.sha256}]})

    assert found["problems"] == [] and found["orphans_swept"] == 0
