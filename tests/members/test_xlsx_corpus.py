"""The streaming .xlsx reader (dangbo.members.xlsx) against real files and hostile ones.

Real files: ../shared/data/xlsx-corpus (408 files from the test sets of 17 spreadsheet libraries:
Excel, LibreOffice, Google Sheets, WPS, POI, strict OOXML …). Each file's first worksheet is read
by our reader and by python-calamine (openpyxl where calamine refuses the file), and every cell is
compared after the normalisations the reader documents. A cell counts as a difference only when
it differs from both calamine and openpyxl (the method of findings/2026-12/xlsx-differential.md).

Hostile files: ../shared/tools/xlsx-hostile-make.py, built once per session. Each is either
refused with our error and a Vietnamese message, or read as expected, within a bounded time and
without the process growing by more than a bounded amount of memory.

The product never needs ../shared: without it, these tests skip with a message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from dangbo.members.xlsx import NotASpreadsheet, Workbook, column_index

SHARED = Path(__file__).resolve().parents[2].parent / "shared"  # ../shared from the repository
CORPUS = SHARED / "data" / "xlsx-corpus"
MAKER = SHARED / "tools" / "xlsx-hostile-make.py"

pytestmark = [
    pytest.mark.skipif(
        not CORPUS.is_dir(),
        reason=f"{CORPUS} is absent: the .xlsx corpus is test data kept outside the repository (../shared)",
    ),
    pytest.mark.filterwarnings("ignore::UserWarning"),  # openpyxl on odd files
]

CORPUS_FILES = (
    sorted(
        p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm")
    )
    if CORPUS.is_dir()
    else []
)

# Files whose difference is known and kept, with the reason (each is an xfail, strict: when the
# difference goes away the test says so).
TRIM = (
    'calamine trims white space at the ends of a <t> without xml:space="preserve"; the reader k'
    "eeps it, as XML says and openpyxl does (openpyxl cannot open this file, so calamine's word stands)"
)
KNOWN_DIFFERENCES: dict[str, str] = {
    "ClosedXML+ClosedXML/ClosedXML.Tests__Resource__TryToLoad__LO__xlsx__tdf100709.xlsx": (
        "a date-formatted 0: the reader gives the number 0 (Excel shows 00/01/1900, not a date); calamine a time 00:00"
    ),
    "PHPOffice+PhpSpreadsheet/tests__data__Reader__XLSX__issue.1482.xlsx": TRIM,
    "PHPOffice+PhpSpreadsheet/tests__data__Reader__XLSX__issue.3730.xlsx": TRIM,
    "tafia+calamine/tests__minimal_package.xlsx": TRIM,
    "apache+poi/test-data__spreadsheet__poc-shared-strings.xlsx": (
        "a POI proof-of-concept file whose first row is numbered 0 (rows count from 1): the reader refuses it, "
        "openpyxl reads it (calamine refuses it too)"
    ),
}

VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]")
TIME_TEXT = re.compile(r"-?[0-9]{1,}:[0-9]{2}:[0-9]{2}$")


# --- The normalisations the reader documents, applied to a library's values ---------------------


def general(value: float) -> str:
    """A number as the reader gives it: General format, at most 15 significant digits."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    return text.replace("e", "E")


