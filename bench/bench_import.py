"""Benchmark: importing a member register (full validation, natural-key matching, events) against
peers on the same file, in the same run and database:

- the floor: the very rows our import wrote, loaded again into the same tables (same keys, indexes and
  foreign keys) by the database's fastest path — psycopg COPY on PostgreSQL, executemany on SQLite;
- Django `bulk_create` of the same people, records and events, with no validation at all;
- django-import-export in bulk mode (if installed), people only, on a sample because it is slow;
- for .xlsx: our streaming reader against openpyxl read-only (sample, scaled) and python-calamine.

    .venv/bin/python bench/bench_import.py --rows 200000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangbo_bench .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangbo.members.generate import write_csv  # noqa: E402
from dangbo.members.importer import import_members, parse_date  # noqa: E402
from dangbo.members.models import MemberEvent, PartyMember  # noqa: E402
from dangbo.orgs import services  # noqa: E402
from dangbo.orgs.models import Person  # noqa: E402
from dangbo.rules.vietnamese import format_number  # noqa: E402

TABLES = (Person, PartyMember, MemberEvent)  # what the import writes, parents first


def dump_imported() -> dict[type, tuple[list[str], object]]:
    """The rows our import wrote, exactly as stored, table by table (COPY TO on PostgreSQL)."""
    dumps: dict[type, tuple[list[str], object]] = {}
    with connection.cursor() as cursor:
        for model in TABLES:
            table, columns = model._meta.db_table, [f.column for f in model._meta.concrete_fields]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            if connection.vendor == "postgresql":
                chunks = []
                with cursor.cursor.copy(f"COPY {table} ({names}) TO STDOUT") as copy:
                    chunks.extend(bytes(block) for block in copy)
                dumps[model] = (columns, b"".join(chunks))
            else:
                cursor.execute(f"SELECT {names} FROM {table}")
                dumps[model] = (columns, cursor.fetchall())
    return dumps


def peer_floor(dumps: dict[type, tuple[list[str], object]]) -> float:
    """The floor: the same rows loaded into the same tables — same keys, indexes and foreign keys, checked
    at commit — by the database's fastest path (COPY on PostgreSQL, executemany on SQLite), with no checks
    of ours. The tables are emptied first (not timed); the time runs to the commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(m._meta.db_table for m in TABLES)
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            for model in reversed(TABLES):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in TABLES:
            columns, rows = dumps[model]
            table = model._meta.db_table
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    data = memoryview(rows)  # type: ignore[arg-type]
                    for at in range(0, len(data), 1 << 20):
                        copy.write(data[at : at + (1 << 20)])
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return time.perf_counter() - start


