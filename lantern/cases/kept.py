"""The case columns the database keeps (Case.next_due_at, Case.procuratorate_involved),
recomputed for a range of cases. The triggers of migration 0015 keep them on every write;
this is for writes that ran with triggers off (the synthetic generator's bulk mode, as
pg_restore --disable-triggers does), and says the same as the triggers do."""

from __future__ import annotations

from django.db import connection

RECOMPUTE = """
UPDATE cases_case SET
  next_due_at = (SELECT min(d.due_at) FROM deadlines_deadline d
                 WHERE d.case_id = cases_case.id AND d.status IN ('open', 'overdue')),
  procuratorate_involved = (
    EXISTS (SELECT 1 FROM cases_proceeding p WHERE p.case_id = cases_case.id AND p.kind = 'supervision')
    OR EXISTS (SELECT 1 FROM cases_suspectevent e JOIN cases_suspect s ON s.id = e.suspect_id
               WHERE s.case_id = cases_case.id AND e.to_status = 'arrest_requested'))
WHERE id BETWEEN %s AND %s
"""


def recompute(first_id: int, last_id: int) -> None:
    """The kept columns of the cases with ids from ``first_id`` to ``last_id``, from their rows."""
    with connection.cursor() as cursor:
        cursor.execute(RECOMPUTE, [first_id, last_id])
