"""A streaming reader for the first sheet of an .xlsx file: fast and in flat memory.

openpyxl's read-only mode streams but builds a Python object per cell (≈ 8,000–14,000 rows/s here);
python-calamine is fast but holds the whole sheet. An import only needs each cell's text, so this
reader inflates the sheet's XML in blocks, decodes each block once, splits it into rows and picks
each row's cells out with one regular expression, keeping only the shared strings table and one
block in memory (bench/bench_xlsx.py: ≈ 95,000–110,000 rows/s of CPU, faster than calamine, in
flat memory).

The expression reads the cell shapes every common writer uses (Excel, LibreOffice, openpyxl,
xlsxwriter, WPS, Google Sheets): r first, then any other attributes; then nothing, a <v> value or a
plain inline string. A shared string's index comes out in a group of its own, so most cells cost one
int() and one list lookup. A row with any other cell (r not first or absent, a formula, rich inline
text, whitespace between elements, single quotes) is read cell by cell, attribute by attribute; a
count of "<c" per row tells which rows those are. A namespace prefix on the main namespace
(<x:row>, <x:c>) is removed from each block before matching.

Cells come out as text: shared and inline strings as written (rich text joined, phonetic hints
left out, XML entities and _xHHHH_ escapes decoded, white space kept, line ends normalised as XML
parsers do); numbers as Excel shows them in General format, from the double they hold (a whole
number below 10^15 without ".0", any other with at most 15 significant digits and an exponent
written "E": 6.6888842192061607E-2 is 0.0668888421920616, 1E+20 stays 1E+20; digits alone, as a CCCD
stored as a number, stay as written); cells whose style is a date format as ISO dates
("1980-03-15", in the 1900 or the 1904 date system; in the 1900 system serial 1 is 1 January 1900,
as Excel counts it), as are t="d" cells; cells whose format is a time of day ("h:mm") as "hh:mm:ss"
and a duration ("[h]:mm:ss") as "h:mm:ss", never as dates; a style the workbook does not have as
General (as the libraries read it); booleans as "1"/"0" and errors as written ("#N/A"); formulas as
"=" plus the formula, so that the import can refuse them (the other cells of a shared formula,
which carry no text of their own, get the text of its first cell). Cells are placed by their r
reference (sparse columns get "" between them; out of order or a column written twice: the last
wins), or after the previous cell when there is none. Rows missing from the XML (empty rows) come
out as empty lists, so row numbers always match Excel's. Merged ranges are collected in `merged`
as the sheet's tail is read.

Parts are found as the package's relationships name them (the workbook, its first worksheet,
shared strings, styles), without regard to case or to "\\" in part names; Strict Open XML and
UTF-16 parts are read. A file a careful reader refuses raises NotASpreadsheet with a Vietnamese
message, naming the cell where there is one ("Ô C7: …"), within bounded time and memory: the
limits are in one block below (MAX_PART_BYTES … MAX_COLUMNS). Checked against 408 real files and
the hostile set by tests/members/test_xlsx_corpus.py.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import io
import itertools
import operator
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from dangbo.rules.vietnamese import format_number

BLOCK = 1 << 18  # 256 KiB of inflated XML: as fast as 1 or 4 MiB, less memory

# --- Limits: what a hostile file may cost (docs/decisions.md, "The .xlsx reader against real and
# hostile files"). A part above a limit is refused before it is read when its declared size says so,
# and while it is read when the inflated bytes counted say so (declared sizes can lie).
MAX_PART_BYTES = 2 << 30  # one part inflated: a 1,000,000-row register's sheet is ≈ 0.5 GiB
MAX_RATIO = 200  # inflated : compressed of a part larger than RATIO_GRACE (the corpus: ≤ 41)
RATIO_GRACE = 16 << 20  # smaller parts may compress better; they are cheap to read anyway
MAX_XML_PART_BYTES = 64 << 20  # workbook.xml, styles.xml and relationships, parsed by ElementTree
MAX_ELEMENT_BYTES = 16 << 20  # one <row> or <si> (Excel holds at most 32,767 characters in a cell)
MAX_SHARED_STRINGS = 8_000_000  # items of the shared strings table, all held in memory
MAX_STYLES = 1_000_000  # cell formats (Excel itself allows 64,000)
MAX_DEPTH = 64  # element nesting in the parts parsed by ElementTree (real files: < 10)
MAX_ROWS = 1_048_576  # Excel's last row
MAX_COLUMNS = 16384  # XFD

MAIN_URIS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict Open XML
)
MAIN_URI = MAIN_URIS[0]

# Built-in number formats (ECMA-376 §18.8.30) that are dates, and those that are times of day or
# durations (which come out as "hh:mm:ss", not as dates).
DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58})
TIME_FORMAT_IDS = frozenset({18, 19, 20, 21, 32, 33, 45, 47, 55, 56})
DURATION_FORMAT_IDS = frozenset({46})
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
_VALUE = re.compile(r"<v(?:\s[^>]*)?>((?:[^<]|<!\[CDATA\[.*?\]\]>)*)</v>", re.S)
# A formula: its attributes, and its text unless the element is empty (the other cells of a
# shared formula: <f t="shared" si="0"/>).
_FORMULA = re.compile(r"<f\b([^>]*?)(?:/>|>([^<]*)</f>)")
_TEXT = re.compile(r"<t(\s[^>]*)?(?<!/)>(.*?)</t>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SI_PLAIN = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
_SI = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|(<si\s*/>|<si\b.*?</si>)', re.S)
_ENTITY = re.compile(r"&(?:(#x[0-9a-fA-F]{1,8}|#[0-9]{1,10}|amp|lt|gt|quot|apos);)?")
_OOXML_ESCAPE = re.compile(
    r"_x([0-9A-Fa-f]{4})_(?:(?<=_x[dD][89abAB][0-9A-Fa-f]{2}_)_x([dD][c-fC-F][0-9A-Fa-f]{2})_)?"
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')
_MERGE = re.compile(r'<mergeCell\b[^>]*\bref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_PREFIX = re.compile(
    rb'xmlns:([A-Za-z_][\w.-]*)="(?:' + b"|".join(re.escape(uri.encode()) for uri in MAIN_URIS) + b')"'
)


class NotASpreadsheet(Exception):
    """The file is not an .xlsx workbook this reader understands, or it is one a careful reader
    refuses; the message says why in Vietnamese, naming the cell where there is one ("Ô C7: …")."""


class _BadText(ValueError):
    """Text that is not XML: the reason, in Vietnamese (the caller adds where)."""


def _refuse(reason: str) -> NotASpreadsheet:
    return NotASpreadsheet(reason)


def _char(code: int, written: str) -> str:
    # XML 1.0's Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    if (
        code in (9, 10, 13)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        return chr(code)
    raise _BadText(f"tham chiếu ký tự không hợp lệ ({written})")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name is None:
        raise _BadText("ký tự & không mở đầu một thực thể XML hợp lệ")
    if name.startswith("#x"):
        return _char(int(name[2:], 16), f"&{name};")
    if name.startswith("#"):
        return _char(int(name[1:]), f"&{name};")
    return _ENTITIES[name]


def _escape(match: re.Match[str]) -> str:
    """An _xHHHH_ escape; a surrogate pair is written as two escapes."""
    high, low = match.group(1), match.group(2)
    code = int(high, 16)
    if low is not None:
        return chr(0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00))
    if 0xD800 <= code <= 0xDFFF:
        raise _BadText(f"mã thoát _x{high}_ là nửa cặp UTF-16, không phải ký tự")
    return chr(code)


def _unescape(text: str) -> str:
    """XML entities, then Excel's _xHHHH_ escapes (_x005F_ is a literal underscore). An undefined
    entity, a reference to a code point XML does not allow or a lone surrogate raises _BadText."""
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(_escape, text)
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
    """The text of a <si> or <is>: its <t>, or the <t> of each run; phonetic hints left out.
    White space is kept as written, with or without xml:space="preserve" (as XML and openpyxl
    read it; calamine trims a <t> without it)."""
    if "<rPh" in content:
        content = _PHONETIC.sub("", content)
    return "".join(_text(raw) for _attrs, raw in _TEXT.findall(content))


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


_NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
_DECLARED_ENCODING = re.compile(r"""^(\ufeff?<\?xml[^>]*?)encoding=["'][^"']*["']""")
_CELL_REF = re.compile(rb'<c\b[^>]*?\br\s*=\s*["\']([A-Za-z]+[0-9]+)["\']')


def _refuse_dtd(head: bytes, name: str) -> None:
    """OOXML parts may not carry a DTD (ECMA-376 part 2, §8.1.6): one is refused before it is read,
    so entity expansion ("billion laughs") and external entities never happen."""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise _refuse(f"Phần {name} của tệp có khai báo DTD, điều tệp .xlsx không được có.")


def _parse(data: bytes, name: str) -> ElementTree.Element:
    root: ElementTree.Element | None = None
    depth = 0
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        if event == "start":
            root = element if root is None else root
            depth += 1
            if depth > MAX_DEPTH:
                raise _refuse(f"Phần {name} của tệp lồng nhau quá {MAX_DEPTH} tầng.")
        else:
            depth -= 1
    if root is None:
        raise ElementTree.ParseError(name)
    return root


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: relative to the source's folder, or absolute."""
    target = unquote(target).replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    resolved = posixpath.normpath(posixpath.join(folder, target))
    while resolved.startswith("../"):
        resolved = resolved[3:]
    return resolved


