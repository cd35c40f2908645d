"""Database triggers that refuse any change to sealed minutes and to what they record.

The services refuse first, with a Vietnamese message; these triggers are the guard for every other
route (a shell, a script, a raw UPDATE): once `sealed_at` is set on the minutes, their row, the
meeting's recorded fields, its attendees, agenda items (and their documents) and votes cannot be
updated, deleted or added to, and a correction appended to sealed minutes is never updated or
deleted. Whoever can drop a trigger can still alter rows; `dangbo audit verify` then finds it (the
content hash of every sealed record is in the audit chain).

PostgreSQL's TRUNCATE (Django's test flush) does not fire row triggers.
"""

from django.db import migrations

MESSAGE = "dangbo: the minutes of this meeting are sealed"

# Meeting columns the sealed record depends on (org_path may move with its organisation; the
# folded search text and the invitation time are not part of the record).
MEETING_COLUMNS = (
    "organisation_id",
    "kind",
    "title",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "status",
    "chair_id",
    "secretary_id",
    "notes",
)
CHILDREN = ("meetings_attendee", "meetings_vote", "meetings_agendaitem")


def _sealed(meeting_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM meetings_minutes m WHERE m.meeting_id = {meeting_id} AND m.sealed_at IS NOT NULL)"


def _item_sealed(item_id: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM meetings_agendaitem a JOIN meetings_minutes m ON m.meeting_id = a.meeting_id "
        f"WHERE a.id = {item_id} AND m.sealed_at IS NOT NULL)"
    )


def _changed_sqlite() -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in MEETING_COLUMNS)


def _changed_pg() -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in MEETING_COLUMNS)


def sqlite_statements() -> list[str]:
    abort = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    statements = [
        f"CREATE TRIGGER meetings_minutes_seal_upd BEFORE UPDATE ON meetings_minutes "
        f"WHEN OLD.sealed_at IS NOT NULL {abort}",
        f"CREATE TRIGGER meetings_minutes_seal_del BEFORE DELETE ON meetings_minutes "
        f"WHEN OLD.sealed_at IS NOT NULL {abort}",
        f"CREATE TRIGGER meetings_addendum_upd BEFORE UPDATE ON meetings_minutesaddendum {abort}",
        f"CREATE TRIGGER meetings_addendum_del BEFORE DELETE ON meetings_minutesaddendum {abort}",
        f"CREATE TRIGGER meetings_meeting_seal_upd BEFORE UPDATE ON meetings_meeting "
        f"WHEN ({_changed_sqlite()}) AND {_sealed('OLD.id')} {abort}",
        f"CREATE TRIGGER meetings_meeting_seal_del BEFORE DELETE ON meetings_meeting "
        f"WHEN {_sealed('OLD.id')} {abort}",
        f"CREATE TRIGGER meetings_agendadoc_seal_ins BEFORE INSERT ON meetings_agendaitem_documents "
        f"WHEN {_item_sealed('NEW.agendaitem_id')} {abort}",
        f"CREATE TRIGGER meetings_agendadoc_seal_del BEFORE DELETE ON meetings_agendaitem_documents "
        f"WHEN {_item_sealed('OLD.agendaitem_id')} {abort}",
    ]
    for table in CHILDREN:
        statements += [
            f"CREATE TRIGGER {table}_seal_ins BEFORE INSERT ON {table} WHEN {_sealed('NEW.meeting_id')} {abort}",
            f"CREATE TRIGGER {table}_seal_upd BEFORE UPDATE ON {table} "
            f"WHEN {_sealed('OLD.meeting_id')} OR {_sealed('NEW.meeting_id')} {abort}",
            f"CREATE TRIGGER {table}_seal_del BEFORE DELETE ON {table} WHEN {_sealed('OLD.meeting_id')} {abort}",
        ]
    return statements


def sqlite_drop() -> list[str]:
    names = [
        "meetings_minutes_seal_upd",
        "meetings_minutes_seal_del",
        "meetings_addendum_upd",
        "meetings_addendum_del",
        "meetings_meeting_seal_upd",
        "meetings_meeting_seal_del",
        "meetings_agendadoc_seal_ins",
        "meetings_agendadoc_seal_del",
    ] + [f"{t}_seal_{op}" for t in CHILDREN for op in ("ins", "upd", "del")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def pg_statements() -> list[str]:
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return [
        f"""CREATE FUNCTION meetings_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {raise_} END $$""",
        f"""CREATE FUNCTION meetings_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (TG_OP <> 'INSERT' AND {_sealed('OLD.meeting_id')})
             OR (TG_OP <> 'DELETE' AND {_sealed('NEW.meeting_id')}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE FUNCTION meetings_agendadoc_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (TG_OP <> 'INSERT' AND {_item_sealed('OLD.agendaitem_id')})
             OR (TG_OP <> 'DELETE' AND {_item_sealed('NEW.agendaitem_id')}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE FUNCTION meetings_meeting_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF {_sealed('OLD.id')} AND (TG_OP = 'DELETE' OR {_changed_pg()}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        "CREATE TRIGGER meetings_minutes_seal BEFORE UPDATE OR DELETE ON meetings_minutes "
        "FOR EACH ROW WHEN (OLD.sealed_at IS NOT NULL) EXECUTE FUNCTION meetings_refuse()",
        "CREATE TRIGGER meetings_addendum_seal BEFORE UPDATE OR DELETE ON meetings_minutesaddendum "
        "FOR EACH ROW EXECUTE FUNCTION meetings_refuse()",
        "CREATE TRIGGER meetings_meeting_seal BEFORE UPDATE OR DELETE ON meetings_meeting "
        "FOR EACH ROW EXECUTE FUNCTION meetings_meeting_guard()",
        "CREATE TRIGGER meetings_agendadoc_seal BEFORE INSERT OR UPDATE OR DELETE ON meetings_agendaitem_documents "
        "FOR EACH ROW EXECUTE FUNCTION meetings_agendadoc_guard()",
    ] + [
        f"CREATE TRIGGER {t}_seal BEFORE INSERT OR UPDATE OR DELETE ON {t} "
        "FOR EACH ROW EXECUTE FUNCTION meetings_child_guard()"
        for t in CHILDREN
    ]


def pg_drop() -> list[str]:
    return [
        "DROP FUNCTION IF EXISTS meetings_refuse, meetings_child_guard, meetings_agendadoc_guard, "
        "meetings_meeting_guard CASCADE"
    ]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_statements, "postgresql": pg_statements}.get(vendor)
    if statements is None:
        raise RuntimeError(f"sealed-minutes triggers are written for SQLite and PostgreSQL, not {vendor}")
    for sql in statements():
        schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for sql in (sqlite_drop() if vendor == "sqlite" else pg_drop()):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
