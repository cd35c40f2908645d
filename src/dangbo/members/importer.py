"""Import member records from .csv or .xlsx: validate every row first, then write all or nothing.

Rows are matched on a natural key (citizen identity number, else party card number): a row that
matches an existing record updates it only where a value differs, so importing the same file twice
changes nothing. Every problem is reported with its row, column and reason in Vietnamese; nothing is
written while any row is bad, unless the caller asks to import the good rows only.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangbo.core import audit, bulk
from dangbo.core.scoping import allowed
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS, EventKind, Status, admission_age, probation_end
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold, name_collation_key

MAX_BYTES = 200 * 1024 * 1024

# field → accepted headers (folded); the first is the template's header.
HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên đảng viên"),
    "birth_date": ("Ngày sinh", "Ngày tháng năm sinh"),
    "gender": ("Giới tính",),
    "national_id": ("Số CCCD", "CCCD", "Số căn cước công dân", "Số định danh"),
    "card_no": ("Số thẻ đảng viên", "Số thẻ"),
    "admitted_on": ("Ngày vào Đảng", "Ngày kết nạp"),
    "full_on": ("Ngày chính thức", "Ngày công nhận chính thức"),
    "organisation": ("Chi bộ (mã số)", "Mã chi bộ", "Chi bộ"),
    "ethnicity": ("Dân tộc",),
    "religion": ("Tôn giáo",),
    "hometown": ("Quê quán",),
    "political_theory": ("Lý luận chính trị",),
}
REQUIRED = ("full_name", "admitted_on", "organisation")
GENDERS = {"nam": "male", "nu": "female"}
DATE_FORMATS = (
    re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"),
    re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
)


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based row in the file, the header being row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: {self.reason}"


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRefused(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header, too big, empty)."""


def template_headers() -> list[str]:
    return [names[0] for names in HEADERS.values()]


# --- Reading -------------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused("Không đọc được bảng mã của tệp: hãy lưu lại dưới dạng CSV UTF-8.")


def read_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a .csv or .xlsx file as lists of text, the header first."""
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused("Tệp rỗng.")
    if size > MAX_BYTES:
        raise ImportRefused(
            f"Tệp quá lớn ({size // 1024 // 1024} MB): tối đa {MAX_BYTES // 1024 // 1024} MB."
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = _decode(path.read_bytes())
        yield from csv.reader(io.StringIO(text))
    elif suffix == ".xlsx":
        yield from _xlsx_rows(path)
    else:
        raise ImportRefused("Chỉ nhận tệp .xlsx hoặc .csv.")


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.") from exc
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield [
            "" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else str(v)) for v in row
        ]
    book.close()


# --- Validating ----------------------------------------------------------------------------------


def _map_header(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    wanted = {fold(name): key for key, names in HEADERS.items() for name in names}
    columns: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        key = wanted.get(fold(title))
        if key and key not in columns:
            columns[key] = index
    for key in REQUIRED:
        if key not in columns:
            problems.append(Problem(1, HEADERS[key][0], "thiếu cột bắt buộc"))
    return columns, problems


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (also with - or .) or yyyy-mm-dd; a day that could be a month the other way round
    and is invalid as written gets a clear warning instead of a silent swap."""
    text = text.strip()
    for pattern in DATE_FORMATS:
        match = pattern.match(text)
        if not match:
            continue
        a, b, c = (int(g) for g in match.groups())
        day, month, year = (c, b, a) if pattern is DATE_FORMATS[1] else (a, b, c)
        try:
            return dt.date(year, month, day)
        except ValueError:
            if pattern is DATE_FORMATS[0] and day <= 12 < month:
                raise ValueError("ngày và tháng có vẻ bị đảo (định dạng đúng là ngày/tháng/năm)") from None
            raise ValueError("ngày không tồn tại") from None
    raise ValueError("không phải ngày dạng ngày/tháng/năm")


@dataclass
class Row:
    number: int
    values: dict[str, Any]


def _cell(raw: list[str], columns: dict[str, int], key: str) -> str:
    """A cell's text, NFC (legacy encodings and Mac keyboards give decomposed text), single-spaced."""
    index = columns.get(key)
    if index is None or index >= len(raw):
        return ""
    return " ".join(unicodedata.normalize("NFC", raw[index]).split())


