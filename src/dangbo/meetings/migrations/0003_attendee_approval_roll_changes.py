"""Whether an excused absence was approved by the committee (it decides a vote's denominator), and
the changes made to the people summoned to meetings not yet held when a cell's membership changes.

On SQLite, adding a NOT NULL column rebuilds meetings_attendee (create, copy, drop, rename), and the
sealed-minutes triggers of migration 0002 go with the dropped table: they are created again after
the change (and after its reversal). PostgreSQL adds the column in place and keeps its triggers.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

seal_triggers = importlib.import_module("dangbo.meetings.migrations.0002_seal_triggers")


def recreate_sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in seal_triggers.sqlite_drop() + seal_triggers.sqlite_statements():
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0002_seal_triggers'),
        ('orgs', '0010_organisation_place'),
    ]

    operations = [
        # (reversed last: the column's removal rebuilds the table again)
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers),
        migrations.AddField(
            model_name='attendee',
            name='absence_approved',
            field=models.BooleanField(default=False, verbose_name='absence approved by the committee'),
        ),
        migrations.CreateModel(
            name='RollChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, verbose_name='full name')),
                ('change', models.CharField(choices=[('added', 'added'), ('removed', 'removed'), ('voting', 'now votes'), ('not_voting', 'no longer votes')], max_length=10, verbose_name='change')),
                ('event', models.CharField(blank=True, max_length=20)),
                ('on', models.DateField(blank=True, null=True)),
                ('at', models.DateTimeField()),
                ('invited', models.BooleanField(default=False)),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='roll_changes', to='meetings.meeting')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.person')),
            ],
            options={
                'verbose_name': 'change to the people summoned',
                'verbose_name_plural': 'changes to the people summoned',
                'ordering': ['meeting', 'at', 'pk'],
            },
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
