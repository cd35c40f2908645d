"""The .xlsx reader as it was before it was made faster (commit 1bc1ddb), kept as the benchmark's
baseline peer: bench/bench_xlsx.py.

A streaming reader for the first sheet of an .xlsx file: fast and in flat memory.

openpyxl's read-only mode streams but builds a Python object per cell (≈ 8,000 rows/s here);
python-calamine is fast but holds the whole sheet. An import only needs each cell's text, so this
reader inflates the sheet's XML in blocks and picks rows and cells out of it with regular
expressions, keeping only the shared strings table and one block in memory.

Cells come out as text: shared and inline strings as written; numbers as written (a whole number
without ".0"); cells whose style is a date format as ISO dates ("1980-03-15"); formulas as "=" plus
the formula, so that the import can refuse them. Rows missing from the XML (empty rows) come out
as empty lists, so row numbers always match Excel's. Merged ranges are collected in `merged`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

BLOCK = 1 << 20
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Built-in number formats that are dates (ECMA-376 §18.8.30).
DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57})
EXCEL_EPOCH = dt.date(1899, 12, 30)

_ROW = re.compile(rb"<row\b([^>]*?)(/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'([a-zA-Z:]+)="([^"]*)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f\b[^>]*>([^<]*)</f>")
_INLINE_TEXT = re.compile(rb"<t\b[^>]*>([^<]*)</t>")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_DIMENSION = re.compile(rb'<dimension\b[^>]*\bref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')


class NotASpreadsheet(Exception):
    """The file is not an .xlsx workbook this reader understands."""


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _ENTITIES[name]


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def column_index(letters: bytes | str) -> int:
    """0-based index of a column name: A → 0, Z → 25, AA → 26."""
    index = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _is_date_format(code: str) -> bool:
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return any(ch in bare for ch in "dmy") and "general" not in bare


class Workbook:
    """The first worksheet of an .xlsx file, read row by row."""

    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheet_name = self._first_sheet()
            self.strings = self._shared_strings()
            self.date_styles = self._date_styles()
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError) as exc:
            raise NotASpreadsheet(str(exc)) from exc
        self.merged: list[tuple[int, int, int, int]] = []  # first row, first column, last row, last column
        self.dimension_rows = self._dimension_rows()

    def _dimension_rows(self) -> int | None:
        """The last row the writer declares (used only to show progress), if it declares one."""
        with self.zip.open(self.sheet_name) as handle:
            found = _DIMENSION.search(handle.read(4096))
        return int(found.group(1)) if found else None

    def close(self) -> None:
        self.zip.close()

    def _xml(self, name: str) -> ElementTree.Element:
        with self.zip.open(name) as handle:
            return ElementTree.parse(handle).getroot()

    def _first_sheet(self) -> str:
        book = self._xml("xl/workbook.xml")
        sheet = book.find(f"{MAIN}sheets/{MAIN}sheet")
        if sheet is None:
            raise KeyError("no sheet")
        rel_id = sheet.get(f"{REL}id")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        for rel in rels.iter(f"{PKG_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return str(PurePosixPath("xl") / target)
        raise KeyError(rel_id)

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        strings: list[str] = []
        with self.zip.open("xl/sharedStrings.xml") as handle:
            for _event, element in ElementTree.iterparse(handle):
                if element.tag == f"{MAIN}si":
                    # Plain text, or rich text in runs; phonetic hints (rPh) are not part of the value.
                    parts = []
                    for child in element:
                        if child.tag == f"{MAIN}t":
                            parts.append(child.text or "")
                        elif child.tag == f"{MAIN}r":
                            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
                    strings.append("".join(parts))
                    element.clear()
        return strings

    def _date_styles(self) -> frozenset[int]:
        if "xl/styles.xml" not in self.zip.namelist():
            return frozenset()
        styles = self._xml("xl/styles.xml")
        custom = {
            int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "") for fmt in styles.iter(f"{MAIN}numFmt")
        }
        xfs = styles.find(f"{MAIN}cellXfs")
        dates = set()
        for index, xf in enumerate(xfs if xfs is not None else []):
            fmt = int(xf.get("numFmtId", "0"))
            if fmt in DATE_FORMAT_IDS or (fmt in custom and _is_date_format(custom[fmt])):
                dates.add(index)
        return frozenset(dates)

    def _blocks(self) -> Iterator[bytes]:
        """The sheet XML cut after the last complete row of each block; the tail (merged cells) last."""
        with self.zip.open(self.sheet_name) as handle:
            carry = b""
            while True:
                data = handle.read(BLOCK)
                if not data:
                    break
                data = carry + data
                cut = data.rfind(b"</row>")
                if cut < 0:
                    carry = data
                    continue
                cut += len(b"</row>")
                yield data[:cut]
                carry = data[cut:]
            yield carry

    def rows(self) -> Iterator[list[str]]:
        strings, date_styles = self.strings, self.date_styles
        value_of, formula_of, attr = _VALUE.search, _FORMULA.search, _ATTR.findall
        expected = 1
        for block in self._blocks():
            for row_match in _ROW.finditer(block):
                row_number = expected
                for key, value in attr(row_match.group(1)):
                    if key == b"r":
                        row_number = int(value)
                while expected < row_number:  # rows the writer left out are empty
                    yield []
                    expected += 1
                expected = row_number + 1
                cells: list[str] = []
                body = row_match.group(3)
                if not body:
                    yield cells
                    continue
                for cell in _CELL.finditer(body):
                    ref = kind = style = b""
                    for key, value in attr(cell.group(1)):
                        if key == b"r":
                            ref = value
                        elif key == b"t":
                            kind = value
                        elif key == b"s":
                            style = value
                    if ref:
                        column = column_index(ref.rstrip(b"0123456789"))
                        if column > len(cells):
                            cells.extend([""] * (column - len(cells)))
                    content = cell.group(2) or b""
                    formula = formula_of(content) if b"<f" in content else None
                    if formula is not None:
                        cells.append("=" + _text(formula.group(1)))
                        continue
                    if kind == b"inlineStr":
                        cells.append("".join(_text(t) for t in _INLINE_TEXT.findall(content)))
                        continue
                    found = value_of(content)
                    raw = found.group(1) if found else b""
                    if not raw:
                        cells.append("")
                    elif kind == b"s":
                        cells.append(strings[int(raw)])
                    elif kind == b"d":
                        cells.append(_text(raw)[:10])
                    elif kind in (b"str", b"e", b"b"):
                        cells.append(_text(raw))
                    elif style and int(style) in date_styles:
                        cells.append(_serial_date(raw))
                    else:
                        cells.append(_number(raw))
                yield cells
            if b"<mergeCell" in block:
                for a, r1, b, r2 in _MERGE.findall(block):
                    first_col = column_index(a)
                    self.merged.append(
                        (int(r1), first_col, int(r2 or r1), column_index(b) if b else first_col)
                    )


def _number(raw: bytes) -> str:
    text = raw.decode("ascii")
    if text.endswith(".0"):
        return text[:-2]
    if "E" in text or "e" in text:
        value = float(text)
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
    return text


def _serial_date(raw: bytes) -> str:
    serial = float(raw)
    if serial < 1 or serial > 2958465:
        return _number(raw)
    return (EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()
