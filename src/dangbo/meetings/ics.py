"""Meetings as calendar events (`meetings.calendar` writes them): the event of each meeting, with the
number of times it was changed as its SEQUENCE, for the .ics download, the private feed and the
invitation e-mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.meetings import calendar
from dangbo.meetings.models import Meeting
from dangbo.rules.meetings import meeting_rules

# The audit actions after which a calendar app must replace its copy of the event.
CHANGES = ("meeting.update", "meeting.cancel")


def _sequences(meetings: list[Meeting]) -> dict[str, int]:
    """How many times each meeting was changed or cancelled (one query for them all)."""
    rows = (
        AuditEvent.objects.filter(
            object_type=audit.object_type_of(Meeting()),
            object_id__in=[str(m.pk) for m in meetings],
            action__in=CHANGES,
        )
        .values("object_id")
        .annotate(n=Count("pk"))
    )
    return {row["object_id"]: row["n"] for row in rows}


def events(meetings: Iterable[Meeting], *, base: str) -> list[calendar.Event]:
    """One event per meeting (its agenda prefetched). A meeting without an end time lasts the
    shortest time the rules in force on its day allow."""
    meetings = list(meetings)
    sequences = _sequences(meetings)
    host = urlsplit(settings.SITE_URL).hostname or "dangbo"
    stamp = timezone.now()
    found = []
    for meeting in meetings:
        minutes = meeting_rules(timezone.localtime(meeting.starts_at).date()).min_minutes
        link = base + reverse("meetings:detail", args=[meeting.pk])
        found.append(
            calendar.Event(
                uid=f"meeting-{meeting.pk}@{host}",
                start=meeting.starts_at,
                end=meeting.ends_at or meeting.starts_at + dt.timedelta(minutes=minutes),
                summary=meeting.title,
                stamp=stamp,
                sequence=sequences.get(str(meeting.pk), 0),
                cancelled=meeting.status == Meeting.Status.CANCELLED,
                location=meeting.place or meeting.online_url,
                description=calendar.description(
                    meeting.topic, [item.title for item in meeting.agenda.all()], link
                ),
                url=meeting.online_url or link,
            )
        )
    return found


def meeting_ics(meeting: Meeting) -> str:
    """One meeting as an .ics text, its links on the site's address (for an e-mail)."""
    return calendar.calendar(events([meeting], base=settings.SITE_URL))
