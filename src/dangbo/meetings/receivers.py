"""The meetings app's answers to what the members services announce (dangbo.members.signals)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from dangbo.meetings import services
from dangbo.meetings.models import Meeting, Minutes
from dangbo.orgs.models import Organisation
from dangbo.rules.meetings import CELL_KINDS

CHUNK = 500  # organisation ids per query (an import may touch thousands of cells)


def _with_meetings_ahead(organisations: Iterable[int]) -> list[int]:
    """Which of these organisations have a cell meeting not yet held: one query per 500 ids."""
    ids = sorted(organisations)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            Meeting.objects.filter(
                organisation_id__in=ids[start : start + CHUNK],
                kind__in=[k.value for k in CELL_KINDS],
                status=Meeting.Status.PLANNED,
                starts_at__gt=timezone.now(),
            )
            .exclude(Exists(Minutes.objects.filter(meeting=OuterRef("pk"))))
            .values_list("organisation_id", flat=True)
            .distinct()
        )
    return sorted(found)


def membership_changed(sender: Any, *, organisations: set[int], actor: Any = None, **kwargs: Any) -> None:
    """Meetings planned ahead follow the cells' members: who joins is summoned, who left is not."""
    ahead = _with_meetings_ahead(organisations)
    for organisation in Organisation.objects.filter(pk__in=ahead).order_by("pk"):
        services.roll_follow(organisation, actor=actor)
