"""The offence-record check before hiring (入职查询, Minors Protection Law art. 62): an
institution asks whether an applicant is on the sex-offence registry and hears ``hit`` or
``no_hit``, nothing else. The lookup goes through the blind index of the ID number (one
indexed query over digests, nothing decrypted); the check keeps the digest, never the
number; every check is audited; checks are counted per institution and per day in the
database, so the limit holds across processes and machines. A hit tells the institution
to contact its serving police unit, and tells that unit.

A bulk check (a school's annual check of all its staff) stores its rows as pending checks
and answers them in chunks: the page's progress bar asks for the next chunk, and the job
``institutions.finish_bulk_checks`` finishes what a closed page left."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.access.roles import Role
from lantern.accounts.models import Institution, User
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action
from lantern.core.errors import RateLimited, ValidationFailed
from lantern.core.vault.blind import IdKind, digest, normalize_id_number
from lantern.institutions.models import BulkCheck, CheckPurpose, CheckResult, RegistryCheck
from lantern.institutions.services import institution_of
from lantern.intake.services import handling_unit
from lantern.linkage.registry import reported_digests
from lantern.notifications.services import notify

T = TypeVar("T")
CHUNK = 250  # rows answered per request of the progress bar, or per pass of the job
MAX_BULK_ROWS = 5000
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID = re.compile(r"[0-9]{17}[0-9X]")
NAME_HEADERS = ("name", "姓名")
ID_HEADERS = ("id_number", "身份证号", "身份证号码", "公民身份号码")


def valid_id_number(raw: str) -> str | None:
    """The resident ID number in its normal form when it is one (GB 11643: 18 characters,
    the last a check character over the first 17), else None."""
    number = normalize_id_number(raw)
    if not _ID.fullmatch(number):
        return None
    check = "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], _WEIGHTS, strict=True)) % 11]
    return number if number[17] == check else None


def limits() -> dict[str, int]:
    """Checks per institution per day (policy: the law sets none; a limit makes fishing
    through the registry slow and visible). Bulk rows count apart from single checks."""
    return {"single": int(getattr(settings, "LANTERN_REGISTRY_CHECKS_PER_DAY", 100)),
            "bulk": int(getattr(settings, "LANTERN_REGISTRY_BULK_ROWS_PER_DAY", 3000))}


def _today_start() -> dt.datetime:
    local = timezone.localtime()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def used_today(institution: Institution) -> dict[str, int]:
    today = RegistryCheck.objects.filter(institution=institution, created_at__gte=_today_start())
    return {"single": today.filter(batch__isnull=True).count(), "bulk": today.filter(batch__isnull=False).count()}


def _reserve(institution: Institution, which: str, n: int) -> None:
    """Count ``n`` more checks of today against the limit, or refuse with 429. The
    institution's row is locked first, so concurrent requests count one after another."""
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    limit, used = limits()[which], used_today(institution)[which]
    if used + n > limit:
        tomorrow = _today_start() + dt.timedelta(days=1)
        raise RateLimited(
            _("Your institution has made its %(limit)d checks of this kind for today (%(used)d so far). The count "
              "starts again at midnight; for more, ask your serving police unit.") % {"limit": limit, "used": used},
            details={"retry_after_seconds": int((tomorrow - timezone.now()).total_seconds()), "limit": limit,
                     "used": used})


def _audit_limit_refusals(which: str, run: Callable[..., T], *, actor: Any, **kwargs: Any) -> T:
    """Run a check action; a refusal for the day's limit rolls it back and is then audited
    in a transaction of its own (as core.actions does for a permission refusal)."""
    institution = institution_of(actor)
    try:
        return run(actor=actor, institution=institution, **kwargs)
    except RateLimited:
        with transaction.atomic():
            record(actor=actor, action=Event.INSTITUTION_REGISTRY_CHECK_LIMITED, obj=institution,
                   details={"institution": institution.unit_id, "kind": which})
        raise


