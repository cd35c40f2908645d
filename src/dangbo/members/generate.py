"""Synthetic member registers: deterministic from a seed, fictional Vietnamese names, dates consistent
with the rules (admitted at 18–45, full membership at the end of probation, nobody in the future).

Two outputs: a CSV in the import template's layout (to import, or to measure the import), and the
same people written straight into the database under a generated organisation tree shaped like the
Party's (one committee, ≈ 70 upper-level committees, grassroots committees of ≈ 50 cells, cells of
≈ 100 members: 6M members give ≈ 61,000 organisations) — to measure registers, search and statistics
at the scale of the whole Party.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from dangbo.core import audit, bulk
from dangbo.members import counts
from dangbo.members.importer import template_headers
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.members.name_pool import draw_name
from dangbo.orgs import names
from dangbo.orgs.models import Organisation, Person, PersonName
from dangbo.rules.membership import EventKind, Status, add_months, probation_end
from dangbo.rules.vietnamese import NameKeys, collation_key, fold, format_date

ETHNICITIES = ("Kinh",) * 17 + ("Tày", "Thái", "Mường", "Khmer", "Nùng", "Hoa")
THEORY = ("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân")
MEMBERS_PER_CELL = 100
CELLS_PER_GRASSROOTS = 50
UPPER_COMMITTEES = 70
CHUNK = 20_000


@dataclass(frozen=True)
class Synthetic:
    name: str
    gender: str
    born: dt.date
    national_id: str
    card_no: str
    admitted: dt.date
    full: dt.date | None  # None while still on probation
    cell: int
    ethnicity: str
    theory: str


def synthetic_people(count: int, cells: list[int], seed: int, today: dt.date) -> Iterator[Synthetic]:
    rng = random.Random(seed)
    for i in range(count):
        gender = rng.choice(("male", "female"))
        name = draw_name(rng, gender)
        born = dt.date(rng.randint(1945, today.year - 19), rng.randint(1, 12), rng.randint(1, 28))
        admitted = add_months(born, 12 * rng.randint(18, 45) + rng.randint(0, 11))
        if admitted >= today:
            admitted = add_months(born, 12 * 18 + 1)
        full = probation_end(admitted)
        yield Synthetic(
            name,
            gender,
            born,
            f"0{seed % 100:02d}{i:09d}",
            f"{seed % 100:02d}{i:08d}",
            admitted,
            full if full <= today else None,
            rng.choice(cells),
            rng.choice(ETHNICITIES),
            rng.choice(THEORY),
        )


def register_rows(count: int, cells: list[int], seed: int, today: dt.date) -> Iterator[list[str]]:
    """Rows in the import template's column order."""
    for p in synthetic_people(count, cells, seed, today):
        yield [
            p.name,
            format_date(p.born),
            "Nam" if p.gender == "male" else "Nữ",
            p.national_id,
            p.card_no,
            format_date(p.admitted),
            format_date(p.full) if p.full else "",
            str(p.cell),
            p.ethnicity,
            "",
            "",
            p.theory,
        ]


def write_csv(path: Path, count: int, cells: list[int], seed: int, today: dt.date) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(template_headers())
        writer.writerows(register_rows(count, cells, seed, today))


def _tree_shape(members: int) -> tuple[int, int, int]:
    """(upper committees, grassroots committees, cells) for this many members."""
    cells = max(1, math.ceil(members / MEMBERS_PER_CELL))
    grassroots = max(1, math.ceil(cells / CELLS_PER_GRASSROOTS))
    return min(UPPER_COMMITTEES, grassroots), grassroots, cells


def _org(pk: int, parent: int | None, path: str, depth: int, name: str, kind: str, code: str) -> dict:
    return {
        "id": pk,
        "parent_id": parent,
        "path": path,
        "depth": depth,
        "name": name,
        "short_name": "",
        "code": code,
        "search_text": fold(f"{name} {code}"),
        "sort_key": collation_key(name),
        "kind": kind,
    }


