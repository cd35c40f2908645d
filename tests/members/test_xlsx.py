"""The streaming .xlsx reader against files written by openpyxl and xlsxwriter (the two writers our
users' files resemble most: Excel writes shared strings and styles like xlsxwriter)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import time
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


# --- Hand-written sheets: the shapes real writers produce --------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def handmade(
    path: Path,
    sheet_data: str,
    *,
    shared: list[str] | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    tail: str = "",
    sheet: str | None = None,
    sst: str | None = None,
) -> Path:
    """An .xlsx whose sheet XML is written by hand: `sheet_data` is what goes in <sheetData>,
    `shared` each shared string's text, or the raw contents of its <si> when it starts with "<"."""
    if sheet is None:
        sheet = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><dimension ref="A1:C9"/><sheetData>{sheet_data}</sheetData>{tail}</worksheet>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_pr}'
            '<sheets><sheet name="Sổ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{REL_NS}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if sst is not None:
            archive.writestr("xl/sharedStrings.xml", sst)
        elif shared is not None:
            items = "".join(
                f"<si>{item if item.startswith('<') else f'<t>{item}</t>'}</si>" for item in shared
            )
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN_NS}">{items}</sst>')
        if styles is not None:
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{MAIN_NS}">{styles}</styleSheet>')
    return path


# Style 0 general, 1 a built-in date (14), 2 a custom date, 3 a built-in number (0.00), 4 a custom
# text-like format that mentions no day, month or year.
STYLES = (
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>'
    '<numFmt numFmtId="165" formatCode="&quot;Số &quot;0"/></numFmts>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="2"/><xf numFmtId="165"/></cellXfs>'
)


def read(path: Path) -> list[list[str]]:
    return rows_of(path)[0]


def test_attribute_order_and_presence_vary_between_writers(tmp_path):
    cells = (
        '<c r="A1" s="0" t="s"><v>0</v></c>'  # Excel, LibreOffice, Google Sheets
        '<c t="s" r="B1"><v>1</v></c>'  # type first
        '<c s="3" r="C1" t="s"><v>2</v></c>'  # style first
        '<c r="D1" t="s" s="3"><v>0</v></c>'  # type before style
        '<c r="E1" t="s" cm="1"><v>1</v></c>'  # another attribute after the type
        '<c r="F1" s="1" t="n"><v>29295</v></c>'  # LibreOffice's explicit number type
        "<c r='G1' t='s'><v>2</v></c>"  # single quotes
        '<c  r="H1"\n t="s" ><v>0</v></c>'  # odd whitespace
        '<c r="i1" t="s"><v>1</v></c>'  # a lower-case reference
    )
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', shared=["a", "b", "c"], styles=STYLES)
    assert read(path) == [["a", "b", "c", "a", "b", "1980-03-15", "c", "a", "b"]]


def test_cells_without_r_follow_the_previous_cell(tmp_path):
    rows = (
        '<row r="1"><c t="s"><v>0</v></c><c><v>5</v></c><c t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="2"><c r="B2" t="s"><v>1</v></c><c t="s"><v>0</v></c><c r="E2"><v>7</v></c><c/></row>'
        "<row><c><v>1</v></c></row>"  # neither the row nor the cell says where it is: row 3
    )
    path = handmade(tmp_path / "a.xlsx", rows, shared=["a", "b"])
    assert read(path) == [["a", "5", "x"], ["", "b", "a", "", "7", ""], ["1"]]


def test_namespace_prefix_on_the_main_namespace(tmp_path):
    sheet = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<x:dimension ref="A1:B3"/><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:v>2.50</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>trong dòng</x:t></x:is></x:c></x:row>'
        '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>'
    )
    sst = f'<x:sst xmlns:x="{MAIN_NS}"><x:si><x:t>Họ và tên</x:t></x:si></x:sst>'
    rows, reader = rows_of(handmade(tmp_path / "a.xlsx", "", sheet=sheet, sst=sst))
    assert rows == [["Họ và tên", "2.5"], [], ["", "trong dòng"]]
    assert reader.merged == [(1, 0, 1, 1)]
    assert reader.dimension_rows == 3


