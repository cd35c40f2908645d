"""The distinct names people bear, searched before the people (dangbo.orgs.names): trigram-indexed
on PostgreSQL, filled from the people already there."""

from django.db import migrations, models


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS "orgs_personname_search_trgm" ON "orgs_personname" '
            "USING gin (search_text gin_trgm_ops)"
        )
    schema_editor.execute(
        "INSERT INTO orgs_personname (sort_key, search_text) "
        "SELECT DISTINCT sort_key, search_text FROM orgs_person WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )


def backward(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "orgs_personname_search_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0008_sort_key_with_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_key", models.CharField(max_length=400)),
                ("search_text", models.CharField(max_length=300)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("sort_key", "search_text"), name="person_name_uniq")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
