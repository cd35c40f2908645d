"""Database triggers that refuse any change to a closed evaluation round.

The services refuse first, with a Vietnamese message; these triggers guard every other route (a
shell, a script, the admin, a raw UPDATE): once a round's `closed_at` is set, its assessments cannot
be added, changed or deleted, and the round cannot be reopened, moved to another year or
organisation, nor its rule set changed. The one column left writable is the organisation path
copied onto the rows (`org_path`): moving an organisation in the tree rewrites it everywhere.
Imitates emulation's migration 0002.
"""

from django.db import migrations

MESSAGE = "dangbo: this evaluation round is closed and locked"

ASSESSMENT_COLUMNS = (
    "round_id",
    "organisation_id",
    "person_id",
    "collective",
    "subject_name",
    "form",
    "general_score",
    "task_score",
    "tasks_total",
    "tasks_done",
    "tasks_on_time",
    "tasks_exceeding",
    "disciplined",
    "shortcomings",
    "shortcomings_fixed",
    "strengths",
    "weaknesses",
    "remedies",
    "self_level",
    "self_assessed_at",
    "self_assessed_by_id",
    "proposed_level",
    "proposal_note",
    "proposed_by_id",
    "proposed_at",
    "decided_level",
    "decision_note",
    "decided_by_id",
    "decided_at",
)
ROUND_COLUMNS = ("organisation_id", "year", "rules_on", "regulation", "status", "closed_at")
TABLE = "evaluation_assessment"
ROUNDS = "evaluation_evaluationround"


def _closed(round_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM {ROUNDS} r WHERE r.id = {round_id} AND r.closed_at IS NOT NULL)"


def _changed(columns: tuple[str, ...], op: str) -> str:
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in columns)


def sqlite_statements() -> list[str]:
    abort = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    return [
        f"CREATE TRIGGER {TABLE}_lock_ins BEFORE INSERT ON {TABLE} WHEN {_closed('NEW.round_id')} {abort}",
        f"CREATE TRIGGER {TABLE}_lock_upd BEFORE UPDATE ON {TABLE} "
        f"WHEN ({_changed(ASSESSMENT_COLUMNS, 'IS NOT')}) "
        f"AND ({_closed('OLD.round_id')} OR {_closed('NEW.round_id')}) {abort}",
        f"CREATE TRIGGER {TABLE}_lock_del BEFORE DELETE ON {TABLE} WHEN {_closed('OLD.round_id')} {abort}",
        f"CREATE TRIGGER {ROUNDS}_lock_upd BEFORE UPDATE ON {ROUNDS} "
        f"WHEN OLD.closed_at IS NOT NULL AND ({_changed(ROUND_COLUMNS, 'IS NOT')}) {abort}",
        f"CREATE TRIGGER {ROUNDS}_lock_del BEFORE DELETE ON {ROUNDS} WHEN OLD.closed_at IS NOT NULL {abort}",
    ]


def sqlite_drop() -> list[str]:
    names = [f"{TABLE}_lock_{op}" for op in ("ins", "upd", "del")] + [
        f"{ROUNDS}_lock_{op}" for op in ("upd", "del")
    ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def pg_statements() -> list[str]:
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return [
        f"""CREATE FUNCTION evaluation_assessment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' AND {_closed('NEW.round_id')} THEN {raise_} END IF;
          IF TG_OP = 'DELETE' AND {_closed('OLD.round_id')} THEN {raise_} END IF;
          IF TG_OP = 'UPDATE' AND ({_closed('OLD.round_id')} OR {_closed('NEW.round_id')})
             AND ({_changed(ASSESSMENT_COLUMNS, 'IS DISTINCT FROM')}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"""CREATE FUNCTION evaluation_round_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.closed_at IS NOT NULL AND (TG_OP = 'DELETE'
             OR {_changed(ROUND_COLUMNS, 'IS DISTINCT FROM')}) THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
        f"CREATE TRIGGER {TABLE}_lock BEFORE INSERT OR UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION evaluation_assessment_guard()",
        f"CREATE TRIGGER {ROUNDS}_lock BEFORE UPDATE OR DELETE ON {ROUNDS} "
        "FOR EACH ROW EXECUTE FUNCTION evaluation_round_guard()",
    ]


def pg_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {TABLE}_lock ON {TABLE}",
        f"DROP TRIGGER IF EXISTS {ROUNDS}_lock ON {ROUNDS}",
        "DROP FUNCTION IF EXISTS evaluation_assessment_guard()",
        "DROP FUNCTION IF EXISTS evaluation_round_guard()",
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
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