def _validate(
    raw: list[str], number: int, columns: dict[str, int], cells: dict[int | str, Organisation], today: dt.date
) -> tuple[Row | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def bad(key: str, reason: str) -> None:
        problems.append(Problem(number, HEADERS[key][0], reason))

    for key in HEADERS:
        text = _cell(raw, columns, key)
        if text.startswith(("=", "+", "@")) and key != "national_id":
            bad(key, "ô chứa công thức; hãy nhập giá trị")
            continue
        values[key] = text
    for key in REQUIRED:
        if not values.get(key):
            bad(key, "không được để trống")
    for key in ("birth_date", "admitted_on", "full_on"):
        if values.get(key):
            try:
                values[key] = parse_date(values[key])
                if values[key] > today:
                    bad(key, "ngày ở tương lai")
            except ValueError as exc:
                bad(key, str(exc))
                values[key] = None
        else:
            values[key] = None
    if values.get("gender"):
        gender = GENDERS.get(fold(values["gender"]))
        if gender is None:
            bad("gender", "chỉ nhận “Nam” hoặc “Nữ”")
        values["gender"] = gender or ""
    if values.get("national_id") and not re.fullmatch(r"[0-9]{12}", values["national_id"]):
        bad("national_id", "số CCCD phải gồm 12 chữ số")
    org_ref = values.get("organisation", "")
    if org_ref:
        cell = (
            cells.get(int(org_ref)) if org_ref.isascii() and org_ref.isdigit() else cells.get(fold(org_ref))
        )
        if cell is None:
            bad("organisation", f"không có chi bộ “{org_ref}” trong phạm vi của đồng chí")
        values["organisation"] = cell
    birth, admitted, full = values.get("birth_date"), values.get("admitted_on"), values.get("full_on")
    if birth and admitted and not admission_age(birth, admitted).allowed:
        bad("admitted_on", "chưa đủ 18 tuổi vào ngày vào Đảng")
    if admitted and full and full < probation_end(admitted):
        bad("full_on", "ngày chính thức phải sau đủ 12 tháng dự bị")
    if full and not admitted:
        bad("full_on", "có ngày chính thức nhưng thiếu ngày vào Đảng")
    return (None if problems else Row(number, values)), problems


# --- Importing -----------------------------------------------------------------------------------


def _cells_in_scope(actor: Any, root: Organisation | None) -> dict[int | str, Organisation]:
    qs = Organisation.objects.filter(kind__in=CELL_KINDS_FOR_MEMBERS, dissolved_on__isnull=True)
    if root is not None:
        qs = qs.filter(path__within=root.path)
    cells: dict[int | str, Organisation] = {}
    for cell in qs:
        if actor is None or allowed(actor, Perm.PERSON_CHANGE, cell):
            cells[cell.pk] = cell
            cells.setdefault(fold(cell.name), cell)
    return cells


def import_members(
    path: Path,
    *,
    actor: Any,
    root: Organisation | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
) -> Report:
    report = Report()
    today = timezone.localdate()
    rows_iter = read_rows(path)
    header = next(rows_iter, None)
    if not header or not any(cell.strip() for cell in header):
        raise ImportRefused("Không thấy dòng tiêu đề ở dòng 1.")
    columns, problems = _map_header(header)
    if problems:
        report.problems = problems
        return report
    cells = _cells_in_scope(actor, root)
    good: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(rows_iter, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        report.rows += 1
        row, row_problems = _validate(raw, number, columns, cells, today)
        for key in ("national_id", "card_no"):
            value = _cell(raw, columns, key)
            if value:
                first = seen.setdefault((key, value), number)
                if first != number:
                    row_problems.append(Problem(number, HEADERS[key][0], f"trùng với dòng {first} trong tệp"))
                    row = None
        report.problems += row_problems
        if row is not None:
            good.append(row)
    if report.problems and not skip_bad_rows:
        return report
    report.skipped = report.rows - len(good)
    with transaction.atomic():
        _write(good, report, actor)
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            audit.record(
                actor=actor,
                action="member.import",
                object_type="file",
                object_id=digest[:40],
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


IMPORTED = "nhập từ tệp"
RECORD_FIELDS = ("card_no", "national_id", "ethnicity", "religion", "hometown", "political_theory")


def _write(rows: list[Row], report: Report, actor: Any) -> None:
    ids = [r.values["national_id"] for r in rows if r.values.get("national_id")]
    cards = [r.values["card_no"] for r in rows if r.values.get("card_no")]
    # Plain tuples, not model instances: matching a large file against the register stays cheap.
    wanted = ("pk", *RECORD_FIELDS)
    existing: dict[tuple[str, Any], dict[str, Any]] = {}
    for key, values in (("card_no", cards), ("national_id", ids)):
        for found in PartyMember.objects.filter(**{f"{key}__in": values}).values(*wanted):
            existing[(key, found[key])] = found
    fresh: list[Row] = []
    for row in rows:
        v = row.values
        match = existing.get(("national_id", v.get("national_id"))) or existing.get(
            ("card_no", v.get("card_no"))
        )
        if match is None:
            fresh.append(row)
            continue
        changes = {f: v[f] for f in RECORD_FIELDS if v.get(f) and match[f] != v[f]}
        if changes:
            PartyMember.objects.filter(pk=match["pk"]).update(**changes)
            report.updated += 1
        else:
            report.unchanged += 1
    person_ids = bulk.allocate_ids(Person, len(fresh))
    member_ids = bulk.allocate_ids(PartyMember, len(fresh))
    people, members, events = [], [], []
    for row, person_id, member_id in zip(fresh, person_ids, member_ids, strict=True):
        v = row.values
        cell, admitted, full = v["organisation"], v["admitted_on"], v.get("full_on")
        people.append(
            {
                "id": person_id,
                "full_name": v["full_name"],
                "gender": v.get("gender") or "",
                "birth_date": v.get("birth_date"),
                "organisation_id": cell.pk,
                "is_party_member": True,
                "search_text": fold(v["full_name"]),
                "sort_key": name_collation_key(v["full_name"]),
            }
        )
        members.append(
            {
                "id": member_id,
                "person_id": person_id,
                "organisation_id": cell.pk,
                "org_path": cell.path,
                "status": Status.FULL.value if full else Status.PROBATIONARY.value,
                "admitted_on": admitted,
                "probation_started_on": admitted,
                "full_on": probation_end(admitted) if full else None,
                "party_age_from": admitted,
                **{
                    f: (v.get(f) or None) if f in ("card_no", "national_id") else (v.get(f) or "")
                    for f in RECORD_FIELDS
                },
            }
        )
        events.append(
            {"member_id": member_id, "kind": EventKind.ADMITTED.value, "on": admitted, "note": IMPORTED}
        )
        if full:
            events.append(
                {"member_id": member_id, "kind": EventKind.FULL_MEMBER.value, "on": full, "note": IMPORTED}
            )
    bulk.insert(Person, people)
    bulk.insert(PartyMember, members)
    bulk.insert(MemberEvent, events)
    report.created = len(fresh)
