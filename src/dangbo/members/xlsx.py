"""A streaming reader for the first sheet of an .xlsx file: fast and in flat memory.

openpyxl's read-only mode streams but builds a Python object per cell (≈ 8,000–14,000 rows/s here);
python-calamine is fast but holds the whole sheet. An import only needs each cell's text, so this
reader inflates the sheet's XML in blocks, decodes each block once, splits it into rows and picks
each row's cells out with one regular expression, keeping only the shared strings table and one
block in memory (bench/bench_xlsx.py: ≈ 120,000 rows/s, faster than calamine, in flat memory).

The expression reads the cell shapes every common writer uses (Excel, LibreOffice, openpyxl,
xlsxwriter, WPS, Google Sheets): r first, then any other attributes; then nothing, a <v> value or a
plain inline string. A shared string's index comes out in a group of its own, so most cells cost one
int() and one list lookup. A row with any other cell (r not first or absent, a formula, rich inline
text, whitespace between elements, single quotes) is read cell by cell, attribute by attribute; a
count of "<c" per row tells which rows those are. A namespace prefix on the main namespace
(<x:row>, <x:c>) is removed from each block before matching.

Cells come out as text: shared and inline strings as written (rich text joined, phonetic hints
left out, XML entities and _xHHHH_ escapes decoded, line ends normalised as XML parsers do);
numbers as Excel shows them in General format (a whole number without ".0", at most 15 significant
digits); cells whose style is a date format as ISO dates ("1980-03-15", in the 1900 or the 1904
date system), as are t="d" cells; booleans as "1"/"0" and errors as written ("#N/A"); formulas as
"=" plus the formula, so that the import can refuse them (the other cells of a shared formula,
which carry no text of their own, get the text of its first cell). Cells are placed by their r reference (sparse
columns get "" between them; a column written twice keeps the last), or after the previous cell
when there is none. Rows missing from the XML (empty rows) come out as empty lists, so row numbers
always match Excel's. Merged ranges are collected in `merged` as the sheet's tail is read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

BLOCK = 1 << 18  # 256 KiB of inflated XML: as fast as 1 or 4 MiB, less memory
MAIN_URI = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN = "{" + MAIN_URI + "}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_COLUMNS = 16384  # XFD

# Built-in number formats that are dates (ECMA-376 §18.8.30).
DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57})
EXCEL_EPOCH = dt.date(1899, 12, 30)
EPOCH_1904 = dt.date(1904, 1, 1)

# A row's start tag after "<row": its number and "/" if it is empty; the first as most writers
# write it (r first), the second any other way.
_ROW_HEAD = re.compile(r' r="([0-9]+)"[^>/]*(/?)>')
_ANY_ROW_HEAD = re.compile(r"""(?=[\s>/])(?:[^>]*?\sr\s*=\s*["']([0-9]+)["'])?[^>]*?(/?)>""")
# A cell of the shapes every common writer uses, with r first. Groups: its column; the index of
# a shared string; plain inline text; or else the other attributes as one "attribute tail", the
# <v> text and plain inline text of a cell that is empty, has a <v> value or a plain inline string.
_CELL = re.compile(
    r'<c r="([A-Z]{1,3})[0-9]+"(?:'
    r'[^>t]*t="s"><v>([0-9]+)</v></c>'
    r'|[^>t]*t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>'
    r'|([^>/]*)(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>))'
)
_ANY_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(r"<v(?:\s[^>]*)?>([^<]*)</v>")
# A formula: its attributes, and its text unless the element is empty (the other cells of a
# shared formula: <f t="shared" si="0"/>).
_FORMULA = re.compile(r"<f\b([^>]*?)(?:/>|>([^<]*)</f>)")
_TEXT = re.compile(r"<t(?:\s[^>]*)?(?<!/)>(.*?)</t>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SI_PLAIN = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
_SI = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|(<si\s*/>|<si\b.*?</si>)', re.S)
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')
_MERGE = re.compile(r'<mergeCell\b[^>]*\bref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_PREFIX = re.compile(rb'xmlns:([A-Za-z_][\w.-]*)="' + re.escape(MAIN_URI.encode()) + b'"')


class NotASpreadsheet(Exception):
    """The file is not an .xlsx workbook this reader understands."""


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _ENTITIES[name]


def _unescape(text: str) -> str:
    """XML entities, then Excel's _xHHHH_ escapes (_x005F_ is a literal underscore)."""
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _text(raw: str) -> str:
    """The text of an element's content: entities and escapes decoded, CDATA sections as written."""
    if "<![CDATA[" not in raw:
        return _unescape(raw)
    parts, last = [], 0
    for found in _CDATA.finditer(raw):
        parts.append(_unescape(raw[last : found.start()]))
        parts.append(found.group(1))
        last = found.end()
    parts.append(_unescape(raw[last:]))
    return "".join(parts)


def _rich_text(content: str) -> str:
    """The text of a <si> or <is>: its <t>, or the <t> of each run; phonetic hints left out."""
    if "<rPh" in content:
        content = _PHONETIC.sub("", content)
    return "".join(_text(t) for t in _TEXT.findall(content))


def column_index(letters: bytes | str) -> int:
    """0-based index of a column name: A → 0, Z → 25, AA → 26."""
    index = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_COLUMN_NAMES = [_column_name(i) for i in range(MAX_COLUMNS)]
_COLUMN_INDEX = {name: index for index, name in enumerate(_COLUMN_NAMES)}


def _is_date_format(code: str) -> bool:
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return any(ch in bare for ch in "dmy") and "general" not in bare


class Workbook:
    """The first worksheet of an .xlsx file, read row by row."""

    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheet_name, self.epoch = self._first_sheet()
            self.strings = self._shared_strings()
            self.date_styles = self._date_styles()
            head = self._head(self.sheet_name)
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError) as exc:
            raise NotASpreadsheet(str(exc)) from exc
        self.merged: list[tuple[int, int, int, int]] = []  # first row, first column, last row, last column
        found = _DIMENSION.search(head)
        # The last row the writer declares (used only to show progress), if it declares one.
        self.dimension_rows = int(found.group(1)) if found else None

    def close(self) -> None:
        self.zip.close()

    def _xml(self, name: str) -> ElementTree.Element:
        with self.zip.open(name) as handle:
            return ElementTree.parse(handle).getroot()

    def _first_sheet(self) -> tuple[str, dt.date]:
        """The first sheet's part name, and the date system's day 0."""
        book = self._xml("xl/workbook.xml")
        properties = book.find(f"{MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "") in ("1", "true")
        epoch = EPOCH_1904 if date1904 else EXCEL_EPOCH
        sheet = book.find(f"{MAIN}sheets/{MAIN}sheet")
        if sheet is None:
            raise KeyError("no sheet")
        rel_id = sheet.get(f"{REL}id")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        for rel in rels.iter(f"{PKG_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/"), epoch
                return str(PurePosixPath("xl") / target), epoch
        raise KeyError(rel_id)

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        strings: list[str] = []
        for block in self._text_blocks("xl/sharedStrings.xml", "si"):
            items = _SI_PLAIN.findall(block)
            if len(items) != block.count("<si"):  # rich text, phonetic hints, empty items
                items = [
                    _rich_text(other) if other else _unescape(text) for text, other in _SI.findall(block)
                ]
            elif "&" in block or "_x" in block:
                items = [_unescape(text) for text in items]
            strings.extend(items)
        return strings

    def _date_styles(self) -> frozenset[str]:
        """The style indexes (as written in s="…") whose number format is a date."""
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
                dates.add(str(index))
        return frozenset(dates)

    def _head(self, name: str) -> bytes:
        with self.zip.open(name) as handle:
            return handle.read(4096)

    def _text_blocks(self, name: str, tag: str) -> Iterator[str]:
        """A part's XML as text in blocks, each cut after the last complete <tag> element and
        without the main namespace's prefix; the tail last. Line ends are normalised as XML
        parsers do (a carriage return the writer meant is written &#13; or _x000D_)."""
        found = _PREFIX.search(self._head(name))
        prefix = found.group(1).decode("ascii") + ":" if found else ""
        end = f"</{prefix}{tag}>".encode()
        with self.zip.open(name) as handle:
            carry = b""
            while True:
                data = handle.read(BLOCK)
                if not data:
                    break
                data = carry + data
                cut = data.rfind(end)
                if cut < 0:
                    carry = data
                    continue
                cut += len(end)
                carry = data[cut:]
                yield _clean(data[:cut].decode("utf-8"), prefix)
            yield _clean(carry.decode("utf-8"), prefix)

    def rows(self) -> Iterator[list[str]]:
        values = _Values(self.strings, self.date_styles, self.epoch)
        strings, numbers, value = self.strings, values.numbers, values.value
        names, placings, first = _COLUMN_NAMES, _PLACINGS, operator.itemgetter(0)
        expected = 1  # the next row's number
        for block in self._text_blocks(self.sheet_name, "row"):
            plain = "&" not in block and "_x" not in block  # no entity or escape to decode
            # Each part after the first is a row: its start tag's attributes, its cells and </row>
            # (blocks end after a </row>, so the sheet's tail is in a block of its own).
            for chunk in itertools.islice(block.split("<row"), 1, None):
                head = _ROW_HEAD.match(chunk) or _ANY_ROW_HEAD.match(chunk)
                if head is None:  # <rowBreaks> and the like
                    continue
                number, empty = head.groups()
                row_number = int(number) if number else expected
                while expected < row_number:  # rows the writer left out are empty
                    yield []
                    expected += 1
                expected = row_number + 1
                if empty:
                    yield []
                    continue
                start = head.end()
                found = _CELL.findall(chunk, start)
                if len(found) != chunk.count("<c", start):  # a cell of another shape
                    yield values.row(chunk[start:])
                    continue
                row = [
                    strings[int(shared)]
                    if shared
                    else (inline if plain else _unescape(inline))
                    if inline
                    else v
                    if rest in numbers and v.isdigit()
                    else value(rest, v, text)
                    for _, shared, inline, rest, v, text in found
                ]
                n = len(row)
                if n and (n > MAX_COLUMNS or found[-1][0] != names[n - 1]):  # sparse columns
                    columns = tuple(map(first, found))
                    placing = placings.get(columns) or _placing(columns)
                    row.append("")  # what the gaps get
                    row = list(placing(row))
                yield row
            if "<mergeCell" in block:
                for a, r1, b, r2 in _MERGE.findall(block):
                    first_col = column_index(a)
                    self.merged.append(
                        (int(r1), first_col, int(r2 or r1), column_index(b) if b else first_col)
                    )


class _Values:
    """Turns a cell's type, style and content into its text. Remembers the style and type of each
    attribute tail (what follows r="…"), and which tails are plain numbers, so that most cells are
    read without looking at their attributes again."""

    def __init__(self, strings: list[str], date_styles: frozenset[str], epoch: dt.date) -> None:
        self.strings, self.date_styles, self.epoch = strings, date_styles, epoch
        self.numbers: set[str] = set()
        self.kinds: dict[str, tuple[str, str]] = {}
        self.formulas: dict[str, str] = {}  # shared formulas' text by their si

    def attributes(self, rest: str) -> tuple[str, str]:
        """(style, type) of an attribute tail."""
        known = self.kinds.get(rest)
        if known is not None:
            return known
        style = kind = ""
        for key, double, single in _ATTR.findall(rest):
            text = double or single
            if key == "t":
                kind = text
            elif key == "s":
                style = text
        if len(self.kinds) < 4096:
            self.kinds[rest] = style, kind
            if kind in ("", "n") and style not in self.date_styles:
                self.numbers.add(rest)
        return style, kind

    def value(self, rest: str, value: str, inline: str) -> str:
        """The text of a cell of the common shape: its attribute tail, <v> text and inline text."""
        style, kind = self.attributes(rest)
        if value:
            if kind == "s":
                return self.strings[int(value)]
            if not kind or kind == "n":
                if style in self.date_styles:
                    return _serial_date(value, self.epoch)
                return value if value.isdigit() else _number(value)
            if kind == "d":
                return _unescape(value)[:10]
            if kind == "inlineStr":  # a <v> where the type says inline text
                return ""
            return _unescape(value)  # str, b, e
        if inline and kind == "inlineStr":
            return _unescape(inline)
        return ""

    def formula(self, attrs: str, text: str | None) -> str:
        """A formula's text; a shared formula's other cells get the text of its first cell (as
        written there, not moved to their own row), which comes before them in the sheet."""
        shared = ""
        if "si" in attrs:
            for key, double, single in _ATTR.findall(attrs):
                if key == "si":
                    shared = double or single
        if text is None:  # an empty <f/>
            return self.formulas.get(shared, "") if shared else ""
        text = _text(text)
        if shared:
            self.formulas[shared] = text
        return text

    def row(self, body: str) -> list[str]:
        """A row with a cell of another shape: every cell read attribute by attribute."""
        cells: list[str] = []
        for attrs, content in _ANY_CELL.findall(body):
            col = rest = ""
            for key, double, single in _ATTR.findall(attrs):
                text = double or single
                if key == "r":
                    col = text.rstrip("0123456789").upper()
                elif key in ("s", "t"):
                    rest += f' {key}="{text}"'
            if "<f" in content and (formula := _FORMULA.search(content)) is not None:
                text = "=" + self.formula(*formula.groups())
            elif "inlineStr" in rest:
                text = _rich_text(content)
            else:
                found = _VALUE.search(content)
                text = self.value(rest, found.group(1) if found else "", "")
            if col:
                column = column_index(col)
                if column < len(cells):  # out of order: placed all the same
                    cells[column] = text
                    continue
                cells.extend([""] * (column - len(cells)))
            cells.append(text)
        return cells


_PLACINGS: dict[tuple[str, ...], Callable[[list[str]], Any]] = {}


def _placing(columns: tuple[str, ...]) -> Callable[[list[str]], Any]:
    """How to spread a sparse row's values, followed by one "" for the gaps, to their columns; kept
    for each set of columns, as the rows of a sheet tend to have the same gaps."""
    indexes = [_COLUMN_INDEX[col] if col in _COLUMN_INDEX else column_index(col) for col in columns]
    source = [len(columns)] * (max(indexes) + 1)
    for position, index in enumerate(indexes):  # a column written twice: the last one wins
        source[index] = position
    placing: Callable[[list[str]], Any] = (
        operator.itemgetter(*source) if len(source) > 1 else lambda row: (row[source[0]],)
    )
    if len(_PLACINGS) < 4096:
        _PLACINGS[columns] = placing
    return placing


def _clean(text: str, prefix: str) -> str:
    if prefix:
        text = text.replace("<" + prefix, "<").replace("</" + prefix, "</")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _number(text: str) -> str:
    """A number as Excel shows it in General format: a whole number without ".0" or exponent, and
    at most 15 significant digits (writers put 17 in the file: 0.10000000000000001)."""
    if text.endswith(".0"):
        return text[:-2]
    try:
        if "E" in text or "e" in text:
            value = float(text)
            if value.is_integer() and abs(value) < 1e18:
                return str(int(value))
        elif len(text) > 16 and "." in text:
            return f"{float(text):.15g}"
    except ValueError:  # not a number after all
        pass
    return text


def _serial_date(raw: str, epoch: dt.date = EXCEL_EPOCH) -> str:
    try:
        serial = float(raw)
    except ValueError:  # not a number: as written
        return raw
    if serial < 1 or serial > 2958465:
        return _number(raw)
    return (epoch + dt.timedelta(days=int(serial))).isoformat()
