"""System check standards.E001: every offence and age band has an approved national
version of its evidence checklist. Registration refuses a report it cannot give a
checklist (409), so a damaged standard shows at deployment, not at the counter."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def standard_complete(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    if not databases or "default" not in databases:
        return []
    from lantern.standards.selectors import missing_pairs

    try:
        missing = missing_pairs()
    except DatabaseError:  # not migrated yet: migrate itself brings the shipped standard
        return []
    return [Error(f"No approved national evidence standard for offence {offence!r}, age band {band!r}.",
                  hint="Reports of this offence and age are refused until a version is approved: have the "
                       "provincial police and procuratorate approve one, or restore the database from its last "
                       "backup (python manage.py restore).",
                  id="standards.E001") for offence, band in missing]