def _confirm(purpose: str, consent: bool) -> None:
    problems = {}
    if purpose not in CheckPurpose.values:
        problems["purpose"] = [_("Choose the purpose: hiring for a post in contact with minors, or the annual check "
                                 "of staff in post.")]
    if consent is not True:
        problems["applicant_consent"] = [_("Confirm that the applicant gave written consent to the check.")]
    if problems:
        raise ValidationFailed(details=problems)


def check_applicant(*, actor: Any, name: str, id_number: str, purpose: str, consent: bool) -> RegistryCheck:
    """One applicant: ``hit`` or ``no_hit``. Refusals for the limit are audited too."""
    return _audit_limit_refusals("single", _check_applicant, actor=actor, name=name, id_number=id_number,
                                 purpose=purpose, consent=consent)


@action
def _check_applicant(*, actor: Any, institution: Institution, name: str, id_number: str, purpose: str,
                     consent: bool) -> RegistryCheck:
    _confirm(purpose, consent)
    number, name = valid_id_number(id_number), unicodedata.normalize("NFKC", name or "").strip()
    problems = {}
    if not 1 <= len(name) <= 60:
        problems["name"] = [_("Give the applicant's name as on the ID card (at most 60 characters).")]
    if number is None:
        problems["id_number"] = [_("This is not a resident ID number: 18 characters, the last a digit or X, "
                                   "with a valid check character. Copy it from the ID card again.")]
    if problems:
        raise ValidationFailed(details=problems)
    _reserve(institution, "single", 1)
    now = timezone.now()
    check = RegistryCheck.objects.create(institution=institution, checked_by=actor, created_at=now, purpose=purpose,
                                         applicant_name=name, id_digest=digest(IdKind.ID_NUMBER, number))
    _answer([check], actor=actor, at=now)
    return check


def _answer(checks: list[RegistryCheck], *, actor: Any, at: dt.datetime) -> int:
    """Look the digests up (one query), store and audit each answer, tell of the hits.
    The same work for a hit and a no-hit, but for the two notices, so the answer's
    timing says little."""
    found = reported_digests({c.id_digest for c in checks}, on=timezone.localdate(at))
    for c in checks:
        c.result = CheckResult.HIT if c.id_digest in found else CheckResult.NO_HIT
        c.checked_at = at
    RegistryCheck.objects.bulk_update(checks, ["result", "checked_at"])
    for c in checks:
        record(actor=actor, action=Event.INSTITUTION_REGISTRY_CHECKED, obj=c,
               details={"institution": c.institution.unit_id, "purpose": c.purpose, "result": c.result,
                        "id_digest": c.id_digest, "batch": c.batch_id, "row": c.row})
    hits = [c for c in checks if c.result == CheckResult.HIT]
    if hits:
        _tell_of_hits(hits[0].institution, len(hits), at)
    return len(hits)


def serving_officers(institution: Institution) -> list[User]:
    """Who at the serving unit hears of a hit: its heads, supervisors and intake officers,
    or the supervisors of the bureau above a station that has none."""
    roles = (Role.UNIT_HEAD, Role.SUPERVISOR, Role.INTAKE_OFFICER)
    here = list(User.objects.filter(is_active=True, unit=institution.serving_unit, roles__role__in=roles).distinct())
    if here:
        return here
    bureau = handling_unit(institution.serving_unit)
    return list(User.objects.filter(is_active=True, unit=bureau, roles__role=Role.SUPERVISOR).distinct())


def _tell_of_hits(institution: Institution, hits: int, at: dt.datetime) -> None:
    day = timezone.localtime(at).strftime("%Y-%m-%d")
    params = {"institution": institution.unit.name, "unit": institution.serving_unit.name, "day": day, "hits": hits}
    notify(recipients=serving_officers(institution), kind="registry_check_hit", params=params)
    staff = User.objects.filter(is_active=True, unit=institution.unit, roles__role=Role.INSTITUTION).distinct()
    notify(recipients=list(staff), kind="registry_check_instruction", params=params)


# --- Bulk checks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    id_number: str


