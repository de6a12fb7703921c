"""Match a list of persons against another, or deduplicate it (issue 14, item 5).

    python manage.py match_people --input A.csv [--against B.csv] --output pairs.csv [--threshold P]
                                  [--backend duckdb|spark] [--train]

The records are held in memory only (DuckDB in memory with spilling off, see
linkage.matching.engines); the output holds ids and probabilities only."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from lantern.linkage.matching import csvfiles, jobs
from lantern.linkage.matching.engines import BACKENDS
from lantern.linkage.matching.scoring import table, thresholds

HELP = """Match the persons of a CSV file against those of another (--against), or find the
duplicates within one file. Columns by header name: id (required, unique), name or surname
and given_name, date_of_birth (YYYY-MM-DD or YYYYMMDD), sex, place, address, phone,
id_number; missing and malformed values are left out and counted on stderr. Output:
left_id,right_id,probability for every pair at or above --threshold (default: the review
threshold). Which model: without --train, the stored model (the latest version trained by
train_match_model, else the one shipped) scores the files; that is right for checking a
list against the cases, and for any file of fewer than a few thousand persons. With --train
the model is first trained on the files themselves (u by random sampling, m by expectation
maximisation; deduplicating: on the file; --against: on the linkage of the two files): right
for a large list whose data differ from the cases' (an imported historical register), at the
cost of training time. It needs 1000 persons at least and is used for this run only; it is
not stored."""


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--input", type=Path, required=True, help="the persons to match (CSV)")
        parser.add_argument("--against", type=Path, help="match against these persons instead of deduplicating")
        parser.add_argument("--output", type=Path, required=True, help="where the pairs go (CSV)")
        parser.add_argument("--threshold", type=_probability, help="lowest match probability written (0 to 1)")
        parser.add_argument("--backend", choices=BACKENDS, default="duckdb",
                            help="duckdb (one machine, the default) or spark (local mode here; see README)")
        parser.add_argument("--train", action="store_true", help="train the model on the files first (see above)")

    def handle(self, *args, input: Path, against: Path | None, output: Path, threshold: float | None,
               backend: str, train: bool, **options) -> None:
        threshold = thresholds().review if threshold is None else threshold
        tables = [table(self._read(path)) for path in (input, against) if path is not None]
        bar = tqdm(desc=_("pairs"), unit="", file=sys.stderr, disable=None, leave=False)

        def progress(stage: str, n: int) -> None:
            bar.set_postfix_str(stage, refresh=False)
            bar.update(n)

        try:
            pairs = jobs.predict(tables, threshold=threshold, train_first=train, backend=backend, progress=progress)
            written = csvfiles.write_pairs(output, pairs)
        except jobs.TooFewRecords as exc:
            raise CommandError(_("--train needs at least %(min)s persons, the files have %(n)s: run without --train "
                                 "to use the stored model.") % {"min": jobs.MIN_TRAINING_RECORDS, "n": exc.args[0]}
                               ) from exc
        finally:
            bar.close()
        self.stderr.write(_("%(n)s pairs at probability %(p)s or above written to %(path)s.") % {
            "n": written, "p": threshold, "path": output})

    def _read(self, path: Path) -> list:
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with tqdm(desc=_("reading %(path)s") % {"path": path.name}, unit=_(" rows"), file=sys.stderr,
                  disable=None, leave=False) as bar:
            try:
                persons, summary = csvfiles.read_persons(path, progress=bar.update)
            except csvfiles.NoIdColumn as exc:
                raise CommandError(_("%(path)s has no \"id\" column. Add a column named id with a unique key for each "
                                     "row (the output names the rows by it), then run again.") % {"path": path}
                                   ) from exc
            except csvfiles.NotUtf8 as exc:
                raise CommandError(_("%(path)s is not UTF-8 text: save it as UTF-8 CSV and run again.")
                                   % {"path": path}) from exc
        for line in summary.lines():
            self.stderr.write(line)
        return persons
