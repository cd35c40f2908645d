"""What the members services tell the apps that keep lists of members (dangbo.meetings).

- `membership_changed(organisations, actor)`: who is a member in activity of these party cells (or
  whether they are full or probationary members) may have changed — an admission, a transfer in or
  out, a death, an expulsion, a removal, a readmission, full membership, a corrected or removed
  event, an import (sent once for all the cells of the file, not per row), a merger.

Sent inside the service's transaction, so a listener's writes commit or roll back with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

membership_changed = Signal()


def send_membership_changed(organisations: Iterable[int | None], *, actor: Any = None) -> None:
    ids = {pk for pk in organisations if pk is not None}
    if ids:
        membership_changed.send(sender=PartyMemberSender, organisations=ids, actor=actor)


class PartyMemberSender:
    """The sender of `membership_changed` (the members services)."""
