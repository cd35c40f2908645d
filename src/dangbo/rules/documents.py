"""Document numbers ("số và ký hiệu"): parsing, canonical text, references in running text, terms.

Pure Python. Source (../shared/docs/rules.md §4): Hướng dẫn 36-HD/VPTW of 03/4/2018 (Party
documents) and Nghị định 30/2020/NĐ-CP (state documents).

- Party: ``69-NQ/ĐU`` — number, hyphen, type code, slash, issuer code.
- State: ``28/CT-TTg``, ``30/2020/NĐ-CP`` (number, [year,] type code, hyphen, issuer) and
  ``06/2022/QH15`` (laws and other acts of the National Assembly: number, year, issuer — no type code;
  represented with ``type_code == ""``).

Decisions:
- A symbol has no spaces inside: "69 - NQ/ĐU" is refused by `parse_symbol` and skipped by
  `extract_references`. Hyphen look-alikes (‐ ‑ – −) and the eth look-alike of Đ (Ð, ð) are read as
  "-" and "Đ"/"đ", and written canonically.
- Codes are ASCII letters, Đ/đ and (in issuers) digits, starting with a capital letter: "CTr", "QĐi",
  "TTg", "QH15". Abbreviations drop every other diacritic, so codes are the same in NFC and NFD.
- Numbers run from 1 to 9999, written with at most four digits; numbers below 10 get a leading zero in
  both systems ("09-CTr/ĐUK", "05/CT-TTg"): numbering starts at 01 (36-HD/VPTW; NĐ 30/2020).
- Unknown type codes of the right shape are accepted; `DOC_TYPES` names the known ones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import Literal

from dangbo.rules.vietnamese import fold, format_date_long

__all__ = [
    "COLLECTIVE_BODIES",
    "DEFAULT_PLACE",
    "DOC_TYPES",
    "SIGNING_POSTS",
    "DocRef",
    "DocSymbol",
    "System",
    "extract_references",
    "format_symbol",
    "issuer_title",
    "parse_symbol",
    "place_date_line",
    "signature_lines",
    "term_of",
    "type_name",
]

System = Literal["party", "state"]

# ⚠ Type codes (rules.md §4; check against the official appendices). "TT" is a thông tri in the
# Party and a thông tư in the state, hence one table per system.
DOC_TYPES: Mapping[System, Mapping[str, str]] = MappingProxyType(
    {
        "party": MappingProxyType(
            {
                "NQ": "Nghị quyết",
                "QĐ": "Quyết định / Quy định",
                "QĐi": "Quy định",  # exception seen: 07-QĐi/TW
                "CT": "Chỉ thị",
                "KL": "Kết luận",
                "QC": "Quy chế",
                "TT": "Thông tri",
                "HD": "Hướng dẫn",
                "TB": "Thông báo",
                "BC": "Báo cáo",
                "KH": "Kế hoạch",
                "CTr": "Chương trình",
                "ĐA": "Đề án",
                "TTr": "Tờ trình",
                "CV": "Công văn",
                "BB": "Biên bản",
            }
        ),
        "state": MappingProxyType(
            {
                "NĐ": "Nghị định",
                "TT": "Thông tư",
                "TTLT": "Thông tư liên tịch",
                "NQ": "Nghị quyết",
                "QĐ": "Quyết định",
                "CT": "Chỉ thị",
                "QC": "Quy chế",
                "HD": "Hướng dẫn",
                "TB": "Thông báo",
                "BC": "Báo cáo",
                "KH": "Kế hoạch",
                "CTr": "Chương trình",
                "PA": "Phương án",
                "ĐA": "Đề án",
                "TTr": "Tờ trình",
                "BB": "Biên bản",
                "HĐ": "Hợp đồng",
                "CĐ": "Công điện",
                "GM": "Giấy mời",
                # NĐ 30/2020 gives công văn no type code (1234/BTTTT-VP, read as type "BTTTT");
                # "CV" is seen in practice.
                "CV": "Công văn",
            }
        ),
    }
)


def type_name(code: str, system: System = "party") -> str | None:
    """The Vietnamese name of a type code in `system` (Party by default); None if unknown."""
    return DOC_TYPES[system].get(unicodedata.normalize("NFC", code))


# --- Patterns ------------------------------------------------------------------------------------
# Every quantifier that could backtrack is possessive, so a search is linear in the text's length.

_HYPHEN_LOOKALIKES = "\u2010\u2011\u2013\u2212"  # hyphen, non-breaking hyphen, en dash, minus
_HYPHENS = r"\-" + _HYPHEN_LOOKALIKES  # for character classes
_UPPER = "A-ZĐÐ"
_LETTER = "A-Za-zĐđÐð"
_MARKS = r"\u0300-\u036f"  # combining diacritics (NFD text)
_TYPE = f"[{_UPPER}][{_LETTER}]*+"
_PART = f"[{_UPPER}][{_LETTER}0-9]*+"
_ISSUER = f"{_PART}(?:[{_HYPHENS}]{_PART})*+"
_CORE = (
    r"(?P<number>[0-9]++)"
    rf"(?:[{_HYPHENS}](?P<ptype>{_TYPE})/(?P<pissuer>{_ISSUER})"
    rf"|/(?:(?P<year>[0-9]{{4}})/)?(?:(?P<stype>{_TYPE})[{_HYPHENS}])?(?P<sissuer>{_ISSUER}))"
)
_SYMBOL = re.compile(_CORE)
# In running text: not glued to a word, a number or another symbol on either side.
_MENTION = re.compile(rf"(?<![\w{_MARKS}/.,{_HYPHENS}]){_CORE}(?![\w{_MARKS}]|[/{_HYPHENS}]\w)")
_PREFIX = re.compile(r"số\s*+:?\s*+", re.IGNORECASE)
_SPACED = re.compile(rf"\s*+([/{_HYPHENS}])\s*+")
# "ngày 19/5/2021", ", ngày 30-5-2019", "ngày 31 tháng 12 năm 2023" — in NFC or NFD.
_DATE = re.compile(
    r"\s*+,?\s*+[Nn]g(?:à|a\u0300)y\s++"
    r"(?:(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})"
    r"|(?P<d2>[0-9]{1,2})\s++th(?:á|a\u0301)ng\s++(?P<m2>[0-9]{1,2})\s++n(?:ă|a\u0306)m\s++(?P<y2>[0-9]{4}))"
    r"(?![0-9])"
)
_CANONICAL = str.maketrans({"Ð": "Đ", "ð": "đ", **dict.fromkeys(_HYPHEN_LOOKALIKES, "-")})
_CANONICAL_TYPE = re.compile("[A-ZĐ][A-Za-zĐđ]*")
_CANONICAL_ISSUER = re.compile("[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*")

MAX_NUMBER = 9999
_SHAPE_MESSAGE = "Số hiệu “{}” không đúng dạng số-LOẠI/CƠ QUAN (Đảng) hoặc số/LOẠI-CƠ QUAN (Nhà nước)."


# --- Symbols -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DocSymbol:
    """A document's number and symbol; codes in NFC. `year` only in state symbols that carry one."""

    number: int
    type_code: str  # "" only in state number/year/issuer symbols (laws: 06/2022/QH15)
    issuer_code: str
    year: int | None = None
    system: System

    def __post_init__(self) -> None:
        if isinstance(self.number, bool) or not 1 <= self.number <= MAX_NUMBER:
            raise ValueError(f"document number out of 1–{MAX_NUMBER}: {self.number!r}")
        if not _CANONICAL_ISSUER.fullmatch(self.issuer_code):
            raise ValueError(f"not an issuer code: {self.issuer_code!r}")
        if self.type_code and not _CANONICAL_TYPE.fullmatch(self.type_code):
            raise ValueError(f"not a type code: {self.type_code!r}")
        if self.system == "party":
            if not self.type_code or self.year is not None:
                raise ValueError("a Party symbol has a type code and no year")
        elif self.system == "state":
            if self.year is not None and not 1000 <= self.year <= 9999:
                raise ValueError(f"not a four-digit year: {self.year!r}")
            if not self.type_code and (self.year is None or "-" in self.issuer_code):
                raise ValueError("a state symbol without a type code needs a year and a one-part issuer")
        else:
            raise ValueError(f"unknown system: {self.system!r}")

    @property
    def type_name(self) -> str | None:
        return type_name(self.type_code, self.system) if self.type_code else None

    def __str__(self) -> str:
        return format_symbol(self)


