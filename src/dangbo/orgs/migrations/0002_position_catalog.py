from django.db import migrations


def load(apps, schema_editor):
    from dangbo.orgs.catalog import POSITIONS

    PositionType = apps.get_model("orgs", "PositionType")
    for code, name, system, single, rank in POSITIONS:
        PositionType.objects.update_or_create(
            code=code, defaults={"name": name, "system": system, "single_holder": single, "rank": rank}
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
