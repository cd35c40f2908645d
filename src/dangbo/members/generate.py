"""Synthetic member registers: deterministic from a seed, fictional Vietnamese names, dates consistent
with the rules (admitted at 18–45, full membership at the end of probation, nobody in the future)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from dangbo.members.importer import template_headers
from dangbo.orgs.demo import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES
from dangbo.rules.membership import add_months, probation_end
from dangbo.rules.vietnamese import format_date

ETHNICITIES = ("Kinh",) * 17 + ("Tày", "Thái", "Mường", "Khmer", "Nùng", "Hoa")
THEORY = ("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân")


def register_rows(count: int, cells: list[int], seed: int, today: dt.date) -> Iterator[list[str]]:
    """Rows in the import template's column order."""
    rng = random.Random(seed)
    for i in range(count):
        gender = rng.choice(("male", "female"))
        name = (
            f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"
        )
        born = dt.date(rng.randint(1945, today.year - 19), rng.randint(1, 12), rng.randint(1, 28))
        admitted = add_months(born, 12 * rng.randint(18, 45) + rng.randint(0, 11))
        if admitted >= today:
            admitted = add_months(born, 12 * 18 + 1)
        full = probation_end(admitted)
        yield [
            name,
            format_date(born),
            "Nam" if gender == "male" else "Nữ",
            f"0{seed % 100:02d}{i:09d}",
            f"{seed % 100:02d}{i:08d}",
            format_date(admitted),
            format_date(full) if full <= today else "",
            str(rng.choice(cells)),
            rng.choice(ETHNICITIES),
            "",
            "",
            rng.choice(THEORY),
        ]


def write_csv(path: Path, count: int, cells: list[int], seed: int, today: dt.date) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(template_headers())
        writer.writerows(register_rows(count, cells, seed, today))