@dataclass(frozen=True, kw_only=True)
class DocRef(DocSymbol):
    """A symbol found in running text: its date ("ngày …" right after it) and its offsets in that text."""

    issued_on: dt.date | None
    span: tuple[int, int]

    @property
    def symbol(self) -> DocSymbol:
        return DocSymbol(
            number=self.number,
            type_code=self.type_code,
            issuer_code=self.issuer_code,
            year=self.year,
            system=self.system,
        )


def _symbol(match: re.Match[str]) -> DocSymbol | None:
    """The symbol of a match of `_CORE`, or None if its number or form is not allowed."""
    digits = match["number"]
    if len(digits) > 4 or int(digits) == 0:
        return None
    if match["ptype"] is not None:
        return DocSymbol(
            number=int(digits),
            type_code=match["ptype"].translate(_CANONICAL),
            issuer_code=match["pissuer"].translate(_CANONICAL),
            system="party",
        )
    year, type_code = match["year"], match["stype"]
    if (year is None and type_code is None) or (year is not None and year[0] == "0"):
        return None
    return DocSymbol(
        number=int(digits),
        type_code=(type_code or "").translate(_CANONICAL),
        issuer_code=match["sissuer"].translate(_CANONICAL),
        year=None if year is None else int(year),
        system="state",
    )


