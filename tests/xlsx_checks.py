"""What every Excel export must be (reports/xlsx.py, walkthrough M4): checked on the file as Excel reads it."""

from __future__ import annotations

from typing import Any

from fontTools.ttLib import TTFont
from openpyxl.utils import get_column_letter

from dangbo.reports.render import FONT_DIR

# The workbook's font is Times New Roman; Liberation Serif (shipped) has the same advance widths.
FONT_FILES = {"Times New Roman": "LiberationSerif-Regular.ttf"}


def width_in_zeros(text: str, font_name: str) -> float:
    """The width of `text` in widths of "0", Excel's column unit, at `font_name`."""
    font = TTFont(FONT_DIR / FONT_FILES[font_name])
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return sum(hmtx[cmap[ord(ch)]][0] for ch in text) / hmtx[cmap[ord("0")]][0]


def header_row(sheet: Any, first_label: str) -> int:
    """The row (1-based) whose first cell is the header's first label."""
    for row in range(1, 20):
        if sheet.cell(row, 1).value == first_label:
            return row
    raise AssertionError(f"no header row starting with {first_label!r}")


def texts(sheet: Any, rows: range) -> list[str]:
    return [str(c.value) for r in rows for c in sheet[r] if c.value not in (None, "")]


def assert_print_ready(sheet: Any, first_label: str, *, landscape: bool | None = None) -> int:
    """Widths on every column, frozen header, A4 fitted to the width, header repeated, print area,
    margins and page numbers; returns the header row."""
    head = header_row(sheet, first_label)
    last_col = sheet.max_column
    for col in range(1, last_col + 1):
        letter = get_column_letter(col)
        dimension = sheet.column_dimensions[letter]
        assert dimension.customWidth and dimension.width and dimension.width >= 5, letter
        assert dimension.width <= 60, letter  # capped: long text wraps
    assert (
        sheet.freeze_panes is not None and int("".join(filter(str.isdigit, sheet.freeze_panes))) == head + 1
    )
    setup = sheet.page_setup
    assert str(setup.paperSize) == "9"  # A4
    if landscape is not None:
        assert setup.orientation == ("landscape" if landscape else "portrait")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth in (None, 1, "1") and str(setup.fitToHeight) == "0"  # 1 is the default
    assert sheet.print_title_rows.replace("$", "") == f"{head}:{head}"
    assert sheet.print_area
    area = sheet.print_area if isinstance(sheet.print_area, str) else sheet.print_area[0]
    assert area.split("!")[-1] == f"$A$1:${get_column_letter(last_col)}${sheet.max_row}"
    assert sheet.page_margins.left > 0 and sheet.page_margins.top > 0
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    return head