def _too_long(name: str, tag: str) -> str:
    what = "Một dòng của trang tính" if tag == "row" else "Một chuỗi dùng chung"
    return f"{what} trong tệp dài quá {MAX_ELEMENT_BYTES // (1 << 20)} MB (phần {name})."


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"<c", 0, exc.start)
        found = _CELL_REF.match(data, start) if start >= 0 else None
        if found and data.find(b"</c>", found.end(), exc.start) < 0:
            where = f"Ô {found.group(1).decode('ascii').upper()}"
        else:
            where = f"Phần {name} của tệp"
        raise _refuse(
            f"{where}: chứa byte không phải UTF-8 (tệp hỏng hoặc không phải do Excel lưu)."
        ) from None


_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_FORMAT_PARTS = re.compile(r"y+|m+|d+|h+|s+")


def _format_kind(fmt: int, code: str | None) -> str:
    """ "date" for a date (or date and time) format, "time" for a time of day, "duration" for
    elapsed time ([h]:mm:ss), "" for any other (a number)."""
    if code is None:
        if fmt in DATE_FORMAT_IDS:
            return "date"
        if fmt in TIME_FORMAT_IDS:
            return "time"
        return "duration" if fmt in DURATION_FORMAT_IDS else ""
    lower = code.lower()
    if re.search(r"\[(h+|m+|s+)\]", lower):
        return "duration"
    bare = _FORMAT_LITERALS.sub("", lower).split(";")[0]
    if "general" in bare:
        return ""
    parts = _FORMAT_PARTS.findall(bare)
    date = time = False
    for index, part in enumerate(parts):
        if part[0] == "m":  # minutes right after hours or right before seconds, else months
            minutes = (index and parts[index - 1][0] == "h") or (
                index + 1 < len(parts) and parts[index + 1][0] == "s"
            )
            date, time = date or not minutes, time or bool(minutes)
        elif part[0] in "yd":
            date = True
        else:
            time = True
    return "date" if date else "time" if time else ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _relationship_id(element: ElementTree.Element) -> str | None:
    """The r:id of an element, in the transitional or the strict relationships namespace."""
    for key, value in element.attrib.items():
        if key.endswith("}id") and "relationships" in key:
            return value
    return None