def test_empty_cells_of_every_shape(tmp_path):
    cells = (
        '<c r="A1"/><c r="B1" s="1"/><c r="C1"></c><c r="D1" t="s"/><c r="E1"><v></v></c>'
        '<c r="F1" t="s"><v></v></c><c r="G1" t="inlineStr"><is><t></t></is></c>'
        '<c r="H1" t="inlineStr"><is/></c><c r="I1" t="str"><v/></c><c r="J1" t="s"><v>0</v></c>'
    )
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', shared=["x"], styles=STYLES)
    assert read(path) == [[""] * 9 + ["x"]]


def test_inline_strings_plain_spaced_styled_rich_and_escaped(tmp_path):
    cells = (
        '<c r="A1" t="inlineStr"><is><t>Lê Văn Dũng</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t xml:space="preserve"> có dấu cách </t></is></c>'
        '<c r="C1" s="3" t="inlineStr"><is><t>có kiểu</t></is></c>'
        '<c r="D1" t="inlineStr"><is><r><t>Nguyễn </t></r><r><rPr><b/><color rgb="FFFF0000"/></rPr>'
        "<t>Văn</t></r></is></c>"
        '<c r="E1" t="inlineStr"><is><t>A &amp; B &lt;C&gt; &#7889;&#x1EC7; dòng_x000D_\nhai _x005F_x000D_</t></is></c>'
        '<c r="F1" t="inlineStr"><is><t>漢</t><rPh sb="0" eb="1"><t>かん</t></rPh></is></c>'
    )
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', styles=STYLES)
    assert read(path) == [
        [
            "Lê Văn Dũng",
            " có dấu cách ",
            "có kiểu",
            "Nguyễn Văn",
            "A & B <C> ốệ dòng\r\nhai _x000D_",
            "漢",
        ]
    ]


def test_shared_strings_rich_phonetic_escaped_cdata_and_empty(tmp_path):
    shared = [
        "<t>thường</t>",
        '<r><t xml:space="preserve">Trần </t></r><r><rPr><i/></rPr><t>Thị</t></r>',
        "<t>漢字</t><rPh sb='0' eb='2'><t>かんじ</t></rPh><phoneticPr fontId='1'/>",
        "<t>A &amp; B_x000D_\n&quot;C&quot;</t>",
        "<t/>",
        "<t><![CDATA[<b>&amp;</b>]]></t>",
        "<t>dòng\r\nmới</t>",
    ]
    cells = "".join(f'<c r="{"ABCDEFG"[i]}1" t="s"><v>{i}</v></c>' for i in range(len(shared)))
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', shared=shared)
    assert read(path) == [["thường", "Trần Thị", "漢字", 'A & B\r\n"C"', "", "<b>&amp;</b>", "dòng\nmới"]]


def test_shared_strings_empty_si(tmp_path):
    sst = f'<sst xmlns="{MAIN_NS}"><si><t>a</t></si><si/><si><t>c</t></si></sst>'
    cells = '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', sst=sst)
    assert read(path) == [["a", "", "c"]]


def test_booleans_errors_numbers_and_formula_strings(tmp_path):
    cells = (
        '<c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
        '<c r="C1" t="e"><v>#N/A</v></c><c r="D1" t="e"><v>#DIV/0!</v></c>'
        '<c r="E1"><v>68000111</v></c><c r="F1"><v>2.0</v></c><c r="G1"><v>-1.5</v></c>'
        '<c r="H1"><v>1E+3</v></c><c r="I1"><v>1.2345E-5</v></c><c r="J1" s="3"><v>7</v></c>'
        '<c r="K1" t="str"><v>văn &amp; bản</v></c><c r="L1" t="n"><v>3.0</v></c><c r="M1" s="4"><v>12</v></c>'
    )
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', styles=STYLES)
    assert read(path) == [
        [
            "1",
            "0",
            "#N/A",
            "#DIV/0!",
            "68000111",
            "2",
            "-1.5",
            "1000",
            "1.2345E-05",
            "7",
            "văn & bản",
            "3",
            "12",
        ]
    ]


