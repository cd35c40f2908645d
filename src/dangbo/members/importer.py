"""Import member records from .csv or .xlsx: validate every row first, then write all or nothing.

The file is streamed once: each row is checked in Python (dates, ages, codes, scope) and the good rows
go into a temporary staging table (COPY on PostgreSQL, executemany on SQLite), so memory stays flat
whatever the file's size. Everything that needs the whole file or the register — duplicates inside
the file, matching existing records, conflicts — is then answered by a few set-based SQL statements
on the staging table, and the new records are written with INSERT … SELECT. Nothing is written while
any row is bad, unless the caller asks to import the good rows only.

Rows are matched on a natural key (citizen identity number, else party card number): a row that
matches an existing record updates it only where a value differs, so importing the same file twice
changes nothing, and the report lists each changed field, old and new. A matched record's name and
birth date are not the file's to change: a different one is a problem of that row, naming both values.
Every problem is reported with its row, column and reason in Vietnamese.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dangbo.core import audit, bulk
from dangbo.core.bulk import insert_select
from dangbo.core.dates import parse_date  # the one date reader, shared with the page forms
from dangbo.core.legacy_text import guess_legacy
from dangbo.core.scoping import allowed
from dangbo.members import counts
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.members.signals import send_membership_changed
from dangbo.members.xlsx import NotASpreadsheet, Workbook
from dangbo.orgs import names
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.membership import (
    CELL_KINDS_FOR_MEMBERS,
    EventKind,
    Status,
    admission_age,
    membership_rules,
    probation_end,
)
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import NameKeys, fold, format_date, name_sort_key, one_line

MAX_PROBLEMS = 1000  # kept for the report; the count goes on
MAX_CHANGED_ROWS = 1000  # updated rows whose changes the report lists
PROGRESS_EVERY = 20_000
HEADER_SEARCH_ROWS = 15  # registers often carry a title above the header row

# field → accepted headers; the first is the template's header. Matching ignores case and marks.
HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên đảng viên", "Họ và tên đang dùng"),
    "birth_date": ("Ngày sinh", "Ngày tháng năm sinh", "Sinh ngày"),
    "gender": ("Giới tính", "Nam/Nữ"),
    "national_id": ("Số CCCD", "CCCD", "Số căn cước công dân", "Số căn cước", "Số định danh"),
    "card_no": ("Số thẻ đảng viên", "Số thẻ", "Số thẻ đảng"),
    "admitted_on": ("Ngày vào Đảng", "Ngày kết nạp", "Ngày kết nạp vào Đảng"),
    "full_on": ("Ngày chính thức", "Ngày công nhận chính thức", "Ngày được công nhận chính thức"),
    "organisation": ("Chi bộ (mã số)", "Mã chi bộ", "Chi bộ"),
    "ethnicity": ("Dân tộc",),
    "religion": ("Tôn giáo",),
    "hometown": ("Quê quán",),
    "political_theory": ("Lý luận chính trị", "Trình độ lý luận chính trị"),
    "education": ("Giáo dục phổ thông", "Trình độ học vấn", "Văn hóa"),
    "profession": ("Chuyên môn, nghiệp vụ", "Chuyên môn", "Trình độ chuyên môn"),
    "languages": ("Ngoại ngữ",),
    "birth_name": ("Họ và tên khai sinh", "Tên khai sinh"),
    "occupation_before": ("Nghề nghiệp khi vào Đảng",),
    "occupation_now": ("Nghề nghiệp hiện nay",),
    "record_no": ("Số lý lịch", "Số hồ sơ"),
    "badge_no": ("Số huy hiệu",),
}
REQUIRED = ("full_name", "admitted_on", "organisation")
DATE_FIELDS = ("birth_date", "admitted_on", "full_on")
# Free-text register columns, written as given; a matching record is updated where they differ.
TEXT_FIELDS = (
    "ethnicity",
    "religion",
    "hometown",
    "political_theory",
    "education",
    "profession",
    "languages",
    "birth_name",
    "occupation_before",
    "occupation_now",
    "record_no",
    "badge_no",
)
KEY_FIELDS = ("national_id", "card_no")
UPDATABLE = (*KEY_FIELDS, *TEXT_FIELDS)
GENDERS = {"nam": "male", "nu": "female"}
IMPORTED = "nhập từ tệp"
_LETTER = re.compile(r"[^\W\d_]")
LENGTHS: dict[str, int] = {
    **{
        f.name: int(getattr(f, "max_length", 0))
        for f in PartyMember._meta.concrete_fields
        if getattr(f, "max_length", None)
    },
    "full_name": int(Person._meta.get_field("full_name").max_length or 0),
}

# The staging table: one row per good file row, in this column order.
STAGING = (
    ("rn", "integer"),
    ("full_name", "text"),
    ("search_text", "text"),
    ("sort_key", "text"),
    ("gender", "text"),
    ("birth_date", "date"),
    ("national_id", "text"),
    ("card_no", "text"),
    ("admitted_on", "date"),
    ("full_on", "date"),  # as written in the file: the date of the full-membership event
    ("member_full_on", "date"),  # the end of the 12 months: the record's full-membership date
    ("org_id", "bigint"),
    *((name, "text") for name in TEXT_FIELDS),
    ("bad", "integer"),  # 1: a row with problems, kept only so that duplicates name every row
)


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based row in the file, the header being row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.reason}"


@dataclass(frozen=True)
class Change:
    """One field of a matched record that the import changes (identity numbers masked)."""

    row: int
    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.old or '(trống)'} → {self.new}"


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS, by row
    problem_count: int = 0
    written: bool = False
    changes: list[Change] = field(default_factory=list)  # by row, for the first MAX_CHANGED_ROWS rows
    changes_cut: bool = False  # more rows change than are listed

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def changes_limit(self) -> int:
        return MAX_CHANGED_ROWS

    def as_dict(self) -> dict[str, Any]:
        """For keeping in the database (ImportJob.report)."""
        data = {k: v for k, v in vars(self).items() if k not in ("problems", "changes")}
        data["problems"] = [[p.row, p.column, p.reason] for p in self.problems]
        data["changes"] = [[c.row, c.column, c.old, c.new] for c in self.changes]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        fields = {
            k: v
            for k, v in data.items()
            if k in cls.__dataclass_fields__ and k not in ("problems", "changes")
        }
        return cls(
            **fields,
            problems=[Problem(*p) for p in data.get("problems", [])],
            changes=[Change(*c) for c in data.get("changes", [])],
        )

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


class ImportRefused(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header, too big, empty)."""


