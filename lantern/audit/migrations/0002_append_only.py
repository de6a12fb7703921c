"""The chain head row, and on PostgreSQL triggers that refuse DELETE of audit entries, any
UPDATE but the sealer's linking of an unsealed entry, and any move of the head backwards.

TRUNCATE is not trapped here, because the test runner empties tables with it between
tests; in production the application's database role has no TRUNCATE, UPDATE or DELETE
privilege on audit_auditentry (see README, "Deployment on PostgreSQL")."""

from django.db import migrations

# Frozen here (migrations are static); lantern.audit.services uses the same values and a
# test checks that they agree.
SEALER_LOCK = 0x4C414E54
BATCH = 2000

PG_FORWARD = """
CREATE OR REPLACE FUNCTION lantern_audit_guard() RETURNS trigger AS $$
BEGIN
    -- The one permitted UPDATE: the sealer linking an unsealed entry into the chain,
    -- leaving everything it records untouched.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (NEW.at, NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id, NEW.source,
            NEW.request_id, NEW.outcome, NEW.details, NEW.content_hash)
           IS NOT DISTINCT FROM
           (OLD.at, OLD.actor_id, OLD.action, OLD.object_type, OLD.object_id, OLD.source,
            OLD.request_id, OLD.outcome, OLD.details, OLD.content_hash) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION lantern_audit_guard();

CREATE OR REPLACE FUNCTION lantern_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'the audit chain head only moves forward'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER audit_head_forward_only
    BEFORE UPDATE OR DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION lantern_audit_head_forward();

-- The sealer in one statement (one round trip, one transaction): links up to `batch`
-- pending entries and returns how many; when another sealer holds the lock it waits for
-- it, or with wait = false returns -1 at once. The link hash
-- is the one lantern.audit.chain.link_hash computes: sha256("<seq>|<prev_hash>|<content_hash>").
CREATE OR REPLACE FUNCTION lantern_audit_seal(lock_key bigint, batch integer, wait boolean)
RETURNS integer AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    entry record;
    sealed integer := 0;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(lock_key);
    ELSIF NOT pg_try_advisory_xact_lock(lock_key) THEN
        RETURN -1;
    END IF;
    INSERT INTO audit_chainhead (id, seq, hash) VALUES (1, 0, repeat('0', 64))
        ON CONFLICT (id) DO NOTHING;
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chainhead WHERE id = 1 FOR UPDATE;
    FOR entry IN SELECT id, content_hash FROM audit_auditentry
                  WHERE seq IS NULL ORDER BY id LIMIT batch LOOP
        UPDATE audit_auditentry
           SET seq = head_seq + 1, prev_hash = head_hash,
               hash = encode(sha256(convert_to(
                        (head_seq + 1)::text || '|' || head_hash || '|' || entry.content_hash,
                        'UTF8')), 'hex')
         WHERE id = entry.id
     RETURNING seq, hash INTO head_seq, head_hash;
        sealed := sealed + 1;
    END LOOP;
    IF sealed > 0 THEN
        UPDATE audit_chainhead SET seq = head_seq, hash = head_hash WHERE id = 1;
    END IF;
    RETURN sealed;
END $$ LANGUAGE plpgsql;

-- Seal inside COMMIT: a deferred trigger runs after the writer's last statement, on the
-- server, so the chain lock is held only for the linking and the commit itself, never
-- across a round trip to the client. If another commit is sealing right now, skip
-- rather than queue: the next commit seals what this one left, and `manage.py
-- audit_seal` (run every minute) seals the last ones when writing stops.
CREATE OR REPLACE FUNCTION lantern_audit_seal_on_commit() RETURNS trigger AS $$
BEGIN
    PERFORM lantern_audit_seal(%(lock)s, %(batch)s, false);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER audit_entry_seal_on_commit
    AFTER INSERT ON audit_auditentry DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lantern_audit_seal_on_commit();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_seal_on_commit ON audit_auditentry;
DROP FUNCTION IF EXISTS lantern_audit_seal_on_commit();
DROP FUNCTION IF EXISTS lantern_audit_seal(bigint, integer, boolean);
DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_chainhead;
DROP FUNCTION IF EXISTS lantern_audit_head_forward();
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS lantern_audit_guard();
"""


def create_head(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(id=1)


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD.replace("%(lock)s", str(SEALER_LOCK))
                              .replace("%(batch)s", str(BATCH)), params=None)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
