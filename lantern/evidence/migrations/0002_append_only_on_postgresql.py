"""On PostgreSQL, custody events and evidence files refuse UPDATE and DELETE in the
database too, as the audit log does: the application has no such path, and a direct
SQL session does not get one either. Only key rotation may rewrite the encrypted
columns (the same values under a new master key)."""

from django.db import migrations

TABLES = ("evidence_custodyevent", "evidence_evidencefile")

FUNCTION = """
CREATE OR REPLACE FUNCTION lantern_evidence_append_only() RETURNS trigger AS $$
BEGIN
  -- Key rotation re-wraps the encrypted columns; nothing else may change.
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'data_key' - 'original_name')
                          = (to_jsonb(OLD) - 'data_key' - 'original_name') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'evidence history is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION lantern_evidence_append_only()")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS lantern_evidence_append_only()")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