Progress = Callable[[str, int, float], None]  # (phase, rows so far, fraction of the file read)


def template_headers() -> list[str]:
    return [names[0] for names in HEADERS.values()]


# --- Reading -------------------------------------------------------------------------------------


class Source:
    """The rows of a .csv or .xlsx file as lists of text (NFC), the header first, streamed."""

    def __init__(self, path: Path) -> None:
        size = path.stat().st_size
        if size == 0:
            raise ImportRefused("Tệp rỗng.")
        limit = settings.UPLOAD_MAX_BYTES
        if size > limit:
            raise ImportRefused(
                f"Tệp quá lớn ({size // 1024 // 1024} MB): tối đa {limit // 1024 // 1024} MB."
            )
        self.path, self.size = path, size
        self.suffix = path.suffix.lower()
        self.merged: list[tuple[int, int, int, int]] = []
        self._position: Callable[[], float] = lambda: 0.0
        if self.suffix not in (".csv", ".xlsx"):
            raise ImportRefused("Chỉ nhận tệp .xlsx hoặc .csv.")

    def fraction(self) -> float:
        return min(1.0, self._position())

    def rows(self) -> Iterator[list[str]]:
        if self.suffix == ".csv":
            yield from self._csv_rows()
        else:
            yield from self._xlsx_rows()

    def _encoding(self) -> str:
        """UTF-8 (with or without BOM) when every byte decodes, else the legacy Vietnamese encoding
        (Windows-1258 or TCVN3) under which the text reads as Vietnamese (dangbo.core.legacy_text)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        with self.path.open("rb") as handle:
            while block := handle.read(1 << 20):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    break
            else:
                return "utf-8-sig"
        with self.path.open("rb") as handle:
            encoding = guess_legacy(handle.read(1 << 20))
        try:
            with self.path.open("rb") as handle:
                legacy = codecs.getincrementaldecoder(encoding)()
                while block := handle.read(1 << 20):
                    legacy.decode(block)
        except UnicodeDecodeError:
            raise ImportRefused("Không đọc được bảng mã của tệp: hãy lưu lại dưới dạng CSV UTF-8.") from None
        return encoding

    def _csv_rows(self) -> Iterator[list[str]]:
        encoding = self._encoding()
        with (
            self.path.open("rb") as raw,
            open(raw.fileno(), encoding=encoding, newline="", closefd=False) as text,
        ):
            self._position = lambda: raw.tell() / self.size
            yield from csv.reader(_nfc_lines(text))

    def _xlsx_rows(self) -> Iterator[list[str]]:
        try:
            book = Workbook(self.path)
        except NotASpreadsheet as exc:  # the reader says why, in Vietnamese
            raise ImportRefused(str(exc)) from None
        try:
            total = book.dimension_rows or 0
            done = 0

            def position() -> float:
                return done / total if total else 0.0

            self._position = position
            for row in book.rows():
                done += 1
                yield [
                    cell if unicodedata.is_normalized("NFC", cell) else unicodedata.normalize("NFC", cell)
                    for cell in row
                ]
            self.merged = book.merged
        except NotASpreadsheet as exc:  # a cell or part refused while reading: "Ô C7: …"
            raise ImportRefused(str(exc)) from None
        finally:
            book.close()


def _nfc_lines(lines: Iterable[str]) -> Iterator[str]:
    """Legacy encodings and Mac keyboards give decomposed text: store and compare it composed."""
    is_nfc, normalize = unicodedata.is_normalized, unicodedata.normalize
    for line in lines:
        yield line if is_nfc("NFC", line) else normalize("NFC", line)


# --- Checking ------------------------------------------------------------------------------------


def _map_header(header: list[str]) -> tuple[dict[str, int], list[Problem], int]:
    """Columns found, problems (missing required columns) and how many known columns matched."""
    wanted = {fold(name): key for key, names in HEADERS.items() for name in names}
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = wanted.get(fold(title))
        if key and key not in columns:
            columns[key] = index
    problems = [Problem(1, HEADERS[key][0], "thiếu cột bắt buộc") for key in REQUIRED if key not in columns]
    return columns, problems, len(columns)


def _clean(text: str) -> str:
    """Trimmed, runs of spaces, tabs, line breaks and no-break spaces made one space, control
    characters dropped (isprintable() is False for all of those but the plain space)."""
    text = text.strip()
    if "  " in text or not text.isprintable():
        text = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    return text


class Checker:
    """Checks one row at a time and turns a good row into a staging tuple.

    Built once per import: column positions, the cells in scope and caches (dates, name syllables,
    rule sets by date) so that the per-row work is a handful of dictionary lookups.
    """

    def __init__(
        self, columns: dict[str, int], cells: dict[str, int], today: dt.date, report: Report
    ) -> None:
        self.columns, self.cells, self.today, self.report = columns, cells, today, report
        self.dates: dict[str, tuple[dt.date, str] | str] = {}
        self.name_keys = NameKeys()
        self.rules: dict[dt.date, tuple[int, dt.date]] = {}
        self.width = max(columns.values()) + 1
        self.ix = SimpleNamespace(**{key: columns.get(key, -1) for key in HEADERS})
        self.text_columns = [(n, columns[key]) for n, key in enumerate(TEXT_FIELDS) if key in columns]
        self.blank_texts = ("",) * len(TEXT_FIELDS)
        self.shortest_text_limit = min(LENGTHS[key] for key in TEXT_FIELDS)
        self.name_limit, self.card_limit = LENGTHS["full_name"], LENGTHS["card_no"]
        self.empty_tail = (None,) * (len(STAGING) - 9)
        self.genders: dict[str, str] = {}

    def problem(self, number: int, key: str, reason: str) -> None:
        self.report.add(Problem(number, HEADERS[key][0], reason))

    def date(self, text: str) -> tuple[dt.date, str] | str:
        """(date, ISO text) or the reason it is no date; cached: a register repeats its dates."""
        found = self.dates.get(text)
        if found is None:
            try:
                day = parse_date(text)
                found = "ngày ở tương lai" if day > self.today else (day, day.isoformat())
            except ValueError as exc:
                found = str(exc)
            self.dates[text] = found
        return found

    def rule_facts(self, admitted: dt.date) -> tuple[int, dt.date]:
        """(year difference above which the admission age needs no exact check, end of probation)."""
        facts = self.rules.get(admitted)
        if facts is None:
            rules = membership_rules(admitted)
            facts = self.rules[admitted] = (
                rules.min_admission_age_months // 12 + 1,
                probation_end(admitted),
            )
        return facts

    def bad_row(self, raw: list[str], number: int) -> tuple[Any, ...]:
        """A bad row's staging tuple: only its keys, for the duplicate check."""
        keys = [
            _clean(raw[i]) or None if (i := self.columns.get(k)) is not None else None for k in KEY_FIELDS
        ]
        return (number, None, None, None, None, None, *keys, *self.empty_tail, 1)

    def __call__(self, raw: list[str], number: int) -> tuple[Any, ...] | None:
        """The staging tuple of a good row; None (and its problems reported) for a bad one.
        Absent columns point at index -1, an empty cell appended to every row."""
        raw.append("")
        ok = True
        joined = "\x1f" + "\x1f".join(raw)
        if "\x1f=" in joined or "\x1f+" in joined or "\x1f@" in joined:
            for key, index in self.columns.items():
                if key != "national_id" and index < len(raw) and raw[index].lstrip()[:1] in ("=", "+", "@"):
                    self.problem(number, key, "ô chứa công thức; hãy nhập giá trị")
                    raw[index] = ""  # checked no further; the other cells still are
                    ok = False
        if len(raw) <= self.width:
            raw[-1:] = [""] * (self.width + 1 - len(raw) + 1)
        ix = self.ix
        name = _clean(raw[ix.full_name])
        if not name or len(name) > self.name_limit or not _LETTER.search(name):
            self.problem(number, "full_name", self._name_problem(name))
            ok = False
        dates = self.dates
        birth: Any
        admitted: Any
        full: Any
        text = raw[ix.birth_date].strip()
        birth = (dates.get(text) or self.date(text)) if text else None
        text = raw[ix.admitted_on].strip()
        admitted = (dates.get(text) or self.date(text)) if text else "không được để trống"
        text = raw[ix.full_on].strip()
        full = (dates.get(text) or self.date(text)) if text else None
        if birth.__class__ is str:
            self.problem(number, "birth_date", birth)
            ok, birth = False, None
        if admitted.__class__ is str:
            self.problem(number, "admitted_on", admitted)
            ok, admitted = False, None
        if full.__class__ is str:
            self.problem(number, "full_on", full)
            ok, full = False, None
        member_full_on = None
        if admitted is not None:
            youngest, end = self.rules.get(admitted[0]) or self.rule_facts(admitted[0])
            if (
                birth is not None
                and admitted[0].year - birth[0].year <= youngest
                and not admission_age(birth[0], admitted[0]).allowed
            ):
                self.problem(number, "admitted_on", "chưa đủ 18 tuổi vào ngày vào Đảng")
                ok = False
            if full is not None:
                if full[0] < end:
                    self.problem(number, "full_on", "ngày chính thức phải sau đủ 12 tháng dự bị")
                    ok = False
                member_full_on = end.isoformat()
        elif full is not None and not raw[ix.admitted_on].strip():
            self.problem(number, "full_on", "có ngày chính thức nhưng thiếu ngày vào Đảng")
            ok = False
        gender = raw[ix.gender]
        if gender:
            text = gender
            gender = self.genders.get(text) or self.genders.setdefault(text, GENDERS.get(fold(text), ""))
            if not gender:
                self.problem(number, "gender", "chỉ nhận “Nam” hoặc “Nữ”")
                ok = False
        national_id = raw[ix.national_id].strip() or None
        if national_id is not None and (
            len(national_id) != 12 or not national_id.isdecimal() or not national_id.isascii()
        ):
            self.problem(number, "national_id", "số CCCD phải gồm 12 chữ số")
            ok = False
        card_no = _clean(raw[ix.card_no]) or None
        if card_no is not None and len(card_no) > self.card_limit:
            self.problem(number, "card_no", f"dài quá {self.card_limit} ký tự")
            ok = False
        org_ref = raw[ix.organisation].strip()
        org_id = self.cells.get(org_ref)
        if org_id is None:
            org_id = self.org_id(org_ref)
            if org_id is None:
                ok = False
                if org_ref:
                    self.problem(
                        number, "organisation", f"không có chi bộ “{org_ref}” trong phạm vi của đồng chí"
                    )
                else:
                    self.problem(number, "organisation", "không được để trống")
        texts = list(self.blank_texts)
        for position, index in self.text_columns:
            texts[position] = _clean(raw[index])
        if len("".join(texts)) > self.shortest_text_limit:
            for key, text in zip(TEXT_FIELDS, texts, strict=True):
                if len(text) > LENGTHS[key]:
                    self.problem(number, key, f"dài quá {LENGTHS[key]} ký tự")
                    ok = False
        if not ok:
            return None
        search_text, sort_key = self.name_keys(name)
        return (
            number,
            name,
            search_text,
            sort_key,
            gender,
            birth[1] if birth else None,
            national_id,
            card_no,
            admitted[1],
            full[1] if full else None,
            member_full_on,
            org_id,
            *texts,
            0,
        )

    def org_id(self, ref: str) -> int | None:
        """A cell named rather than numbered (accents and case ignored); remembered once found."""
        found = self.cells.get(fold(ref)) if ref else None
        if found is not None:
            self.cells[ref] = found
        return found

    def _name_problem(self, name: str) -> str:
        if not name:
            return "không được để trống"
        if len(name) > self.name_limit:
            return f"dài quá {self.name_limit} ký tự"
        return "họ và tên phải có chữ cái"