def _part_key(name: str) -> str:
    """Part names compare without case, with "\\" as "/" (OPC; some writers on Windows)."""
    return name.replace("\\", "/").lstrip("/").lower()


class Workbook:
    """The first worksheet of an .xlsx file, read row by row."""

    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise _refuse(_NOT_XLSX) from None
        try:
            self.parts = {_part_key(info.filename): info for info in self.zip.infolist()}
            book = self._find_workbook()
            self.sheet_name, self.epoch, rels = self._first_sheet(book)
            self.strings = self._shared_strings(rels.get("sharedStrings"))
            self.date_styles, self.time_styles, self.styles_count = self._styles(rels.get("styles"))
            head = self._head(self.sheet_name)
        except NotASpreadsheet:
            self.zip.close()
            raise
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError, EOFError) as exc:
            self.zip.close()
            raise _refuse(_NOT_XLSX) from exc
        except MemoryError:
            self.zip.close()
            raise _refuse("Tệp cần quá nhiều bộ nhớ để đọc.") from None
        self.merged: list[tuple[int, int, int, int]] = []  # first row, first column, last row, last column
        found = _DIMENSION.search(head)
        # The last row the writer declares (used only to show progress), if it declares one.
        self.dimension_rows = int(found.group(1)) if found else None

    def close(self) -> None:
        self.zip.close()

    # --- Parts: found without regard to case, sized before and while they are inflated ---------

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self.parts.get(_part_key(name))
        if info is None:
            raise KeyError(name)
        return info

    def _has(self, name: str) -> bool:
        return _part_key(name) in self.parts

    @staticmethod
    def _check_declared(info: zipfile.ZipInfo) -> None:
        if info.file_size > MAX_PART_BYTES:
            raise _refuse(
                f"Phần {info.filename} của tệp giải nén ra {format_number(info.file_size // (1 << 20))} MB, quá giới hạn "
                f"{format_number(MAX_PART_BYTES // (1 << 20))} MB (có thể là một “bom nén”)."
            )
        if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(f"Phần {info.filename} của tệp nén quá {MAX_RATIO} lần (có thể là một “bom nén”).")

    def _stream(self, name: str, limit: int = MAX_PART_BYTES) -> Iterator[bytes]:
        """A part's bytes in blocks, as UTF-8 (a UTF-16 part, which OPC allows, is re-encoded),
        counting what is actually inflated against the limits."""
        info = self._info(name)
        self._check_declared(info)  # before anything is inflated (parts never read are not checked)
        if info.file_size > limit:
            raise _refuse(
                f"Phần {info.filename} của tệp lớn quá ({format_number(info.file_size // (1 << 20))} MB)."
            )
        ratio_limit = MAX_RATIO * max(info.compress_size, 1)
        inflated = 0
        with self.zip.open(info) as handle:
            first = handle.read(BLOCK)
            decoder = None
            if first.startswith((b"\xff\xfe", b"\xfe\xff")) or first[:2] in (b"<\x00", b"\x00<"):
                encoding = (
                    "utf-16"
                    if first[:2] in (b"\xff\xfe", b"\xfe\xff")
                    else ("utf-16-le" if first[:1] == b"<" else "utf-16-be")
                )
                decoder = codecs.getincrementaldecoder(encoding)()
            data = first
            while data:
                inflated += len(data)
                if inflated > limit or (inflated > RATIO_GRACE and inflated > ratio_limit):
                    raise _refuse(
                        f"Phần {info.filename} của tệp giải nén ra quá nhiều dữ liệu (có thể là một “bom nén”)."
                    )
                if decoder is not None:
                    try:
                        text = decoder.decode(data)
                    except UnicodeDecodeError:
                        raise _refuse(
                            f"Phần {info.filename} của tệp không phải văn bản UTF-16 hợp lệ."
                        ) from None
                    if not inflated - len(data):  # the first block: its declaration says UTF-8 now
                        text = _DECLARED_ENCODING.sub(r'\1encoding="UTF-8"', text, count=1)
                    data = text.encode("utf-8", "surrogatepass")
                yield data
                data = handle.read(BLOCK)

    def _read_small(self, name: str) -> bytes:
        data = b"".join(self._stream(name, MAX_XML_PART_BYTES))
        _refuse_dtd(data[:BLOCK], name)
        return data

    def _xml(self, name: str) -> ElementTree.Element:
        """A small part (workbook, relationships) as a tree, refused when nested too deep."""
        return _parse(self._read_small(name), name)

    def _find_workbook(self) -> str:
        """The workbook part: as the package's relationships name it, else xl/workbook.xml."""
        if self._has("_rels/.rels"):
            try:
                rels = self._xml("_rels/.rels")
            except (zipfile.BadZipFile, ElementTree.ParseError):  # damaged: the usual place, then
                rels = ElementTree.Element("Relationships")
            for rel in rels.iter():
                if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/officeDocument"):
                    target = _resolve("", rel.get("Target", ""))
                    if self._has(target):
                        return target
        if self._has("xl/workbook.xml"):
            return "xl/workbook.xml"
        raise _refuse(_NOT_XLSX)

    def _first_sheet(self, book_name: str) -> tuple[str, dt.date, dict[str, str]]:
        """The first worksheet's part name (chartsheets and dialog sheets are skipped), the date
        system's day 0, and the workbook's other parts by relationship type."""
        book = self._xml(book_name)
        namespace = book.tag[1:].partition("}")[0]
        if namespace not in MAIN_URIS:  # e.g. Excel 2007's beta format (…/office/excel/2006/2)
            raise _refuse(
                f"Tệp không theo định dạng .xlsx chuẩn (bảng tính kiểu “{namespace}”): hãy lưu lại bằng Excel."
            )
        folder, _, base = book_name.rpartition("/")
        rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        targets: dict[str, tuple[str, str]] = {}  # id → (type, part name)
        by_type: dict[str, str] = {}
        if self._has(rels_name):
            for rel in self._xml(rels_name).iter():
                if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                    continue
                kind = rel.get("Type", "").rpartition("/")[2]
                target = _resolve(folder, rel.get("Target", ""))
                targets[rel.get("Id", "")] = (kind, target)
                by_type.setdefault(kind, target)
        date1904 = False
        sheets: list[str | None] = []
        for element in book.iter():
            name = _local(element.tag)
            if name == "workbookPr":
                date1904 = element.get("date1904", "") in ("1", "true")
            elif name == "sheet":
                rel_id = _relationship_id(element)
                sheets.append(rel_id)
        epoch = EPOCH_1904 if date1904 else EXCEL_EPOCH
        for rel_id in sheets:
            kind, target = targets.get(rel_id or "", ("", ""))
            if kind == "worksheet" and self._has(target):
                return target, epoch, by_type
        if not sheets:
            raise _refuse("Tệp Excel không có trang tính nào.")
        raise _refuse("Không tìm thấy trang tính dữ liệu đầu tiên trong tệp Excel.")

    def _shared_strings(self, name: str | None) -> list[str]:
        if name is None or not self._has(name):
            name = "xl/sharedStrings.xml"
            if not self._has(name):
                return []
        strings: list[str] = []
        position = 0
        for block in self._text_blocks(name, "si"):
            items = _SI_PLAIN.findall(block)
            try:
                if len(items) != block.count("<si"):  # rich text, phonetic hints, empty items
                    items = [
                        _rich_text(other) if other else _unescape(text) for text, other in _SI.findall(block)
                    ]
                elif "&" in block or "_x" in block:
                    items = [_unescape(text) for text in items]
            except _BadText:
                for number, (text, other) in enumerate(_SI.findall(block), position):
                    try:
                        _rich_text(other) if other else _unescape(text)
                    except _BadText as exc:
                        raise _refuse(
                            f"Chuỗi dùng chung thứ {format_number(number + 1)} của tệp: {exc}."
                        ) from None
                raise
            strings.extend(items)
            position += len(items)
            if position > MAX_SHARED_STRINGS:
                raise _refuse(
                    f"Bảng chuỗi dùng chung của tệp có quá {format_number(MAX_SHARED_STRINGS)} chuỗi."
                )
        return strings

    def _styles(self, name: str | None) -> tuple[frozenset[str], dict[str, str], int]:
        """The style indexes (as written in s="…") whose number format is a date, those whose
        format is a time of day or a duration, and how many styles there are (0: no styles part)."""
        if name is None or not self._has(name):
            name = "xl/styles.xml"
            if not self._has(name):
                return frozenset(), {}, 0
        custom: dict[int, str] = {}
        xfs: list[int] = []
        depth = 0
        in_xfs = in_formats = False
        data = self._read_small(name)
        for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _refuse(f"Phần {name} của tệp lồng nhau quá {MAX_DEPTH} tầng.")
                local = _local(element.tag)
                if local == "cellXfs":
                    in_xfs = True
                elif local == "numFmts":
                    in_formats = True
                continue
            depth -= 1
            local = _local(element.tag)
            if local == "numFmt" and in_formats:  # not those of conditional formats (<dxf>)
                with contextlib.suppress(ValueError):
                    custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif local == "xf" and in_xfs:
                try:
                    xfs.append(int(element.get("numFmtId", "0")))
                except ValueError:
                    xfs.append(0)
                if len(xfs) > MAX_STYLES:
                    raise _refuse(f"Tệp có quá {format_number(MAX_STYLES)} kiểu định dạng ô.")
            elif local == "cellXfs":
                in_xfs = False
            elif local == "numFmts":
                in_formats = False
            if depth > 1:
                element.clear()
        dates, times = set(), {}
        for index, fmt in enumerate(xfs):
            kind = _format_kind(fmt, custom.get(fmt))
            if kind == "date":
                dates.add(str(index))
            elif kind:
                times[str(index)] = kind
        return frozenset(dates), times, len(xfs)

    def _head(self, name: str) -> bytes:
        for block in self._stream(name):
            return block
        return b""

    def _text_blocks(self, name: str, tag: str) -> Iterator[str]:
        """A part's XML as text in blocks, each cut after the last complete <tag> element and
        without the main namespace's prefix; the tail last. Line ends are normalised as XML
        parsers do (a carriage return the writer meant is written &#13; or _x000D_). An element
        longer than MAX_ELEMENT_BYTES, a DTD and bytes that are not UTF-8 are refused."""
        prefix = ""
        end = f"</{tag}>".encode()
        carry = b""
        first = True
        for data in self._stream(name):
            if first:
                first = False
                _refuse_dtd(data, name)
                found = _PREFIX.search(data)
                if found:
                    prefix = found.group(1).decode("ascii") + ":"
                    end = f"</{prefix}{tag}>".encode()
            searched = max(0, len(carry) - len(end))  # the carry holds no complete element
            data = carry + data if carry else data
            cut = data.rfind(end, searched)
            if cut < 0:
                if len(data) > MAX_ELEMENT_BYTES:
                    raise _refuse(_too_long(name, tag))
                carry = data
                continue
            cut += len(end)
            carry = data[cut:]
            yield _clean(_decode(data[:cut], name), prefix)
        if len(carry) > MAX_ELEMENT_BYTES:
            raise _refuse(_too_long(name, tag))
        yield _clean(_decode(carry, name), prefix)

    def rows(self) -> Iterator[list[str]]:
        """The sheet's rows; a cell or row a careful reader refuses raises NotASpreadsheet naming it
        ("Ô C7: …"), as does a damaged zip found only while inflating."""
        try:
            yield from self._rows()
        except zipfile.BadZipFile:
            raise _refuse(_NOT_XLSX) from None
        except (EOFError, OSError):  # a truncated or corrupt deflate stream
            raise _refuse(_NOT_XLSX) from None
        except MemoryError:
            raise _refuse("Tệp cần quá nhiều bộ nhớ để đọc.") from None

    def _rows(self) -> Iterator[list[str]]:
        values = _Values(self.strings, self.date_styles, self.epoch, self.time_styles, self.styles_count)
        strings, numbers, value = self.strings, values.numbers, values.value
        placings, prefixes, first = _PLACINGS, _PREFIXES, operator.itemgetter(0)
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
                if not expected <= row_number <= MAX_ROWS:
                    raise _bad_row(row_number, expected)
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
                    yield values.row(chunk[start:], row_number)
                    continue
                try:
                    row = [
                        strings[int(shared)]
                        if shared
                        else (inline if plain else _unescape(inline))
                        if inline
                        else v
                        if rest in numbers and v.isdigit() and len(v) < 16
                        else value(rest, v, text)
                        for _, shared, inline, rest, v, text in found
                    ]
                    columns = tuple(map(first, found))
                    if columns != (prefixes.get(len(columns)) or _prefix(len(columns))):
                        # sparse columns, out of order or written twice
                        placing = placings.get(columns) or _placing(columns)
                        row.append("")  # what the gaps get
                        row = list(placing(row))
                except (IndexError, ValueError, KeyError):  # read again cell by cell to say which
                    row = values.row(chunk[start:], row_number)
                yield row
            if "<mergeCell" in block:
                for a, r1, b, r2 in _MERGE.findall(block):
                    first_col = column_index(a)
                    self.merged.append(
                        (int(r1), first_col, int(r2 or r1), column_index(b) if b else first_col)
                    )