def clock(seconds: float, duration: bool) -> str:
    total = round(seconds)
    if not duration:
        total %= 86400
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def text_of(value: Any) -> str:
    """A library's cell value as the text our reader documents for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return general(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return clock(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6, False)
    if isinstance(value, dt.timedelta):
        return clock(value.total_seconds(), True)
    text = str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same(ours: str, theirs: Any) -> bool:
    if ours == text_of(theirs):
        return True
    # A time of day whose value has days too (format h:mm, value 1.5): the library gives a
    # date and time, the reader its time of day, as Excel shows it.
    if isinstance(theirs, dt.datetime) and TIME_TEXT.match(ours):
        return ours == clock(
            theirs.hour * 3600 + theirs.minute * 60 + theirs.second + theirs.microsecond / 1e6, False
        )
    # A t="d" date and time the library leaves as text ("2014-02-14T08:27:48.765Z"): its date.
    return isinstance(theirs, str) and len(theirs) > 10 and theirs[10] == "T" and ours == theirs[:10]


def trimmed(rows: list[list[Any]], empty: Any) -> list[list[Any]]:
    rows = [list(row) for row in rows]
    for row in rows:
        while row and row[-1] in (empty, None, ""):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def ours(path: Path) -> list[list[str]]:
    return read_with_part(path)[0]


def read_with_part(path: Path) -> tuple[list[list[str]], str]:
    book = Workbook(path)
    try:
        return trimmed(list(book.rows()), ""), book.sheet_name
    finally:
        book.close()


def formula_cells(path: Path, part: str) -> set[tuple[int, int]]:
    """(row, column) of each cell with an <f> in the sheet part, as ElementTree reads the XML."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.replace("\\", "/").lower() == part.lower())
        root = ElementTree.fromstring(archive.read(name))
    found = set()
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "c" and any(
            child.tag.rpartition("}")[2] == "f" for child in element
        ):
            ref = element.get("r", "")
            letters = ref.rstrip("0123456789")
            if letters and ref[len(letters) :]:
                found.add((int(ref[len(letters) :]) - 1, column_index(letters)))
    return found


def by_calamine(path: Path) -> list[list[Any]]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        worksheets = [
            index
            for index, sheet in enumerate(book.sheets_metadata)
            if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not worksheets:
            raise ValueError("no worksheet")
        return trimmed(book.get_sheet_by_index(worksheets[0]).to_python(skip_empty_area=False), "")
    finally:
        book.close()


def by_openpyxl(path: Path) -> list[list[Any]]:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=False)
    try:
        if not book.worksheets:
            raise ValueError("no worksheet")
        return trimmed([list(row) for row in book.worksheets[0].iter_rows(values_only=True)], None)
    finally:
        book.close()


def cell(rows: list[list[Any]], r: int, c: int) -> Any:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def is_formula(value: Any) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in (
        "ArrayFormula",
        "DataTableFormula",
    )


def differences(path: Path, got: list[list[str]], part: str, reference: list[list[Any]]) -> list[str]:
    """The cells where our text differs from the reference and, read again, from openpyxl too.
    A formula ("=…", which the import refuses whatever its text) must be a cell with an <f>."""
    formulas: set[tuple[int, int]] | None = None
    suspect = []
    for r in range(max(len(got), len(reference))):
        width = max(len(got[r]) if r < len(got) else 0, len(reference[r]) if r < len(reference) else 0)
        for c in range(width):
            mine = cell(got, r, c) or ""
            if mine.startswith("="):
                if formulas is None:
                    formulas = formula_cells(path, part)
                if (r, c) in formulas or same(mine, cell(reference, r, c)):
                    continue
                suspect.append((r, c, mine))
            elif not same(mine, cell(reference, r, c)):
                suspect.append((r, c, mine))
    if not suspect:
        return []
    try:
        other = by_openpyxl(path)
    except Exception:  # openpyxl cannot read it: calamine's word stands
        other = None
    found = []
    for r, c, mine in suspect:
        if other is not None and not mine.startswith("="):
            theirs = cell(other, r, c)
            if same(mine, theirs) or (mine == "" and theirs is None):
                continue
        found.append(f"row {r + 1} col {c + 1}: ours {mine!r}, calamine {cell(reference, r, c)!r}")
    return found


def _corpus_params() -> Iterator[Any]:
    for name in CORPUS_FILES:
        if name in KNOWN_DIFFERENCES:
            yield pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_DIFFERENCES[name], strict=True))
        else:
            yield name


