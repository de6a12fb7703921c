"""python manage.py backup: an encrypted backup of the database and the evidence files, or
of the keys (separately), and the pruning of old backups.

  backup --init-key                      make the backup key (once; then back up the keys)
  backup --to DIR [--prune]              database + evidence files, under the backup key;
                                         --prune then applies the retention policy to DIR
  backup --keys --to DIR [--passphrase-file F]   the keys, under a passphrase
  backup --prune-only --to DIR [--dry-run]       the retention policy alone

Exit status 0 when the backup is whole; 1 with a message otherwise (a backup that could not
copy every evidence file is still written, and says which files were missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from lantern.core.context import origin
from lantern.core.errors import LanternError
from lantern.site.backup import audited, keyring, retention, stream
from lantern.site.backup.archive import make_backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and evidence files, or (--keys) of the keys."

    def _say(self, text: str) -> None:
        if not self.quiet:
            self.stdout.write(text)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", type=Path, help="directory the backup is written into")
        parser.add_argument("--keys", action="store_true", help="back up the keys, sealed under a passphrase")
        parser.add_argument("--passphrase-file", help=f"file holding the passphrase (else ${keyring.PASSPHRASE_ENV})")
        parser.add_argument("--init-key", action="store_true", help="make the backup key file")
        parser.add_argument("--prune", action="store_true", help="after the backup, remove the backups the "
                            "retention policy drops")
        parser.add_argument("--prune-only", action="store_true", help="prune without making a backup")
        parser.add_argument("--dry-run", action="store_true", help="when pruning, only say what would go")

    def handle(self, *args: Any, **options: Any) -> None:
        self.quiet = options["verbosity"] == 0
        with origin("cli"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        try:
            if options["init_key"]:
                return self._init_key()
            if options["to"] is None:
                raise CommandError(_("Say where the backup goes: --to DIR."))
            if options["keys"]:
                return self._keys(options["to"], options["passphrase_file"])
            if not options["prune_only"]:
                self._data(options["to"])
            if options["prune"] or options["prune_only"]:
                self._prune(options["to"], dry_run=options["dry_run"])
        except LanternError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc

    def _init_key(self) -> None:
        path = stream.key_file()
        if path.exists():
            raise CommandError(_("A backup key exists already at %(path)s; its backups need it. Keep it.")
                               % {"path": path})
        key = stream.create_key(path)
        self._say(f"backup key made: {path} (id {key.fingerprint}). Now back up the keys: "
                          "manage.py backup --keys --to DIR")
        self._record_if_installed(audited.record_backup_key_made, key_id=key.fingerprint)

    def _data(self, to: Path) -> None:
        made = make_backup(to=to, key=stream.load_key())
        manifest = made.manifest
        audited.record_backup_made(name=made.path.name, manifest=manifest)  # a partial one too: it holds data
        counts = manifest["counts"]
        self._say(f"backup written: {made.path}")
        self._say(f"  {counts['cases']} cases, {manifest['evidence']['files']} evidence files, "
                          f"{counts['audit_entries']} audit entries (head #{manifest['audit_head']['seq']}), "
                          f"{manifest['archive']['bytes']} bytes, key {manifest['backup_key']}")
        if manifest["evidence"]["missing"]:
            raise CommandError(_("%(n)s evidence files named by the database were not on disk and are not in the "
                                 "backup: %(uuids)s") % {"n": len(manifest["evidence"]["missing"]),
                                                        "uuids": ", ".join(manifest["evidence"]["missing"][:10])})

    def _keys(self, to: Path, passphrase_file: str | None) -> None:
        path, missing = keyring.backup_keys(to=to, secret=keyring.passphrase(passphrase_file))
        held = [k.name for k in keyring.key_files() if k.name not in missing]
        self._record_if_installed(audited.record_keys_backed_up, name=path.name, keys=held, missing=missing)
        self._say(f"keys backup written: {path}. Keep it offline, in two places, apart from the data "
                          "backups and from the passphrase.")
        for note in keyring.notes():
            self._say(f"  note: {note}")
        if missing:
            self._say(f"  not present here, so not in it: {', '.join(missing)}")

    def _prune(self, to: Path, *, dry_run: bool) -> None:
        policy = retention.Policy(settings.LANTERN_BACKUP_KEEP_DAILY, settings.LANTERN_BACKUP_KEEP_WEEKLY,
                                  settings.LANTERN_BACKUP_KEEP_MONTHLY)
        kept, removed = retention.prune(to, policy, dry_run=dry_run)
        if removed and not dry_run:
            audited.record_backups_pruned(removed=[p.name for p in removed], kept=len(kept))
        verb = "would remove" if dry_run else "removed"
        for path in removed:
            self._say(f"{verb}: {path.name}")
        self._say(f"{len(kept)} backups kept ({policy.daily} daily, {policy.weekly} weekly, "
                          f"{policy.monthly} monthly)")

    def _record_if_installed(self, record: Any, **details: Any) -> None:
        """The key and the keys backup come first on a new machine, maybe before the
        database exists: then they are made, and the command says they are not recorded."""
        try:
            record(**details)
        except DatabaseError:
            self.stderr.write(_("Not recorded in the audit log: this installation has no database yet "
                                "(run `manage.py migrate`)."))