def _bad_row(number: int, expected: int) -> NotASpreadsheet:
    if number < 1:
        return _refuse(f"Dòng {number}: số dòng không hợp lệ (dòng đầu tiên là dòng 1).")
    if number > MAX_ROWS:
        return _refuse(
            f"Dòng {format_number(number)}: quá dòng cuối cùng Excel cho phép ({format_number(MAX_ROWS)})."
        )
    return _refuse(
        f"Dòng {format_number(number)} được ghi sau dòng {format_number(expected - 1)}: "
        "hãy mở tệp bằng Excel và lưu lại."
    )


class _Values:
    """Turns a cell's type, style and content into its text. Remembers the style and type of each
    attribute tail (what follows r="…"), and which tails are plain numbers, so that most cells are
    read without looking at their attributes again."""

    def __init__(
        self,
        strings: list[str],
        date_styles: frozenset[str],
        epoch: dt.date,
        time_styles: dict[str, str] | None = None,
        styles_count: int = 0,
    ) -> None:
        self.strings, self.date_styles, self.epoch = strings, date_styles, epoch
        self.time_styles, self.styles_count = time_styles or {}, styles_count
        self.numbers: set[str] = set()
        self.kinds: dict[str, tuple[str, str]] = {}
        self.formulas: dict[str, str] = {}  # shared formulas' text by their si

    def attributes(self, rest: str) -> tuple[str, str]:
        """(style, type) of an attribute tail; a style the styles part does not have is refused."""
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
            if kind in ("", "n") and style not in self.date_styles and style not in self.time_styles:
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
                if style in self.time_styles:
                    return _serial_time(value, self.time_styles[style])
                return value if value.isdigit() and len(value) < 16 else _number(value)
            if kind == "d":
                return _iso(_unescape(value))
            if kind == "inlineStr":  # a <v> where the type says inline text
                return ""
            return _text(value) if "<!" in value else _unescape(value)  # str, b, e
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

    def row(self, body: str, row_number: int) -> list[str]:
        """A row with a cell of another shape (or a cell to refuse): every cell read attribute by
        attribute; a cell that cannot be read is refused with its reference."""
        cells: list[str] = []
        for attrs, content in _ANY_CELL.findall(body):
            col = rest = ""
            for key, double, single in _ATTR.findall(attrs):
                text = double or single
                if key == "r":
                    col = text.rstrip("0123456789").upper()
                elif key in ("s", "t"):
                    rest += f' {key}="{text}"'
            where = (
                f"{col}{row_number}" if col else f"{_column_name(min(len(cells), MAX_COLUMNS))}{row_number}"
            )
            column = len(cells)
            if col:
                column = (
                    _COLUMN_INDEX.get(col, MAX_COLUMNS) if col.isalpha() and col.isascii() else MAX_COLUMNS
                )
            if column >= MAX_COLUMNS:
                raise _refuse(f"Ô {where}: quá cột cuối cùng Excel cho phép (XFD).")
            try:
                if "<f" in content and (formula := _FORMULA.search(content)) is not None:
                    text = "=" + self.formula(*formula.groups())
                elif "inlineStr" in rest:
                    text = _rich_text(content)
                else:
                    found = _VALUE.search(content)
                    text = self.value(rest, found.group(1) if found else "", "")
            except _BadText as exc:
                raise _refuse(f"Ô {where}: {exc}.") from None
            except IndexError:
                raise _refuse(
                    f"Ô {where}: chuỗi dùng chung số {_VALUE.search(content).group(1)} "  # type: ignore[union-attr]
                    f"không có trong tệp ({format_number(len(self.strings))} chuỗi)."
                ) from None
            except ValueError:
                raise _refuse(f"Ô {where}: chỉ số chuỗi dùng chung không phải là số.") from None
            if column < len(cells):  # out of order: placed all the same
                cells[column] = text
                continue
            cells.extend([""] * (column - len(cells)))
            cells.append(text)
        return cells