@pytest.mark.parametrize("name", list(_corpus_params()))
def test_real_file_reads_as_a_library_does(name):
    pytest.importorskip("python_calamine", reason="python-calamine (a dev dependency) is the reference")
    path = CORPUS / name
    try:
        reference = by_calamine(path)
    except Exception:
        try:
            reference = by_openpyxl(path) or None  # nothing at all: openpyxl did not understand it
        except Exception:
            reference = None
    if reference is None:  # neither library reads it: read, or refused clearly (never a crash)
        try:
            ours(path)
        except NotASpreadsheet as refused:
            assert VIETNAMESE.search(str(refused).lower()), str(refused)
        return
    try:
        got, part = read_with_part(path)
    except NotASpreadsheet as exc:
        pytest.fail(f"refused a file a library reads: {exc}")
    found = differences(path, got, part, reference)
    assert not found, f"{len(found)} cells differ, the first: " + "; ".join(found[:5])


def test_the_corpus_is_there():
    assert len(CORPUS_FILES) >= 390  # the README says 408 spreadsheets (a few .xlsm), not lost on the way


# --- Hostile files ----------------------------------------------------------------------------

# What each hostile file must give: None for a refusal, else its first rows as the reader gives them.
HOSTILE: dict[str, list[list[str]] | None] = {
    **{
        name: None
        for name in (
            "bomb_no_row_end_3GB.xlsx",
            "bomb_one_cell_3GB.xlsx",
            "bomb_rows_5GB.xlsx",
            "bomb_sst_100M.xlsx",
            "bomb_sst_one_si_2GB.xlsx",
            "bomb_styles_nested.xlsx",
            "cell_100MB_inline.xlsx",
            "charref_out_of_range.xlsx",
            "charref_out_of_range_sheet.xlsx",
            "charref_surrogate.xlsx",
            "corrupt_sheet_stream.xlsx",
            "crc_mismatch_stored.xlsx",
            "csv_renamed.xlsx",
            "encrypted_cfb.xlsx",
            "entity_unknown.xlsx",
            "invalid_utf8_sheet.xlsx",
            "laughs_in_sheet.xlsx",
            "laughs_in_sst.xlsx",
            "laughs_in_styles.xlsx",
            "laughs_in_workbook.xlsx",
            "no_sst_but_s_cells.xlsx",
            "ref_beyond_xfd_6letters.xlsx",
            "ref_beyond_xfd_7letters.xlsx",
            "rows_huge_row_number.xlsx",
            "rows_huge_row_number_1e15.xlsx",
            "rows_out_of_order.xlsx",  # Excel never writes it; a stream cannot put row 3 back
            "sst_index_not_a_number.xlsx",
            "sst_index_out_of_range.xlsx",
            "truncated_half.xlsx",
            "truncated_tail.xlsx",
            "wide_1M_cells_no_r.xlsx",
            "xxe_in_sheet.xlsx",
            "xxe_in_sst.xlsx",
            "xxe_in_workbook.xlsx",
            "xxe_param_in_rels.xlsx",
            "biff_renamed.xlsx",
            "xlsb_renamed.xlsx",
            "ods_renamed.xlsx",
        )
    },
    "cccd_numbers.xlsx": [["1080012345", "001080012345", "1080012345", "001080012345", "79080012345"]],
    "cdata_in_v.xlsx": [["Lê Văn A", "Ngô <B>"]],
    "cells_out_of_order.xlsx": [["1", "2", "3"], ["1", "", "3"]],
    "chartsheet_first.xlsx": [["VISIBLE SHEET"]],  # the first worksheet
    "date_1904.xlsx": [["1980-02-20", "1904-01-01"]],
    "date_1904_true.xlsx": [["1980-02-20"]],
    "dates_as_text.xlsx": [
        ["15/03/1980", "1980-03-15", "1980-03-15", "1900-02-28", "1900-01-01", "1980-03-15"]
    ],
    "first_sheet_hidden.xlsx": [["HIDDEN LOOKUP"]],  # the first sheet, as the libraries read it
    "first_sheet_veryhidden.xlsx": [["HIDDEN LOOKUP"]],
    "good_reference.xlsx": [["Họ và tên", "Ngày sinh"], ["Nguyễn Văn 2", "1979-05-27"]],
    "inline_rich_text.xlsx": [["Họ và tên", "Nguyễn Văn & Đức", "  lề  "]],
    "number_shapes.xlsx": [["0.0015", "1E+20", "1.23456789012346E+17", "0", "0.3", "42", "3"]],
    "prefix_after_4k.xlsx": [["OK"]],
    "rich_shared_phonetic.xlsx": [["Phạm Thị Hà", "漢字"]],
    "sheet10_first.xlsx": [["FIRST TAB"]],
    "sst_other_name.xlsx": [["Họ và tên", "Ngày sinh"]],
    "strict_namespace.xlsx": [["OK"]],
    "target_absolute.xlsx": [["OK"]],
    "target_dotdot.xlsx": [["OK"]],
    "target_other_folder.xlsx": [["OK"]],
    "utf16_sheet.xlsx": [["Nguyễn"]],
    "utf16_sst.xlsx": [["Họ và tên", "Ngày sinh"]],
    "cell_10MB_inline.xlsx": [["Nguyễn Văn Đức " * 500_000, "7"]],
    "cell_10MB_shared.xlsx": [["Nguyễn Văn Đức " * 500_000, "Ngày sinh"]],
    "wide_16384_cols.xlsx": [[str(i) for i in range(16384)]],
}
HOSTILE_SECONDS = 10  # each file, refused or read (the bombs are refused before inflating)
HOSTILE_MEMORY = 256 << 20  # growth of the process's peak resident memory, each file


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory) -> Path:
    """The hostile files, built once per session (≈ 35 s on an idle core: it deflates gigabytes).
    DANGBO_XLSX_HOSTILE_DIR names a folder built before, to reuse it between local runs."""
    if not MAKER.is_file():
        pytest.skip(f"{MAKER} is absent (../shared)")
    prebuilt = os.environ.get("DANGBO_XLSX_HOSTILE_DIR")
    if prebuilt and (Path(prebuilt) / "NOTES.json").is_file():
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("xlsx-hostile") / "files"
    subprocess.run(
        [sys.executable, str(MAKER), str(out), str(CORPUS)], check=True, capture_output=True, timeout=600
    )
    return out