def _write_tree(members: int, seed: int) -> tuple[Organisation, list[tuple[int, str]]]:
    """The generated tree: its root and its cells as (id, path)."""
    n_upper, n_grassroots, n_cells = _tree_shape(members)
    base = bulk.reserve_ids(Organisation, 1 + n_upper + n_grassroots + n_cells)
    root_id = base + 1
    rows = [_org(root_id, None, f"/{root_id}/", 0, f"Đảng bộ giả lập {seed}", "bloc", f"GL{seed}")]
    uppers = []
    for u in range(n_upper):
        pk = root_id + 1 + u
        uppers.append((pk, f"/{root_id}/{pk}/"))
        rows.append(
            _org(pk, root_id, uppers[-1][1], 1, f"Đảng bộ tỉnh giả lập {u + 1}", "upper", f"T{u + 1}")
        )
    grassroots = []
    for g in range(n_grassroots):
        pk = root_id + 1 + n_upper + g
        parent, parent_path = uppers[g % n_upper]
        grassroots.append((pk, f"{parent_path}{pk}/"))
        rows.append(_org(pk, parent, grassroots[-1][1], 2, f"Đảng bộ cơ sở {g + 1}", "grassroots", ""))
    cells = []
    for c in range(n_cells):
        pk = root_id + 1 + n_upper + n_grassroots + c
        parent, parent_path = grassroots[c % n_grassroots]
        cells.append((pk, f"{parent_path}{pk}/"))
        rows.append(_org(pk, parent, cells[-1][1], 3, f"Chi bộ {c + 1}", "cell", ""))
    for start in range(0, len(rows), CHUNK):
        bulk.insert(Organisation, rows[start : start + CHUNK])
    return Organisation.objects.get(pk=root_id), cells


def generate_into_db(
    members: int, seed: int, today: dt.date, progress: Callable[[int], None] | None = None
) -> Organisation:
    """A generated tree and its members, with their admission and full-membership events, written
    in one transaction; the statistics are counted again at the end. Returns the tree's root."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(m._meta.db_table for m in (Organisation, Person, PartyMember, MemberEvent))
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        root, cells = _write_tree(members, seed)
        paths = dict(cells)
        person_base = bulk.reserve_ids(Person, members)
        member_base = bulk.reserve_ids(PartyMember, members)
        people, records, events = [], [], []
        source = synthetic_people(members, sorted(paths), seed, today)
        name_keys = NameKeys()
        for i, p in enumerate(source, start=1):
            search_text, sort_key = name_keys(p.name)
            people.append(
                {
                    "id": person_base + i,
                    "full_name": p.name,
                    "gender": p.gender,
                    "birth_date": p.born,
                    "organisation_id": p.cell,
                    "is_party_member": True,
                    "search_text": search_text,
                    "sort_key": sort_key,
                }
            )
            records.append(
                {
                    "id": member_base + i,
                    "person_id": person_base + i,
                    "organisation_id": p.cell,
                    "org_path": paths[p.cell],
                    "status": (Status.FULL if p.full else Status.PROBATIONARY).value,
                    "admitted_on": p.admitted,
                    "probation_started_on": p.admitted,
                    "full_on": p.full,
                    "party_age_from": p.admitted,
                    "search_text": search_text,
                    "card_no": p.card_no,
                    "national_id": p.national_id,
                    "ethnicity": p.ethnicity,
                    "political_theory": p.theory,
                }
            )
            events.append({"member_id": member_base + i, "kind": EventKind.ADMITTED.value, "on": p.admitted})
            if p.full:
                events.append(
                    {"member_id": member_base + i, "kind": EventKind.FULL_MEMBER.value, "on": p.full}
                )
            if i % CHUNK == 0 or i == members:
                bulk.insert(Person, people)
                bulk.insert(PartyMember, records)
                bulk.insert(MemberEvent, events)
                people, records, events = [], [], []
                if progress is not None:
                    progress(i)
        names.add_people(person_base + 1, person_base + members)
        counts.rebuild(today)
        audit.record(
            actor=None,
            action="member.generate",
            instance=root,
            after={"members": members, "seed": seed, "organisations": len(cells)},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Organisation, Person, PersonName, PartyMember, MemberEvent):
                # VACUUM too: index-only scans (the name order with the folded name) need the
                # visibility map that a bulk load leaves empty until autovacuum comes by.
                # (VACUUM cannot run inside a caller's transaction, e.g. a test's.)
                vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                cursor.execute(f"{vacuum} {model._meta.db_table}")
    return root
