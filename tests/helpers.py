"""Helpers shared by the test modules."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from dangbo.core.models import AuditEvent

PASSWORD = "correct-horse-battery-staple"

# The suite runs on a clock of its own, never today's: whatever day it is cloned and run, every test sees
# the same instant (and the clock ticks from there). `.ci/run` runs the tests that touch dates again
# under other instants (DANGBO_TEST_NOW=2027-02-28T23:30:00Z — a month end late in the evening UTC,
# already 1 March in Vietnam — and a 29 February), so a date bug fails CI, not a user. The browser
# tests override the fixtures (tests/conftest.py): their server runs in another process on the real clock.
TEST_NOW = dt.datetime.fromisoformat(os.environ.get("DANGBO_TEST_NOW") or "2026-12-07T08:00:00+00:00")


def suite_clock() -> Any:
    """A travel to the suite's instant (a context manager; also for module-scoped fixtures)."""
    return time_machine.travel(TEST_NOW, tick=True)


def suite_today() -> dt.date:
    """Today in Vietnam on the suite's clock (for module-level constants, computed at import)."""
    return timezone.localtime(TEST_NOW).date()


def client_for(username: str) -> Client:
    """A browser session logged in as one of the fixture users."""
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def refused(field: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """Run a service that must refuse: nothing audited, the field named; returns the Vietnamese message."""
    events = AuditEvent.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        call(*args, **kwargs)
    assert AuditEvent.objects.count() == events
    assert field in exc.value.message_dict, exc.value.message_dict
    return " ".join(exc.value.message_dict[field])
