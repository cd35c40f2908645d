"""On PostgreSQL, refuse UPDATE and DELETE on the audit log at the database itself.

TRUNCATE is left to the database owner (it is what test flushes use); `dangbo audit verify`
catches any loss through the chain head. SQLite has no equivalent that survives the test
runner's flushes; there the chain and `audit verify` are the protection (docs/decisions.md).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION dangbo_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION dangbo_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS dangbo_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
