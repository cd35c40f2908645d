"""Meetings in calendar apps: one meeting as an .ics file, and each user's private feed of the
meetings they are summoned or invited to, for apps that cannot log in.

The feed's address carries a token: the user's id signed with the site's secret key and a salt of
its own (`django.core.signing`), so it cannot be guessed or forged. The project keeps no per-user
settings, so there is no per-user secret to rotate: a leaked address stops working when the account
is deactivated, and every address at once when `FEED_SALT` (or the secret key) changes. See
docs/decisions.md, "Calendar export".
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.meetings import calendar
from dangbo.meetings.ics import events
from dangbo.meetings.models import Meeting
from dangbo.meetings.views import meetings_visible

FEED_SALT = "dangbo.meetings.calendar-feed.v1"
FEED_MONTHS = 3  # the feed keeps the meetings of the last three months, and every one to come
FEED_LIMIT = 500


def _signer() -> signing.Signer:
    return signing.Signer(salt=FEED_SALT, sep=".")


def feed_token(user: Any) -> str:
    return _signer().sign(str(user.pk))


def feed_user(token: str) -> Any | None:
    """The active user the token was made for, or None for a bad, forged or stale token."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return get_user_model().objects.filter(pk=int(value), is_active=True).first()


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as an .ics file, for whoever may see the meeting's page."""
    meeting = get_object_or_404(meetings_visible(request.user).prefetch_related("agenda"), pk=pk)
    return _ics(calendar.calendar(events([meeting], base=_base(request))), f"hop-{meeting.pk}.ics")


def my_meetings(user: Any) -> Any:
    """The meetings `user` (through their member record) is summoned or invited to: those of the
    last three months and every one to come."""
    since = months_back(timezone.localdate(), FEED_MONTHS)
    return (
        Meeting.objects.filter(
            attendees__person__user=user,
            starts_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)),
        )
        .prefetch_related("agenda")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no login (calendar apps cannot log in), the signed token instead."""
    user = feed_user(token)
    if user is None:
        raise Http404
    text = calendar.calendar(events(my_meetings(user), base=_base(request)), name=_("Party meetings"))
    return _ics(text, "lich-hop.ics")


def calendar_page(request: HttpRequest) -> HttpResponse:
    """The user's private feed address, with a button that hands it to the calendar app."""
    feed = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[feed_token(request.user)]))
    return render(
        request,
        "meetings/calendar.html",
        {
            "feed": feed,
            "webcal": "webcal://" + feed.split("://", 1)[1],
            "linked": hasattr(request.user, "person"),  # a member record linked to the login
        },
    )
