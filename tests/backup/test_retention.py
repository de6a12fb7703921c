"""The retention policy of `backup --prune`: the newest backup of each of the last 7 days,
5 weeks and 12 months by default, so a year of backups (and of audit history) stays
restorable; partial backups are cleared; keys backups are never touched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from lantern.audit.events import Event
from lantern.audit.models import AuditEntry
from lantern.site.backup.archive import NAME_FORMAT
from lantern.site.backup.retention import Policy, prune, to_keep

DEFAULT = Policy(daily=7, weekly=5, monthly=12)
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def nightly(days: int) -> list[dt.datetime]:
    return [NOW - dt.timedelta(days=n) for n in range(days)]


def test_two_years_of_nightly_backups_keep_a_week_of_days_five_weeks_and_a_year_of_months():
    kept = to_keep(nightly(730), DEFAULT)
    assert {t for t in kept if NOW - t < dt.timedelta(days=7)} == set(nightly(7))
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 12 and (2026, 1) in months and (2025, 12) not in months  # this month and 11 before
    assert len(kept) <= 7 + 5 + 12


def test_the_newest_backup_stays_whatever_the_policy():
    assert to_keep(nightly(3), Policy(0, 0, 0)) == {NOW}
    assert to_keep([], DEFAULT) == set()


def test_several_backups_a_day_keep_the_last_of_each_day():
    times = [NOW.replace(hour=h) for h in (1, 9, 17)] + [NOW.replace(hour=h) - dt.timedelta(days=1) for h in (1, 9)]
    assert to_keep(times, Policy(daily=2, weekly=0, monthly=0)) == {NOW.replace(hour=17),
                                                                   NOW.replace(hour=9) - dt.timedelta(days=1)}


def make_backup_dir(root, when: dt.datetime):
    path = root / when.strftime(NAME_FORMAT)
    path.mkdir()
    (path / "manifest.json").write_text("{}")
    (path / "data.lbk").write_bytes(b"x")
    return path


def test_pruning_a_directory_removes_what_the_policy_drops_and_nothing_else(tmp_path):
    for when in nightly(40):
        make_backup_dir(tmp_path, when)
    (tmp_path / "lantern-keys-20260101T000000Z.lkeys").write_bytes(b"keys")
    (tmp_path / "notes.txt").write_text("kept")
    dry_kept, dry_removed = prune(tmp_path, DEFAULT, now=NOW, dry_run=True)
    assert len(list(tmp_path.glob("lantern-2*"))) == 40  # a dry run removes nothing
    kept, removed = prune(tmp_path, DEFAULT, now=NOW)
    assert (kept, removed) == (dry_kept, dry_removed)
    assert sorted(p.name for p in tmp_path.glob("lantern-2*")) == sorted(p.name for p in kept)
    assert len(kept) + len(removed) == 40
    assert (tmp_path / "lantern-keys-20260101T000000Z.lkeys").exists() and (tmp_path / "notes.txt").exists()


@pytest.mark.django_db
def test_the_command_prunes_with_the_configured_policy_and_the_audit_log_names_what_went(tmp_path, settings, capsys):
    settings.LANTERN_BACKUP_KEEP_DAILY, settings.LANTERN_BACKUP_KEEP_WEEKLY = 2, 0
    settings.LANTERN_BACKUP_KEEP_MONTHLY = 0
    now = dt.datetime.now(dt.UTC)
    for days in range(4):
        make_backup_dir(tmp_path, now - dt.timedelta(days=days))
    before = sorted(p.name for p in tmp_path.glob("lantern-2*"))
    call_command("backup", "--prune-only", "--to", str(tmp_path), "--dry-run")
    assert not AuditEntry.objects.filter(action=Event.BACKUP_PRUNED).exists()  # nothing went
    call_command("backup", "--prune-only", "--to", str(tmp_path))
    assert len(list(tmp_path.glob("lantern-2*"))) == 2
    assert "2 backups kept" in capsys.readouterr().out
    pruned = AuditEntry.objects.get(action=Event.BACKUP_PRUNED)
    assert pruned.details == {"removed": before[:2], "kept": 2}  # the two oldest