# --- Staging -------------------------------------------------------------------------------------

STAGE = "import_rows"


class Staging:
    """A temporary table holding the good rows, filled in batches while the file is read."""

    BATCH = 5000

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.pg = connection.vendor == "postgresql"
        self.batch: list[tuple[Any, ...]] = []
        self.count = 0
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGING)
        if not self.pg:  # SQLite: the row number as rowid, so that every join on it is a lookup
            columns = columns.replace("rn integer", "rn integer PRIMARY KEY")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns})" + (" ON COMMIT DROP" if self.pg else ""))
        names = ", ".join(name for name, _kind in STAGING)
        if self.pg:
            self._copy_cm = cursor.cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN")
            self._copy = self._copy_cm.__enter__()
        else:
            marks = ", ".join(["%s"] * len(STAGING))
            self._insert = f"INSERT INTO {STAGE} ({names}) VALUES ({marks})"

    def add(self, row: tuple[Any, ...]) -> None:
        self.batch.append(row)
        if len(self.batch) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        self.count += len(self.batch)
        if self.pg:
            # COPY text format: NUL stands for NULL while joining (no value holds one: every text
            # cell is cleaned of control characters), then backslashes are escaped and NUL becomes \N.
            lines = "\n".join(["\t".join(["\0" if v is None else str(v) for v in row]) for row in self.batch])
            if "\\" in lines:
                lines = lines.replace("\\", "\\\\")
            lines = lines.replace("\0", r"\N")
            self._copy.write(lines + "\n")
        else:
            self.cursor.executemany(self._insert, self.batch)
        self.batch.clear()

    def close(self) -> None:
        self.flush()
        if self.pg:
            self._copy_cm.__exit__(None, None, None)
            self.cursor.execute(f"ANALYZE {STAGE}")