_PLACINGS: dict[tuple[str, ...], Callable[[list[str]], Any]] = {}
_PREFIXES: dict[int, tuple[str, ...]] = {}


def _prefix(n: int) -> tuple[str, ...]:
    """The columns of a row of n cells with no gap: A, B, … (empty past XFD: never matched)."""
    prefix = tuple(_COLUMN_NAMES[:n]) if n <= MAX_COLUMNS else ()
    _PREFIXES[n] = prefix
    return prefix


def _placing(columns: tuple[str, ...]) -> Callable[[list[str]], Any]:
    """How to spread a sparse row's values, followed by one "" for the gaps, to their columns; kept
    for each set of columns, as the rows of a sheet tend to have the same gaps."""
    indexes = [_COLUMN_INDEX[col] for col in columns]  # KeyError past XFD: the row is read cell by cell
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
    """A number as Excel shows it in General format, from the value it holds (a double): a whole
    number below 10^15 without ".0" or exponent, any other with at most 15 significant digits
    (writers put 17 in the file: 0.10000000000000001 is 0.1, 6.6888842192061607E-2 is
    0.0668888421920616), an exponent written "E" (1E+20, 1.5E-05). Text that is not a number is
    kept as written."""
    try:
        value = float(text)
    except ValueError:  # not a number after all
        return text
    if value != value or value in (_INF, -_INF) or "_" in text:
        return text
    return _general(value)


