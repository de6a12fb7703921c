"""Which backups a directory keeps (``manage.py backup --prune``): the newest backup of
each of the last N days, N ISO weeks and N months that have one (the
grandfather-father-son scheme of restic's and borg's ``--keep-daily/weekly/monthly``).
Twelve monthly backups keep a year of audit history restorable (CJIS Security Policy
5.4.7 asks audit records be kept at least a year); the audit log itself is never pruned
from the database. Keys backups are never pruned: an old data backup needs the keys of
its time.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lantern.site.backup.archive import ARCHIVE, MANIFEST, NAME_FORMAT

PARTIAL_AGE = dt.timedelta(days=1)  # a backup still being written is never this old


@dataclass(frozen=True)
class Policy:
    daily: int
    weekly: int
    monthly: int


def made_at(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(path.name, NAME_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _newest_per(times: list[dt.datetime], bucket: Callable[[dt.datetime], Hashable], count: int) -> set[dt.datetime]:
    kept: dict[Hashable, dt.datetime] = {}
    for when in sorted(times, reverse=True):
        if bucket(when) not in kept and len(kept) < count:
            kept[bucket(when)] = when
    return set(kept.values())


def to_keep(times: Iterable[dt.datetime], policy: Policy) -> set[dt.datetime]:
    times = list(times)
    kept = (_newest_per(times, lambda t: t.date(), policy.daily)
            | _newest_per(times, lambda t: t.isocalendar()[:2], policy.weekly)
            | _newest_per(times, lambda t: (t.year, t.month), policy.monthly))
    if times:
        kept.add(max(times))  # whatever the policy says, the newest backup stays
    return kept


def prune(directory: Path, policy: Policy, *, now: dt.datetime | None = None,
          dry_run: bool = False) -> tuple[list[Path], list[Path]]:
    """Returns (kept, removed) backups; also removes partial backups over a day old."""
    now = now or dt.datetime.now(dt.UTC)
    backups = {when: path for path in directory.glob("lantern-*")
               if (when := made_at(path)) and (path / MANIFEST).is_file() and (path / ARCHIVE).is_file()}
    keep = to_keep(backups, policy)
    removed = [backups[t] for t in sorted(backups) if t not in keep]
    stale = [p for p in directory.glob(".lantern-*.partial")
             if dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC) < now - PARTIAL_AGE]
    if not dry_run:
        for path in removed + stale:
            shutil.rmtree(path)
    return [backups[t] for t in sorted(keep)], removed + stale