# --- Importing -----------------------------------------------------------------------------------


def _cells_in_scope(actor: Any, root: Organisation | None) -> dict[str, int]:
    """The cells a file may name, by id and by folded name."""
    qs = Organisation.objects.filter(kind__in=CELL_KINDS_FOR_MEMBERS, dissolved_on__isnull=True)
    if root is not None:
        qs = qs.filter(path__within=root.path)
    cells: dict[str, int] = {}
    for cell in qs.only("pk", "name", "path", "kind"):
        if actor is None or allowed(actor, Perm.PERSON_CHANGE, cell):
            cells[str(cell.pk)] = cell.pk
            cells.setdefault(fold(cell.name), cell.pk)
    return cells


def _find_header(rows: Iterator[list[str]]) -> tuple[int, list[str]]:
    """The header row: row 1 in the template; in a register with a title above it, the first of the
    first rows that names every required column."""
    first: tuple[int, list[str]] | None = None
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        if first is None:
            first = (number, row)
        if not _map_header(row)[1]:
            return number, row
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ImportRefused("Không thấy dòng tiêu đề ở dòng 1.")
    return first


def import_members(
    path: Path,
    *,
    actor: Any,
    root: Organisation | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
) -> Report:
    report = Report()
    source = Source(path)
    rows = source.rows()
    header_row, header = _find_header(rows)
    columns, problems, _found = _map_header(header)
    if problems:
        for problem in problems:
            report.add(Problem(header_row, problem.column, problem.reason))
        return report
    checker = Checker(columns, _cells_in_scope(actor, root), timezone.localdate(), report)
    with transaction.atomic(), connection.cursor() as cursor:
        staging = Staging(cursor)
        try:
            for number, raw in enumerate(rows, start=header_row + 1):
                if not raw or not any(raw) or not "".join(raw).strip():
                    continue
                report.rows += 1
                row = checker(raw, number)
                staging.add(checker.bad_row(raw, number) if row is None else row)
                if progress is not None and report.rows % PROGRESS_EVERY == 0:
                    progress("check", report.rows, source.fraction())
        finally:
            staging.close()
        _merged_cells(source, header, header_row, report)
        if progress is not None:
            progress("match", report.rows, 1.0)
        writer = Writer(cursor, report, set(checker.cells.values()))
        writer.duplicates_in_file()
        writer.match()
        writer.list_changes()  # before any write: the old values, shown by a check and a refusal too
        if report.problem_count and not skip_bad_rows:
            report.problems.sort(key=lambda p: p.row)
            transaction.set_rollback(True)
            return report
        if progress is not None:
            progress("write", report.rows, 1.0)
        writer.write()
        report.skipped = report.rows - report.created - report.updated - report.unchanged
        report.problems.sort(key=lambda p: p.row)
        if dry_run:
            transaction.set_rollback(True)
            return report
        if progress is not None:
            progress("count", report.rows, 1.0)
        counts.touch(writer.touched)
        # Once for all the cells of the file: meetings not yet held summon the new members.
        send_membership_changed(writer.touched, actor=actor)
        report.written = True
        audit.record(
            actor=actor,
            action="member.import",
            object_type="file",
            object_id=(digest := _sha256(path))[:40],
            after={
                "file": path.name,
                "sha256": digest,
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
            },
        )
    return report


