"""The streaming .xlsx reader against files written by openpyxl and xlsxwriter (the two writers our
users' files resemble most: Excel writes shared strings and styles like xlsxwriter)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from dangbo.members.xlsx import NotASpreadsheet, Workbook, column_index


def rows_of(path: Path) -> tuple[list[list[str]], Workbook]:
    book = Workbook(path)
    try:
        return list(book.rows()), book
    finally:
        book.close()


def test_column_names():
    assert [column_index(n) for n in ("A", "Z", "AA", "AZ", "BA")] == [0, 25, 26, 51, 52]


def test_values_dates_formulas_gaps_and_merges_from_xlsxwriter(tmp_path):
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sổ")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Họ và tên", "Ngày sinh", "Số", "Ghi chú"])
    sheet.write_string(1, 0, "Nguyễn Văn Đức & <Con>")
    sheet.write_datetime(1, 1, dt.datetime(1980, 3, 15), dates)
    sheet.write_number(1, 2, 68000111)
    sheet.write_formula(1, 3, "=1+1", None, 2)
    sheet.write_string(3, 0, "Trần Thị Ánh")  # row 3 (Excel row 3) left empty
    sheet.write_number(3, 2, 1.5)
    sheet.merge_range("D4:D6", "gộp")
    book.close()
    rows, reader = rows_of(path)
    assert rows[0] == ["Họ và tên", "Ngày sinh", "Số", "Ghi chú"]
    assert rows[1] == ["Nguyễn Văn Đức & <Con>", "1980-03-15", "68000111", "=1+1"]
    assert rows[2] == []
    assert rows[3][:3] == ["Trần Thị Ánh", "", "1.5"] and rows[3][3] == "gộp"
    assert reader.merged == [(4, 3, 6, 3)]
    assert reader.dimension_rows == 6


def test_inline_strings_rich_text_and_sparse_columns_from_openpyxl(tmp_path):
    path = tmp_path / "b.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Họ và tên"
    sheet["C1"] = "Chi bộ"
    sheet["A2"] = "Lê Văn Dũng"
    sheet["C2"] = 42
    sheet["B3"] = dt.date(2005, 5, 19)
    book.save(path)
    rows, _reader = rows_of(path)
    assert rows[0] == ["Họ và tên", "", "Chi bộ"]
    assert rows[1] == ["Lê Văn Dũng", "", "42"]
    assert rows[2] == ["", "2005-05-19"]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(NotASpreadsheet):
        Workbook(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(NotASpreadsheet):
        Workbook(path)
