"""Evidence actions: register an item, hand it over, attach a file, read a file. Each is
atomic and audited; a read of a file is a read of identity (photos, statements) and is
allowed to those who may see identities."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.policy import Verb, require
from lantern.access.roles import Role
from lantern.audit.events import Event
from lantern.audit.models import Outcome
from lantern.audit.services import record
from lantern.cases.access import may_see_identity
from lantern.cases.checklist import tick_from_record
from lantern.cases.guards import require_case_work
from lantern.cases.models import Case, ChecklistItem
from lantern.core.actions import action
from lantern.core.errors import LanternError, NotFound, PermissionDenied, ValidationFailed
from lantern.deadlines.escalation import in_unit
from lantern.evidence import storage, types
from lantern.evidence.models import CustodyEvent, EvidenceFile, EvidenceItem, EvidenceKind
from lantern.evidence.selectors import current_holder
from lantern.notifications.services import notify


class FileTampered(LanternError):
    code = "evidence_file_tampered"
    status = 409
    default_message = _("This file does not match what was uploaded: it has been altered or damaged. "
                        "It was not sent; the supervisor and the audit log have been told.")


def _holder(actor: Any) -> str:
    return actor.get_full_name() or actor.username


@action
def register_evidence(*, actor: Any, case: Case, kind: str, description: str, collected_at: dt.datetime,
                      place: str, checklist_item_id: int | None = None,
                      seal_number: str = "") -> EvidenceItem:
    """``checklist_item_id`` as the client sent it: an item of another case, or none at
    all, is refused here, whichever form (JSON, multipart, page) carried it."""
    require_case_work(actor, case)
    problems: dict[str, list[str]] = {}
    checklist_item = None
    if checklist_item_id is not None:
        checklist_item = ChecklistItem.objects.filter(case=case, pk=checklist_item_id).first()
        if checklist_item is None:
            problems["checklist_item_id"] = [_("This case has no such checklist item.")]
    if kind not in EvidenceKind.values:
        problems["kind"] = [_("Not one of the evidence types.")]
    if not description.strip():
        problems["description"] = [_("Describe the item.")]
    if not place.strip():
        problems["place"] = [_("Say where it was collected.")]
    if collected_at > timezone.now() + dt.timedelta(minutes=5):
        problems["collected_at"] = [_("The collection time is in the future.")]
    if problems:
        raise ValidationFailed(details=problems)
    Case.objects.select_for_update().filter(pk=case.pk).first()  # numbers without gaps or doubles
    number = (EvidenceItem.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    item = EvidenceItem.objects.create(case=case, number=number, kind=kind, description=description.strip(),
                                       checklist_item=checklist_item, collected_by=actor, collected_at=collected_at)
    CustodyEvent.objects.create(item=item, sequence=1, from_holder="", to_holder=_holder(actor), at=collected_at,
                                place=place.strip(), seal_number=seal_number.strip(), recorded_by=actor)
    record(actor=actor, action=Event.EVIDENCE_REGISTERED, obj=case,
           details={"item": item.pk, "number": number, "kind": kind,
                    "checklist_item": checklist_item.key if checklist_item else None})
    if checklist_item is not None:
        tick_from_record(actor=actor, case=case, key=checklist_item.key, source=f"evidence:E-{number}")
    return item


@action
def hand_over(*, actor: Any, item: EvidenceItem, from_holder: str, to_holder: str, place: str,
              seal_number: str, at: dt.datetime | None = None) -> CustodyEvent:
    """The chain holds only if the giver is who holds the item now."""
    require_case_work(actor, item.case)
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    holder = current_holder(item)
    problems: dict[str, list[str]] = {}
    if from_holder.strip() != holder:
        problems["from_holder"] = [_("The item is held by %(holder)s: only the holder can hand it over.")
                                   % {"holder": holder}]
    if not to_holder.strip():
        problems["to_holder"] = [_("Say who receives the item.")]
    if not place.strip():
        problems["place"] = [_("Say where the hand-over took place.")]
    if not seal_number.strip():
        problems["seal_number"] = [_("Record the seal number on the package.")]
    last = item.custody.order_by("-sequence").first()
    at = at or timezone.now()
    if last is not None and at < last.at:
        problems["at"] = [_("A hand-over cannot come before the previous one.")]
    if problems:
        raise ValidationFailed(details=problems)
    event = CustodyEvent.objects.create(item=item, sequence=(last.sequence if last else 0) + 1,
                                        from_holder=holder, to_holder=to_holder.strip(), at=at,
                                        place=place.strip(), seal_number=seal_number.strip(), recorded_by=actor)
    record(actor=actor, action=Event.EVIDENCE_HANDED_OVER, obj=item.case,
           details={"item": item.pk, "sequence": event.sequence})
    return event


def _content(upload: Any) -> bytes:
    limit = settings.LANTERN_EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationFailed(details={"file": [
            _("The file is larger than %(mb)s MB. Split it or ask the administrator to raise the limit.")
            % {"mb": settings.LANTERN_EVIDENCE_MAX_MB}]})
    if upload.size == 0:
        raise ValidationFailed(details={"file": [_("The file is empty.")]})
    content = b"".join(upload.chunks())
    if types.detect(content[:8192]) is None:
        raise ValidationFailed(details={"file": [
            _("This kind of file is not accepted (by its content, whatever its name): use PDF, JPEG, PNG, "
              "MP4, MP3 or WAV.")]})
    return content


@action
def attach_file(*, actor: Any, item: EvidenceItem, upload: Any) -> EvidenceFile:
    require_case_work(actor, item.case)
    content = _content(upload)
    key = storage.new_key()
    row = EvidenceFile(item=item, original_name=(upload.name or "file")[:200],
                       content_type=types.detect(content[:8192]), size=len(content),
                       sha256=hashlib.sha256(content).hexdigest(), data_key=key, uploaded_by=actor)
    # The file goes to disk first, so a committed row always has its file. Should the
    # transaction then fail (or the process die), what stays on disk is unreadable noise
    # (its key was only ever in the row that was rolled back): remove_orphan_files clears it.
    storage.write(str(row.uuid), key, content)
    row.save()
    record(actor=actor, action=Event.EVIDENCE_FILE_ATTACHED, obj=item.case,
           details={"item": item.pk, "file": str(row.uuid), "size": row.size, "sha256": row.sha256})
    return row


@action
def authorise_file_read(*, actor: Any, file_uuid: str) -> EvidenceFile:
    try:
        uuid.UUID(file_uuid)
    except ValueError:
        raise NotFound() from None
    row = EvidenceFile.objects.select_related("item__case").filter(uuid=file_uuid).first()
    if row is None:
        raise NotFound()
    require(actor, Verb.VIEW, row.item.case)
    if not may_see_identity(actor, row.item.case):
        raise PermissionDenied(_("Evidence files show the people in the case: only those who may see "
                                 "identities may open them."))
    return row


@action
def record_file_read(*, actor: Any, row: EvidenceFile) -> None:
    record(actor=actor, action=Event.EVIDENCE_FILE_READ, obj=row.item.case,
           details={"item": row.item_id, "file": str(row.uuid)})


@action
def record_file_tampering(*, actor: Any, row: EvidenceFile) -> None:
    """Committed on its own: the refusal is the news."""
    case = row.item.case
    record(actor=actor, action=Event.EVIDENCE_FILE_TAMPERED, obj=case, outcome=Outcome.FAILURE,
           details={"item": row.item_id, "file": str(row.uuid)})
    notify(recipients=in_unit(case, Role.SUPERVISOR, Role.UNIT_HEAD), kind="evidence_tampered", case=case,
           title=_("Evidence file altered: case %(number)s, item E-%(item)s")
           % {"number": case.case_number, "item": row.item.number},
           body=_("A stored evidence file no longer matches the SHA-256 recorded at upload. It was not sent."))


def open_file(*, actor: Any, file_uuid: str) -> tuple[EvidenceFile, bytes]:
    """The file's content for a download, after the access check; re-checked against the
    digest taken at upload, and the read audited."""
    row = authorise_file_read(actor=actor, file_uuid=file_uuid)
    try:
        content = storage.read(str(row.uuid), row.data_key, row.sha256)
    except storage.Tampered:
        record_file_tampering(actor=actor, row=row)
        raise FileTampered() from None
    record_file_read(actor=actor, row=row)
    return row, content


ORPHAN_AGE = dt.timedelta(hours=1)  # far longer than any transaction that writes a file


def remove_orphan_files(*, older_than: dt.timedelta = ORPHAN_AGE) -> int:
    """Remove the files no row names (their transaction rolled back or its process was
    killed before COMMIT) and the partial writes of killed processes; returns how many.
    Only files older than ``older_than``: a younger one may belong to a transaction still
    running."""
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    found = storage.written_before(cutoff)
    while batch := list(itertools.islice(found, 500)):
        named = {name for name, _path in batch if name and _is_uuid(name)}
        kept = {str(u) for u in EvidenceFile.objects.filter(uuid__in=named).values_list("uuid", flat=True)}
        for name, path in batch:
            if name is None or (name in named and name not in kept):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _is_uuid(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False


@action
def register_evidence_with_file(*, actor: Any, case: Case, upload: Any, **fields: Any) -> tuple[EvidenceItem,
                                                                                                EvidenceFile]:
    """An item and its file in one step (the API's multipart form): both or neither."""
    item = register_evidence(actor=actor, case=case, **fields)
    return item, attach_file(actor=actor, item=item, upload=upload)


def receive_submitted_file(*, submitter: Any, case: Case, upload: Any, description: str,
                           submitted_by: str) -> EvidenceFile:
    """A file handed in from outside the police (a school's photo of an injury, a hospital's
    record attached to its mandatory report): registered on the case as an evidence item
    with the submitter as its first holder, and encrypted like any evidence file. Not an
    action of its own: the caller's action checked that ``submitter`` may hand it in."""
    content = _content(upload)
    kind = EvidenceKind.PHOTO if types.detect(content[:8192]) in ("image/jpeg", "image/png") else EvidenceKind.DOCUMENT
    Case.objects.select_for_update().filter(pk=case.pk).first()  # numbers without gaps or doubles
    number = (EvidenceItem.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    item = EvidenceItem.objects.create(case=case, number=number, kind=kind, description=description,
                                       collected_by=submitter, collected_at=now)
    CustodyEvent.objects.create(item=item, sequence=1, from_holder="", to_holder=submitted_by[:120], at=now,
                                place=submitted_by[:200], seal_number="", recorded_by=submitter)
    record(actor=submitter, action=Event.EVIDENCE_REGISTERED, obj=case,
           details={"item": item.pk, "number": number, "kind": kind, "checklist_item": None, "submitted": True})
    key = storage.new_key()
    row = EvidenceFile(item=item, original_name=(upload.name or "file")[:200],
                       content_type=types.detect(content[:8192]), size=len(content),
                       sha256=hashlib.sha256(content).hexdigest(), data_key=key,
                       uploaded_by=submitter)
    storage.write(str(row.uuid), key, content)
    row.save()
    record(actor=submitter, action=Event.EVIDENCE_FILE_ATTACHED, obj=case,
           details={"item": item.pk, "file": str(row.uuid), "size": row.size, "sha256": row.sha256})
    return row
