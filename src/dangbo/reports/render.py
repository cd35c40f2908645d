"""Party documents in the Party's format (36-HD/VPTW; rules.md §4), as Word and as PDF.

A `PartyLayout` is plain data — the header, the type name and summary, the body as blocks
(paragraphs, headings, bullet items, tables), the signature and the recipients — independent of the
models: the register's documents (`reports.layouts.layout_of_document`) and the periodic reviews
build one, and `to_docx` / `to_pdf` print it. Every text is written in NFC whatever it was given in.

Sizes and styles follow Phụ lục 3 of 36-HD/VPTW ⚠ (the appendix's table as we read it: check it
against the official text): superior body upper 14; issuer upper bold 14 with an asterisk under it;
"Số …" 14; "ĐẢNG CỘNG SẢN VIỆT NAM" upper bold 15 underlined; place and date italic 14; type name
upper bold 16; summary bold 14 with "-----" under it; body 14; capacity and post upper bold 14, name
bold 14; "Nơi nhận:" 14 underlined, recipients 12; secrecy mark upper bold 14; page numbers from
page 2 at the top centre. A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right.

The signature stands on the right with the recipients on its left; a document signed by several (a
biên bản: the secretary on the left, the chair on the right) prints them side by side in equal
columns, their names on one line. A signature given electronically prints its statement ("Đã ký điện
tử lúc 14:05 ngày 20/10/2026", italic 12) where room is otherwise left for a handwritten one.

Word names the font "Times New Roman" (every office PC has it; LibreOffice substitutes the metric-
compatible Liberation Serif). The PDF embeds Liberation Serif shipped in `fonts/` (SIL OFL 1.1), so
no system font is ever used; WeasyPrint needs Pango from the system: without it `to_pdf` raises
`PdfUnavailable` and Word keeps working (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dangbo.rules.documents import System, place_date_line
from dangbo.rules.vietnamese import format_number

__all__ = [
    "FONT_DIR",
    "FONT_FILES",
    "Align",
    "Block",
    "Bullet",
    "Heading",
    "Paragraph",
    "PartyLayout",
    "PdfUnavailable",
    "Run",
    "Signature",
    "Table",
    "blocks_from_text",
    "pdf_available",
    "to_docx",
    "to_html",
    "to_pdf",
]

Align = Literal["justify", "left", "center", "right"]

# --- The format (sizes in points, lengths in mm; see the module's docstring) ---------------------

PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE["width"] - PAGE["left"] - PAGE["right"]
HEADER_COLUMNS_MM = (80, TEXT_WIDTH_MM - 80)  # issuer | "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_HEADER_COLUMNS_MM = (65, TEXT_WIDTH_MM - 65)  # the national title is longer
FOOT_COLUMNS_MM = (80, TEXT_WIDTH_MM - 80)  # recipients | signature
BODY_FONT_PT = 14
TABLE_FONT_PT = 13
LANDSCAPE_TABLE_FONT_PT = 11  # a wide list: the register's eleven columns on A4 landscape
SIGNED_PT = 12  # the statement of an electronic signature, on one line in a column of two
HEADING_STYLES = {1: (True, False), 2: (True, False), 3: (True, True)}  # level → (bold, italic)
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
# A document of the state (NĐ 30/2020/NĐ-CP): national title upper bold 12, motto bold 13–14.
STATE_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
STATE_HEAD_PT = 13
STATE_TITLE_PT = 12
WORD_FONT = "Times New Roman"

# --- The layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph with its own style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


Inline = str | Run


def _runs(content: str | Sequence[Inline]) -> tuple[Run, ...]:
    items: Sequence[Inline] = [content] if isinstance(content, str) else content
    return tuple(item if isinstance(item, Run) else Run(item) for item in items)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body: plain text or a sequence of texts and `Run`s (bold, italic …).

    Justified with a first-line indent unless told otherwise."""

    content: str | Sequence[Inline]
    align: Align = "justify"
    indent: bool = True

    @property
    def runs(self) -> tuple[Run, ...]:
        return _runs(self.content)


