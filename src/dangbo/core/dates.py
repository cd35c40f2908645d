"""The one reader of dates typed by people: every page form (core.forms.VNDateField) and the member
importer use it, so a date is read, and a wrong one explained, the same way everywhere.

Day first, whatever the browser: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, ddmmyyyy (phone
keypads without "/"), "ngày 5 tháng 12 năm 2026", and ISO yyyy-mm-dd for saved links and old clients.
Full-width digits and separators and decomposed (NFD) text are read as their plain forms.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext

_SEP = r"\s*[/.\-]\s*|\s+"
DAY_FIRST = re.compile(rf"^(\d{{1,2}})(?:{_SEP})(\d{{1,2}})(?:{_SEP})(\d{{4}})$")
COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
WORDS = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+(\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

# Short reasons, as the importer's report has always given them ("Dòng 4, cột “Ngày sinh”: …").
UNREADABLE = "không phải ngày dạng ngày/tháng/năm"
MISSING = "ngày không tồn tại"
SWAPPED = "ngày và tháng có vẻ bị đảo (định dạng đúng là ngày/tháng/năm)"

EXAMPLE = "05/12/2026"


class DateProblem(ValueError):
    """str() is the importer's short reason; .message the full sentence a form shows."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason, self.message = reason, message


def _unreadable() -> DateProblem:
    return DateProblem(
        UNREADABLE,
        gettext("Enter the date as day/month/year, for example %(example)s.") % {"example": EXAMPLE},
    )


def normalise(text: str) -> str:
    """Full-width digits and slashes, no-break spaces, NFD letters: the plain composed form."""
    text = text.strip()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip().casefold()
    return text


def _split(text: str) -> tuple[int, int, int, bool] | None:
    """(day, month, year, written day first) or None when the text is no date at all."""
    for pattern in (DAY_FIRST, COMPACT, WORDS):
        if match := pattern.match(text):
            day, month, year = (int(g) for g in match.groups())
            return day, month, year, True
    if match := ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return day, month, year, False
    return None


def _exists(day: int, month: int, year: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def parse_date(text: str) -> dt.date:
    """The date the text names; DateProblem says why it names none (no date, or a day that does not
    exist: 31/02, month 13, or day and month apparently the wrong way round)."""
    parts = _split(normalise(text))
    if parts is None:
        raise _unreadable()
    day, month, year, day_first = parts
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    written = f"{day:02d}/{month:02d}/{year:04d}"
    if year < dt.MINYEAR:
        raise DateProblem(
            MISSING, gettext("The date %(date)s does not exist: there is no year 0.") % {"date": written}
        )
    if not 1 <= month <= 12:
        if day_first and 1 <= day <= 12 < month and _exists(month, day, year):
            raise DateProblem(
                SWAPPED,
                gettext(
                    "The date %(date)s does not exist: there is no month %(month)s. Day and month seem "
                    "swapped: enter day/month/year, for example %(swapped)s."
                )
                % {"date": written, "month": month, "swapped": f"{month:02d}/{day:02d}/{year:04d}"},
            )
        raise DateProblem(
            SWAPPED if day_first and day <= 12 < month else MISSING,
            gettext("The date %(date)s does not exist: there is no month %(month)s.")
            % {"date": written, "month": month},
        )
    raise DateProblem(
        MISSING,
        gettext("The date %(date)s does not exist: month %(month)s of %(year)s has %(days)s days.")
        % {"date": written, "month": month, "year": year, "days": calendar.monthrange(year, month)[1]},
    )
