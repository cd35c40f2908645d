"""Member statistics kept as counts, so that a subtree's figures are a few hundred rows to add up
whatever the number of members (the whole Party at the root: ≈ 6M members, answered in milliseconds).

`MemberCount` holds, for every organisation, how many members of each status its whole subtree holds
per value of each dimension. Every write to members, people or the tree calls `touch(organisations)`:
the counts of those organisations are counted again from their own members plus their children's
counts, then their ancestors', deepest first — a handful of small set-based queries, inside the
writer's transaction. Nothing is adjusted by ±1, so the counts cannot drift; `rebuild()` starts over.

Age and party-age bands depend on the day: they are counted as of `CountState.as_of`. Moving that day
forward (`bring_up_to(day)`, run by `dangbo counts` each night and by the first reader of a new day)
moves only the members who crossed a band boundary in between, by ±1 in their cell and its ancestors.
Other days are counted live by `selectors.statistics`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from dangbo.core.paths import path_ids
from dangbo.core.scoping import grant_for, scope
from dangbo.members.models import CountState, MemberCount, PartyMember
from dangbo.orgs.models import Organisation, Person
from dangbo.rules import membership
from dangbo.rules.roles import Perm

AGE_BANDS = ((0, 30), (30, 40), (40, 50), (50, 60), (60, 200))
PARTY_AGE_BANDS = ((0, 5), (5, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 200))
ACTIVE = (membership.Status.PROBATIONARY.value, membership.Status.FULL.value)
# Dimension → the column it counts ("" for the plain total, banded dates are computed).
COLUMNS = {
    "all": None,
    "gender": "p.gender",
    "age_band": "p.birth_date",
    "party_age_band": "m.party_age_from",
    "ethnicity": "m.ethnicity",
    "religion": "m.religion",
    "education": "m.education",
    "political_theory": "m.political_theory",
}
BANDED = {"age_band": AGE_BANDS, "party_age_band": PARTY_AGE_BANDS}
LEVEL = "member_count_level"
# Past this many days since the last count, counting everything again is cheaper than the crossings.
REBUILD_AFTER_DAYS = 366


def band_of(day: dt.date | None, bands: tuple[tuple[int, int], ...], on: dt.date) -> int:
    """The band (its lower bound in whole years) that `day` falls in on `on`; -1 when unknown."""
    if day is None or day > on:
        return -1
    for low, high in bands:
        if day > membership.add_months(on, -12 * high):
            return low
    return -1


def _band_sql(column: str, bands: tuple[tuple[int, int], ...], on: dt.date) -> tuple[str, list[Any]]:
    """SQL for `band_of` on a column, as text ('' when unknown)."""
    whens, params = [f"WHEN {column} IS NULL OR {column} > %s THEN ''"], [on]
    for low, high in bands:
        whens.append(f"WHEN {column} > %s THEN '{low}'")
        params.append(membership.add_months(on, -12 * high))
    return f"CASE {' '.join(whens)} ELSE '' END", params


def _column_sql(dimension: str, on: dt.date) -> tuple[str, list[Any]]:
    """The value a member counts under for one dimension, as SQL."""
    column = COLUMNS[dimension]
    if column is None:
        return "''", []
    if dimension in BANDED:
        return _band_sql(column, BANDED[dimension], on)
    return column, []


def _tables() -> dict[str, str]:
    return {
        "member": PartyMember._meta.db_table,
        "person": Person._meta.db_table,
        "org": Organisation._meta.db_table,
        "count": MemberCount._meta.db_table,
    }


def _own_members_sql(level: str, on: dt.date) -> tuple[str, list[Any]]:
    """PostgreSQL: (owner, status, dim, value, n) for the own members of the organisations in `level`."""
    t = _tables()
    where = f"WHERE m.org_path IN (SELECT o.path FROM {t['org']} o WHERE o.id IN ({level}))"
    joined = f"FROM {t['member']} m JOIN {t['person']} p ON p.id = m.person_id {where}"
    # One pass, one small hash table per dimension (GROUPING SETS; PostgreSQL only), ≈ 5× faster
    # than a row per member and dimension at a million members.
    names = list(COLUMNS)[1:]
    columns, params = [], []
    for name in names:
        expression, more = _column_sql(name, on)
        columns.append(f"{expression} AS {name}")
        params += more
    dim = " ".join(f"WHEN GROUPING({name}) = 0 THEN '{name}'" for name in names)
    value = " ".join(f"WHEN GROUPING({name}) = 0 THEN {name}" for name in names)
    sets = ", ".join(["(owner, status)", *(f"(owner, status, {name})" for name in names)])
    return (
        f"SELECT owner, status, CASE {dim} ELSE 'all' END AS dim, "
        f"COALESCE(CASE {value} END, '') AS value, COUNT(*) AS n FROM ("
        f"SELECT m.organisation_id AS owner, m.status AS status, {', '.join(columns)} {joined}"
        f") d GROUP BY GROUPING SETS ({sets})",
        params,
    )


OWN = "member_count_own"  # SQLite: the own members' counts of one level, added up in Python


def _own_members_sqlite(cursor: Any, level: str, on: dt.date) -> tuple[str, list[Any]]:
    """SQLite has no GROUPING SETS, and a row per member and dimension grouped in SQL costs ≈ 1 s per
    100k members: read each own member once, add up every dimension in Python, keep the sums in a
    temporary table and read them like `_own_members_sql`. Same values: dates compare as ISO text
    (as SQLite stores them), unknown bands are ''."""
    t = _tables()
    cursor.execute(f"DROP TABLE IF EXISTS {OWN}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {OWN} (owner bigint, status text, dim text, value text, n integer)"
    )
    plain = [name for name, column in COLUMNS.items() if column and name not in BANDED]
    cuts = {
        name: [(membership.add_months(on, -12 * high).isoformat(), str(low)) for low, high in bands]
        for name, bands in BANDED.items()
    }
    today = on.isoformat()

    def band(day: Any, name: str) -> str:
        if day is None or str(day) > today:
            return ""
        day = str(day)
        for cut, low in cuts[name]:
            if day > cut:
                return low
        return ""

    selected = ", ".join(str(COLUMNS[name]) for name in [*plain, *BANDED])
    cursor.execute(
        f"SELECT m.organisation_id, m.status, {selected} FROM {t['member']} m "
        f"JOIN {t['person']} p ON p.id = m.person_id "
        f"WHERE m.org_path IN (SELECT o.path FROM {t['org']} o WHERE o.id IN ({level}))"
    )
    sums: dict[str, Counter[tuple[Any, Any, Any]]] = {name: Counter() for name in COLUMNS}
    bands: dict[str, dict[Any, str]] = {name: {} for name in BANDED}
    while rows := cursor.fetchmany(50_000):
        owner, status, *values = zip(*rows, strict=True)
        sums["all"].update(zip(owner, status, [""] * len(owner), strict=True))
        for name, column in zip([*plain, *BANDED], values, strict=True):
            if name in BANDED:
                known = bands[name]
                column = tuple(known[d] if d in known else known.setdefault(d, band(d, name)) for d in column)
            else:
                column = tuple("" if v is None else v for v in column)
            sums[name].update(zip(owner, status, column, strict=True))
    cursor.executemany(
        f"INSERT INTO {OWN} VALUES (%s, %s, %s, %s, %s)",
        [(o, st, name, v, n) for name, found in sums.items() for (o, st, v), n in found.items()],
    )
    return f"SELECT owner, status, dim, value, n FROM {OWN}", []


def _count_levels(cursor: Any, on: dt.date) -> None:
    """Count again every organisation listed in the level table, deepest first."""
    t = _tables()
    cursor.execute(f"SELECT DISTINCT depth FROM {LEVEL} ORDER BY depth DESC")
    for (depth,) in cursor.fetchall():
        level = f"SELECT id FROM {LEVEL} WHERE depth = {int(depth)}"
        if connection.vendor == "postgresql":
            own, params = _own_members_sql(level, on)
        else:
            own, params = _own_members_sqlite(cursor, level, on)
        cursor.execute(f"DELETE FROM {t['count']} WHERE organisation_id IN ({level})")
        cursor.execute(
            f"INSERT INTO {t['count']} (organisation_id, org_path, status, dimension, value, n) "
            # the organisation's own members (their path is the organisation's path) …
            f"SELECT x.owner, o.path, x.status, x.dim, x.value, SUM(x.n) FROM ({own} "
            # … plus its children's counts
            "UNION ALL SELECT c.parent_id, x.status, x.dimension, x.value, x.n "
            f"FROM {t['count']} x JOIN {t['org']} c ON c.id = x.organisation_id WHERE c.parent_id IN ({level})"
            f") x JOIN {t['org']} o ON o.id = x.owner GROUP BY x.owner, o.path, x.status, x.dim, x.value",
            params,
        )


def _fill_levels(cursor: Any, organisations: Iterable[int] | None) -> None:
    """The level table: the given organisations and all their ancestors (None: every organisation)."""
    cursor.execute(f"DROP TABLE IF EXISTS {LEVEL}")
    cursor.execute(f"CREATE TEMPORARY TABLE {LEVEL} (id bigint PRIMARY KEY, depth integer NOT NULL)")
    if organisations is None:
        cursor.execute(f"INSERT INTO {LEVEL} (id, depth) SELECT id, depth FROM {_tables()['org']}")
    else:
        wanted = sorted(set(organisations))
        affected: dict[int, int] = {}
        for start in range(0, len(wanted), 5000):
            paths = Organisation.objects.filter(pk__in=wanted[start : start + 5000]).values_list(
                "path", flat=True
            )
            for path in paths:
                affected.update((node, depth) for depth, node in enumerate(path_ids(path)))
        cursor.executemany(f"INSERT INTO {LEVEL} (id, depth) VALUES (%s, %s)", list(affected.items()))
    if connection.vendor == "postgresql":
        # Without statistics the planner takes a temporary table for a big one (and scans every
        # count to delete a cell's few) or a tiny one (and walks a million members row by row).
        cursor.execute(f"ANALYZE {LEVEL}")
        # The per-dimension hash tables of a large recount fit in memory instead of spilling.
        cursor.execute("SET LOCAL work_mem = '64MB'")


def _lock() -> CountState:
    CountState.objects.get_or_create(pk=1)
    return CountState.objects.select_for_update().get(pk=1)


def touch(organisations: Iterable[int | None]) -> None:
    """Count again these organisations and their ancestors: call it in the transaction that changed
    their members (or the people, or the tree under them)."""
    wanted = {pk for pk in organisations if pk}
    if not wanted:
        return
    with transaction.atomic():
        state = _lock()
        if state.as_of is None:
            _rebuild(state, timezone.localdate())
            return
        with connection.cursor() as cursor:
            _fill_levels(cursor, wanted)
            _count_levels(cursor, state.as_of)


def _rebuild(state: CountState, on: dt.date) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_tables()['count']}")
        _fill_levels(cursor, None)
        _count_levels(cursor, on)
    state.as_of = on
    state.save(update_fields=["as_of"])


def rebuild(on: dt.date | None = None) -> None:
    """Count everything again (after a restore, or to check: the result must not change)."""
    with transaction.atomic():
        _rebuild(_lock(), on or timezone.localdate())


def crossed(before: dt.date, after: dt.date) -> list[tuple[int, str, str, dt.date | None, dt.date | None]]:
    """Members whose age or party-age band differs between the two days, as (organisation, path,
    status, birth date, party-age start): a few index range scans (person_birth_idx,
    member_party_age_idx), whatever the register's size."""
    with connection.cursor() as cursor:
        cursor.execute(*crossing_sql(before, after))
        return list(cursor.fetchall())


