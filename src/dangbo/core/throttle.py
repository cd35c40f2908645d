"""Login throttling: after too many failures for a user name or from an address, refuse for a while.

Failures are rows in the database, so the limit holds across server processes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dangbo.core.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def is_locked(username: str, client_ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(occurred_at__gte=_window_start())
    by_name = recent.filter(username=username.lower()).count()
    by_ip = recent.filter(client_ip=client_ip).count() if client_ip else 0
    limit = settings.LOGIN_THROTTLE_LIMIT
    return by_name >= limit or by_ip >= limit * 4


def note_failure(username: str, client_ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], client_ip=client_ip)


def clear(username: str) -> None:
    LoginFailure.objects.filter(Q(username=username.lower())).delete()
