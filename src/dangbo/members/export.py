"""Export the register of a subtree: CSV streamed row by row, XLSX written in constant memory.

Every value is written as text or a date, never as a formula: in CSV a value that a spreadsheet
would execute (starting with = + - @, tab or carriage return) gets a leading apostrophe; in XLSX
strings go through `write_string`, which Excel never evaluates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from dangbo.members.models import PartyMember
from dangbo.reports.xlsx import Column, ExportSheet, Heading
from dangbo.rules.vietnamese import format_date

COLUMNS: tuple[tuple[str, str], ...] = (
    ("stt", "STT"),
    ("full_name", "Họ và tên"),
    ("birth_name", "Tên khai sinh"),
    ("gender", "Giới tính"),
    ("birth_date", "Ngày sinh"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("hometown", "Quê quán"),
    ("education", "Giáo dục phổ thông"),
    ("political_theory", "Lý luận chính trị"),
    ("profession", "Chuyên môn, nghiệp vụ"),
    ("languages", "Ngoại ngữ"),
    ("occupation_before", "Nghề nghiệp khi vào Đảng"),
    ("occupation_now", "Nghề nghiệp hiện nay"),
    ("admitted_on", "Ngày vào Đảng"),
    ("full_on", "Ngày chính thức"),
    ("card_no", "Số thẻ đảng viên"),
    ("record_no", "Số lý lịch"),
    ("badge_no", "Số huy hiệu"),
    ("national_id", "Số CCCD"),
    ("organisation", "Chi bộ"),
    ("status", "Trạng thái"),
    ("notes", "Ghi chú"),
)
GENDERS = {"male": "Nam", "female": "Nữ"}
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def rows(members: QuerySet[PartyMember], batch: int = 2000) -> Iterator[list[Any]]:
    """One list per member, in register order; read in batches so memory stays flat."""
    for number, member in enumerate(members.iterator(chunk_size=batch), start=1):
        person = member.person
        yield [
            number,
            person.full_name,
            member.birth_name,
            GENDERS.get(person.gender, ""),
            person.birth_date,
            member.ethnicity,
            member.religion,
            member.hometown,
            member.education,
            member.political_theory,
            member.profession,
            member.languages,
            member.occupation_before,
            member.occupation_now,
            member.admitted_on,
            member.full_on,
            member.card_no or "",
            member.record_no,
            member.badge_no,
            member.masked_national_id,
            member.organisation.name,
            member.get_status_display(),
            member.notes,
        ]


def safe_text(value: Any) -> str:
    """A cell value as text that no spreadsheet will execute."""
    if value is None:
        return ""
    text = format_date(value) if hasattr(value, "isoformat") and not isinstance(value, str) else str(value)
    return f"'{text}" if text.startswith(DANGEROUS_FIRST) else text


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_lines(data: Iterable[list[Any]]) -> Iterator[str]:
    """CSV in UTF-8 with a BOM (so Excel opens Vietnamese correctly), one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in COLUMNS])
    yield "\ufeff" + _drain(buffer)
    for row in data:
        writer.writerow([safe_text(v) for v in row])
        yield _drain(buffer)


DATE_COLUMNS = {"birth_date", "admitted_on", "full_on"}
SHEET_NAME = "Danh sách đảng viên"
TITLE = "Danh sách đảng viên"


def register_heading(organisation: Any, exported_by: str = "") -> Heading:
    """The 7-HSĐV heading of a register export: the Party organisation (under its superior), the
    title, the day it was exported and by whom."""
    parent = organisation.parent if organisation.parent_id else None
    return Heading(
        title=TITLE,
        organisation=organisation.name,
        superior=parent.name if parent else "",
        exported_on=timezone.localdate(),
        exported_by=exported_by,
    )


def write_xlsx(data: Iterable[list[Any]], target: IO[bytes] | str, heading: Heading) -> None:
    """The register as one sheet (reports.xlsx): the 7-HSĐV heading, fitted widths, ready to print."""
    columns = [
        Column(label, kind="number" if key == "stt" else "date" if key in DATE_COLUMNS else "text")
        for key, label in COLUMNS
    ]
    sheet = ExportSheet(
        target,
        sheet_name=SHEET_NAME,
        columns=columns,
        heading=heading,
        constant_memory=True,
        freeze_columns=2,
    )
    for row in data:
        sheet.row(row)
    sheet.close()


def write_template(target: IO[bytes], headers: list[str], organisation: Any) -> None:
    """The import template: headers, one example row (fictional) and the cell ids to use."""
    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = workbook.add_worksheet("Đảng viên")
    bold = workbook.add_format({"bold": True, "bg_color": "#F2DCDB"})
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, bold)
        sheet.set_column(col, col, 18)
    example = ["Nguyễn Văn Mẫu", "15/03/1985", "Nam", "001085000000", "", "19/05/2010", "19/05/2011"]
    for col, value in enumerate(example):
        sheet.write_string(1, col, value)
    cells = workbook.add_worksheet("Mã chi bộ")
    cells.write_string(0, 0, "Mã số", bold)
    cells.write_string(0, 1, "Chi bộ", bold)
    cells.set_column(1, 1, 50)
    from dangbo.orgs.models import Organisation
    from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS

    for row, cell in enumerate(
        Organisation.objects.filter(path__within=organisation.path, kind__in=CELL_KINDS_FOR_MEMBERS).order_by(
            "sort_key"
        ),
        start=1,
    ):
        cells.write_number(row, 0, cell.pk)
        cells.write_string(row, 1, cell.name)
    workbook.close()