def read_rows(data: bytes) -> list[Row]:
    """The CSV's rows, by header name (name / 姓名, id_number / 身份证号), UTF-8 or GB18030
    (what Excel saves in Chinese). Every bad row is named, and then nothing is stored."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text))
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    name_col = next((headers[h] for h in NAME_HEADERS if h in headers), None)
    id_col = next((headers[h] for h in ID_HEADERS if h in headers), None)
    if name_col is None or id_col is None:
        raise ValidationFailed(details={"file": [_("The first line must name the columns: name (姓名) and id_number "
                                                   "(身份证号).")]})
    rows, bad = [], []
    for n, raw in enumerate(reader, start=2):
        name = unicodedata.normalize("NFKC", raw.get(name_col) or "").strip()
        number = valid_id_number(raw.get(id_col) or "")
        if not name and not (raw.get(id_col) or "").strip():
            continue  # an empty line
        if number is None or not 1 <= len(name) <= 60:
            bad.append(n)
        else:
            rows.append(Row(n, name, number))
    if bad:
        shown = ", ".join(str(n) for n in bad[:20]) + ("…" if len(bad) > 20 else "")
        raise ValidationFailed(details={"file": [_("These lines have no name or no valid ID number: %(lines)s. Correct "
                                                   "them and upload the file again; nothing was checked.")
                                                 % {"lines": shown}]})
    if not rows:
        raise ValidationFailed(details={"file": [_("The file has no rows to check.")]})
    if len(rows) > MAX_BULK_ROWS:
        raise ValidationFailed(details={"file": [_("A file takes at most %(n)d rows; split it.")
                                                 % {"n": MAX_BULK_ROWS}]})
    return rows


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(details={"file": [_("Save the file as CSV in UTF-8 (or as Excel's Chinese CSV).")]})


def start_bulk_check(*, actor: Any, file_name: str, data: bytes, purpose: str, consent: bool) -> BulkCheck:
    return _audit_limit_refusals("bulk", _start_bulk_check, actor=actor, file_name=file_name, data=data,
                                 purpose=purpose, consent=consent)


@action
def _start_bulk_check(*, actor: Any, institution: Institution, file_name: str, data: bytes, purpose: str,
                      consent: bool) -> BulkCheck:
    _confirm(purpose, consent)
    rows = read_rows(data)
    _reserve(institution, "bulk", len(rows))
    now = timezone.now()
    batch = BulkCheck.objects.create(institution=institution, uploaded_by=actor, uploaded_at=now, purpose=purpose,
                                     file_name=(file_name or "applicants.csv")[:200], total=len(rows))
    RegistryCheck.objects.bulk_create(
        [RegistryCheck(institution=institution, checked_by=actor, created_at=now, purpose=purpose,
                       applicant_name=r.name, id_digest=digest(IdKind.ID_NUMBER, r.id_number), batch=batch,
                       row=r.number) for r in rows],
        batch_size=500)
    record(actor=actor, action=Event.INSTITUTION_REGISTRY_BULK_UPLOADED, obj=batch,
           details={"institution": institution.unit_id, "purpose": purpose, "rows": len(rows)})
    return batch


@action
def continue_bulk_check(*, batch: BulkCheck, actor: Any = None, rows: int = CHUNK) -> BulkCheck:
    """Answer the next ``rows`` pending rows; the batch is locked, so the page and the job
    never answer a row twice."""
    batch = BulkCheck.objects.select_for_update().select_related("institution__unit").get(pk=batch.pk)
    if batch.finished_at is not None:
        return batch
    pending = list(RegistryCheck.objects.filter(batch=batch, result=CheckResult.PENDING).order_by("row")[:rows])
    for c in pending:
        c.institution = batch.institution
    hits = _answer(pending, actor=actor or batch.uploaded_by, at=timezone.now()) if pending else 0
    batch.done += len(pending)
    batch.hits += hits
    if batch.done >= batch.total:
        batch.finished_at = timezone.now()
    batch.save(update_fields=["done", "hits", "finished_at"])
    return batch


def unfinished_batches() -> Iterable[BulkCheck]:
    return BulkCheck.objects.filter(finished_at__isnull=True).order_by("uploaded_at")
