"""Versioned rule sets: each names its regulation and the day it takes effect.

Regulations change often (124-QĐ/TW → 366-QĐ/TW, 342-QĐ/TW → 01-QĐ/TW …). Every figure the code
applies lives in a frozen rule-set object; `in_force(versions, on)` picks the one in force on the
date of the event being judged, so an event of 2024 is judged by the rules of 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Versioned(Protocol):
    @property
    def regulation(self) -> str: ...

    @property
    def effective_from(self) -> dt.date: ...


R = TypeVar("R", bound=Versioned)


def in_force(versions: Sequence[R], on: dt.date) -> R:
    """The version with the latest `effective_from` not after `on`."""
    applicable = [v for v in versions if v.effective_from <= on]
    if not applicable:
        raise LookupError(f"no rule set in force on {on.isoformat()}")
    return max(applicable, key=lambda v: v.effective_from)
