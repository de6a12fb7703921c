"""The Merkle tree's stored nodes and the signed tree heads (lantern.audit.tree, .signing).

On PostgreSQL a trigger refuses UPDATE and DELETE of tree heads, as migration 0002 does for
entries (TRUNCATE is left to the test runner; the application's role has no such privilege
in production)."""

from django.db import migrations, models

PG_FORWARD = """
CREATE OR REPLACE FUNCTION lantern_audit_tree_head_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signed tree heads are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER audit_tree_head_append_only
    BEFORE UPDATE OR DELETE ON audit_treehead
    FOR EACH ROW EXECUTE FUNCTION lantern_audit_tree_head_guard();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_tree_head_append_only ON audit_treehead;
DROP FUNCTION IF EXISTS lantern_audit_tree_head_guard();
"""


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='MerkleNode',
            fields=[
                ('key', models.BigIntegerField(primary_key=True, serialize=False)),
                ('hash', models.BinaryField(max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name='TreeHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.BigIntegerField()),
                ('root_hash', models.CharField(max_length=64)),
                ('timestamp', models.DateTimeField()),
                ('key_id', models.CharField(max_length=64)),
                ('signature', models.CharField(max_length=128)),
            ],
            options={
                'ordering': ['id'],
                'indexes': [models.Index(fields=['tree_size'], name='audit_treehead_size_idx')],
            },
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
