"""Backups in the audit log: making one copies every case and identity out of the
installation, restoring one replaces them, and pruning destroys history, so each is an
entry like any other access (CJIS Security Policy asks that backups be accounted for as
the data they hold). The entries name backups, counts, the audit head and key ids, never
a key or anything a backup holds.

The commands run at the shell, as no Lantern user: the actor is Lantern and the source
"cli". A restore's entry is written into the restored database, after its chain was
verified, so the restored log itself says when and from what it was brought back."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action

OBJECT_TYPE = "site.backup"


@action
def record_backup_made(*, name: str, manifest: dict[str, Any]) -> None:
    counts = manifest["counts"]
    record(actor=None, action=Event.BACKUP_MADE, object_type=OBJECT_TYPE, object_id=name, details={
        "cases": counts["cases"], "audit_entries": counts["audit_entries"], "audit_head": manifest["audit_head"]["seq"],
        "evidence_files": manifest["evidence"]["files"], "missing_files": len(manifest["evidence"]["missing"]),
        "bytes": manifest["archive"]["bytes"], "key_id": manifest["backup_key"]})


@action
def record_backup_restored(*, name: str, manifest: dict[str, Any], replaced: bool, without_keys: bool) -> None:
    counts = manifest["counts"]
    record(actor=None, action=Event.BACKUP_RESTORED, object_type=OBJECT_TYPE, object_id=name, details={
        "made_at": manifest["made_at"], "cases": counts["cases"], "audit_head": manifest["audit_head"]["seq"],
        "evidence_files": manifest["evidence"]["files"], "replaced": replaced, "without_keys": without_keys})


@action
def record_keys_backed_up(*, name: str, keys: list[str], missing: list[str]) -> None:
    record(actor=None, action=Event.BACKUP_KEYS_MADE, object_type=OBJECT_TYPE, object_id=name,
           details={"keys": sorted(keys), "missing": sorted(missing)})


@action
def record_backup_key_made(*, key_id: str) -> None:
    record(actor=None, action=Event.BACKUP_KEY_MADE, object_type=OBJECT_TYPE, object_id=key_id,
           details={"key_id": key_id})


@action
def record_backups_pruned(*, removed: list[str], kept: int) -> None:
    record(actor=None, action=Event.BACKUP_PRUNED, object_type=OBJECT_TYPE, object_id="",
           details={"removed": sorted(removed), "kept": kept})


# ---- how the entries read (the audit log page, a case's history never shows them) ------

def _from_details(message: Any, **fields: str) -> Any:
    """A rendering that fills ``message`` with the actor and these fields of the details."""
    def render(reading: Any) -> str:
        return str(message) % {"actor": reading.actor, **{k: reading.details.get(f, "?") for k, f in fields.items()}}
    return render


_made = _from_details(gettext_lazy("%(actor)s made an encrypted backup: %(cases)s cases, %(files)s evidence files, "
                                   "the audit log up to entry #%(seq)s"),
                      cases="cases", files="evidence_files", seq="audit_head")
_restored = _from_details(gettext_lazy("%(actor)s restored the backup made at %(made_at)s: %(cases)s cases, the "
                                       "audit log up to entry #%(seq)s"),
                          made_at="made_at", cases="cases", seq="audit_head")


def _pruned(reading: Any) -> str:
    return str(gettext_lazy("%(actor)s removed %(n)s old backups under the retention policy")) % {
        "actor": reading.actor, "n": len(reading.details.get("removed", []))}


def register_renderings() -> None:
    from lantern.audit import readable

    readable.register(Event.BACKUP_MADE, _made)
    readable.register(Event.BACKUP_RESTORED, _restored)
    readable.register(Event.BACKUP_PRUNED, _pruned)
    readable.register(Event.BACKUP_KEYS_MADE, readable.said(gettext_lazy(
        "%(actor)s made a backup of the keys, sealed under a passphrase")))
    readable.register(Event.BACKUP_KEY_MADE, readable.said(gettext_lazy("%(actor)s made the backup key")))
