"""Every Excel file the platform writes goes through `ExportSheet`: one sheet, fitted and ready to print.

What each export gets (walkthrough M4):

- a heading block above the table, in the Party's manner (the superior body and the organisation upper
  case on the left with "*" under them, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right; the title centred —
  "DANH SÁCH ĐẢNG VIÊN" for the 7-HSĐV register —, an optional subtitle, then "Ngày xuất: dd/mm/yyyy ·
  Người xuất: …");
- the header row bold, wrapped and frozen with the first columns; every cell bordered; dates as real
  dates shown dd/mm/yyyy; strings always written as strings (never a formula);
- column widths fitted to the content, measured with the metrics of the workbook's font (Times New
  Roman 12; the metric-compatible Liberation Serif is shipped in reports/fonts), in Excel's unit (the
  width of the digit "0"): a date never shows "########", a name is not cut; text wider than
  `MAX_WIDTH` wraps inside its column;
- the print setup: A4, landscape when the table is wider than a portrait page, fitted to the page
  width, the header row repeated on every page, the print area, margins and "Trang N/M" in the footer.

The sheet may be written in constant memory (the register: one row at a time, in order); widths and
the print area are set when it is closed, since xlsxwriter writes both at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import IO, Any, Literal

import xlsxwriter
from django.core.exceptions import ObjectDoesNotExist
from fontTools.ttLib import TTFont

from dangbo.core.names import user_name
from dangbo.reports.render import FONT_DIR, PARTY_TITLE
from dangbo.rules.vietnamese import format_date

FONT_NAME = "Times New Roman"
FONT_SIZE = 12
TITLE_SIZE = 14
MAX_WIDTH = 45.0  # characters; longer text wraps
MIN_WIDTH = 5.0
PADDING = 1.5  # Excel's cell margins plus a little air, in characters
# A4 portrait at the margins below leaves ≈ 190 mm, ≈ 85 widths of "0" at Times New Roman 12.
PORTRAIT_WIDTH = 85.0
PAPER_A4 = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.7}  # inches
FOOTER = "&CTrang &P/&N"
HEAD_COLOUR = "#F2DCDB"

Kind = Literal["text", "date", "number"]


@cache
def _metrics(bold: bool) -> tuple[dict[int, int], int]:
    """Advance widths per code point of the shipped Times-compatible font, and the width of "0"."""
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    font = TTFont(FONT_DIR / name, lazy=True)
    hmtx = font["hmtx"]
    advances = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
    return advances, advances[ord("0")]


@cache
def _widest(bold: bool) -> float:
    advances, zero = _metrics(bold)
    return max(advances[ord(ch)] for ch in "WMmwĐ@%") / zero


@cache
def _date_width(bold: bool) -> float:
    return max(text_width(f"{d}{d}/{d}{d}/{d}{d}{d}{d}", bold=bold) for d in "0123456789")


@lru_cache(maxsize=65536)  # a register repeats its cells' names, statuses, places
def text_width(text: str, *, bold: bool = False) -> float:
    """The width of `text` on one line, in widths of the digit "0" (Excel's column unit)."""
    advances, zero = _metrics(bold)
    fallback = advances[ord("M")]
    return sum(advances.get(ord(ch), fallback) for ch in text) / zero


def exporter_name(user: Any) -> str:
    """The name printed as "Người xuất": the linked person's (read now, one query), else the login's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    with contextlib.suppress(ObjectDoesNotExist):
        user.person  # noqa: B018 - loads the person so that user_name uses it
    return user_name(user)


@dataclass(frozen=True)
class Column:
    """A column of the table: its header, what it holds, and for numbers the Excel number format."""

    label: str
    kind: Kind = "text"
    num_format: str = "0"
    max_width: float = MAX_WIDTH


@dataclass(frozen=True)
class Heading:
    """The block above the table. `organisation` is the Party organisation the list is of (or the
    unit the figures are for), `superior` the body above it; `title` is printed upper case."""

    title: str
    organisation: str = ""
    superior: str = ""
    subtitle: str = ""
    exported_on: dt.date | None = None
    exported_by: str = ""

    def export_line(self) -> str:
        parts = []
        if self.exported_on is not None:
            parts.append(f"Ngày xuất: {format_date(self.exported_on)}")
        if self.exported_by:
            parts.append(f"Người xuất: {self.exported_by}")
        return " · ".join(parts)


def _shown(value: Any, column: Column) -> str:
    """The text Excel shows for a value, to measure it."""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float | Decimal) and column.num_format and "0.0" in column.num_format:
        decimals = len(column.num_format.split(".")[1])
        return f"{value:,.{decimals}f}"
    if isinstance(value, int | float | Decimal):
        return f"{value:,}"
    return str(value)


class ExportSheet:
    """One worksheet with a heading, a header row and rows: see the module's docstring.

    `target` is a path or a binary file; `constant_memory` writes rows as they come (they must then be
    written in order, which `row` does anyway)."""

    def __init__(
        self,
        target: IO[bytes] | str,
        *,
        sheet_name: str,
        columns: Sequence[Column],
        heading: Heading | None,
        constant_memory: bool = False,
        freeze_columns: int = 1,
    ) -> None:
        options: dict[str, Any] = {
            "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
            "in_memory": not constant_memory,
        }
        if constant_memory:
            options["constant_memory"] = True
        self.workbook = xlsxwriter.Workbook(target, options)
        self.sheet = self.workbook.add_worksheet(sheet_name[:31])
        self.columns = list(columns)
        self.widths = [MIN_WIDTH] * len(self.columns)
        self._formats: dict[tuple[Any, ...], Any] = {}
        self._row = 0
        self.freeze_columns = freeze_columns
        if heading is not None:
            self._heading(heading)
        self.header_row = self._row
        head = self._format("head")
        for col, column in enumerate(self.columns):
            self.sheet.write_string(self._row, col, column.label, head)
            # the header wraps between words: its longest word must fit
            longest = max((text_width(word, bold=True) for word in column.label.split()), default=0)
            self._fit(col, longest)
        self._row += 1

    # --- formats -------------------------------------------------------------------------------

    def _format(self, name: str, *extra: Any) -> Any:
        key = (name, *extra)
        if key in self._formats:
            return self._formats[key]
        base: dict[str, Any] = {"font_name": FONT_NAME, "font_size": FONT_SIZE}
        if name == "head":
            base |= {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center"}
            base |= {"border": 1, "bg_color": HEAD_COLOUR}
        elif name == "cell":
            kind, num_format, bold, indent = extra
            base |= {"border": 1, "valign": "top", "bold": bold}
            if kind == "date":
                base |= {"num_format": "dd/mm/yyyy", "align": "center"}
            elif kind == "number":
                base |= {"num_format": num_format}
            else:
                base |= {"text_wrap": True, "indent": indent}
        elif name == "left":
            bold, underline = extra
            base |= {"align": "center_across", "bold": bold, "underline": 1 if underline else 0}
        elif name == "title":
            base |= {"align": "center_across", "bold": True, "font_size": TITLE_SIZE}
        elif name == "italic":
            base |= {"align": "center_across", "italic": True}
        self._formats[key] = self.workbook.add_format(base)
        return self._formats[key]

    # --- the heading ---------------------------------------------------------------------------

    def _across(self, first: int, last: int, text: str, cell_format: Any) -> None:
        self.sheet.write_string(self._row, first, text, cell_format)
        for col in range(first + 1, last + 1):
            self.sheet.write_blank(self._row, col, None, cell_format)

    def _heading(self, heading: Heading) -> None:
        last = len(self.columns) - 1
        split = max(0, (len(self.columns) + 1) // 2 - 1)  # the left block: the first half
        left = [
            (text.upper(), bold)
            for text, bold in ((heading.superior, False), (heading.organisation, True))
            if text
        ]
        if left:
            left.append(("*", False))
        right = [(PARTY_TITLE, True)]
        for line in range(max(len(left), len(right))):
            if line < len(left):
                text, bold = left[line]
                self._across(0, split if split < last else last, text, self._format("left", bold, False))
            if line < len(right) and split < last:
                text, bold = right[line]
                self._across(split + 1, last, text, self._format("left", True, True))
            self._row += 1
        self._row += 1
        self._across(0, last, heading.title.upper(), self._format("title"))
        self.sheet.set_row(self._row, TITLE_SIZE * 1.6)
        self._row += 1
        for text in (heading.subtitle, heading.export_line()):
            if text:
                self._across(0, last, text, self._format("italic"))
                self._row += 1
        self._row += 1

    # --- rows ----------------------------------------------------------------------------------

    def _fit(self, col: int, width: float) -> None:
        column = self.columns[col]
        wanted = min(width + PADDING, column.max_width) if column.kind == "text" else width + PADDING
        if wanted > self.widths[col]:
            self.widths[col] = wanted

    def _cell_formats(self, bold: bool, indent: int) -> list[Any]:
        key = ("row", bold, indent)
        if key not in self._formats:
            self._formats[key] = [
                self._format("cell", c.kind, c.num_format, bold, indent if i == 0 else 0)
                for i, c in enumerate(self.columns)
            ]
        return self._formats[key]  # type: ignore[no-any-return]

    def row(self, values: Sequence[Any], *, bold: bool = False, indent: int = 0) -> None:
        """One row of the table; `indent` indents the first column (a cell under its committee)."""
        r = self._row
        sheet, widths, widest = self.sheet, self.widths, _widest(bold)
        formats = self._cell_formats(bold, indent)
        for col, column in enumerate(self.columns):
            value = values[col] if col < len(values) else None
            kind = column.kind
            cell_format = formats[col]
            if value is None or value == "":
                sheet.write_blank(r, col, None, cell_format)
                continue
            extra = 2 * indent if col == 0 else 0
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                if kind != "date":
                    cell_format = self._format("cell", "date", "", bold, 0)
                sheet.write_datetime(r, col, dt.datetime(value.year, value.month, value.day), cell_format)
                if widths[col] < _date_width(bold) + PADDING:
                    self._fit(col, _date_width(bold))
                continue
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                if kind != "number":
                    cell_format = self._format("cell", "number", "0", bold, 0)
                sheet.write_number(r, col, float(value), cell_format)
            else:
                sheet.write_string(r, col, str(value), cell_format)
            if kind == "text" and widths[col] >= column.max_width:
                continue  # already as wide as it may be: longer text wraps
            shown = _shown(value, column)
            # measuring every cell of a long register costs: skip text that cannot widen the column
            if len(shown) * widest + extra > widths[col] - PADDING:
                self._fit(col, text_width(shown, bold=bold) + extra)
        self._row += 1

    # --- the end -------------------------------------------------------------------------------

    def close(self) -> None:
        sheet = self.sheet
        for col, width in enumerate(self.widths):
            sheet.set_column(col, col, round(width, 2))
        sheet.freeze_panes(self.header_row + 1, self.freeze_columns)
        sheet.set_paper(PAPER_A4)
        if sum(self.widths) > PORTRAIT_WIDTH:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(self.header_row)
        sheet.print_area(0, 0, max(self._row - 1, self.header_row), len(self.columns) - 1)
        sheet.set_margins(**MARGINS)
        sheet.set_footer(FOOTER)
        sheet.center_horizontally()
        self.workbook.close()
