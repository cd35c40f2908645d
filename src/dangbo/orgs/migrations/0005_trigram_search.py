"""PostgreSQL: trigram GIN indexes so that `search_text LIKE '%word%'` (accent-folded search) is
answered from an index on large tables. SQLite keeps its plain scan (a small committee's data)."""

from django.db import migrations

TABLES = ("orgs_person", "orgs_organisation", "orgs_unit")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" ON "{table}" USING gin (search_text gin_trgm_ops)'
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_person_user_label")]
    operations = [migrations.RunPython(forward, backward)]
