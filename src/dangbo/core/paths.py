"""Materialised paths ("/1/7/42/") and the one lookup that selects a subtree: `path__within=prefix`.

PostgreSQL answers `path LIKE '/1/7/%'` from the varchar_pattern_ops index Django adds to a unique
CharField. SQLite cannot use an index for LIKE (it is case-insensitive there), so on SQLite the same
lookup becomes the range `path >= '/1/7/' AND path < '/1/70'`: paths hold only digits and "/", and
"/" sorts just before "0", so the range is exactly the subtree and a plain B-tree index serves it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


class PathField(models.CharField):  # type: ignore[type-arg]
    description = "Materialised path of ancestor ids"


@PathField.register_lookup
class Within(Lookup):  # type: ignore[type-arg]
    lookup_name = "within"

    def _sides(self, compiler: Any, connection: Any) -> tuple[str, list[Any], str]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if not prefix.endswith("/") or not set(prefix) <= set("/0123456789"):
            raise ValueError(f"not a materialised path: {prefix!r}")
        return lhs, list(lhs_params), prefix

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params, prefix = self._sides(compiler, connection)
        return f"{lhs} LIKE %s", [*params, f"{prefix}%"]

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params, prefix = self._sides(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", [*params, prefix, *params, f"{prefix[:-1]}0"]