def peer_bulk_create(path: Path) -> None:
    """Parse the CSV and bulk_create the same people, records and events: no checks at all."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    cells = {c.pk: c for c in services.Organisation.objects.filter(kind="cell")}
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [Person(full_name=r[0], birth_date=parse_date(r[1]), organisation_id=int(r[7])) for r in rows],
            batch_size=5000,
        )
        members = PartyMember.objects.bulk_create(
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
        MemberEvent.objects.bulk_create(
            [MemberEvent(member=m, kind="admitted", on=m.admitted_on, note="bulk") for m in members],
            batch_size=5000,
        )


def peer_import_export(path: Path, rows: int) -> float | None:
    """django-import-export in bulk mode on the first `rows` rows: people only (one table)."""
    try:
        from import_export import resources
        from tablib import Dataset
    except ImportError:
        return None

    class PersonResource(resources.ModelResource):  # type: ignore[misc]
        class Meta:
            model = Person
            fields = ("id", "full_name", "birth_date", "organisation")
            use_bulk = True
            batch_size = 5000
            skip_diff = True

    with path.open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))[1 : rows + 1]
    data = Dataset(headers=["id", "full_name", "birth_date", "organisation"])
    for line in lines:
        data.append(["", line[0], parse_date(line[1]).isoformat(), line[7]])
    start = time.perf_counter()
    with transaction.atomic():
        result = PersonResource().import_data(data, dry_run=False)
        transaction.set_rollback(True)
    assert not result.has_errors()
    return time.perf_counter() - start


def xlsx_readers(path: Path, rows: int) -> None:
    """The same rows as .xlsx, read by our reader, openpyxl read-only and python-calamine."""
    import openpyxl
    import xlsxwriter

    from dangbo.members.xlsx import Workbook

    xlsx = path.with_suffix(".xlsx")
    book = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    sheet = book.add_worksheet()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(csv.reader(handle)):
            if number > rows:
                break
            sheet.write_row(number, 0, line)
    book.close()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    reader = Workbook(xlsx)
    count = sum(1 for _row in reader.rows())
    reader.close()
    timings["ours, streaming"] = time.perf_counter() - start
    sample = min(count, 50_000)
    start = time.perf_counter()
    opened = openpyxl.load_workbook(xlsx, read_only=True)
    for _n, _row in zip(range(sample), opened.worksheets[0].iter_rows(values_only=True), strict=False):
        pass
    opened.close()
    timings[f"openpyxl read-only, {format_number(sample)} rows scaled"] = (
        (time.perf_counter() - start) * count / sample
    )
    try:
        import python_calamine

        start = time.perf_counter()
        python_calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
        timings["python-calamine, whole sheet in memory"] = time.perf_counter() - start
    except ImportError:
        pass
    for name, seconds in timings.items():
        print(
            f"read .xlsx ({format_number(count)} rows), {name}: {seconds:.2f} s = "
            f"{format_number(count / seconds)} rows/s"
        )
    start = time.perf_counter()
    report = import_members(xlsx, actor=None, dry_run=True)
    seconds = time.perf_counter() - start
    print(
        f"ours, .xlsx import of the same rows (read, check, match; all unchanged): {seconds:.2f} s = "
        f"{format_number(count / seconds)} rows/s, {format_number(report.unchanged)} unchanged"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=5_000, help="rows for django-import-export")
    args = parser.parse_args()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False, autoclobber=True)
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
        n = format_number(args.rows)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "register.csv"
            write_csv(path, args.rows, cells, seed=1, today=timezone.localdate())
            seconds: dict[str, float] = {}
            marks: dict[str, float] = {}
            start = ours_start = time.perf_counter()
            report = import_members(
                path,
                actor=None,
                progress=lambda phase, _rows, _f: marks.setdefault(phase, time.perf_counter()),
            )
            seconds["ours"] = time.perf_counter() - start
            assert report.ok and report.created == args.rows, report.problems[:3]
            start = time.perf_counter()
            again = import_members(path, actor=None)
            seconds["again"] = time.perf_counter() - start
            seconds["floor"] = peer_floor(dump_imported())
            start = time.perf_counter()
            peer_bulk_create(path)
            seconds["bulk_create"] = time.perf_counter() - start
            iie = peer_import_export(path, min(args.sample, args.rows))

            def rate(took: float, rows: int = args.rows) -> str:
                return f"{took:.2f} s = {format_number(rows / took)} rows/s"

            floor = "psycopg COPY" if connection.vendor == "postgresql" else "executemany"
            print(
                f"floor, {floor} of the same rows into the same tables (keys, indexes, foreign keys), "
                f"{n} rows: {rate(seconds['floor'])}"
            )
            print(f"ours, .csv, checked and matched, people + records + events: {rate(seconds['ours'])}")
            end = ours_start + seconds["ours"]
            match_at, write_at = marks.get("match", end), marks.get("write", end)
            print(
                f"  of which: read + check + stage {match_at - ours_start:.2f} s, duplicates + matching "
                f"{write_at - match_at:.2f} s, write + commit (indexes, foreign-key checks) {end - write_at:.2f} s"
            )
            print(
                f"ours, re-import of the same file: {seconds['again']:.2f} s, "
                f"changed {again.created + again.updated} rows"
            )
            print(f"peer bulk_create, same tables, no checks: {rate(seconds['bulk_create'])}")
            if iie is not None:
                print(
                    f"peer django-import-export, bulk, people only, {format_number(args.sample)} rows: "
                    f"{rate(iie, args.sample)}"
                )
            print(
                f"ratio ours / floor (same schema): {seconds['floor'] / seconds['ours']:.2f} "
                f"(speed of ours as a share of the floor's; aim ≥ 0.6)"
            )
            print(f"ratio ours / bulk_create: {seconds['bulk_create'] / seconds['ours']:.2f}× (aim ≥ 2×)")
            if iie is not None:
                print(
                    f"ratio ours / django-import-export: {iie / args.sample / (seconds['ours'] / args.rows):.0f}×"
                )
            xlsx_readers(path, min(args.rows, 200_000))
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