def parse_symbol(text: str) -> DocSymbol:
    """Read "69-NQ/ĐU", "Số: 28/CT-TTg", "30/2020/NĐ-CP", "06/2022/QH15" (NFC or NFD).

    Raises ValueError with a Vietnamese message for anything else."""
    given = unicodedata.normalize("NFC", text).strip()
    prefix = _PREFIX.match(given)
    body = given[prefix.end() :] if prefix else given
    match = _SYMBOL.fullmatch(body)
    if match is None:
        if _SYMBOL.fullmatch(_SPACED.sub(r"\1", body)):
            raise ValueError(f"Số hiệu “{given}” không được có dấu cách bên trong.")
        raise ValueError(_SHAPE_MESSAGE.format(given))
    digits = match["number"]
    if len(digits) > 4 or int(digits) == 0:
        raise ValueError(f"Số thứ tự trong số hiệu “{given}” phải từ 1 đến {MAX_NUMBER}.")
    symbol = _symbol(match)
    if symbol is None:
        raise ValueError(_SHAPE_MESSAGE.format(given))
    return symbol


def format_symbol(symbol: DocSymbol) -> str:
    """Canonical text without "Số": "69-NQ/ĐU", "09-CTr/ĐUK", "05/CT-TTg", "30/2020/NĐ-CP", "06/2022/QH15".

    Numbers below 10 get a leading zero in both systems."""
    number = f"{symbol.number:02d}"
    if symbol.system == "party":
        return f"{number}-{symbol.type_code}/{symbol.issuer_code}"
    year = "" if symbol.year is None else f"{symbol.year}/"
    type_code = f"{symbol.type_code}-" if symbol.type_code else ""
    return f"{number}/{year}{type_code}{symbol.issuer_code}"


# --- References in running text ------------------------------------------------------------------


def _date_after(text: str, pos: int) -> dt.date | None:
    match = _DATE.match(text, pos)
    if match is None:
        return None
    if match["d"] is not None:
        day, month, year = match["d"], match["m"], match["y"]
    else:
        day, month, year = match["d2"], match["m2"], match["y2"]
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # 31/2/2021, 0/5/2021 …
        return None


def extract_references(text: str) -> list[DocRef]:
    """Every full document symbol in `text`, in order, with the date written right after it.

    "Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư" gives 03-CT/TW issued on 2021-05-19. The
    text is searched as given (codes are the same in NFC and NFD; "ngày", "tháng", "năm" are matched
    in both), so each `span` indexes the caller's string. Mentions without a full symbol ("Nghị quyết
    số 05") are not references; nor are dates, fractions, "28/38" or spaced symbols ("69 - NQ/ĐU")."""
    refs: list[DocRef] = []
    for match in _MENTION.finditer(text):
        symbol = _symbol(match)
        if symbol is not None:
            refs.append(DocRef(**asdict(symbol), issued_on=_date_after(text, match.end()), span=match.span()))
    return refs


# --- Committee terms -----------------------------------------------------------------------------


def term_of(
    day: dt.date,
    congress_close_dates: Iterable[dt.date],
    first_meetings: Mapping[dt.date, dt.date] | None = None,
) -> tuple[dt.date, dt.date | None]:
    """(first day, last day or None if still running) of the committee term containing `day`.

    A term runs from the day after one congress closes to the day the next closes; Party numbers
    restart from 01 in each term (36-HD/VPTW 1.3.1). `first_meetings` maps a congress's closing day to
    the day its new committee's first meeting opened, when that meeting took place during the
    congress: the new term then starts that day (and the previous one ends the day before).
    Raises LookupError for a day before the first term known."""
    closes = sorted(set(congress_close_dates))
    meetings = first_meetings or {}
    starts: list[dt.date] = []
    for i, close in enumerate(closes):
        meeting = meetings.get(close)
        if meeting is None:
            starts.append(close + dt.timedelta(days=1))
            continue
        if meeting > close or (i > 0 and meeting <= starts[i - 1]):
            raise ValueError(f"first meeting {meeting} is not during the congress closing on {close}")
        starts.append(meeting)
    unknown = set(meetings) - set(closes)
    if unknown:
        raise ValueError(f"first meetings of unknown congresses: {sorted(unknown)}")
    index = bisect_right(starts, day) - 1  # the last start on or before `day`
    if index < 0:
        raise LookupError(f"no committee term known on {day.isoformat()}")
    end = starts[index + 1] - dt.timedelta(days=1) if index + 1 < len(starts) else None
    return starts[index], end


