"""The shared Excel writer (reports/xlsx.py): widths fitted at the workbook's font, long text capped
and wrapped, portrait when the table fits, the heading block."""

from __future__ import annotations

import datetime as dt

import openpyxl

from dangbo.reports.xlsx import MAX_WIDTH, Column, ExportSheet, Heading
from tests.xlsx_checks import assert_print_ready, texts, width_in_zeros


def test_a_narrow_table_prints_portrait_with_fitted_widths_and_wrapped_long_text(tmp_path):
    path = tmp_path / "t.xlsx"
    long_text = "Đồng chí đã hoàn thành xuất sắc nhiệm vụ được giao trong năm và được đề nghị khen thưởng"
    sheet = ExportSheet(
        str(path),
        sheet_name="Thử",
        columns=[Column("Họ và tên"), Column("Ngày sinh", kind="date"), Column("Ghi chú")],
        heading=Heading(
            title="Danh sách thử",
            organisation="Chi bộ Ban Tài chính – Kế toán",
            superior="Đảng bộ Cơ quan",
            subtitle="Năm 2026",
            exported_on=dt.date(2026, 12, 7),
            exported_by="Lê Thị Thu Hà",
        ),
    )
    sheet.row(["Nguyễn Thị Phương Thảo", dt.date(1986, 1, 5), long_text])
    sheet.row(["Tổng", None, ""], bold=True)
    sheet.close()
    ws = openpyxl.load_workbook(path).active
    head = assert_print_ready(ws, "Họ và tên", landscape=False)
    heading = texts(ws, range(1, head))
    assert heading[:3] == ["ĐẢNG BỘ CƠ QUAN", "ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ BAN TÀI CHÍNH – KẾ TOÁN"]
    assert "*" in heading and "DANH SÁCH THỬ" in heading and "Năm 2026" in heading
    assert "Ngày xuất: 07/12/2026 · Người xuất: Lê Thị Thu Hà" in heading
    assert ws.column_dimensions["A"].width >= width_in_zeros("Nguyễn Thị Phương Thảo", "Times New Roman")
    assert ws.column_dimensions["B"].width >= width_in_zeros("05/01/1986", "Times New Roman") + 1
    assert ws.column_dimensions["C"].width <= MAX_WIDTH + 1 < width_in_zeros(long_text, "Times New Roman")
    note = ws.cell(head + 1, 3)
    assert note.value == long_text and note.alignment.wrap_text
    assert (
        ws.cell(head + 1, 2).value == dt.datetime(1986, 1, 5)
        and ws.cell(head + 1, 2).number_format == "dd/mm/yyyy"
    )
    assert ws.cell(head + 2, 1).font.bold and ws.cell(head + 1, 1).border.left.style == "thin"


def test_a_value_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "t.xlsx"
    sheet = ExportSheet(str(path), sheet_name="Thử", columns=[Column("Ghi chú")], heading=None)
    sheet.row(['=HYPERLINK("http://x")'])
    sheet.close()
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(2, 1).data_type == "s"
