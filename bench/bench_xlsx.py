"""Benchmark: reading the first sheet of an .xlsx — our streaming reader against the reader it
replaced (bench/xlsx_baseline.py), openpyxl read-only (opening, then a sample of rows, scaled) and python-calamine
(whole sheet in memory, if installed), on the same files in the same process; then the peak memory
of each (in a child process, so that one's peak does not hide another's).

The files are built as bench_import.py's `xlsx_readers` builds them: the generated register CSV
(`dangbo.members.generate.write_csv`), written by xlsxwriter with shared strings (its default, as
Excel writes) and with inline strings (`constant_memory`, as our export and bench_import write).

    .venv/bin/python bench/bench_xlsx.py --rows 300000
    .venv/bin/python bench/bench_xlsx.py --rows 1000000 --keep /tmp/xlsx-bench   # reuse the files
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from dangbo.members.generate import write_csv  # noqa: E402
from dangbo.members.xlsx import Workbook  # noqa: E402
from dangbo.rules.vietnamese import format_number  # noqa: E402

HERE = Path(__file__).resolve().parent


def baseline() -> Any:
    spec = importlib.util.spec_from_file_location("xlsx_baseline", HERE / "xlsx_baseline.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(folder: Path, rows: int) -> dict[str, Path]:
    """The register as .csv, then as .xlsx with shared and with inline strings (kept if present)."""
    import xlsxwriter

    source = folder / f"register-{rows}.csv"
    if not source.exists():
        write_csv(source, rows, list(range(1, 21)), seed=1, today=dt.date(2025, 1, 1))
    files = {}
    for kind, constant_memory in (("shared strings", False), ("inline strings", True)):
        path = folder / f"register-{rows}-{kind.split()[0]}.xlsx"
        if not path.exists():
            started = time.perf_counter()
            book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
            sheet = book.add_worksheet()
            with source.open(encoding="utf-8") as handle:
                for number, line in enumerate(csv.reader(handle)):
                    sheet.write_row(number, 0, line)
            book.close()
            print(f"  wrote {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
        files[kind] = path
    return files


# --- The readers: each returns the number of rows it read --------------------------------------


def read_ours(path: Path) -> int:
    book = Workbook(path)
    try:
        return sum(1 for _row in book.rows())
    finally:
        book.close()


def read_old(path: Path) -> int:
    book = baseline().Workbook(path)
    try:
        return sum(1 for _row in book.rows())
    finally:
        book.close()


def time_openpyxl(path: Path, count: int, sample: int) -> tuple[float, float]:
    """(wall, CPU) seconds for openpyxl read-only to read `count` rows: opening the file (which
    loads the shared strings) once, then the first `sample` rows, scaled to `count`."""
    import openpyxl

    wall, cpu = time.perf_counter(), time.process_time()
    book = openpyxl.load_workbook(path, read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    next(rows)
    opened_wall, opened_cpu = time.perf_counter(), time.process_time()
    for _n, _row in zip(range(sample - 1), rows, strict=False):
        pass
    book.close()
    scale = (count - 1) / (sample - 1)
    return (
        opened_wall - wall + (time.perf_counter() - opened_wall) * scale,
        opened_cpu - cpu + (time.process_time() - opened_cpu) * scale,
    )


def read_calamine(path: Path) -> int:
    import python_calamine

    return len(python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


READERS: dict[str, Callable[[Path], int]] = {"ours": read_ours, "old": read_old, "calamine": read_calamine}


def has_calamine() -> bool:
    return importlib.util.find_spec("python_calamine") is not None


def timed(read: Callable[[], int]) -> tuple[int, float, float]:
    """(rows, wall seconds, CPU seconds) — CPU too, as this machine may be shared while it runs."""
    wall, cpu = time.perf_counter(), time.process_time()
    count = read()
    return count, time.perf_counter() - wall, time.process_time() - cpu


def memory_child(reader: str, path: Path, trace: bool) -> None:
    """Run in a child process: one reader on one file, printing its peak memory as JSON."""
    before = _rss_now()
    if trace:
        tracemalloc.start()
    table = 0
    if reader == "ours":  # the shared strings table apart: it grows with the file, the rest must not
        book = Workbook(path)
        table = tracemalloc.get_traced_memory()[0] if trace else 0
        count = sum(1 for _row in book.rows())
        book.close()
    else:
        count = READERS[reader](path)
    peak_traced = tracemalloc.get_traced_memory()[1] if trace else 0
    peak_rss = _status("VmHWM")  # not ru_maxrss: that keeps the parent's peak across exec
    print(json.dumps({"rows": count, "rss": peak_rss - before, "traced": peak_traced, "table": table}))


def _rss_now() -> int:
    return _status("VmRSS")


def _status(field: str) -> int:
    """A size from /proc/self/status, in bytes."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def memory(reader: str, path: Path, trace: bool = False) -> dict[str, int]:
    command = [sys.executable, __file__, "--child", reader, str(path)] + (["--trace"] if trace else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--sample", type=int, default=50_000, help="rows read by openpyxl (scaled)")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated files in and reuse")
    parser.add_argument("--no-old", action="store_true", help="skip the old reader (slow at 1M rows)")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        memory_child(args.child[0], Path(args.child[1]), args.trace)
        return
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = build(folder, args.rows)
        for kind, path in files.items():
            print(f"{kind}: {path.name}, {path.stat().st_size / 1e6:.0f} MB, {format_number(args.rows)} rows")
            rates: dict[str, float] = {}

            def report(
                name: str, count: int, wall: float, cpu: float, rates: dict[str, float] = rates
            ) -> None:
                rates[name] = count / wall
                print(
                    f"  {name}: {wall:.2f} s = {format_number(count / wall)} rows/s "
                    f"(CPU {cpu:.2f} s = {format_number(count / cpu)} rows/s)",
                    flush=True,
                )

            count, wall, cpu = timed(lambda path=path: read_ours(path))
            report("ours", count, wall, cpu)
            if not args.no_old:
                report("old reader", *timed(lambda path=path: read_old(path)))
            sample = min(args.sample, count)
            report(
                f"openpyxl read-only (opening + {format_number(sample)} rows, scaled)",
                count,
                *time_openpyxl(path, count, sample),
            )
            if has_calamine():
                report(
                    "python-calamine (whole sheet in memory)", *timed(lambda path=path: read_calamine(path))
                )
            ours = rates["ours"]
            if "old reader" in rates:
                print(f"  ratio ours / old reader: {ours / rates['old reader']:.2f}×")
            calamine = rates.get("python-calamine (whole sheet in memory)")
            if calamine:
                print(f"  ratio ours / python-calamine: {ours / calamine:.2f}×")
            if not args.no_memory:
                mine, traced = memory("ours", path), memory("ours", path, trace=True)
                line = (
                    f"  peak memory, ours: {mb(mine['rss'])} RSS above the start "
                    f"({mb(traced['traced'])} Python allocations at the peak, tracemalloc, of which "
                    f"{mb(traced['table'])} the shared strings table)"
                )
                if not args.no_old:
                    line += f"; old reader: {mb(memory('old', path)['rss'])}"
                if has_calamine():
                    line += f"; python-calamine: {mb(memory('calamine', path)['rss'])}"
                print(line, flush=True)


if __name__ == "__main__":
    main()