@dataclass(frozen=True)
class Heading:
    """A numbered section title written with its number: level 1 "I. KẾT QUẢ …" (bold), level 2
    "1. Công tác …" (bold), level 3 "1.1. …" (bold italic)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Bullet:
    """An item of a list: "- text" (or "+ text" for a second level)."""

    content: str | Sequence[Inline]
    marker: str = "-"

    @property
    def runs(self) -> tuple[Run, ...]:
        return _runs(self.content)


Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Table:
    """A table with borders: a bold header row repeated on every page, the rows, and bold `foot`
    rows (totals). Numbers (int, float, Decimal) are written Vietnamese style ("1.234", "12,5") and
    right-aligned, texts left-aligned, unless `align` names each column's alignment. `widths` are
    relative weights of the columns (default: equal). `caption` is a bold title above the table,
    `note` an italic line above it on the right ("Đơn vị tính: người")."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float] | None = None
    align: Sequence[Align] | None = None
    foot: Sequence[Sequence[Cell]] = ()
    caption: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        columns = len(self.header)
        if columns == 0:
            raise ValueError("a table needs at least one column")
        for row in [*self.rows, *self.foot]:
            if len(row) != columns:
                raise ValueError(f"a row has {len(row)} cells, the header {columns}: {list(row)!r}")
        for name, value in (("widths", self.widths), ("align", self.align)):
            if value is not None and len(value) != columns:
                raise ValueError(f"{name} names {len(value)} columns, the header {columns}")
        if self.widths is not None and any(w <= 0 for w in self.widths):
            raise ValueError("column widths must be positive")

    def fractions(self) -> list[float]:
        weights = list(self.widths) if self.widths is not None else [1.0] * len(self.header)
        total = sum(weights)
        return [w / total for w in weights]


Block = Paragraph | Heading | Bullet | Table


@dataclass(frozen=True)
class Signature:
    """The signature block: capacity ("T/M BAN THƯỜNG VỤ"), post ("BÍ THƯ"), the signer's name.

    `signed` states an electronic signature ("Đã ký điện tử lúc 14:05 ngày 20/10/2026"): printed,
    italic, where a handwritten signature would otherwise be left room for."""

    capacity: str = ""
    post: str = ""
    name: str = ""
    signed: str = ""


@dataclass
class PartyLayout:
    """Everything printed on a Party document, in the order of the page.

    `symbol` is the number and symbol without "Số" ("70-NQ/ĐU"); `type_name` the type in words
    ("Nghị quyết"; printed upper case; empty for a công văn, whose summary then goes under the
    number); `issued_on` None for a draft not yet signed (the day and month are left blank);
    `secrecy` the mark printed under the number ("MẬT"), `draft` prints "DỰ THẢO". A document of the
    state (`system="state"`, kept in the register as received) gets the state's heading instead of
    the Party's (NĐ 30/2020/NĐ-CP: the national title and motto, "Số: 28/CT-TTg", no asterisk).

    One `signature` signs on the right with the recipients on its left. `signatures` (two or more)
    are printed instead side by side in equal columns, in the order given — a biên bản: the
    secretary on the left, the chair on the right — with any recipients under them. `closing`
    blocks come after the signatures (the corrections appended to minutes, a check line).
    `numbered=False` prints no "Số" line (a document without a number, such as minutes)."""

    issuer: str
    symbol: str = ""
    superior: str = ""
    place: str = ""
    issued_on: dt.date | None = None
    type_name: str = ""
    summary: str = ""
    blocks: list[Block] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    recipients: list[str] = field(default_factory=list)
    secrecy: str | None = None
    draft: bool = False
    system: System = "party"
    signatures: list[Signature] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)
    numbered: bool = True
    landscape: bool = False

    @property
    def page(self) -> dict[str, int]:
        """A4 portrait (36-HD/VPTW), or landscape for a wide list (a register): the margins turn with
        the page."""
        if not self.landscape:
            return PAGE
        return {
            "width": PAGE["height"],
            "height": PAGE["width"],
            "top": 15,
            "bottom": 15,
            "left": 20,
            "right": 15,
        }

    def signers(self) -> list[Signature]:
        """The signature blocks printed: `signatures` when given, else the one `signature`."""
        return list(self.signatures) or [self.signature]

    def date_line(self) -> str:
        year = timezone.localdate().year if self.draft and self.issued_on is None else None
        return place_date_line(self.place, self.issued_on, year=year)


# --- Text → blocks -------------------------------------------------------------------------------

_ROMAN = re.compile(r"(?:[IVX]+|[ivx]+)[.\-–]\s")
_NUMBERED = re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3})*)\.?\s")
_BULLET = re.compile(r"(?P<marker>[-+•–])\s*(?P<rest>.*)", re.DOTALL)
_HEADING_MAX = 100  # a longer numbered line is a paragraph that starts with its number


