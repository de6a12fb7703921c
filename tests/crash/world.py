"""The crash test's database, seen from a process of its own with the application's
settings (DATABASE_URL, LANTERN_VAR_DIR and the rest in its environment), as the crashed
application saw it:

  python -m tests.crash.world setup          migrates, prints the writers' API tokens and cases (JSON)
  python -m tests.crash.world check ACKED    prints what is missing, half-written or orphaned

ACKED is a JSON file of the writes the application acknowledged: {"cases": [{"id", "key"}],
"evidence": [{"item", "file", "sha256"}]}. Ids and digests only, never personal data."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from typing import Any

ISSUED_BY = "crash_intake"  # the officer whose API reports the check counts (setup's cases are another's)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()


def setup() -> dict[str, Any]:
    """The schema, keys, units, an intake officer and a supervisor with tokens, and cases
    under review that the evidence writers register items on."""
    from django.core.management import call_command

    from lantern.access.roles import Role
    from lantern.accounts.signin import issue_api_token
    from lantern.cases.workflow import perform
    from lantern.core.vault.keys import provider
    from lantern.intake.schemas import ReportIn
    from lantern.intake.services import register_report
    from tests.cases.helpers import report
    from tests.factories import make_user, unit_tree

    call_command("migrate", interactive=False, verbosity=0)
    provider().create()
    units = unit_tree()
    intake = make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER, username=ISSUED_BY)
    setup_intake = make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER, username="crash_setup")
    supervisor = make_user(units, "QS-XZDD", Role.SUPERVISOR, username="crash_sup")
    cases = []
    for _n in range(4):
        case = register_report(actor=setup_intake, report=ReportIn.model_validate(report())).case
        perform(case=case, actor=supervisor, name="begin_review")
        cases.append(case.pk)
    return {"intake_token": issue_api_token(user=intake)[0], "supervisor_token": issue_api_token(user=supervisor)[0],
            "cases": cases}


def check(acked: dict[str, Any]) -> dict[str, Any]:
    """Seal what is pending, sweep orphaned files as the hourly job does (no writer is left,
    so with no grace), then look at everything."""
    import datetime as dt

    from lantern.audit.services import seal_pending
    from lantern.audit.verify import verify_chain
    from lantern.evidence.services import remove_orphan_files

    tmp_left = _partial_writes()
    swept = remove_orphan_files(older_than=dt.timedelta(0))
    sealed = seal_pending()
    chain = verify_chain()
    entries = _entries()
    problems = [f"audit chain: {chain.problem}"] if not chain.ok else []
    problems += _acked_cases(acked["cases"], entries)
    problems += _acked_evidence(acked["evidence"], entries)
    problems += _whole_cases(entries)
    problems += _whole_evidence(entries)
    problems += _files_with_rows()
    return {"problems": problems, "orphans_swept": swept, "partial_writes_swept": tmp_left,
            "sealed_at_check": sealed, "chain_entries": chain.checked, "counts": _counts()}


def _entries() -> dict[tuple[str, str], list[int | None]]:
    """(action, subject) -> the sequence numbers of its entries; the subject is the case
    for a registration, the item or file for evidence."""
    from lantern.audit.events import Event
    from lantern.audit.models import AuditEntry

    found: dict[tuple[str, str], list[int | None]] = {}
    rows = AuditEntry.objects.filter(action__in=[Event.CASE_REGISTERED, Event.EVIDENCE_REGISTERED,
                                                 Event.EVIDENCE_FILE_ATTACHED])
    for action, object_id, details, seq in rows.values_list("action", "object_id", "details", "seq"):
        subject = {Event.EVIDENCE_REGISTERED: str(details.get("item")),
                   Event.EVIDENCE_FILE_ATTACHED: str(details.get("file"))}.get(action, object_id)
        found.setdefault((action, subject), []).append(seq)
    return found


def _one_sealed(entries: dict, action: str, subject: Any, what: str) -> list[str]:
    seqs = entries.get((action, str(subject)), [])
    if len(seqs) != 1 or seqs[0] is None:
        return [f"{what}: {len(seqs)} {action} entries (sealed: {[s for s in seqs if s]})"]
    return []


def _acked_cases(acked: list[dict[str, Any]], entries: dict) -> list[str]:
    from lantern.audit.events import Event
    from lantern.cases.models import Case
    from lantern.core.models import IdempotencyRecord

    problems = []
    present = set(Case.objects.filter(pk__in=[a["id"] for a in acked]).values_list("pk", flat=True))
    keys = Counter(IdempotencyRecord.objects.filter(scope="cases.create").values_list("key", flat=True))
    for a in acked:
        if a["id"] not in present:
            problems.append(f"acknowledged case {a['id']} is missing")
        if keys[a["key"]] != 1:
            problems.append(f"acknowledged case {a['id']}: {keys[a['key']]} idempotency records for its key")
        problems += _one_sealed(entries, Event.CASE_REGISTERED, a["id"], f"acknowledged case {a['id']}")
    if len({a["key"] for a in acked}) != len({a["id"] for a in acked}):
        problems.append("one idempotency key was acknowledged with two different cases")
    return problems


def _acked_evidence(acked: list[dict[str, Any]], entries: dict) -> list[str]:
    from lantern.audit.events import Event
    from lantern.evidence.models import EvidenceFile

    problems = []
    files = {str(f.uuid): f for f in EvidenceFile.objects.filter(uuid__in=[a["file"] for a in acked])}
    for a in acked:
        row = files.get(a["file"])
        if row is None or row.item_id != a["item"] or row.sha256 != a["sha256"]:
            problems.append(f"acknowledged evidence item {a['item']}: its file row is missing or differs")
        problems += _one_sealed(entries, Event.EVIDENCE_REGISTERED, a["item"], f"acknowledged item {a['item']}")
        problems += _one_sealed(entries, Event.EVIDENCE_FILE_ATTACHED, a["file"], f"acknowledged file {a['file']}")
    return problems


def _whole_cases(entries: dict) -> list[str]:
    """Every case that exists was written whole: its people, identifiers, clocks,
    checklist, number and registration entry, and (for the API's) its idempotency record."""
    from django.db.models import Count

    from lantern.audit.events import Event
    from lantern.cases.models import Case, ChecklistItem, Complainant, Suspect, Victim
    from lantern.core.models import IdempotencyRecord
    from lantern.deadlines.models import Deadline
    from lantern.people.models import Identifier

    parts = [dict(model.objects.values("case").annotate(n=Count("pk")).values_list("case", "n"))
             for model in (Victim, Complainant, Suspect, Deadline, ChecklistItem, Identifier)]
    problems = []
    for pk, number in Case.objects.values_list("pk", "case_number"):
        counts = tuple(part.get(pk, 0) for part in parts)
        if 0 in counts or not number:
            problems.append(f"case {pk} is half-written: {counts}, numbered: {bool(number)}")
        problems += _one_sealed(entries, Event.CASE_REGISTERED, pk, f"case {pk}")
    by_api = Case.objects.filter(created_by__username=ISSUED_BY).count()
    records = IdempotencyRecord.objects.filter(scope="cases.create").count()
    if by_api != records:
        problems.append(f"{by_api} cases registered through the API but {records} idempotency records")
    return problems


def _whole_evidence(entries: dict) -> list[str]:
    """Every item has its first custody step and its entry; every file row its file, whole."""
    from django.db.models import Count

    from lantern.audit.events import Event
    from lantern.evidence import storage
    from lantern.evidence.models import EvidenceFile, EvidenceItem

    problems = []
    for item in EvidenceItem.objects.annotate(steps=Count("custody"), file_rows=Count("files")):
        if item.steps != 1 or item.file_rows != 1:
            problems.append(f"evidence item {item.pk}: {item.steps} custody steps, {item.file_rows} files")
        problems += _one_sealed(entries, Event.EVIDENCE_REGISTERED, item.pk, f"evidence item {item.pk}")
    for row in EvidenceFile.objects.all():
        try:
            storage.read(str(row.uuid), row.data_key, row.sha256)
        except storage.Tampered:
            problems.append(f"evidence file {row.uuid}: missing on disk or its digest differs")
        problems += _one_sealed(entries, Event.EVIDENCE_FILE_ATTACHED, row.uuid, f"evidence file {row.uuid}")
    return problems


def _stored() -> list[str]:
    from pathlib import Path

    from django.conf import settings

    return [p.name for p in Path(settings.LANTERN_EVIDENCE_DIR).glob("*/*")]


def _partial_writes() -> int:
    return sum(1 for name in _stored() if name.endswith(".tmp"))


def _files_with_rows() -> list[str]:
    """After the sweep, nothing on disk that no row names (counted here by name, apart
    from the sweep's own reading)."""
    from lantern.evidence.models import EvidenceFile

    rows = {f"{u}.bin" for u in EvidenceFile.objects.values_list("uuid", flat=True)}
    return [f"orphaned evidence file {name}" for name in _stored() if name not in rows]


def _counts() -> dict[str, int]:
    from lantern.audit.models import AuditEntry
    from lantern.cases.models import Case
    from lantern.evidence.models import EvidenceFile

    return {"cases": Case.objects.count(), "cases_by_api": Case.objects.filter(created_by__username=ISSUED_BY).count(),
            "evidence_files": EvidenceFile.objects.count(),
            "audit_entries": AuditEntry.objects.count()}


def main(argv: list[str]) -> None:
    _django()
    if argv[1:2] == ["setup"]:
        print(json.dumps(setup()))
    elif argv[1:2] == ["check"] and len(argv) == 3:
        with open(argv[2], encoding="utf-8") as fh:
            print(json.dumps(check(json.load(fh))))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