def test_formulas_come_out_as_formulas_whatever_their_cached_value(tmp_path):
    cells = (
        '<c r="A1"><f>SUM(B1:C1)</f><v>3</v></c>'
        '<c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
        '<c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="D1" s="1"><f>DATE(1980,3,15)</f><v>29295</v></c>'
        '<c r="E1" t="b"><f>TRUE()</f><v>1</v></c>'
        '<c r="F1" t="s"><v>0</v></c>'  # a plain cell after them, in the same row
    )
    # The cells of a shared formula other than its first carry no formula text (<f si="0"/>): they
    # get the first cell's, so that the import refuses them all alike, not only the first.
    second = '<c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>4</v></c><c r="C2" t="s"><v>0</v></c>'
    third = '<c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v>6</v></c><c r="C3"><f si="9"/></c>'
    rows = f'<row r="1">{cells}</row><row r="2">{second}</row><row r="3">{third}</row>'
    path = handmade(tmp_path / "a.xlsx", rows, shared=["x"], styles=STYLES)
    assert read(path) == [
        ["=SUM(B1:C1)", '="a"&"b"', "=1/0", "=DATE(1980,3,15)", "=TRUE()", "x"],
        ["", "=A2*2", "x"],
        ["3", "=A2*2", "="],
    ]


def test_dates_by_style_and_by_type(tmp_path):
    cells = (
        '<c r="A1" s="1"><v>29295</v></c>'  # built-in date format
        '<c r="B1" s="2"><v>29295.75</v></c>'  # custom date format, with a time of day
        '<c r="C1" s="3"><v>29295</v></c>'  # a number format: stays a number
        '<c r="D1" t="d"><v>1980-03-15T00:00:00</v></c>'  # ISO date cell
        '<c r="E1" s="1"><v>0</v></c>'  # no day 0: stays a number
        '<c r="F1" s="2" t="n"><v>45000</v></c>'
        '<c r="G1" s="1"><v>không phải số</v></c>'  # not a number: as written
    )
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', styles=STYLES)
    assert read(path) == [
        ["1980-03-15", "1980-03-15", "29295", "1980-03-15", "0", "2023-03-15", "không phải số"]
    ]


def test_dates_in_the_1904_date_system(tmp_path):
    path = handmade(
        tmp_path / "a.xlsx",
        '<row r="1"><c r="A1" s="1"><v>27833</v></c></row>',
        styles=STYLES,
        workbook_pr='<workbookPr date1904="1"/>',
    )
    assert read(path) == [["1980-03-15"]]


def test_sparse_columns_and_cells_out_of_order_are_placed_by_reference(tmp_path):
    rows = (
        '<row r="1"><c r="B1" t="s"><v>0</v></c><c r="E1"><v>5</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>i</t></is></c>'
        '<c r="D2" s="1"><v>29295</v></c><c r="AA2" t="s"><v>0</v></c></row>'
        '<row r="3"><c r="C3"><v>3</v></c><c r="A3"><v>1</v></c></row>'  # out of order
        '<row r="4"><c r="B4"><f>1+1</f><v>2</v></c><c r="D4"><v>4</v></c></row>'  # general path
        '<row r="5"><c r="A5"><v>1</v></c><c r="A5"><v>2</v></c></row>'  # one column twice: the last
        '<row r="6"><c r="A6"><v>1</v></c><c r="A6"><f>2</f><v>2</v></c></row>'  # the same, general path
    )
    path = handmade(tmp_path / "a.xlsx", rows, shared=["b", "a"], styles=STYLES)
    assert read(path) == [
        ["", "b", "", "", "5"],
        ["a", "", "i", "1980-03-15", *[""] * 22, "b"],
        ["1", "", "3"],
        ["", "=1+1", "", "4"],
        ["2"],
        ["=2"],
    ]


def test_missing_and_empty_rows_keep_excel_row_numbers(tmp_path):
    rows = (
        '<row r="2" spans="1:2"><c r="A2"><v>2</v></c></row>'
        '<row r="3" ht="30" customHeight="1"/>'  # an empty row the writer kept (height)
        '<row spans="1:2" r="5" x14ac:dyDescent="0.25"><c r="A5"><v>5</v></c></row>'  # r not first
        "<row><c><v>6</v></c></row>"  # no r: the next row
        '<row r="8"></row>'
        '<row r="9" customFormat="1" s="3"><c r="B9" s="3"/></row>'
    )
    rows_read, reader = rows_of(handmade(tmp_path / "a.xlsx", rows))
    assert rows_read == [[], ["2"], [], [], ["5"], ["6"], [], [], ["", ""]]
    assert reader.dimension_rows == 9


