"""The catalogue of titles and forms of award, from the rule sets of dangbo.rules.emulation.

A later rule set is brought in by a new migration that runs the same (idempotent) sync."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from dangbo.awards.catalog import sync

    sync(apps.get_model("awards", "AwardType"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