def _is_title(text: str) -> bool:
    return len(text) <= _HEADING_MAX and not text.rstrip().endswith((".", ";", ":", ","))


def blocks_from_text(text: str) -> list[Block]:
    """The body of a document typed as plain text, one block per non-empty line.

    "I. …"/"II- …" become level-1 headings; a short "1. …" a level-2 heading and "1.1. …" a level-3
    one (a long numbered line, or one ending with a full stop, is a paragraph whose number is bold);
    lines starting with "-", "•", "–" or "+" become bullet items; consecutive lines written
    "| a | b |" become a table (the first row its header, a last row starting "Tổng cộng" its
    total, whole numbers right-aligned); the rest paragraphs."""
    blocks: list[Block] = []
    table_rows: list[list[str]] = []

    def close_table() -> None:
        if table_rows:
            blocks.append(_table_from_rows(table_rows))
            table_rows.clear()

    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = " ".join(raw.split())
        if line.startswith("|"):
            table_rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        close_table()
        if not line:
            continue
        if _ROMAN.match(line):
            blocks.append(Heading(line, 1))
            continue
        numbered = _NUMBERED.match(line)
        if numbered is not None:
            level = 3 if "." in numbered["num"] else 2
            if _is_title(line):
                blocks.append(Heading(line, level))
            else:
                head, rest = line[: numbered.end()].rstrip(), line[numbered.end() :]
                blocks.append(Paragraph([Run(head, bold=True), f" {rest}"]))
            continue
        bullet = _BULLET.fullmatch(line)
        if bullet is not None and bullet["rest"]:
            blocks.append(Bullet(bullet["rest"], "+" if bullet["marker"] == "+" else "-"))
            continue
        blocks.append(Paragraph(line))
    close_table()
    return blocks


_WHOLE = re.compile(r"\d{1,3}(?:\.\d{3})*|\d+")


def _table_from_rows(rows: list[list[str]]) -> Table | Paragraph:
    """A table typed as "| … |" lines; rows shorter than the header are padded, longer ones joined."""
    header, body = rows[0], rows[1:]
    width = len(header)
    if width == 0:
        return Paragraph(" ".join("|".join(r) for r in rows))

    def cell(value: str) -> Cell:
        return int(value.replace(".", "")) if _WHOLE.fullmatch(value) else value

    def fitted(row: list[str]) -> list[Cell]:
        row = (
            [*row[: width - 1], " | ".join(row[width - 1 :])]
            if len(row) > width
            else row + [""] * (width - len(row))
        )
        return [cell(v) for v in row]

    foot = [fitted(body.pop())] if body and body[-1] and body[-1][0].lower().startswith("tổng") else []
    widths = [3.0, *([1.0] * (width - 1))] if width > 1 else None  # the label column is the wide one
    return Table(header=header, rows=[fitted(r) for r in body], foot=foot, widths=widths)


# --- Shared by both renderers --------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _upper(text: str) -> str:
    return _nfc(text).upper()


NBSP = "\u00a0"
WORD_JOINER = "\u2060"
# Words of more than one syllable that the header may not split (walkthrough §2.13): a line breaks
# between words, never between the syllables of one; the en dash joins its two sides too.
HEADER_COMPOUNDS = (
    "TỔNG CÔNG TY",
    "CÔNG TY",
    "TÀI CHÍNH",
    "KẾ TOÁN",
    "CHI BỘ",
    "ĐẢNG BỘ",
    "ĐẢNG ỦY",
    "CƠ QUAN",
    "DOANH NGHIỆP",
    "TRUNG ƯƠNG",
    "BƯU ĐIỆN",
    "VIỆT NAM",
    "HÀ NỘI",
    "KINH DOANH",
    "TỔ CHỨC",
    "VĂN PHÒNG",
)


def _keep_words(text: str) -> str:
    """An upper-case header line with non-breaking spaces inside its compound words and around
    an en dash ("TÀI CHÍNH – KẾ TOÁN" stays on one line)."""
    out = _nfc(text)
    for compound in HEADER_COMPOUNDS:
        out = out.replace(compound, compound.replace(" ", NBSP))
    # a line may break after a dash even before a non-breaking space (UAX #14): a word joiner holds it
    return re.sub(r"(\S) [–-] (\S)", rf"\1{NBSP}–{WORD_JOINER}{NBSP}\2", out)


def _header_columns(layout: PartyLayout) -> tuple[float, float]:
    return HEADER_COLUMNS_MM if layout.system == "party" else STATE_HEADER_COLUMNS_MM


