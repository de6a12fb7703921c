"""An evidence file is written before its row commits, so that a committed row always has
its file; an upload whose transaction then rolls back (or whose process is killed before
COMMIT) leaves a file no row names. The hourly job removes such files, and the partial
writes of killed processes, once no transaction could still commit them."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from lantern.cases.workflow import perform
from lantern.core.scheduled import all_jobs
from lantern.evidence import storage
from lantern.evidence.models import EvidenceFile
from lantern.evidence.services import register_evidence_with_file, remove_orphan_files
from lantern.intake.schemas import ReportIn
from lantern.intake.services import register_report
from tests.cases.helpers import police, report

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + b"x" * 2000


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, settings):
    settings.LANTERN_EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def upload(units):
    people = police(units)
    case = register_report(actor=people["intake"], report=ReportIn.model_validate(report())).case
    perform(case=case, actor=people["supervisor"], name="begin_review")

    def one() -> EvidenceFile:
        return register_evidence_with_file(
            actor=people["supervisor"], case=case, upload=SimpleUploadedFile("scan.pdf", PDF), kind="document",
            description="合成物证", collected_at=timezone.now(), place="清水县公安局")[1]

    return one


def hours_old(*paths, hours: float = 2) -> None:
    then = time.time() - hours * 3600
    for path in paths:
        os.utime(path, (then, then))


def test_a_rolled_back_upload_leaves_a_file_that_the_sweep_removes_once_old_enough(upload):
    kept = upload()
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = upload()
        raise RuntimeError("the request failed after the upload")
    orphan = storage.path_of(str(rolled_back.uuid))
    assert orphan.exists() and not EvidenceFile.objects.filter(uuid=rolled_back.uuid).exists()
    partial = orphan.parent / "tmpkilled.tmp"  # what a process killed while writing leaves
    partial.write_bytes(b"half a file")

    assert remove_orphan_files() == 0  # young: its transaction may still be running
    hours_old(orphan, partial, storage.path_of(str(kept.uuid)))
    assert remove_orphan_files() == 2
    assert not orphan.exists() and not partial.exists()
    assert storage.read(str(kept.uuid), kept.data_key, kept.sha256) == PDF


def test_the_sweep_runs_by_itself_as_a_periodic_job():
    assert "evidence.remove_orphan_files" in [job.name for job in all_jobs()]
