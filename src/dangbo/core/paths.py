"""Materialised paths ("/1/7/42/") and the one lookup that selects a subtree: `path__within=prefix`.

The lookup is the range `path >= '/1/7/' AND path < '/1/70'` on both databases: paths hold only digits
and "/", and "/" sorts just before "0", so the range is exactly the subtree and a plain B-tree index
serves it. That holds only in a byte-order collation, so on PostgreSQL the column is declared
COLLATE "C" whatever the database's locale (en_US would ignore the "/" when comparing); SQLite
compares bytes already. No pattern-ops index is needed, and none is created: declare path indexes
in Meta (db_index=True or unique=True would add one on PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Lookup, Value
from django.db.models.functions import Concat, Substr


class PathField(models.CharField):  # type: ignore[type-arg]
    description = "Materialised path of ancestor ids"

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


@PathField.register_lookup
class Within(Lookup):  # type: ignore[type-arg]
    lookup_name = "within"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if not prefix.endswith("/") or not set(prefix) <= set("/0123456789"):
            raise ValueError(f"not a materialised path: {prefix!r}")
        params = list(lhs_params)
        return f"({lhs} >= %s AND {lhs} < %s)", [*params, prefix, *params, f"{prefix[:-1]}0"]


def path_ids(path: str) -> list[int]:
    """The ids along a path, root first: "/1/7/42/" → [1, 7, 42]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def repath(model: type[models.Model], field: str, old_prefix: str, new_prefix: str, **also: Any) -> int:
    """Move every path under `old_prefix` of `model.field` to the same place under `new_prefix`
    (and set `also` on the same rows, in the same UPDATE)."""
    return model._base_manager.filter(**{f"{field}__within": old_prefix}).update(
        **{field: Concat(Value(new_prefix), Substr(field, len(old_prefix) + 1))}, **also
    )


def repath_copies(tree: str, old_prefix: str, new_prefix: str) -> None:
    """A subtree moved: rewrite the copies of its paths that other models keep for subtree queries
    and scoping. A model declares its copies as `PATH_COPIES = (("party", "org_path"),)`."""
    for model in apps.get_models():
        for copy_tree, field in getattr(model, "PATH_COPIES", ()):
            if copy_tree == tree:
                repath(model, field, old_prefix, new_prefix)


def byte_order_migration(*columns: tuple[str, str]) -> Any:
    """A migration operation giving existing path columns COLLATE "C" on PostgreSQL (databases made
    before PathField declared it); nothing to do on SQLite."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE "C"')

    return migrations.RunPython(forwards, migrations.RunPython.noop)
