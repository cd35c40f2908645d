"""Fast bulk inserts for imports: COPY on PostgreSQL, executemany on SQLite, no model instances.

Rows are given as dicts of field attnames; every concrete column is written, missing ones with the
field's default, so the database sees exactly what `Model.objects.create` would have written.
Ids are allocated up front so that rows of several tables can refer to each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The id before a block of `count` fresh primary keys (the block is base+1 … base+count),
    taken in one step rather than one nextval per row. Hold a lock that keeps other writers off
    the table (an import's SHARE ROW EXCLUSIVE lock; on SQLite, the write lock every transaction
    here takes at BEGIN), so nobody draws from the sequence in between."""
    if connection.vendor != "postgresql":
        return last_used_id(model)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s))", [model._meta.db_table, model._meta.pk.column]
        )
        first = int(cursor.fetchone()[0])
        if count > 1:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                [model._meta.db_table, model._meta.pk.column, first + count - 1],
            )
    return first - 1


def last_used_id(model: type[models.Model]) -> int:
    """SQLite: the highest primary key ever handed out (AUTOINCREMENT never reuses one). Call it
    inside the writing transaction, which already holds SQLite's only write lock."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{table}"')
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
    return int(max(highest, used[0] if used else 0))


def insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows (dicts keyed by attname); the primary key is written when the rows carry it,
    otherwise the database numbers them. Returns how many rows were written."""
    if not rows:
        return 0
    pk = model._meta.pk.attname
    fields = [f for f in model._meta.concrete_fields if f.attname != pk or pk in rows[0]]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    table = model._meta.db_table
    column_sql = ", ".join(f'"{f.column}"' for f in fields)
    prepared = [tuple(row.get(n, defaults[n]) for n in names) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({column_sql}) FROM STDIN') as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f'INSERT INTO "{table}" ({column_sql}) VALUES ({placeholders})', prepared)
    return len(prepared)


def insert_select(
    cursor: Any, model: type[models.Model], exprs: dict[str, str], from_sql: str, params: Sequence[Any]
) -> int:
    """`INSERT INTO model's table (…) SELECT … FROM …`: `exprs` gives the SQL for some attnames (their
    `%s` take `params` in order); every other column gets the field's default, as `create` would."""
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(exprs) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    rest = [f for name, f in fields.items() if name not in exprs and not f.primary_key]
    columns = [quote(fields[name].column) for name in exprs] + [quote(f.column) for f in rest]
    select = list(exprs.values()) + ["%s"] * len(rest)
    cursor.execute(
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(select)} {from_sql}",
        [*params, *(f.get_default() for f in rest)],
    )
    return int(cursor.rowcount)