# --- Layout of a Party document (36-HD/VPTW; rules.md §4) ----------------------------------------

# ⚠ The place printed before the date when no organisation up the tree names one: the seat of the
# first user's committee. Each organisation may name its own (orgs.Organisation.place).
DEFAULT_PLACE = "Hà Nội"


def place_date_line(place: str, issued_on: dt.date | None, *, year: int | None = None) -> str:
    """The place and date line: "Hà Nội, ngày 11 tháng 10 năm 2023" (day and month in two digits).

    Without a date (a draft not yet signed) the day and month are left blank to be written in by
    hand, with the year when given: "Hà Nội, ngày      tháng      năm 2026"."""
    place = unicodedata.normalize("NFC", place).strip()
    if issued_on is not None:
        return format_date_long(issued_on, place)
    blank = "\u00a0" * 5  # no-break spaces: kept by Word and by HTML alike
    text = f"ngày {blank} tháng {blank} năm {year if year is not None else blank}"
    return f"{place}, {text}" if place else text


def issuer_title(organisation_name: str) -> str:
    """The issuing body printed for a document of a party organisation: its committee.

    ⚠ A Đảng bộ's documents are issued by its committee, the Đảng ủy ("Đảng bộ Tổng công ty X" →
    "Đảng ủy Tổng công ty X", hence the issuer code ĐU); a Chi bộ issues in its own name."""
    name = " ".join(unicodedata.normalize("NFC", organisation_name).split())
    words = name.split(" ", 2)
    if len(words) >= 2 and fold(" ".join(words[:2])) == "dang bo":
        return " ".join(["Đảng ủy", *words[2:]])
    return name


# ⚠ Who signs for whom (36-HD/VPTW, the signature block): the collective body a post signs on behalf
# of ("T/M BAN THƯỜNG VỤ"), by the kind of organisation that issues (rules/orgs.OrgKind values).
# A grassroots committee without a standing committee signs "T/M ĐẢNG ỦY"; a cell "T/M CHI BỘ".
COLLECTIVE_BODIES: Mapping[str, str] = MappingProxyType(
    {
        "bloc": "BAN THƯỜNG VỤ",
        "upper": "BAN THƯỜNG VỤ",
        "grassroots": "ĐẢNG ỦY",
        "partial": "ĐẢNG ỦY",
        "grassroots_cell": "CHI BỘ",
        "cell": "CHI BỘ",
    }
)
# ⚠ How each post signs (folded post → T/M "on behalf of", K/T "for", T/L "by order of"): the
# secretary and deputies sign on behalf of the body; the head of the office by its order.
SIGNING_POSTS: Mapping[str, str] = MappingProxyType(
    {
        "bi thu": "T/M",
        "pho bi thu": "T/M",
        "pho bi thu thuong truc": "T/M",
        "chanh van phong": "T/L",
    }
)
_CAPACITY = re.compile(
    r"(?P<prefix>T/M|K/T|T/L|TM\.|KT\.|TL\.|TUQ\.)\s*+(?P<rest>.*)", re.IGNORECASE | re.DOTALL
)


def signature_lines(signer_post: str, org_kind: str | None = None) -> tuple[str, str]:
    """(capacity, post) above a signature, in upper case: ("T/M BAN THƯỜNG VỤ", "BÍ THƯ").

    A post written with its capacity is split at its last comma or line break ("T/M BAN THƯỜNG VỤ,
    BÍ THƯ"; "K/T BÍ THƯ\nPHÓ BÍ THƯ"). A bare post ("Bí thư") gets the capacity of `SIGNING_POSTS`
    on behalf of the issuing organisation's body in `COLLECTIVE_BODIES`; other posts get none."""
    text = unicodedata.normalize("NFC", signer_post).strip()
    match = _CAPACITY.fullmatch(text)
    if match is not None:
        rest = match["rest"]
        cut = max(rest.rfind(","), rest.rfind("\n"))
        capacity, post = (rest[:cut], rest[cut + 1 :]) if cut >= 0 else (rest, "")
        prefix = match["prefix"].upper()
        return " ".join(f"{prefix} {capacity}".split()).upper(), " ".join(post.split()).upper()
    post = " ".join(text.split())
    prefix = SIGNING_POSTS.get(fold(post))
    body = COLLECTIVE_BODIES.get(org_kind or "")
    if prefix is None or body is None:
        return "", post.upper()
    return f"{prefix} {body}", post.upper()
