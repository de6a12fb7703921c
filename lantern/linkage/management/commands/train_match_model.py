"""Train a new version of the person-matching model on the suspects in the database.

    python manage.py train_match_model [--notes "after the 2027 import"]

The suspects are decrypted in memory only; the stored model (linkage.MatchModel, audited)
holds Splink's m and u probabilities and no values. Scoring uses the newest version at
once. ``--synthetic N --write PATH`` trains on N synthetic persons and writes the JSON
instead: that is how lantern/linkage/matching/default_model.json was made."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lantern.core.context import origin
from lantern.linkage.matching import sources, synthetic
from lantern.linkage.matching.artefacts import store_match_model
from lantern.linkage.matching.jobs import MIN_TRAINING_RECORDS, TooFewRecords, train_model
from lantern.linkage.matching.scoring import table


class Command(BaseCommand):
    help = "Train a new version of the person-matching model on the suspects in the database."

    def add_arguments(self, parser):
        parser.add_argument("--notes", default="", help="why this version was trained")
        parser.add_argument("--synthetic", type=int, metavar="N",
                            help="train on N synthetic persons instead (with --write)")
        parser.add_argument("--write", type=Path, metavar="PATH", help="write the model JSON here, store nothing")

    def handle(self, *args, notes: str, synthetic: int | None, write: Path | None, **options) -> None:
        if synthetic and not write:
            raise CommandError(_("--synthetic needs --write PATH: a model of synthetic persons is not stored."))
        records = ([t.record for t in synthetic_persons(synthetic)] if synthetic else list(sources.suspects()))
        try:
            model = train_model([table(records)])
        except TooFewRecords as exc:
            raise CommandError(_("%(n)s persons are too few to train on (at least %(min)s); the current model "
                                 "stays in use.") % {"n": exc.args[0], "min": MIN_TRAINING_RECORDS}) from exc
        if write:
            shipped = {"trained_on": len(records), "notes": notes or f"{synthetic} synthetic persons (seed 14)",
                       "settings": model}
            write.write_text(json.dumps(shipped, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            self.stdout.write(_("Wrote the model to %(path)s.") % {"path": write})
            return
        with origin("cli"):
            stored = store_match_model(actor=None, settings=model, trained_on=len(records), notes=notes)
        self.stdout.write(_("Stored version %(version)s of the matching model, trained on %(n)s persons.")
                          % {"version": stored.version, "n": len(records)})


def synthetic_persons(n: int) -> list[synthetic.Truth]:
    return list(synthetic.persons(n))
