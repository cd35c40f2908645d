"""Helpers shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from dangbo.core.models import AuditEvent

PASSWORD = "correct-horse-battery-staple"


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