def _number_line(layout: PartyLayout) -> str:
    """ "Số 69-NQ/ĐU" in the Party (36-HD/VPTW), "Số: 28/CT-TTg" in the state (NĐ 30/2020); nothing
    for a document that is not numbered."""
    if not layout.numbered:
        return ""
    word = "Số" if layout.system == "party" else "Số:"
    return f"{word} {_nfc(layout.symbol)}" if layout.symbol else word


SIGN_SPACE_LINES = 4  # empty lines left for a handwritten signature and the seal


def _sign_space(signers: Sequence[Signature]) -> list[list[str]]:
    """The lines between each signer's post and name: empty room for a handwritten signature, the
    electronic signature's statement on the second line. Every column gets as many lines, so the
    names printed side by side stay on one line; when all signed electronically less room is left."""
    lines = 3 if all(s.signed for s in signers) else SIGN_SPACE_LINES
    return [["", _nfc(s.signed), *[""] * (lines - 2)] if s.signed else [""] * lines for s in signers]


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return format_number(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if isinstance(value, float):
        text = format_number(value, 2)
        return text.rstrip("0").rstrip(",") if "," in text else text
    return _nfc(str(value))


def _cell_align(table: Table, column: int, value: Cell) -> Align:
    if table.align is not None:
        return table.align[column]
    return "right" if isinstance(value, int | float | Decimal) else "left"


# --- Word ----------------------------------------------------------------------------------------

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _set_font(element: Any, name: str) -> None:
    """Name the font for every script (Word otherwise picks the theme's font for some)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _para(
    container: Any,
    text: str = "",
    *,
    size: float = BODY_FONT_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: Align = "left",
    indent: bool = False,
    before: float = 0,
    after: float = 0,
) -> Any:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.first_line_indent = Mm(12.7) if indent else Mm(0)
    if text:
        _run(paragraph, Run(text, bold, italic, underline), size)
    return paragraph


def _run(paragraph: Any, run: Run, size: float) -> Any:
    out = paragraph.add_run(_nfc(run.text))
    out.font.size = Pt(size)
    out.font.bold = run.bold
    out.font.italic = run.italic
    out.font.underline = run.underline
    return out


def _borderless(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table: Any, widths_mm: Sequence[float]) -> None:
    """Column widths in the grid (what LibreOffice reads) and in every cell (what Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell(table: Any, row: int, column: int) -> Any:
    cell = table.cell(row, column)
    cell._tc.remove(cell.paragraphs[0]._p)  # start empty: paragraphs are added
    return cell


def _page_number_header(section: Any) -> None:
    """Page numbers at the top centre from page 2 (the first page has none)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_FONT_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _docx_table(document: Any, table: Table) -> None:
    if table.note:
        note = _para(document, table.note, size=TABLE_FONT_PT, italic=True, align="right", before=6)
        note.paragraph_format.keep_with_next = True
    if table.caption:
        caption = _para(
            document, table.caption, bold=True, align="center", before=0 if table.note else 6, after=3
        )
        caption.paragraph_format.keep_with_next = True
    rows = [list(table.header), *table.rows, *table.foot]
    out = document.add_table(rows=len(rows), cols=len(table.header))
    out.style = document.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(out, [TEXT_WIDTH_MM * f for f in table.fractions()])
    header_row = out.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    body_end = 1 + len(table.rows)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = _cell(out, r, c)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align: Align
            if r == 0:
                text, align, bold = _nfc(str(value)), "center", True
            else:
                text, align, bold = _cell_text(value), _cell_align(table, c, value), r >= body_end
            _para(cell, text, size=TABLE_FONT_PT, bold=bold, align=align, before=2, after=2)
    _para(document, "", size=6)  # a little room after the table


def _docx_header(document: Any, layout: PartyLayout) -> None:
    """The two-column header without borders: issuer and number | the Party's title and the date."""
    if layout.draft:
        _para(document, "DỰ THẢO", bold=True, align="right", after=6)
    header = document.add_table(rows=2, cols=2)
    _borderless(header)
    _widths(header, _header_columns(layout))
    party = layout.system == "party"
    head_pt = BODY_FONT_PT if party else STATE_HEAD_PT
    left, right = _cell(header, 0, 0), _cell(header, 0, 1)
    if layout.superior:
        _para(left, _upper(layout.superior), size=head_pt, align="center")
    _para(left, _upper(layout.issuer), size=head_pt, bold=True, align="center")
    if party:
        _para(left, "*", align="center")
        _para(right, PARTY_TITLE, size=15, bold=True, underline=True, align="center")
    else:
        _para(right, STATE_TITLE, size=STATE_TITLE_PT, bold=True, align="center")
        _para(right, STATE_MOTTO, bold=True, underline=True, align="center")
    number = _cell(header, 1, 0)
    if layout.numbered:
        _para(number, _number_line(layout), align="center", before=6)
    if not layout.type_name and layout.summary:
        _para(number, layout.summary, size=12, italic=True, align="center", before=3)
    if layout.secrecy:
        _para(number, _upper(layout.secrecy), bold=True, align="center", before=6)
    if not number.paragraphs:
        _para(number, "")  # a cell holds at least one paragraph
    _para(_cell(header, 1, 1), layout.date_line(), italic=True, align="center", before=6)
    if layout.type_name:
        _para(document, _upper(layout.type_name), size=16, bold=True, align="center", before=18)
        if layout.summary:
            _para(document, layout.summary, bold=True, align="center")
        _para(document, "-----", align="center", after=12)
    else:
        _para(document, "", after=6)


def _docx_block(document: Any, block: Block) -> None:
    if isinstance(block, Table):
        _docx_table(document, block)
        return
    if isinstance(block, Heading):
        bold, italic = HEADING_STYLES.get(block.level, (True, False))
        title = _para(document, block.text, bold=bold, italic=italic, align="justify", indent=True, after=6)
        title.paragraph_format.keep_with_next = True
        return
    if isinstance(block, Bullet):
        paragraph = _para(document, align="justify", indent=True, after=6)
        runs: tuple[Run, ...] = (Run(f"{block.marker} "), *block.runs)
    else:
        paragraph = _para(document, align=block.align, indent=block.indent, after=6)
        runs = block.runs
    for run in runs:
        _run(paragraph, run, BODY_FONT_PT)


def _docx_signature(cell: Any, sig: Signature, space: list[str], *, post_line: bool) -> None:
    """One signature block: capacity, post (an empty line when another column has one and this not),
    the room or the electronic signature's statement, the name."""
    _para(cell, _upper(sig.capacity), bold=True, align="center", before=12)
    if sig.post or post_line:
        _para(cell, _upper(sig.post), bold=True, align="center")
    for line in space:
        _para(cell, line, size=SIGNED_PT, italic=True, align="center")
    if sig.name:
        _para(cell, sig.name, bold=True, align="center")


def _docx_recipients(container: Any, recipients: Sequence[str]) -> None:
    _para(container, "Nơi nhận:", underline=True, before=12)
    for item in recipients:
        _para(container, f"- {_nfc(item)}", size=12)


def _docx_foot(document: Any, layout: PartyLayout) -> None:
    """Recipients on the left and the signature on the right, side by side, never split; several
    signatures side by side in equal columns, the recipients under them."""
    signers = layout.signers()
    several = len(signers) > 1
    foot = document.add_table(rows=1, cols=len(signers) if several else 2)
    _borderless(foot)
    foot.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    spaces = _sign_space(signers)
    post_line = any(s.post for s in signers)
    if several:
        _widths(foot, [TEXT_WIDTH_MM / len(signers)] * len(signers))
        for column, (sig, space) in enumerate(zip(signers, spaces, strict=True)):
            _docx_signature(_cell(foot, 0, column), sig, space, post_line=post_line)
        if layout.recipients:
            _docx_recipients(document, layout.recipients)
        return
    _widths(foot, FOOT_COLUMNS_MM)
    recipients = _cell(foot, 0, 0)
    if layout.recipients:
        _docx_recipients(recipients, layout.recipients)
    else:
        _para(recipients, "")
    _docx_signature(_cell(foot, 0, 1), signers[0], spaces[0], post_line=False)


def to_docx(layout: PartyLayout) -> bytes:
    """The document as Word (.docx) in the Party's format, to be edited before it is issued."""
    document = new_docx()
    normal = document.styles["Normal"]
    normal.font.name = WORD_FONT
    normal.font.size = Pt(BODY_FONT_PT)
    _set_font(normal.element, WORD_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0
    document.core_properties.title = _nfc(f"{layout.type_name} {layout.symbol}".strip())
    document.core_properties.language = "vi-VN"

    section = document.sections[0]
    page = layout.page
    section.orientation = WD_ORIENT.LANDSCAPE if layout.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
    section.top_margin, section.bottom_margin = Mm(page["top"]), Mm(page["bottom"])
    section.left_margin, section.right_margin = Mm(page["left"]), Mm(page["right"])
    section.header_distance = section.footer_distance = Mm(10)
    _page_number_header(section)
    for empty in list(document.paragraphs):  # the template's empty first paragraph
        empty._p.getparent().remove(empty._p)

    _docx_header(document, layout)
    for block in layout.blocks:
        _docx_block(document, block)
    _docx_foot(document, layout)
    for block in layout.closing:
        _docx_block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Dangbo Party Serif"  # a name no system font has: only the shipped files can match
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) cannot be loaded on this machine."""


def _html_block(block: Block) -> dict[str, Any]:
    if isinstance(block, Table):
        body_end = len(block.rows)
        rows = [
            {
                "foot": r >= body_end,
                "cells": [
                    {"text": _cell_text(value), "align": _cell_align(block, c, value)}
                    for c, value in enumerate(values)
                ],
            }
            for r, values in enumerate([*block.rows, *block.foot])
        ]
        return {
            "kind": "table",
            "header": [_nfc(h) for h in block.header],
            "rows": rows,
            "widths": [round(f * 100, 3) for f in block.fractions()],
            "caption": _nfc(block.caption),
            "note": _nfc(block.note),
        }
    if isinstance(block, Heading):
        bold, italic = HEADING_STYLES.get(block.level, (True, False))
        return {"kind": "heading", "text": _nfc(block.text), "bold": bold, "italic": italic}
    runs = [Run(_nfc(r.text), r.bold, r.italic, r.underline) for r in block.runs]
    if isinstance(block, Bullet):
        return {"kind": "bullet", "marker": block.marker, "runs": runs}
    return {"kind": "paragraph", "runs": runs, "align": block.align, "indent": block.indent}


def to_html(layout: PartyLayout) -> str:
    """The document as one HTML page styled for print (what `to_pdf` lays out)."""
    fonts = [
        {"weight": weight, "style": style, "url": (FONT_DIR / name).as_uri()}
        for (weight, style), name in FONT_FILES.items()
    ]
    signers = layout.signers()
    post_line = any(s.post for s in signers)
    signatures = [
        {
            "capacity": _upper(s.capacity),
            "post": _upper(s.post),
            "post_line": post_line,
            "name": _nfc(s.name),
            "signed": _nfc(s.signed),
        }
        for s in signers
    ]
    return render_to_string(
        "reports/party_document.html",
        {
            "fonts": fonts,
            "family": FONT_FAMILY,
            "page": layout.page,
            "orientation": "landscape" if layout.landscape else "portrait",
            # a landscape page has room for the issuer on fewer lines
            "header_left_mm": _header_columns(layout)[0] + (40 if layout.landscape else 0),
            "foot_left_mm": FOOT_COLUMNS_MM[0],
            "title": _nfc(f"{layout.type_name} {layout.symbol}".strip()),
            "draft": layout.draft,
            "superior": _keep_words(_upper(layout.superior)),
            "issuer": _keep_words(_upper(layout.issuer)),
            "party": layout.system == "party",
            "titles": (PARTY_TITLE,) if layout.system == "party" else (STATE_TITLE, STATE_MOTTO),
            "number_line": _number_line(layout),
            "secrecy": _upper(layout.secrecy or ""),
            "date_line": layout.date_line(),
            "type_name": _upper(layout.type_name),
            "summary": _nfc(layout.summary),
            "blocks": [_html_block(block) for block in layout.blocks],
            "signatures": signatures,
            "several": len(signatures) > 1,
            "signature_width": round(100 / len(signatures), 3),
            "closing": [_html_block(block) for block in layout.closing],
            "recipients": [_nfc(r) for r in layout.recipients],
            "body_pt": BODY_FONT_PT,
            "table_pt": LANDSCAPE_TABLE_FONT_PT if layout.landscape else TABLE_FONT_PT,
            "signed_pt": SIGNED_PT,
        },
    )


def _weasyprint() -> Any:
    try:
        import weasyprint  # imported on use: it loads Pango, which may be missing
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def pdf_available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def to_pdf(layout: PartyLayout) -> bytes:
    """The document as PDF with the shipped font embedded. Raises PdfUnavailable without WeasyPrint."""
    weasyprint = _weasyprint()
    html = weasyprint.HTML(string=to_html(layout), base_url=FONT_DIR.as_uri() + "/")
    pdf: bytes = html.write_pdf()
    return pdf