def test_pretty_printed_xml_and_carriage_returns(tmp_path):
    rows = (
        '\n  <row r="1">\n    <c r="A1" t="s">\n      <v>0</v>\n    </c>\n'
        '    <c r="B1" t="inlineStr">\r\n      <is><t>một\r\nhai</t></is>\r\n    </c>\n  </row>\n'
        '  <row r="2"><c r="A2"><v>1</v></c></row>\n'
    )
    path = handmade(tmp_path / "a.xlsx", rows, shared=["x"])
    assert read(path) == [["x", "một\nhai"], ["1"]]


def test_a_very_long_row(tmp_path):
    width = 3000
    cells = "".join(
        f'<c r="{_name(i)}7" t="s"><v>{i % 3}</v></c>' if i % 2 else f'<c r="{_name(i)}7"><v>{i}</v></c>'
        for i in range(width)
    )
    cells += '<c r="XFD7" t="inlineStr"><is><t>cuối</t></is></c>'
    path = handmade(tmp_path / "a.xlsx", f'<row r="7">{cells}</row>', shared=["a", "b", "c"])
    rows = read(path)
    assert len(rows) == 7 and rows[:6] == [[]] * 6
    row = rows[6]
    assert len(row) == 16384
    assert row[:4] == ["0", "b", "2", "a"] and row[2999] == "c" and row[3000:16383] == [""] * 13383
    assert row[16383] == "cuối"


def _name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _mixed_workbook(path: Path, rows: int, *, constant_memory: bool) -> list[list[object]]:
    """A sheet of every common cell type, written by xlsxwriter; returns what was written."""
    import random

    rng = random.Random(7)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet()
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True})
    written: list[list[object]] = []
    for r in range(rows):
        line: list[object] = []
        for c in range(rng.randint(0, 14)):
            kind = rng.random()
            if kind < 0.15:
                line.append(None)
                continue
            if kind < 0.5:
                value: object = rng.choice(
                    ["Nguyễn Văn An", "Kinh", "A & B <c>", " cách ", "x" * 300, "0123"]
                )
                value = f"{value} {rng.randint(0, 50)}" if rng.random() < 0.5 else value
                sheet.write_string(r, c, str(value), bold if rng.random() < 0.2 else None)
            elif kind < 0.7:
                value = rng.choice([rng.randint(-1000, 10**9), round(rng.uniform(0, 100), 3)])
                sheet.write_number(r, c, value)
            elif kind < 0.8:
                value = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randint(0, 30000))
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
            elif kind < 0.9:
                value = rng.random() < 0.5
                sheet.write_boolean(r, c, value)
            else:
                value = None
                sheet.write_blank(r, c, None, bold)
            line.append(value)
        written.append(line)
    book.close()
    return written


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared strings", "inline strings"])
@pytest.mark.parametrize("block", [64, 1000, 1 << 20])
def test_rows_cut_across_blocks_read_the_same(tmp_path, monkeypatch, constant_memory, block):
    """A row (or a shared string) split across the reader's blocks reads as a whole: small blocks
    cut through every row and string; the values are those written."""
    from dangbo.members import xlsx

    path = tmp_path / "m.xlsx"
    written = _mixed_workbook(path, 400, constant_memory=constant_memory)
    monkeypatch.setattr(xlsx, "BLOCK", block)
    rows = read(path)
    assert len(rows) == 400
    for got, line in zip(rows, written, strict=True):
        expected = [_as_text(v) for v in line]
        while expected and expected[-1] == "" and len(expected) > len(got):
            expected.pop()
        assert got == expected


def test_agrees_with_openpyxl_on_a_mixed_sheet(tmp_path):
    path = tmp_path / "m.xlsx"
    _mixed_workbook(path, 300, constant_memory=False)
    ours = read(path)
    theirs = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    for got, row in zip(ours, theirs.iter_rows(values_only=True), strict=False):
        expected = [_as_text(v) for v in row]
        while expected and expected[-1] == "":
            expected.pop()
        while got and got[-1] == "":
            got = got[:-1]
        assert got == expected


def test_an_empty_sheet_without_shared_strings_or_styles(tmp_path):
    rows, reader = rows_of(handmade(tmp_path / "a.xlsx", ""))
    assert rows == [] and reader.merged == [] and reader.dimension_rows == 9


# --- Real files' shapes the corpus found (tests/members/test_xlsx_corpus.py) and hostile files --


def refusal(path: Path) -> str:
    with pytest.raises(NotASpreadsheet) as refused:
        read(path)
    return str(refused.value)