def crossing_sql(before: dt.date, after: dt.date) -> tuple[str, list[Any]]:
    low, high = min(before, after), max(before, after)
    t = _tables()
    selects, params = [], []
    for dimension, bands in BANDED.items():
        column = str(COLUMNS[dimension])
        # each boundary a member may cross, and a date that is in the future on one of the two days
        ranges = [(low, high)] + [
            (membership.add_months(low, -12 * b), membership.add_months(high, -12 * b))
            for b in [high_ for _low, high_ in bands[:-1]]
        ]
        where = " OR ".join(f"({column} > %s AND {column} <= %s)" for _r in ranges)
        selects.append(
            "SELECT m.id, m.organisation_id, m.org_path, m.status, p.birth_date, m.party_age_from "
            f"FROM {t['member']} m JOIN {t['person']} p ON p.id = m.person_id WHERE {where}"
        )
        params += [day for pair in ranges for day in pair]
    return (
        f"SELECT organisation_id, org_path, status, birth_date, party_age_from FROM ({' UNION '.join(selects)}) c",
        params,
    )


def _shift(before: dt.date, after: dt.date) -> None:
    """Move each member who crossed a band boundary from the old band to the new one, in their cell
    and every ancestor: a few thousand ±1 on a national register, instead of recounting the cells
    (≈ 300,000 members a day at 6M). Exact, because the crossing members are found exactly; the
    tests compare the result with a live count and a rebuild."""
    delta: dict[tuple[int, str, str, str], int] = {}
    paths: dict[int, str] = {}
    for _org, path, status, born, party_from in crossed(before, after):
        ids = path_ids(path)
        for depth, node in enumerate(ids):
            paths[node] = "/" + "/".join(map(str, ids[: depth + 1])) + "/"
        for dimension, day in (("age_band", born), ("party_age_band", party_from)):
            old, new = (band_of(day, BANDED[dimension], on) for on in (before, after))
            if old == new:
                continue
            for node in ids:
                for band, step in ((old, -1), (new, 1)):
                    key = (node, status, dimension, str(band) if band >= 0 else "")
                    delta[key] = delta.get(key, 0) + step
    changes = [
        (node, paths[node], status, dim, value, n) for (node, status, dim, value), n in delta.items() if n
    ]
    if not changes:
        return
    table = _tables()["count"]
    with connection.cursor() as cursor:
        # Removals first, so no count is ever below zero (the CHECK of a positive field); an upsert
        # would check its proposed row before finding the conflict, so they are plain updates.
        cursor.executemany(
            f"UPDATE {table} SET n = n + %s WHERE organisation_id = %s AND status = %s "
            "AND dimension = %s AND value = %s",
            [(n, node, status, dim, value) for node, _path, status, dim, value, n in changes if n < 0],
        )
        cursor.executemany(
            f"INSERT INTO {table} (organisation_id, org_path, status, dimension, value, n) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (organisation_id, status, dimension, value) "
            f"DO UPDATE SET n = {table}.n + excluded.n",
            [row for row in changes if row[-1] > 0],
        )
        touched = sorted({row[0] for row in changes})
        for start in range(0, len(touched), 5000):
            listed = ", ".join(str(int(pk)) for pk in touched[start : start + 5000])
            cursor.execute(f"DELETE FROM {table} WHERE n = 0 AND organisation_id IN ({listed})")