_INF = float("inf")


def _general(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    written = f"{value:.15g}"
    return written.replace("e", "E") if "e" in written else written


def _serial_date(raw: str, epoch: dt.date = EXCEL_EPOCH) -> str:
    """A date serial as an ISO date (a time of day in it is left out). In the 1900 system the days
    before 1 March 1900 count Excel's 29 February 1900, which did not exist: serial 1 is
    1 January 1900, serial 60 (that 29 February) comes out as 28 February."""
    try:
        serial = float(raw)
    except ValueError:  # not a number: as written
        return raw
    if serial < (0 if epoch == EPOCH_1904 else 1) or serial >= 2958466:
        return _number(raw)
    days = int(serial)
    if epoch == EXCEL_EPOCH and days < 61:  # 60 is the 29 February that was not
        return (dt.date(1899, 12, 31) + dt.timedelta(days=min(days, 59))).isoformat()
    return (epoch + dt.timedelta(days=days)).isoformat()


_ISO_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)$")


def _iso(text: str) -> str:
    """A t="d" cell's ISO 8601 text: a date or date and time as its date, a time of day as
    "hh:mm:ss" rounded to the second; anything else (a duration "PT24H0M0S") as written."""
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return text[:10]
    found = _ISO_TIME.match(text)
    if found:
        hours, minutes, seconds = found.groups()
        return _serial_time(str((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) / 86400), "time")
    return text


def _serial_time(raw: str, kind: str) -> str:
    """A time of day ("hh:mm:ss", of the fraction of the day) or a duration ("h:mm:ss", hours
    counted past 24), rounded to the second."""
    try:
        serial = float(raw)
    except ValueError:
        return raw
    if serial != serial or abs(serial) > 1e9:
        return _number(raw)
    seconds = round(serial * 86400)
    if kind != "duration":
        hours, rest = divmod(seconds % 86400, 3600)
        return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