def test_numbers_as_general_shows_them(tmp_path):
    values = ["6.6888842192061607E-2", "318701.104052858e-6", "9.999E+307", "0.10000000000000001", "1.50"]
    values += ["1E+20", "123456789012345678", "-0", "012", "1.5E-5"]
    cells = "".join(f'<c r="{chr(65 + i)}1"><v>{v}</v></c>' for i, v in enumerate(values))
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>')
    assert read(path) == [
        [
            "0.0668888421920616",
            "0.318701104052858",
            "9.999E+307",
            "0.1",
            "1.5",
            "1E+20",
            "1.23456789012346E+17",
            "0",
            "012",  # digits only: kept as written (a CCCD stored as a number keeps its length)
            "1.5E-05",
        ]
    ]


def test_times_and_durations_are_not_dates_and_dates_before_march_1900(tmp_path):
    styles = (
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="[h]:mm:ss"/>'
        '<numFmt numFmtId="165" formatCode="mm:ss.0"/></numFmts>'
        '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="20"/><xf numFmtId="46"/>'
        '<xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>'
    )
    cells = (
        '<c r="A1" s="2"><v>0.5</v></c><c r="B1" s="3"><v>1.105</v></c><c r="C1" s="4"><v>1.5</v></c>'
        '<c r="D1" s="5"><v>0.0006944444444</v></c><c r="E1" s="1"><v>1</v></c><c r="F1" s="1"><v>59</v></c>'
        '<c r="G1" s="1"><v>61</v></c><c r="H1" s="2"><v>1.75</v></c>'
        '<c r="I1" t="d"><v>10:59:59.999</v></c><c r="J1" t="d"><v>PT24H0M0.000S</v></c>'
    )
    path = handmade(tmp_path / "a.xlsx", f'<row r="1">{cells}</row>', styles=styles)
    assert read(path) == [
        [
            "12:00:00",
            "26:31:12",
            "36:00:00",
            "00:01:00",
            "1900-01-01",
            "1900-02-28",
            "1900-03-01",
            "18:00:00",
            "11:00:00",
            "PT24H0M0.000S",
        ]
    ]


def test_differential_formats_do_not_change_a_cell_format(tmp_path):
    # <dxf> formats (conditional formatting) may reuse an id: they are not the cell's format.
    styles = (
        '<cellXfs count="1"><xf numFmtId="14"/></cellXfs>'
        '<dxfs count="1"><dxf><numFmt numFmtId="14" formatCode="0.00%"/></dxf></dxfs>'
    )
    path = handmade(tmp_path / "a.xlsx", '<row r="1"><c r="A1" s="0"><v>42062</v></c></row>', styles=styles)
    assert read(path) == [["2015-02-27"]]


