"""Vietnamese text helpers: search folding, name sorting and number/date formats."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

__all__ = [
    "NameSortKey",
    "WordSortKey",
    "ascii_text",
    "collation_key",
    "fold",
    "format_date",
    "format_date_long",
    "format_number",
    "name_collation_key",
    "name_sort_key",
    "word_collation_key",
]

# "đ" is a letter of its own in Unicode, not "d" plus a combining mark, so
# NFD does not split it. "ð" (eth) is a common look-alike typed by mistake.
_D_STROKE = frozenset({"\u0111", "\u00f0"})

# Vowel-shape marks, valued by their position after the plain letter
# (a < ă < â, e < ê, o < ô < ơ, u < ư). "đ" uses value 1 after "d".
_SHAPE_MARKS: dict[str, int] = {
    "\u0306": 1,  # breve: ă
    "\u0302": 2,  # circumflex: â ê ô
    "\u031b": 3,  # horn: ơ ư
}
_SHAPE_SLOTS = 4

# Tone marks in dictionary order; ngang (no mark) is 0.
_TONE_MARKS: dict[str, int] = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}

# Swap Python's "," grouping and "." decimal point for Vietnamese style.
_SWAP_SEPARATORS = str.maketrans(",.", ".,")

WordSortKey = tuple[tuple[int, ...], tuple[int, ...]]
NameSortKey = tuple[WordSortKey, ...]


def _is_mark(ch: str) -> bool:
    """Return True for combining marks."""
    return unicodedata.combining(ch) != 0 or unicodedata.category(ch) in {"Mn", "Me"}


def _decompose_lower(text: str) -> str:
    """NFD, lower case, NFD again (lower-casing may yield composed characters)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).lower())


def _is_control(ch: str) -> bool:
    """Control characters (NUL …) other than whitespace: never part of a search."""
    return unicodedata.category(ch) == "Cc" and not ch.isspace()


def fold(text: str) -> str:
    """Fold text for search: lower case, no marks, "đ" as "d", no control characters, single spaces."""
    bare = "".join(
        "d" if ch in _D_STROKE else ch
        for ch in _decompose_lower(text)
        if not (_is_mark(ch) or _is_control(ch))
    )
    return " ".join(bare.split())


def ascii_text(text: str) -> str:
    """The text without marks, "Đ"/"đ" as "D"/"d", case kept ("70-NQ/ĐU" → "70-NQ/DU"); characters that
    have no ASCII letter left are dropped. For file names in headers that must be ASCII."""
    kept = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _D_STROKE or ch in {"\u0110", "\u00d0"}:
            kept.append("D" if ch.isupper() else "d")
        elif ch.isascii() and not _is_control(ch):
            kept.append(ch)
    return "".join(kept)


def _word_key(word: str) -> WordSortKey:
    """Sort key of one NFD, lower-case word: letter ranks, then tones."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in word:
        if ch in _TONE_MARKS:
            tones.append(_TONE_MARKS[ch])
        elif ch in _SHAPE_MARKS:
            if letters:
                base = letters[-1] - letters[-1] % _SHAPE_SLOTS
                shape = max(letters[-1] % _SHAPE_SLOTS, _SHAPE_MARKS[ch])
                letters[-1] = base + shape
        elif _is_mark(ch):
            continue
        elif ch in _D_STROKE:
            letters.append(ord("d") * _SHAPE_SLOTS + 1)
        else:
            letters.append(ord(ch) * _SHAPE_SLOTS)
    return tuple(letters), tuple(tones)


def name_sort_key(full_name: str) -> NameSortKey:
    """Sort key for Vietnamese personal names in dictionary order.

    The given name (last word) comes first, then the other words from the
    family name on. Within a word, letters (a < ă < â ... d < đ ...) decide
    before tones (ngang < huyền < hỏi < ngã < sắc < nặng). Letters outside
    the Vietnamese alphabet keep their Latin/code point position, so
    f, j, w, z fall after ê, i, v, y respectively.
    """
    words = _decompose_lower(full_name).split()
    if not words:
        return ()
    ordered = [words[-1], *words[:-1]]
    return tuple(_word_key(word) for word in ordered)


def _encode(key: NameSortKey, max_length: int) -> str:
    """A tuple sort key as a string that sorts the same way, for an indexed database column.

    Only lower-case hexadecimal digits are used, so every database collation (SQLite's binary,
    PostgreSQL's C or a glibc/ICU locale) orders it exactly as Python orders the tuple key.
    Per word: each letter as six hex digits, "000000" to end the letters, one digit per tone
    mark, "0" to end the tones.
    """
    parts: list[str] = []
    for letters, tones in key:
        parts.append("".join(f"{value:06x}" for value in letters))
        parts.append("000000")
        parts.append("".join(str(tone) for tone in tones))
        parts.append("0")
    return "".join(parts)[:max_length]


def name_collation_key(full_name: str, max_length: int = 400) -> str:
    """`name_sort_key` (given name first) as a database column value."""
    return _encode(name_sort_key(full_name), max_length)


def word_collation_key(word: str) -> str:
    """The collation key of one word: `name_collation_key` of a name is the given name's word key
    followed by the other words' keys (before truncation), so a large import can cache syllables."""
    return _encode(tuple(_word_key(w) for w in _decompose_lower(word).split()), 10**9)


class NameKeys:
    """(search text, sort key) of full names — `fold` and `name_collation_key` — built from cached
    syllables: Vietnamese names use a few thousand syllables, so a million names (an import, a
    generated register) cost a few thousand foldings and flat memory."""

    def __init__(self) -> None:
        self.syllables: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str) -> tuple[str, str]:
        cache = self.syllables
        parts = []
        for word in name.split():
            keys = cache.get(word)
            if keys is None:
                keys = cache[word] = (fold(word), word_collation_key(word))
            parts.append(keys)
        search = " ".join([p[0] for p in parts if p[0]])
        sort_key = (parts[-1][1] + "".join([p[1] for p in parts[:-1]]))[:400] if parts else ""
        return search, sort_key


def collation_key(text: str, max_length: int = 400) -> str:
    """Vietnamese dictionary order of a text read in its own word order (organisation names)."""
    return _encode(tuple(_word_key(word) for word in _decompose_lower(text).split()), max_length)


def format_number(n: int | float | Decimal, decimals: int = 0) -> str:
    """Format a number Vietnamese style: "1.234.567,89"."""
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    value = Decimal(n) if isinstance(n, int) else n
    text = format(value, f",.{decimals}f")
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # no "-0"
    return text.translate(_SWAP_SEPARATORS)


def format_points(value: Decimal | int | None) -> str:
    """Points as a Vietnamese reads them: "7,25", "7,5", "100" (no trailing zeros); "—" for none."""
    if value is None:
        return "—"
    exponent = Decimal(value).normalize().as_tuple().exponent
    return format_number(Decimal(value), max(0, -int(exponent)))


def format_date(d: date) -> str:
    """Format a date as "dd/mm/yyyy"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_long(d: date, place: str | None = None) -> str:
    """Format a date in document style, optionally with the place first.

    Example: "Hà Nội, ngày 05 tháng 03 năm 2021".
    """
    text = f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    if place is not None and place.strip():
        return f"{place.strip()}, {text}"
    return text


def one_line(value: str | None) -> str:
    """Text typed on one line (a name, a summary, a reason): NFC, runs of spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def running_text(value: str | None) -> str:
    """Text of several lines (a document's body, a report): NFC, Windows line ends made plain,
    trailing spaces and blank lines at both ends dropped, the lines themselves kept."""
    lines = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()