def bring_up_to(day: dt.date) -> None:
    """Count the age bands as of `day`, moving only the members who crossed a boundary."""
    with transaction.atomic():
        state = _lock()
        if state.as_of == day:
            return
        if state.as_of is None or abs((day - state.as_of).days) > REBUILD_AFTER_DAYS:
            _rebuild(state, day)
            return
        _shift(state.as_of, day)
        state.as_of = day
        state.save(update_fields=["as_of"])


def counted_as_of() -> dt.date | None:
    return CountState.objects.filter(pk=1).values_list("as_of", flat=True).first()


@dataclass(frozen=True)
class Statistics:
    total: int
    by: dict[str, list[tuple[Any, int]]]


def _tops(user: Any, organisation: Organisation) -> list[int]:
    """The organisations whose subtree counts add up to what `user` may see of `organisation`'s."""
    grant = grant_for(user, Perm.PERSON_VIEW)
    if grant.everything or grant.covers("party", organisation.path):
        return [organisation.pk]
    return [path_ids(path)[-1] for path in grant.party if path.startswith(organisation.path)]


def read(user: Any, organisation: Organisation, on: dt.date) -> Statistics:
    """A subtree's members in activity, by every dimension, from the counts (brought up to `on`)."""
    if counted_as_of() != on:
        bring_up_to(on)
    rows = (
        scope(MemberCount.objects.all(), user, Perm.PERSON_VIEW)
        .filter(organisation_id__in=_tops(user, organisation), status__in=ACTIVE)
        .values("status", "dimension", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    by: dict[str, dict[Any, int]] = {name: {} for name in ("status", *list(COLUMNS)[1:])}
    total = 0
    for row in rows:
        dimension, value, n = row["dimension"], row["value"], row["total"]
        if dimension == "all":
            total += n
            dimension, value = "status", row["status"]
        elif dimension in BANDED:
            value = int(value) if value else -1
        by[dimension][value] = by[dimension].get(value, 0) + n
    return Statistics(total, ordered(by))


def members_in(user: Any, organisation: Organisation, status: str = "") -> int:
    """How many member records (of one status, or all) the subtree holds that `user` may see: the
    register's size without counting its rows."""
    qs = scope(MemberCount.objects.all(), user, Perm.PERSON_VIEW).filter(
        organisation_id__in=_tops(user, organisation), dimension="all"
    )
    if status:
        qs = qs.filter(status=status)
    return int(qs.aggregate(total=Sum("n"))["total"] or 0)


def ordered(by: dict[str, dict[Any, int]]) -> dict[str, list[tuple[Any, int]]]:
    """Largest first; bands in their own order."""
    result = {
        name: sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))) for name, counts in by.items()
    }
    for banded, bands in BANDED.items():
        order = {low: i for i, (low, _) in enumerate(bands)}
        result[banded] = sorted(by[banded].items(), key=lambda kv: order.get(kv[0], 99))
    return result
