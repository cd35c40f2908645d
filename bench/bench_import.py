"""Benchmark: importing a member register (full validation, natural-key matching, events) against
Django's bulk_create of the same rows with no validation, in the same run and database.

    .venv/bin/python bench/bench_import.py --rows 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangbo_bench .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.members.generate import write_csv  # noqa: E402
from dangbo.members.importer import import_members, parse_date  # noqa: E402
from dangbo.members.models import MemberEvent, PartyMember  # noqa: E402
from dangbo.orgs import services  # noqa: E402
from dangbo.orgs.models import Person  # noqa: E402
from dangbo.rules.vietnamese import format_number  # noqa: E402


def peer_bulk_create(path: Path) -> None:
    """The floor: parse the CSV and bulk_create people and members, no checks, no events."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    cells = {c.pk: c for c in services.Organisation.objects.filter(kind="cell")}
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [Person(full_name=r[0], birth_date=parse_date(r[1]), organisation_id=int(r[7])) for r in rows],
            batch_size=5000,
        )
        PartyMember.objects.bulk_create(
            [
                PartyMember(
                    person=p,
                    organisation_id=int(r[7]),
                    org_path=cells[int(r[7])].path,
                    status="full",
                    admitted_on=parse_date(r[5]),
                    national_id="9" + r[3][1:],
                    card_no=r[4] + "9",
                )
                for p, r in zip(people, rows, strict=True)
            ],
            batch_size=5000,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(
            f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, "
            f"db {connection.vendor}"
        )
        root = services.organisation_create(actor=None, parent=None, name="Đảng bộ Thử", kind="bloc")
        upper = services.organisation_create(actor=None, parent=root, name="Đảng bộ Trên", kind="upper")
        base = services.organisation_create(actor=None, parent=upper, name="Đảng bộ Cơ sở", kind="grassroots")
        cells = [
            services.organisation_create(actor=None, parent=base, name=f"Chi bộ {i}", kind="cell").pk
            for i in range(20)
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "register.csv"
            write_csv(path, args.rows, cells, seed=1, today=dt.date.today())
            n = format_number(args.rows)
            start = time.perf_counter()
            report = import_members(path, actor=None)
            ours = time.perf_counter() - start
            assert report.ok and report.created == args.rows, report.problems[:3]
            start = time.perf_counter()
            again = import_members(path, actor=None)
            reimport = time.perf_counter() - start
            start = time.perf_counter()
            peer_bulk_create(path)
            peer = time.perf_counter() - start
            print(
                f"import {n} rows (validated, with events): {ours:.2f} s = "
                f"{format_number(args.rows / ours)} rows/s"
            )
            print(
                f"re-import of the same file: {reimport:.2f} s, changed {again.created + again.updated} rows"
            )
            print(
                f"peer bulk_create, no validation, no events: {peer:.2f} s = "
                f"{format_number(args.rows / peer)} rows/s"
            )
            print(
                f"ratio ours/bulk_create: {peer / ours:.2f}× (events written: "
                f"{format_number(MemberEvent.objects.count())})"
            )
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
