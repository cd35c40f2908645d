"""Login throttling: after too many failures for a user name or from an address, refuse for a while.

Failures are rows in the database, so the limit holds across server processes. They are counted on
`login_key`, the user name as Django authenticates it (stripped, NFKC-normalised) and case-folded:
"kiemtra ", " kiemtra" or the full-width "ｋｉｅｍｔｒａ" sign in as kiemtra, so they are kiemtra's
failures too (security test of December 2026, M3)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dangbo.core.models import LoginFailure

NAME_LENGTH = 150  # LoginFailure.username


def login_key(username: str) -> str:
    """The name failures are counted on: what the login form authenticates (`UsernameField`: strip,
    then NFKC), case-folded and normalised again (folding can undo NFKC), stripped once more."""
    name = unicodedata.normalize("NFKC", username.strip())
    return unicodedata.normalize("NFKC", name.casefold()).strip()[:NAME_LENGTH]


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def is_locked(username: str, client_ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(occurred_at__gte=_window_start())
    by_name = recent.filter(username=login_key(username)).count()
    by_ip = recent.filter(client_ip=client_ip).count() if client_ip else 0
    limit = settings.LOGIN_THROTTLE_LIMIT
    return by_name >= limit or by_ip >= limit * 4


def note_failure(username: str, client_ip: str | None) -> None:
    LoginFailure.objects.create(username=login_key(username), client_ip=client_ip)


def clear(username: str) -> None:
    LoginFailure.objects.filter(Q(username=login_key(username))).delete()
