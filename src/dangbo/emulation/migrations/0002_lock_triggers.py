"""Database triggers that refuse any change to the scores of a closed round.

The services refuse first, with a Vietnamese message; these triggers guard every other route (a
shell, a script, the admin, a raw UPDATE): once a movement's `closed_at` is set, its scores and
results cannot be added, updated or deleted, its registrations' subjects, statuses and final figures
stay as they were (the exemplar recognition may still be written), and the movement cannot be
reopened nor its sealed hash or scoring rule changed. Whoever can drop a trigger can still alter
rows; `dangbo audit verify` then finds it (the content hash is in the audit chain).
"""

from django.db import migrations

MESSAGE = "dangbo: the scores of this emulation round are locked"

REGISTRATION_COLUMNS = (
    "model_id",
    "movement_id",
    "organisation_id",
    "unit_id",
    "person_id",
    "subject_name",
    "status",
    "self_total",
    "final_score",
    "passed_mandatory",
    "rank",
)
MOVEMENT_COLUMNS = ("closed_at", "content_hash", "aggregation")
CHILDREN = ("emulation_score", "emulation_result")


def _closed(movement_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM emulation_movement m WHERE m.id = {movement_id} AND m.closed_at IS NOT NULL)"


def _changed(columns: tuple[str, ...], op: str) -> str:
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in columns)


def sqlite_statements() -> list[str]:
    abort = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    statements = [
        f"CREATE TRIGGER emulation_registration_lock_ins BEFORE INSERT ON emulation_registration "
        f"WHEN {_closed('NEW.movement_id')} {abort}",
        f"CREATE TRIGGER emulation_registration_lock_upd BEFORE UPDATE ON emulation_registration "
        f"WHEN ({_changed(REGISTRATION_COLUMNS, 'IS NOT')}) AND {_closed('OLD.movement_id')} {abort}",
        f"CREATE TRIGGER emulation_registration_lock_del BEFORE DELETE ON emulation_registration "
        f"WHEN {_closed('OLD.movement_id')} {abort}",
        f"CREATE TRIGGER emulation_movement_lock_upd BEFORE UPDATE ON emulation_movement "
        f"WHEN OLD.closed_at IS NOT NULL AND (({_changed(MOVEMENT_COLUMNS, 'IS NOT')}) "
        f"OR NEW.status NOT IN ('closed', 'published')) {abort}",
        f"CREATE TRIGGER emulation_movement_lock_del BEFORE DELETE ON emulation_movement "
        f"WHEN OLD.closed_at IS NOT NULL {abort}",
    ]
    for table in CHILDREN:
        statements += [
            f"CREATE TRIGGER {table}_lock_ins BEFORE INSERT ON {table} "
            f"WHEN {_closed('NEW.movement_id')} {abort}",
            f"CREATE TRIGGER {table}_lock_upd BEFORE UPDATE ON {table} "
            f"WHEN {_closed('OLD.movement_id')} OR {_closed('NEW.movement_id')} {abort}",
            f"CREATE TRIGGER {table}_lock_del BEFORE DELETE ON {table} WHEN {_closed('OLD.movement_id')} {abort}",
        ]
    return statements


def sqlite_drop() -> list[str]:
    names = [
        "emulation_registration_lock_ins",
        "emulation_registration_lock_upd",
        "emulation_registration_lock_del",
        "emulation_movement_lock_upd",
        "emulation_movement_lock_del",
    ] + [f"{t}_lock_{op}" for t in CHILDREN for op in ("ins", "upd", "del")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def pg_statements() -> list[str]:
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return [
        f"""CREATE FUNCTION emulation_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (TG_OP <> 'INSERT' AND {_closed('OLD.movement_id')})
             OR (TG_OP <> 'DELETE' AND {_closed('NEW.movement_id')}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE FUNCTION emulation_registration_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' AND {_closed('NEW.movement_id')} THEN {raise_} END IF;
          IF TG_OP = 'DELETE' AND {_closed('OLD.movement_id')} THEN {raise_} END IF;
          IF TG_OP = 'UPDATE' AND {_closed('OLD.movement_id')}
             AND ({_changed(REGISTRATION_COLUMNS, 'IS DISTINCT FROM')}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE FUNCTION emulation_movement_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.closed_at IS NOT NULL AND (TG_OP = 'DELETE'
             OR {_changed(MOVEMENT_COLUMNS, 'IS DISTINCT FROM')}
             OR NEW.status NOT IN ('closed', 'published')) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        "CREATE TRIGGER emulation_registration_lock BEFORE INSERT OR UPDATE OR DELETE ON emulation_registration "
        "FOR EACH ROW EXECUTE FUNCTION emulation_registration_guard()",
        "CREATE TRIGGER emulation_movement_lock BEFORE UPDATE OR DELETE ON emulation_movement "
        "FOR EACH ROW EXECUTE FUNCTION emulation_movement_guard()",
    ] + [
        f"CREATE TRIGGER {table}_lock BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION emulation_child_guard()"
        for table in CHILDREN
    ]


def pg_drop() -> list[str]:
    return [
        *[f"DROP TRIGGER IF EXISTS {t}_lock ON {t}" for t in CHILDREN],
        "DROP TRIGGER IF EXISTS emulation_registration_lock ON emulation_registration",
        "DROP TRIGGER IF EXISTS emulation_movement_lock ON emulation_movement",
        "DROP FUNCTION IF EXISTS emulation_child_guard()",
        "DROP FUNCTION IF EXISTS emulation_registration_guard()",
        "DROP FUNCTION IF EXISTS emulation_movement_guard()",
    ]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = pg_statements() if vendor == "postgresql" else sqlite_statements() if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = pg_drop() if vendor == "postgresql" else sqlite_drop() if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("emulation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