def test_strict_open_xml_backslashes_and_part_names_in_another_case(tmp_path):
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    strict_rel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    path = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{strict_rel}/officeDocument" '
            'Target="XL/Workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl\\workbook.xml",
            f'<workbook xmlns="{strict}" xmlns:r="{strict_rel}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl\\_rels\\workbook.xml.rels",
            f'<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{strict_rel}/worksheet" '
            'Target="Worksheets/Sheet1.xml"/><Relationship Id="rId2" Type="{strict_rel}/sharedStrings" '
            'Target="sharedstrings.xml"/></Relationships>'.replace("{strict_rel}", strict_rel),
        )
        archive.writestr(
            "xl\\worksheets\\sheet1.xml",
            f'<worksheet xmlns="{strict}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        archive.writestr("xl\\sharedStrings.xml", f'<sst xmlns="{strict}"><si><t>Đảng bộ</t></si></sst>')
    assert read(path) == [["Đảng bộ"]]


@pytest.mark.parametrize(
    ("cells", "shared", "message"),
    [
        ('<c r="C7" t="s"><v>5</v></c>', ["a"], "Ô C7: chuỗi dùng chung số 5 không có trong tệp (1 chuỗi)."),
        ('<c r="C7" t="s"><v>x</v></c>', ["a"], "Ô C7: chỉ số chuỗi dùng chung không phải là số."),
        (
            '<c r="C7" t="inlineStr"><is><t>Nguy&#x110000;n</t></is></c>',
            None,
            "Ô C7: tham chiếu ký tự không hợp lệ",
        ),
        (
            '<c r="C7" t="inlineStr"><is><t>a &#xD800;</t></is></c>',
            None,
            "Ô C7: tham chiếu ký tự không hợp lệ",
        ),
        ('<c r="C7" t="inlineStr"><is><t>a &#0;</t></is></c>', None, "Ô C7: tham chiếu ký tự không hợp lệ"),
        ('<c r="C7" t="inlineStr"><is><t>Lê&nbsp;Văn</t></is></c>', None, "Ô C7: ký tự & không mở đầu"),
        ('<c r="C7" t="inlineStr"><is><t>_xD83D_</t></is></c>', None, "Ô C7: mã thoát _xD83D_ là nửa cặp"),
        ('<c r="XFE7"><v>1</v></c>', None, "Ô XFE7: quá cột cuối cùng Excel cho phép (XFD)."),
        ('<c r="ZZZZZZZ7"><v>1</v></c>', None, "Ô ZZZZZZZ7: quá cột cuối cùng Excel cho phép (XFD)."),
    ],
)
def test_a_bad_cell_is_refused_naming_it(tmp_path, cells, shared, message):
    path = handmade(tmp_path / "a.xlsx", f'<row r="7">{cells}</row>', shared=shared)
    assert refusal(path).startswith(message)


def test_a_surrogate_pair_written_as_two_escapes_is_one_character(tmp_path):
    path = handmade(
        tmp_path / "a.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>_xD83D__xDE00_</t></is></c></row>'
    )
    assert read(path) == [["😀"]]


def test_invalid_utf8_is_refused_naming_the_cell(tmp_path):
    sheet = (
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>Nguy\udcffn</t>'
        "</is></c></row></sheetData></worksheet>"
    ).encode("utf-8", "surrogateescape")
    path = handmade(tmp_path / "a.xlsx", "")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)  # the last entry of a name wins
    assert refusal(path).startswith("Ô B3: chứa byte không phải UTF-8")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', "Dòng 1.048.577: quá dòng cuối cùng"),
        ('<row r="4000000000"/>', "Dòng 4.000.000.000: quá dòng cuối cùng"),
        ('<row r="5"/><row r="3"/>', "Dòng 3 được ghi sau dòng 5"),
        ('<row r="0"><c r="A0"><v>1</v></c></row>', "Dòng 0: số dòng không hợp lệ"),
    ],
)
def test_rows_beyond_excel_or_out_of_order_are_refused(tmp_path, rows, message):
    assert refusal(handmade(tmp_path / "a.xlsx", rows)).startswith(message)


def test_a_dtd_is_refused_before_anything_expands(tmp_path):
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    sst = f'<?xml version="1.0"?>{laughs}<sst xmlns="{MAIN_NS}"><si><t>&b;</t></si></sst>'
    path = handmade(tmp_path / "a.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst=sst)
    assert refusal(path) == "Phần xl/sharedStrings.xml của tệp có khai báo DTD, điều tệp .xlsx không được có."


def test_a_part_inflating_far_beyond_its_size_is_refused_before_it_is_read(tmp_path):
    # 64 MiB of one shared string without its end (M6 of the security test: 35 s of CPU before).
    path = handmade(tmp_path / "a.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w") as part,
    ):
        part.write(f'<sst xmlns="{MAIN_NS}"><si><t>'.encode())
        for _ in range(64):
            part.write(b"A" * (1 << 20))
    started = time.perf_counter()
    assert "nén quá 200 lần" in refusal(path)
    assert time.perf_counter() - started < 1


def test_an_element_longer_than_the_cap_is_refused_without_quadratic_work(tmp_path):
    # Text that does not compress (so no ratio check stops it): 24 MiB in one <si>.
    path = handmade(tmp_path / "a.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/sharedStrings.xml", "w") as part,
    ):
        part.write(f'<sst xmlns="{MAIN_NS}"><si><t>'.encode())
        for _ in range(24):
            part.write(base64.b64encode(os.urandom(3 << 18)))  # 1 MiB of letters and digits
        part.write(b"</t></si></sst>")
    started = time.perf_counter()
    assert refusal(path) == ("Một chuỗi dùng chung trong tệp dài quá 16 MB (phần xl/sharedStrings.xml).")
    assert time.perf_counter() - started < 5


def test_a_part_larger_than_it_declares_is_refused(tmp_path):
    # The central directory says 100 bytes; the data inflates to far more: reading stops there.
    path = handmade(tmp_path / "a.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>' * 2000)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    central = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    local = info.header_offset
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert refusal(path) == "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
