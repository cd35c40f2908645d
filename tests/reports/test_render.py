"""The Party-format renderer: Word opened back with python-docx, PDF read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata
from decimal import Decimal
from typing import Any

import docx
import pypdf
import pytest
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from fontTools.ttLib import TTFont

from dangbo.reports import render
from dangbo.reports.render import (
    Bullet,
    Heading,
    Paragraph,
    PartyLayout,
    PdfUnavailable,
    Run,
    Signature,
    Table,
    blocks_from_text,
    to_docx,
    to_pdf,
)

SUMMARY = "về tăng cường hoạt động đổi mới, sáng tạo tại Tổng công ty Bưu điện Việt Nam"
BODY = "Các cấp ủy quán triệt sâu sắc Nghị quyết đến từng chi bộ, đảng viên; ưu tiên nguồn lực cho đổi mới."
TABLE = Table(
    header=["TT", "Chỉ tiêu", "Năm 2022", "Tỷ lệ (%)"],
    rows=[[1, "Sáng kiến được công nhận", 1245, Decimal("112.5")], [2, "Đề tài khoa học", 37, 98.25]],
    foot=[["", "Cộng", 1282, None]],
    widths=[1, 5, 2, 2],
    caption="Bảng 1. Kết quả đổi mới, sáng tạo",
    note="Đơn vị tính: sáng kiến",
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def layout(**changes: Any) -> PartyLayout:
    values: dict[str, Any] = {
        "superior": "Đảng bộ Khối Doanh nghiệp Trung ương",
        "issuer": "Đảng ủy Tổng công ty Bưu điện Việt Nam",
        "symbol": "69-NQ/ĐU",
        "place": "Hà Nội",
        "issued_on": dt.date(2021, 3, 5),
        "type_name": "Nghị quyết",
        "summary": SUMMARY,
        "blocks": [Heading("I. KẾT QUẢ"), Paragraph(BODY), Bullet("Tổ chức 12 hội nghị;"), TABLE],
        "signature": Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn Quyết"),
        "recipients": ["Đảng ủy Khối (để báo cáo),", "Lưu Văn phòng Đảng ủy."],
    }
    values.update(changes)
    return PartyLayout(**values)


def open_docx(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def all_paragraphs(document: Any) -> list[Any]:
    """Every paragraph of the body, including those inside tables, in order."""
    found = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(cell.paragraphs)
    return found


def paragraph(document: Any, text: str) -> Any:
    matches = [p for p in all_paragraphs(document) if p.text == text]
    assert matches, f"no paragraph {text!r} in {[p.text for p in all_paragraphs(document)]}"
    return matches[0]


def style_of(p: Any) -> tuple[bool, bool, bool, float]:
    """(bold, italic, underline, size in pt) of a paragraph whose runs all share them."""
    runs = [r for r in p.runs if r.text]
    styles = {(bool(r.bold), bool(r.italic), bool(r.underline), r.font.size.pt) for r in runs}
    assert len(styles) == 1, styles
    return styles.pop()


# --- Word ----------------------------------------------------------------------------------------


def test_word_page_is_a4_portrait_with_party_margins() -> None:
    section = open_docx(to_docx(layout())).sections[0]

    def mm(*lengths: Any) -> tuple[float, ...]:
        return tuple(round(length.mm, 1) for length in lengths)  # Word keeps twentieths of a point

    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert mm(section.left_margin, section.right_margin) == (30, 15)


def test_word_names_times_new_roman_for_every_script() -> None:
    normal = open_docx(to_docx(layout())).styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}


def test_word_header_party_title_issuer_number_and_date_line() -> None:
    document = open_docx(to_docx(layout()))
    header = document.tables[0]
    assert style_of(paragraph(document, "ĐẢNG CỘNG SẢN VIỆT NAM")) == (True, False, True, 15)
    assert style_of(paragraph(document, "ĐẢNG ỦY TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM")) == (True, False, False, 14)
    assert style_of(paragraph(document, "ĐẢNG BỘ KHỐI DOANH NGHIỆP TRUNG ƯƠNG")) == (False, False, False, 14)
    assert style_of(paragraph(document, "Số 69-NQ/ĐU")) == (False, False, False, 14)
    date_line = paragraph(document, "Hà Nội, ngày 05 tháng 03 năm 2021")  # two-digit day and month
    assert style_of(date_line) == (False, True, False, 14)
    # Side by side: issuer and number on the left, the Party's title and the date on the right.
    assert "ĐẢNG ỦY TỔNG CÔNG TY" in header.cell(0, 0).text and "*" in header.cell(0, 0).text
    assert header.cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header.cell(1, 0).text == "Số 69-NQ/ĐU"
    assert header.cell(1, 1).text == "Hà Nội, ngày 05 tháng 03 năm 2021"
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_word_type_name_summary_and_body() -> None:
    document = open_docx(to_docx(layout()))
    type_name = paragraph(document, "NGHỊ QUYẾT")
    assert style_of(type_name) == (True, False, False, 16)
    assert type_name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    summary = paragraph(document, SUMMARY)
    assert style_of(summary)[0] is True and summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = paragraph(document, BODY)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent.mm, 1) == 12.7
    assert style_of(paragraph(document, "I. KẾT QUẢ"))[0] is True
    assert paragraph(document, "- Tổ chức 12 hội nghị;")


def test_word_signature_and_recipients_side_by_side() -> None:
    document = open_docx(to_docx(layout()))
    foot = document.tables[-1]
    signature = [p.text for p in foot.cell(0, 1).paragraphs if p.text]
    assert signature == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn Quyết"]
    assert all(style_of(p)[0] for p in foot.cell(0, 1).paragraphs if p.text)
    recipients = [p.text for p in foot.cell(0, 0).paragraphs]
    assert recipients == ["Nơi nhận:", "- Đảng ủy Khối (để báo cáo),", "- Lưu Văn phòng Đảng ủy."]
    assert style_of(foot.cell(0, 0).paragraphs[0]) == (False, False, True, 14)
    assert style_of(foot.cell(0, 0).paragraphs[1])[3] == 12


def test_word_table_block_is_a_real_table_with_the_cells_given() -> None:
    document = open_docx(to_docx(layout(blocks=[TABLE])))
    table = document.tables[1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["TT", "Chỉ tiêu", "Năm 2022", "Tỷ lệ (%)"],
        ["1", "Sáng kiến được công nhận", "1.245", "112,5"],
        ["2", "Đề tài khoa học", "37", "98,25"],
        ["", "Cộng", "1.282", ""],
    ]
    assert table.style.name == "Table Grid"  # borders
    assert all(style_of(c.paragraphs[0])[0] for c in table.rows[0].cells)  # bold header
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert table.cell(1, 2).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # numbers
    assert table.cell(1, 1).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT  # text
    assert style_of(table.cell(3, 2).paragraphs[0])[0] is True  # the total row is bold
    widths = [round(column.width.mm, 1) for column in table.columns]
    assert widths == [16.5, 82.5, 33, 33]  # 1 : 5 : 2 : 2 of the 165 mm between the margins
    assert paragraph(document, "Bảng 1. Kết quả đổi mới, sáng tạo")
    assert style_of(paragraph(document, "Đơn vị tính: sáng kiến"))[1] is True


def test_word_text_is_nfc_exactly_as_given_even_from_nfd() -> None:
    given = layout(
        issuer=nfd("Đảng ủy Tổng công ty"),
        summary=nfd(SUMMARY),
        place=nfd("Thừa Thiên Huế"),
        blocks=[Paragraph(nfd(BODY)), Paragraph([Run(nfd("Đổi mới"), bold=True), nfd(" sáng tạo")])],
        signature=Signature(nfd("T/M Ban Thường vụ"), nfd("Phó Bí thư"), nfd("Trần Thị Hồng Nhung")),
        recipients=[nfd("Lưu Văn phòng Đảng ủy.")],
    )
    document = open_docx(to_docx(given))
    texts = [p.text for p in all_paragraphs(document)]
    for expected in (
        "ĐẢNG ỦY TỔNG CÔNG TY",
        SUMMARY,
        "Thừa Thiên Huế, ngày 05 tháng 03 năm 2021",
        BODY,
        "Đổi mới sáng tạo",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Trần Thị Hồng Nhung",
        "- Lưu Văn phòng Đảng ủy.",
    ):
        assert unicodedata.is_normalized("NFC", expected)
        assert expected in texts
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_word_pages_are_numbered_from_the_second() -> None:
    section = open_docx(to_docx(layout())).sections[0]
    assert section.different_first_page_header_footer
    instructions = [e.text for e in section.header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert not section.first_page_header.paragraphs[0].text


def test_word_prints_the_secrecy_mark_under_the_number_and_the_draft_mark() -> None:
    document = open_docx(to_docx(layout(secrecy="Mật", draft=True, issued_on=None)))
    number_cell = document.tables[0].cell(1, 0)
    assert [p.text for p in number_cell.paragraphs] == ["Số 69-NQ/ĐU", "MẬT"]
    assert style_of(number_cell.paragraphs[1])[0] is True
    assert document.paragraphs[0].text == "DỰ THẢO"
    blank = "\u00a0" * 5
    year = timezone.localdate().year
    assert document.tables[0].cell(1, 1).text == f"Hà Nội, ngày {blank} tháng {blank} năm {year}"


def test_a_letter_without_type_name_carries_its_summary_under_the_number() -> None:
    document = open_docx(to_docx(layout(type_name="", symbol="12-CV/ĐU", summary="V/v báo cáo sơ kết")))
    assert [p.text for p in document.tables[0].cell(1, 0).paragraphs] == ["Số 12-CV/ĐU", "V/v báo cáo sơ kết"]
    assert style_of(document.tables[0].cell(1, 0).paragraphs[1]) == (False, True, False, 12)


# --- Blocks --------------------------------------------------------------------------------------


def test_blocks_from_text_reads_headings_numbered_paragraphs_and_bullets() -> None:
    text = (
        "Thực hiện Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư.\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Công tác tuyên truyền\n"
        "1.1. Nội dung\n"
        "2. Rà soát, đánh giá lại các thỏa thuận hợp tác đã ký với các tập đoàn, tổng công ty, "
        "ngân hàng trong Khối; phấn đấu nâng tỷ trọng doanh thu.\n"
        "- Tăng cường   tuyên truyền;\n"
        "+ xây dựng chuyên trang.\n"
        "-\n"
    )
    assert blocks_from_text(nfd(text)) == [
        Paragraph("Thực hiện Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư."),
        Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
        Heading("1. Công tác tuyên truyền", 2),
        Heading("1.1. Nội dung", 3),
        Paragraph(
            [
                Run("2.", bold=True),
                " Rà soát, đánh giá lại các thỏa thuận hợp tác đã ký với các tập đoàn, tổng công ty, "
                "ngân hàng trong Khối; phấn đấu nâng tỷ trọng doanh thu.",
            ]
        ),
        Bullet("Tăng cường tuyên truyền;", "-"),
        Bullet("xây dựng chuyên trang.", "+"),
        Paragraph("-"),
    ]


def test_a_table_refuses_rows_that_do_not_fit_its_header() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        Table(header=["a", "b", "c"], rows=[[1, 2]])
    with pytest.raises(ValueError, match="widths"):
        Table(header=["a", "b"], rows=[], widths=[1])
    with pytest.raises(ValueError, match="positive"):
        Table(header=["a", "b"], rows=[], widths=[1, 0])


# --- PDF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(pdf_support: None) -> pypdf.PdfReader:
    given = layout(
        issuer=nfd("Đảng ủy Tổng công ty Bưu điện Việt Nam"),
        blocks=[Heading("I. KẾT QUẢ"), Paragraph(nfd(BODY)), Bullet("Tổ chức 12 hội nghị;"), TABLE],
    )
    data = to_pdf(given)
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_text_has_the_vietnamese_strings_exactly(pdf: pypdf.PdfReader) -> None:
    text = pdf_text(pdf)
    assert unicodedata.is_normalized("NFC", text)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG ỦY TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM",
        "Số 69-NQ/ĐU",
        "Hà Nội, ngày 05 tháng 03 năm 2021",
        "NGHỊ QUYẾT",
        BODY,
        "Sáng kiến được công nhận 1.245 112,5",
        "T/M BAN THƯỜNG VỤ",
        "Nguyễn Văn Quyết",
        "Nơi nhận:",
        "- Lưu Văn phòng Đảng ủy.",
    ):
        assert expected in text


def test_pdf_is_a4_and_embeds_only_the_shipped_liberation_serif(pdf: pypdf.PdfReader) -> None:
    page = pdf.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    families = set()
    for each in pdf.pages:
        for ref in each["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert str(font["/BaseFont"]).split("+", 1)[1].startswith("Dangbo-Party-Serif")
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            families.add((program["name"].getDebugName(1), program["name"].getDebugName(2)))
    assert families >= {("Liberation Serif", "Regular"), ("Liberation Serif", "Bold")}
    assert {family for family, _style in families} == {"Liberation Serif"}


def test_the_shipped_fonts_and_their_licence_are_in_the_package() -> None:
    for name in render.FONT_FILES.values():
        assert (render.FONT_DIR / name).stat().st_size > 100_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (render.FONT_DIR / "LICENSE").read_text()


def test_without_weasyprint_pdf_is_refused_and_word_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a machine without it sees
    assert not render.pdf_available()
    with pytest.raises(PdfUnavailable):
        to_pdf(layout())
    assert open_docx(to_docx(layout())).tables


def test_word_keeps_headings_and_table_titles_with_what_follows() -> None:
    document = open_docx(to_docx(layout()))
    for text in ("I. KẾT QUẢ", "Bảng 1. Kết quả đổi mới, sáng tạo", "Đơn vị tính: sáng kiến"):
        assert paragraph(document, text).paragraph_format.keep_with_next is True


# --- Several signatures, electronic signatures, closing blocks -----------------------------------

SECRETARY = Signature("Thư ký", name="Nguyễn Thị Lan")
CHAIR = Signature("Chủ trì", name="Trần Văn Bình", signed="Đã ký điện tử lúc 14:05 ngày 20/10/2026")


def minutes_layout(**changes: Any) -> PartyLayout:
    values: dict[str, Any] = {
        "superior": "Đảng bộ Cơ quan",
        "issuer": "Chi bộ Văn phòng",
        "symbol": "",
        "numbered": False,
        "type_name": "Biên bản",
        "summary": "Sinh hoạt chi bộ thường kỳ tháng 10/2026",
        "blocks": [Paragraph(BODY)],
        "signatures": [SECRETARY, CHAIR],
        "recipients": [],
        "closing": [Paragraph("Mã kiểm tra nội dung: 0123456789abcdef", indent=False)],
    }
    values.update(changes)
    return layout(**values)


def body_order(document: Any) -> list[str]:
    """The body's paragraphs and tables in order: a paragraph's text, "<table n>" for the n-th table."""
    order, tables = [], 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            order.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            order.append(f"<table {tables}>")
            tables += 1
    return order


def test_word_prints_two_signatures_side_by_side_in_equal_columns() -> None:
    document = open_docx(to_docx(minutes_layout()))
    foot = document.tables[-1]
    assert len(foot.rows) == 1 and len(foot.columns) == 2
    assert [round(c.width.mm, 1) for c in foot.columns] == [82.5, 82.5]  # half of the 165 mm each
    left = [p.text for p in foot.cell(0, 0).paragraphs]
    right = [p.text for p in foot.cell(0, 1).paragraphs]
    # the secretary on the left, the chair on the right; the chair's electronic signature stands
    # where the room for a handwritten one is, and both names are on the same line
    assert left == ["THƯ KÝ", "", "", "", "", "Nguyễn Thị Lan"]
    assert right == ["CHỦ TRÌ", "", "Đã ký điện tử lúc 14:05 ngày 20/10/2026", "", "", "Trần Văn Bình"]
    assert style_of(foot.cell(0, 1).paragraphs[2]) == (False, True, False, 12)
    assert style_of(foot.cell(0, 0).paragraphs[-1])[0] is True
    borders = foot._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_word_three_signatures_align_their_names_and_posts() -> None:
    signers = [
        Signature("Thư ký", name="A"),
        Signature("T/M Chi bộ", "Bí thư", "B"),
        Signature("Chủ trì", name="C", signed="Đã ký điện tử"),
    ]
    foot = open_docx(to_docx(minutes_layout(signatures=signers))).tables[-1]
    columns = [[p.text for p in foot.cell(0, c).paragraphs] for c in range(3)]
    assert [len(c) for c in columns] == [7, 7, 7]  # the same lines: names side by side
    assert [c[-1] for c in columns] == ["A", "B", "C"]
    assert [c[1] for c in columns] == ["", "BÍ THƯ", ""]
    assert [round(c.width.mm, 1) for c in foot.columns] == [55, 55, 55]


def test_word_when_everyone_signed_electronically_less_room_is_left() -> None:
    signed = [
        Signature("Thư ký", name="Nguyễn Thị Lan", signed="Đã ký điện tử lúc 14:00 ngày 20/10/2026"),
        CHAIR,
    ]
    foot = open_docx(to_docx(minutes_layout(signatures=signed))).tables[-1]
    assert [p.text for p in foot.cell(0, 0).paragraphs] == [
        "THƯ KÝ",
        "",
        "Đã ký điện tử lúc 14:00 ngày 20/10/2026",
        "",
        "Nguyễn Thị Lan",
    ]


def test_word_single_signature_can_state_an_electronic_signature() -> None:
    signed = Signature("T/M Ban Thường vụ", "Bí thư", "Nguyễn Văn Quyết", signed="Đã ký điện tử")
    foot = open_docx(to_docx(layout(signature=signed))).tables[-1]
    assert [p.text for p in foot.cell(0, 1).paragraphs] == [
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "",
        "Đã ký điện tử",
        "",
        "Nguyễn Văn Quyết",
    ]
    assert foot.cell(0, 0).paragraphs[0].text == "Nơi nhận:"  # the recipients keep their place


def test_word_without_number_closing_blocks_after_the_signatures_recipients_under_them() -> None:
    document = open_docx(to_docx(minutes_layout(recipients=["Lưu chi bộ."])))
    assert [p.text for p in document.tables[0].cell(1, 0).paragraphs] == [""]  # no "Số"
    assert "Số" not in [p.text for p in all_paragraphs(document)]
    order = body_order(document)
    foot = order.index("<table 1>")
    assert order[foot + 1 :] == ["Nơi nhận:", "- Lưu chi bộ.", "Mã kiểm tra nội dung: 0123456789abcdef"]
    assert order.index(BODY) < foot


def test_html_prints_several_signatures_in_equal_columns_and_the_closing() -> None:
    html = render.to_html(minutes_layout())
    assert html.count('<td style="width: 50.0%">') == 2
    assert html.index("THƯ KÝ") < html.index("Nguyễn Thị Lan") < html.index("CHỦ TRÌ")
    assert '<p class="e-signed">Đã ký điện tử lúc 14:05 ngày 20/10/2026</p>' in html
    assert html.index("Trần Văn Bình") < html.index("0123456789abcdef")
    assert 'class="number"' not in html
    single = render.to_html(layout())
    assert '<table class="foot">' in single and 'class="signatures"' not in single
    assert '<p class="number">Số 69-NQ/ĐU</p>' in single


def test_pdf_prints_two_signatures_and_the_closing(pdf_support: None) -> None:
    reader = pypdf.PdfReader(io.BytesIO(to_pdf(minutes_layout(draft=True))))
    text = pdf_text(reader)
    for expected in (
        "DỰ THẢO",
        "BIÊN BẢN",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Đã ký điện tử lúc 14:05 ngày 20/10/2026",
        "Nguyễn Thị Lan",
        "Trần Văn Bình",
        "Mã kiểm tra nội dung: 0123456789abcdef",
    ):
        assert expected in text, expected
    assert "Số" not in text.split("BIÊN BẢN")[0]


# --- Headers break between words only (walkthrough §2.13: "TỔNG CÔNG / TY", "KẾ / TOÁN") ------

COMPOUNDS = ("TỔNG CÔNG TY", "TÀI CHÍNH – KẾ TOÁN", "01-NQ/ĐU")


@pytest.mark.parametrize(
    ("superior", "issuer"),
    [
        ("Đảng bộ Cơ quan Tổng công ty", "Chi bộ Ban Tài chính – Kế toán"),
        ("Đảng bộ Khối Doanh nghiệp Trung ương", "Đảng bộ Cơ quan Tổng công ty"),
    ],
)
def test_pdf_header_never_breaks_inside_a_compound_or_the_symbol(
    pdf_support: None, superior: str, issuer: str
) -> None:
    given = layout(superior=superior, issuer=issuer, symbol="01-NQ/ĐU")
    reader = pypdf.PdfReader(io.BytesIO(to_pdf(given)))
    lines = [" ".join(line.split()) for line in reader.pages[0].extract_text().splitlines()]
    for compound in COMPOUNDS:
        words = compound.split()
        for cut in range(1, len(words)):
            head = " ".join(words[:cut])
            assert not any(line.endswith(head) for line in lines), (compound, lines)
    assert not any(line.endswith("01-NQ/") for line in lines), lines
    assert any("01-NQ/ĐU" in line for line in lines), lines