def _masked(national_id: str | None) -> str:
    """An identity number as lists show it (the report is read by whoever may import)."""
    return PartyMember(national_id=national_id or "").masked_national_id


def _day(value: dt.date | str | None) -> dt.date | None:
    """A date read back from SQL (SQLite gives ISO text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _merged_cells(source: Source, header: list[str], header_row: int, report: Report) -> None:
    """Merged cells leave all but their first cell empty: refuse them by name rather than let them
    turn into "must not be empty" on rows the user cannot see as empty."""
    for first_row, first_col, last_row, _last_col in source.merged:
        if last_row <= header_row:
            continue  # a merged title above the header is fine
        column = (
            header[first_col] if first_col < len(header) and header[first_col].strip() else f"{first_col + 1}"
        )
        reason = f"ô gộp đến dòng {last_row}" if last_row > first_row else "ô gộp nhiều cột"
        report.add(
            Problem(max(first_row, header_row + 1), column, f"{reason}; hãy bỏ gộp ô và điền đủ từng ô")
        )


class Writer:
    """The set-based half of an import: duplicates, matching, updates and inserts, all in SQL."""

    def __init__(self, cursor: Any, report: Report, allowed: set[int]) -> None:
        self.cursor, self.report, self.allowed = cursor, report, allowed
        self.pg = connection.vendor == "postgresql"
        self.member = PartyMember._meta.db_table
        self.touched: set[int] = set()  # organisations whose members changed

    def _refuse(self, sql: str, params: list[Any], key: str, reason: Callable[[Any], str]) -> None:
        """Report each (rn, detail) the query finds and drop those rows from the staging table."""
        self.cursor.execute(sql, params)
        found = self.cursor.fetchall()
        for rn, detail in found:
            self.report.add(Problem(rn, HEADERS[key][0], reason(detail)))
        self._drop({rn for rn, _d in found})

    def _drop(self, rows: set[int]) -> None:
        if rows:
            self.cursor.execute(f"DELETE FROM {STAGE} WHERE rn IN ({', '.join(str(int(rn)) for rn in rows)})")

    def duplicates_in_file(self) -> None:
        for key in KEY_FIELDS:
            self._refuse(
                f"SELECT s.rn, d.first FROM {STAGE} s JOIN (SELECT {key}, MIN(rn) AS first FROM {STAGE} "
                f"WHERE {key} IS NOT NULL GROUP BY {key} HAVING COUNT(*) > 1) d ON d.{key} = s.{key} "
                "WHERE s.rn <> d.first ORDER BY s.rn",
                [],
                key,
                lambda first: f"trùng với dòng {first} trong tệp",
            )
        self.cursor.execute(f"DELETE FROM {STAGE} WHERE bad = 1")

    def match(self) -> None:
        """Pair rows with existing records (CCCD first, else card number) and refuse the pairs an
        import must not resolve on its own."""
        member, cursor = self.member, self.cursor
        if self.pg:
            # From here to the commit nobody else writes people, records or events: the matches
            # stay true, and the id blocks of write() are ours alone. (SQLite: the write lock
            # taken at BEGIN does the same.) Reading goes on.
            cursor.execute(
                f"LOCK TABLE {Person._meta.db_table}, {member}, {MemberEvent._meta.db_table} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
        cursor.execute("DROP TABLE IF EXISTS import_match")
        cursor.execute(
            "CREATE TEMPORARY TABLE import_match AS "
            f"SELECT s.rn, m.id AS member_id, m.organisation_id FROM {STAGE} s JOIN {member} m ON m.national_id = s.national_id "
            "UNION ALL "
            f"SELECT s.rn, m.id, m.organisation_id FROM {STAGE} s JOIN {member} m ON m.card_no = s.card_no "
            f"WHERE s.national_id IS NULL OR NOT EXISTS (SELECT 1 FROM {member} x WHERE x.national_id = s.national_id)"
        )
        cursor.execute("CREATE INDEX import_match_rn ON import_match (rn)")
        # A record outside the importer's scope is not theirs to update.
        cursor.execute("SELECT DISTINCT organisation_id FROM import_match")
        outside = sorted(org for (org,) in cursor.fetchall() if org not in self.allowed)
        if outside:
            self._refuse(
                "SELECT rn, member_id FROM import_match WHERE organisation_id IN "
                f"({', '.join(str(int(org)) for org in outside)})",
                [],
                "national_id",
                lambda _m: "đã có hồ sơ đảng viên này ở một tổ chức ngoài phạm vi của đồng chí",
            )
        # A card number that belongs to somebody else than the record the CCCD found.
        self._refuse(
            f"SELECT s.rn, s.card_no FROM import_match t JOIN {STAGE} s ON s.rn = t.rn "
            f"JOIN {member} y ON y.card_no = s.card_no WHERE y.id <> t.member_id",
            [],
            "card_no",
            lambda card: f"số thẻ {card} đã cấp cho một đảng viên khác",
        )
        # A card number whose record carries another CCCD.
        self._refuse(
            f"SELECT s.rn, s.national_id FROM import_match t JOIN {STAGE} s ON s.rn = t.rn "
            f"JOIN {member} m ON m.id = t.member_id "
            "WHERE s.national_id IS NOT NULL AND m.national_id IS NOT NULL AND m.national_id <> s.national_id",
            [],
            "national_id",
            lambda _nid: "số thẻ đảng viên trong tệp thuộc một hồ sơ có số CCCD khác",
        )
        # Two rows that are the same record.
        self._refuse(
            "SELECT t.rn, d.first FROM import_match t JOIN (SELECT member_id, MIN(rn) AS first FROM import_match "
            "GROUP BY member_id HAVING COUNT(*) > 1) d ON d.member_id = t.member_id WHERE t.rn <> d.first",
            [],
            "national_id",
            lambda first: f"cùng một đảng viên với dòng {first}",
        )
        self.known_person()
        # NOT EXISTS, not NOT IN: PostgreSQL plans NOT IN over a subquery larger than work_mem as a scan
        # of the materialised subquery per row (quadratic: EXPLAIN gives cost 1.3e10 at a million rows; a
        # million-row re-import spent 45 CPU minutes in this DELETE), NOT EXISTS as a hash anti-join.
        # rn is never NULL, so the two mean the same.
        cursor.execute(
            f"DELETE FROM import_match WHERE NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.rn = import_match.rn)"
        )

    def known_person(self) -> None:
        """A matched record's name and birth date stay as recorded: a row that gives another one is
        refused, naming the record and both values (one query, whatever the file's size). The same
        name written otherwise — composed or decomposed, in another case or spacing, with the tone
        mark on the other vowel (Thuỷ, Thủy) — is the same name; a row without a birth date claims none.
        """
        self.cursor.execute(
            "SELECT s.rn, s.full_name, p.full_name, s.birth_date, p.birth_date, "
            "CASE WHEN m.national_id = s.national_id THEN m.national_id END, m.card_no "
            f"FROM import_match t JOIN {STAGE} s ON s.rn = t.rn JOIN {self.member} m ON m.id = t.member_id "
            f"JOIN {Person._meta.db_table} p ON p.id = m.person_id "
            "WHERE s.full_name <> p.full_name OR s.birth_date <> p.birth_date"
        )
        refused: set[int] = set()
        for rn, name, known_name, birth, known_birth, national_id, card_no in self.cursor.fetchall():
            known_name = one_line(known_name)
            whose = (
                f"số CCCD {_masked(national_id)}" if national_id else f"số thẻ đảng viên {card_no}"
            ) + f" là của đồng chí {known_name}"
            if name_sort_key(name) != name_sort_key(known_name):
                self.report.add(Problem(rn, HEADERS["full_name"][0], f"{whose}; tệp ghi {name}"))
                refused.add(rn)
            birth, known_birth = _day(birth), _day(known_birth)
            if birth is not None and known_birth is not None and birth != known_birth:
                self.report.add(
                    Problem(
                        rn,
                        HEADERS["birth_date"][0],
                        f"{whose}, sinh ngày {format_date(known_birth)}; tệp ghi {format_date(birth)}",
                    )
                )
                refused.add(rn)
        self._drop(refused)

    def _differs(self) -> str:
        """SQL: the matched row `s` would change its record `m` (an empty cell keeps the value)."""
        return " OR ".join(
            # a key given where the record has none is a change too (a NULL compares as unknown)
            f"(s.{f} IS NOT NULL AND (m.{f} IS NULL OR s.{f} <> m.{f}))"
            if f in KEY_FIELDS
            else f"(s.{f} <> '' AND s.{f} <> m.{f})"
            for f in UPDATABLE
        )

    def list_changes(self) -> None:
        """Each field that the update will change, old and new, for the first MAX_CHANGED_ROWS rows:
        one query (run before the update, which the report's check-only run also does)."""
        columns = ", ".join(f"m.{f}, s.{f}" for f in UPDATABLE)
        self.cursor.execute(
            f"SELECT s.rn, {columns} FROM import_match t JOIN {STAGE} s ON s.rn = t.rn "
            f"JOIN {self.member} m ON m.id = t.member_id WHERE {self._differs()} "
            f"ORDER BY s.rn LIMIT {MAX_CHANGED_ROWS + 1}"
        )
        found = self.cursor.fetchall()
        self.report.changes_cut = len(found) > MAX_CHANGED_ROWS
        changes = self.report.changes
        for rn, *values in found[:MAX_CHANGED_ROWS]:
            for n, key in enumerate(UPDATABLE):
                old, new = values[2 * n], values[2 * n + 1]
                if new is None or new == "" or new == old:
                    continue
                if key == "national_id":
                    old, new = _masked(old), _masked(new)
                changes.append(Change(rn, HEADERS[key][0], old or "", new))

    def write(self) -> None:
        member, cursor, report = self.member, self.cursor, self.report
        cursor.execute("SELECT COUNT(*) FROM import_match")
        matched = cursor.fetchone()[0]
        differs = self._differs()
        updates = ", ".join(
            f"{f} = COALESCE(s.{f}, m.{f})"
            if f in KEY_FIELDS
            else f"{f} = CASE WHEN s.{f} = '' THEN m.{f} ELSE s.{f} END"
            for f in UPDATABLE
        )
        # Only rows that would change are touched, so re-importing a file writes nothing.
        cursor.execute(
            f"UPDATE {member} AS m SET {updates} FROM import_match t JOIN {STAGE} s ON s.rn = t.rn "
            f"WHERE m.id = t.member_id AND ({differs}) "
            # SQLite's RETURNING names only the updated table's columns, and without its alias
            f"RETURNING {'m.' if self.pg else ''}organisation_id"
        )
        updated = cursor.fetchall()
        report.updated = len(updated)
        self.touched = {org for (org,) in updated}
        report.unchanged = matched - report.updated
        # New records: ids for person and member, then one INSERT … SELECT per table.
        cursor.execute("DROP TABLE IF EXISTS import_new")
        cursor.execute(
            "CREATE TEMPORARY TABLE import_new AS SELECT s.rn, ROW_NUMBER() OVER (ORDER BY s.rn) AS n "
            f"FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM import_match t WHERE t.rn = s.rn)"
        )
        cursor.execute("SELECT COUNT(*) FROM import_new")
        count = cursor.fetchone()[0]
        # One block of ids per table (the tables are locked against other writers, see match()).
        person_base, member_base = bulk.reserve_ids(Person, count), bulk.reserve_ids(PartyMember, count)
        if self.pg:
            cursor.execute("ANALYZE import_new")
        cursor.execute(f"SELECT DISTINCT s.org_id FROM import_new n JOIN {STAGE} s ON s.rn = n.rn")
        self.touched.update(org for (org,) in cursor.fetchall())
        joined = f"FROM import_new n JOIN {STAGE} s ON s.rn = n.rn"
        report.created = insert_select(
            cursor,
            Person,
            {
                "id": f"{person_base} + n.n",
                "full_name": "s.full_name",
                "search_text": "s.search_text",
                "sort_key": "s.sort_key",
                "gender": "s.gender",
                "birth_date": "s.birth_date",
                "organisation_id": "s.org_id",
                "is_party_member": "%s",
            },
            joined,
            [True],
        )
        names.add_people(person_base + 1, person_base + count)
        status = (
            f"CASE WHEN s.full_on IS NULL THEN '{Status.PROBATIONARY.value}' ELSE '{Status.FULL.value}' END"
        )
        insert_select(
            cursor,
            PartyMember,
            {
                "id": f"{member_base} + n.n",
                "person_id": f"{person_base} + n.n",
                "organisation_id": "s.org_id",
                "org_path": "o.path",
                "status": status,
                "admitted_on": "s.admitted_on",
                "probation_started_on": "s.admitted_on",
                "full_on": "s.member_full_on",
                "party_age_from": "s.admitted_on",
                "search_text": "s.search_text",
                **{f: f"s.{f}" for f in UPDATABLE},
            },
            f"{joined} JOIN {Organisation._meta.db_table} o ON o.id = s.org_id",
            [],
        )
        for kind, day, where in (
            (EventKind.ADMITTED, "s.admitted_on", ""),
            (EventKind.FULL_MEMBER, "s.full_on", " WHERE s.full_on IS NOT NULL"),
        ):
            insert_select(
                cursor,
                MemberEvent,
                {"member_id": f"{member_base} + n.n", "kind": "%s", "on": day, "note": "%s"},
                joined + where,
                [kind.value, IMPORTED],
            )