class _Slow(Exception):
    pass


def _read_bounded(path: Path) -> tuple[list[list[str]] | NotASpreadsheet, float, int]:
    def stop(*_: object) -> None:
        raise _Slow

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, HOSTILE_SECONDS)
    started = time.perf_counter()
    try:
        try:
            result: list[list[str]] | NotASpreadsheet = ours(path)
        except NotASpreadsheet as exc:
            result = exc
    except _Slow:
        pytest.fail(f"still reading after {HOSTILE_SECONDS} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    return result, time.perf_counter() - started, grown


def test_every_hostile_file_has_an_expectation(hostile_dir):
    made = set(json.loads((hostile_dir / "NOTES.json").read_text(encoding="utf-8")))
    assert made - set(HOSTILE) == set()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_refused_or_read_within_bounds(hostile_dir, name):
    path = hostile_dir / name
    if not path.exists():  # the renamed .xls/.xlsb/.ods come from a corpus file
        pytest.skip(f"{name} was not built (its source is not in the corpus)")
    result, seconds, grown = _read_bounded(path)
    assert seconds < HOSTILE_SECONDS and grown < HOSTILE_MEMORY, (seconds, grown)
    expected = HOSTILE[name]
    if expected is None:
        assert isinstance(result, NotASpreadsheet), f"read instead of refused: {str(result)[:200]}"
        assert VIETNAMESE.search(str(result).lower()), str(result)
    else:
        assert not isinstance(result, NotASpreadsheet), str(result)
        assert result[: len(expected)] == expected
