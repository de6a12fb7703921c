"""python manage.py rotate_keys [--new-key ID] [--retire]

Rotation without downtime: a new master key becomes current in the key file; running
workers pick it up within the provider's recheck interval and encrypt with it; then every
encrypted value in the database has its data key re-wrapped by the new key, one row at
a time, each update conditional on the value being unchanged (a row edited meanwhile is
re-read and retried). The ciphertexts themselves never change, so reads work
throughout. --retire, best run later as a step of its own (after the backups taken
before the rotation have aged out), moves old keys to the file's archive once no value
uses them; --restore KEY brings one back to read an old backup."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lantern.core.vault import rotation
from lantern.core.vault.keys import provider


class Command(BaseCommand):
    help = "Add a new master key and re-wrap every data key with it; optionally retire old keys."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--new-key", help="id of the new key (default: k<timestamp>)")
        parser.add_argument("--no-new-key", action="store_true", help="only re-wrap values under old keys")
        parser.add_argument("--retire", action="store_true", help="archive old keys no value uses any more")
        parser.add_argument("--restore", help="bring an archived key back (to read an old backup)")
        parser.add_argument("--settle-seconds", type=float, default=None,
                            help="wait for running workers to see the new key (default: the provider's recheck)")

    def handle(self, *args: Any, **options: Any) -> None:
        keys = provider()
        if options["restore"]:
            keys.restore_key(options["restore"])  # type: ignore[attr-defined]
            self.stdout.write(f"restored {options['restore']}")
            return
        if not options["no_new_key"]:
            new_id = options["new_key"] or f"k{timezone.now():%Y%m%d%H%M%S}"
            try:
                keys.add_key(new_id)  # type: ignore[attr-defined]
            except (AttributeError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"current master key: {new_id}")
            settle = options["settle_seconds"]
            time.sleep(getattr(keys, "RECHECK", 0) * 2 if settle is None else settle)
        counts = rotation.rewrap_all()
        for column, n in counts.items():
            self.stdout.write(f"re-wrapped {n:>7} values in {column}")
        left = rotation.values_not_under(keys.current_key_id())
        if left:
            raise CommandError(f"{left} values are still under an old key; run rotate_keys --no-new-key again")
        self.stdout.write("every value is under the current key")
        if options["retire"]:
            for key_id in keys.key_ids():  # type: ignore[attr-defined]
                if key_id != keys.current_key_id():
                    keys.retire_key(key_id)  # type: ignore[attr-defined]
                    self.stdout.write(f"retired {key_id}")
