"""A small iCalendar (RFC 5545) writer for meetings: VCALENDAR with one VEVENT per meeting.

Pure text, no dependency: CRLF line ends (§3.1), TEXT values escaped (§3.3.11: backslash, semicolon,
comma, newline), content lines folded at 75 octets without splitting a UTF-8 character (§3.1), times in
UTC ("…Z", §3.3.5) so no VTIMEZONE is needed. The UID is the meeting id with the site's host (§3.8.4.7),
so a calendar app updates the same event when it is changed or cancelled; SEQUENCE counts the changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CRLF = "\r\n"
LIMIT = 75  # octets of a content line, the line break excluded
PRODID = "-//Dang bo so//Lich hop//VI"
# Control characters TEXT may not hold (§3.3.11: all but HTAB; line breaks are escaped first).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    stamp: dt.datetime
    sequence: int = 0
    cancelled: bool = False
    location: str = ""
    description: str = ""
    url: str = ""


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", text)


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with one
    space (which counts in its 75), never inside a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LIMIT - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(event.stamp)}",
        f"DTSTART:{utc(event.start)}",
        f"DTEND:{utc(event.end)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{_CONTROL.sub('', event.url)}")  # a URI: not escaped like TEXT
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str = "") -> str:
    """The whole VCALENDAR object, folded, with CRLF line ends."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")  # the name calendar apps show for a feed
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def description(topic: str, agenda: Sequence[str], link: str) -> str:
    """The theme, the agenda numbered 1, 2, 3 …, and the meeting's page."""
    parts = [topic] if topic else []
    parts += [f"{n}. {title}" for n, title in enumerate(agenda, start=1)]
    parts.append(link)
    return "\n".join(parts)
