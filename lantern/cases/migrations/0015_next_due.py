"""Case.next_due_at: the soonest running clock of each case, and
Case.procuratorate_involved: a supervision or an arrest request, kept by the database.

Triggers on the clocks (deadlines_deadline) recompute it for the cases whose clocks were
inserted, deleted, or changed in due time, case or running state, whatever wrote them
(an action, the sweep, a bulk load by COPY). On PostgreSQL they run once per statement
over its transition tables, so a bulk load pays one UPDATE, not one per clock; SQLite has
row triggers only. The columns are backfilled before the triggers and indexes exist. Proceedings and
suspects' events are only ever added (never deleted or moved to another case), so an
insert trigger is all procuratorate_involved needs."""

from django.db import migrations, models

RUNNING = "('open', 'overdue')"
SOONEST = ("(SELECT min(d.due_at) FROM deadlines_deadline d "
           f"WHERE d.case_id = cases_case.id AND d.status IN {RUNNING})")

POSTGRES = [
    f"""UPDATE cases_case c SET next_due_at = d.due
        FROM (SELECT case_id, min(due_at) AS due FROM deadlines_deadline WHERE status IN {RUNNING}
              GROUP BY case_id) d
        WHERE c.id = d.case_id""",
    *[f"""CREATE FUNCTION lantern_next_due_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE cases_case SET next_due_at = {SOONEST}
          WHERE cases_case.id = ANY (ARRAY(SELECT DISTINCT case_id FROM {rows}));
          RETURN NULL;
        END $$""" for event, rows in (("inserted", "new_rows"), ("deleted", "old_rows"))],
    # The sweep marks clocks overdue (still running, same due time): no case is touched for
    # them. The cases are named as an array (= ANY), which PostgreSQL reads by primary key; as
    # IN (subquery) over a transition table it planned a scan of all cases per statement
    # (the sweep catching up after generation went from 2 s to 36 s at 100,000 cases).
    f"""CREATE FUNCTION lantern_next_due_updated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE cases_case SET next_due_at = {SOONEST}
          WHERE cases_case.id = ANY (ARRAY(
            SELECT unnest(ARRAY[n.case_id, o.case_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.due_at IS DISTINCT FROM o.due_at OR n.case_id IS DISTINCT FROM o.case_id
               OR (n.status IN {RUNNING}) IS DISTINCT FROM (o.status IN {RUNNING})));
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER deadline_next_due_inserted AFTER INSERT ON deadlines_deadline
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lantern_next_due_inserted()""",
    """CREATE TRIGGER deadline_next_due_deleted AFTER DELETE ON deadlines_deadline
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lantern_next_due_deleted()""",
    """CREATE TRIGGER deadline_next_due_updated AFTER UPDATE ON deadlines_deadline
       REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT
       EXECUTE FUNCTION lantern_next_due_updated()""",
]
INVOLVED_BY = {  # the rows that bring a procuratorate in, and the case each belongs to
    "proceeding": "SELECT r.case_id FROM {rows} r WHERE r.kind = 'supervision'",
    "arrest": ("SELECT s.case_id FROM {rows} r JOIN cases_suspect s ON s.id = r.suspect_id "
               "WHERE r.to_status = 'arrest_requested'"),
}
# One join per source: an OR of two IN subqueries over 2.6 million suspects' events did not
# fit a hash in memory and ran for more than a quarter of an hour at 1,000,000 cases.
POSTGRES += [
    f"""UPDATE cases_case c SET procuratorate_involved = true
        FROM (SELECT DISTINCT case_id FROM ({INVOLVED_BY[name].format(rows=table)}) AS source) AS involved
        WHERE c.id = involved.case_id AND NOT c.procuratorate_involved"""
    for name, table in (("proceeding", "cases_proceeding"), ("arrest", "cases_suspectevent"))
]
# The backfills queued the deferred foreign-key checks of every updated case; PostgreSQL
# builds no index on a table with events pending, so they are checked here.
POSTGRES.append("SET CONSTRAINTS ALL IMMEDIATE")
for _name, _table in (("proceeding", "cases_proceeding"), ("arrest", "cases_suspectevent")):
    POSTGRES += [
        f"""CREATE FUNCTION lantern_involved_by_{_name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE cases_case SET procuratorate_involved = true
              WHERE NOT procuratorate_involved AND id = ANY (ARRAY({INVOLVED_BY[_name].format(rows="new_rows")}));
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER involved_by_{_name} AFTER INSERT ON {_table}
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lantern_involved_by_{_name}()""",
    ]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS involved_by_proceeding ON cases_proceeding",
    "DROP TRIGGER IF EXISTS involved_by_arrest ON cases_suspectevent",
    "DROP FUNCTION IF EXISTS lantern_involved_by_proceeding()",
    "DROP FUNCTION IF EXISTS lantern_involved_by_arrest()",
    "DROP TRIGGER IF EXISTS deadline_next_due_inserted ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS deadline_next_due_deleted ON deadlines_deadline",
    "DROP TRIGGER IF EXISTS deadline_next_due_updated ON deadlines_deadline",
    "DROP FUNCTION IF EXISTS lantern_next_due_inserted()",
    "DROP FUNCTION IF EXISTS lantern_next_due_deleted()",
    "DROP FUNCTION IF EXISTS lantern_next_due_updated()",
]


