"""The chain head row, and on PostgreSQL triggers that refuse UPDATE and DELETE of audit
entries and any change to the head other than one step forward.

TRUNCATE is not trapped here, because the test runner empties tables with it between
tests; in production the application's database role has no TRUNCATE, UPDATE or DELETE
privilege on audit_auditentry (see README, "Deployment on PostgreSQL")."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION lantern_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION lantern_audit_refuse();

CREATE OR REPLACE FUNCTION lantern_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 OR NEW.prev_hash <> OLD.hash THEN
        RAISE EXCEPTION 'the audit chain head only moves one entry forward'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER audit_head_forward_only
    BEFORE UPDATE OR DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION lantern_audit_head_forward();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_chainhead;
DROP FUNCTION IF EXISTS lantern_audit_head_forward();
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS lantern_audit_refuse();
"""


def create_head(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(id=1)


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