def _soonest_of(row: str) -> str:
    return (f"UPDATE cases_case SET next_due_at = (SELECT min(due_at) FROM deadlines_deadline "
            f"WHERE case_id = {row}.case_id AND status IN {RUNNING}) WHERE id = {row}.case_id;")


SQLITE = [
    f"""UPDATE cases_case SET next_due_at = {SOONEST}
        WHERE id IN (SELECT case_id FROM deadlines_deadline WHERE status IN {RUNNING})""",
    f"""CREATE TRIGGER deadline_next_due_inserted AFTER INSERT ON deadlines_deadline
        BEGIN {_soonest_of("NEW")} END""",
    f"""CREATE TRIGGER deadline_next_due_deleted AFTER DELETE ON deadlines_deadline
        BEGIN {_soonest_of("OLD")} END""",
    f"""CREATE TRIGGER deadline_next_due_updated AFTER UPDATE OF status, due_at, case_id ON deadlines_deadline
        BEGIN {_soonest_of("OLD")} {_soonest_of("NEW")} END""",
]
SQLITE += [
    """UPDATE cases_case SET procuratorate_involved = 1 WHERE id IN ({proceeding}) OR id IN ({arrest})""".format(
        proceeding=INVOLVED_BY["proceeding"].format(rows="cases_proceeding"),
        arrest=INVOLVED_BY["arrest"].format(rows="cases_suspectevent")),
    """CREATE TRIGGER involved_by_proceeding AFTER INSERT ON cases_proceeding WHEN NEW.kind = 'supervision'
       BEGIN UPDATE cases_case SET procuratorate_involved = 1 WHERE id = NEW.case_id; END""",
    """CREATE TRIGGER involved_by_arrest AFTER INSERT ON cases_suspectevent WHEN NEW.to_status = 'arrest_requested'
       BEGIN UPDATE cases_case SET procuratorate_involved = 1
             WHERE id = (SELECT case_id FROM cases_suspect WHERE id = NEW.suspect_id); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS involved_by_proceeding",
    "DROP TRIGGER IF EXISTS involved_by_arrest",
    "DROP TRIGGER IF EXISTS deadline_next_due_inserted",
    "DROP TRIGGER IF EXISTS deadline_next_due_deleted",
    "DROP TRIGGER IF EXISTS deadline_next_due_updated",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0014_offences_and_standards"),
        ("deadlines", "0004_running_clock_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="next_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="next deadline"),
        ),
        migrations.AddField(
            model_name="case",
            name="procuratorate_involved",
            field=models.BooleanField(db_default=False, default=False, editable=False,
                                      verbose_name="procuratorate involved"),
        ),
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-is_minor", "next_due_at", "-received_at", "id"], name="case_priority_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["next_due_at", "id"], name="case_next_due_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["unit", "case_number"], include=["id", "merged_into"],
                               name="case_unit_number_idx"),
        ),
    ]
