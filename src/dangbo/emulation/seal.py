"""What a closed round attests, and the proof that nothing changed since.

`content(movement)` is every approved registration of the round with its final figures, every
score given (self and council, with the evidence) and every computed result: ids and copied names,
so a renamed unit does not break the seal. Its SHA-256 over the audit chain's canonical JSON is
stored on the movement and in the audit event `emulation.movement_closed`; `verify()` recomputes it
for every closed movement (`dangbo audit verify` runs it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.emulation.models import Movement, Registration, Result, Score


def content(movement: Movement) -> dict[str, Any]:
    registrations = list(
        Registration.objects.filter(movement=movement, status=Registration.Status.APPROVED)
        .order_by("pk")
        .values(
            "id",
            "model_id",
            "organisation_id",
            "unit_id",
            "person_id",
            "subject_name",
            "self_total",
            "final_score",
            "passed_mandatory",
            "rank",
        )
    )
    scores = list(
        Score.objects.filter(movement=movement)
        .order_by("pk")
        .values(
            "id",
            "registration_id",
            "criterion_id",
            "kind",
            "council_member_id",
            "points",
            "passed",
            "evidence",
        )
    )
    results = list(
        Result.objects.filter(movement=movement)
        .order_by("registration_id", "criterion_id")
        .values("registration_id", "criterion_id", "self_points", "points", "passed", "scorers")
    )
    return {
        "movement": {"id": movement.pk, "name": movement.name, "aggregation": movement.aggregation},
        "registrations": registrations,
        "scores": scores,
        "results": results,
    }


def content_hash(movement: Movement) -> str:
    return hashlib.sha256(audit.canonical(content(movement))).hexdigest()


def verify() -> Iterator[str]:
    """A line for every closed round whose scores no longer match the hash sealed on it."""
    audited: dict[str, str] = {}
    for object_id, after in AuditEvent.objects.filter(
        action="emulation.movement_closed", object_type=audit.object_type_of(Movement())
    ).values_list("object_id", "after"):
        if isinstance(after, dict) and "content_hash" in after:
            audited[object_id] = after["content_hash"]
    seen: set[str] = set()
    for movement in Movement.objects.filter(closed_at__isnull=False).order_by("pk"):
        seen.add(str(movement.pk))
        label = f"emulation round #{movement.pk} ({movement.name})"
        if content_hash(movement) != movement.content_hash:
            yield f"{label}: the scores no longer match the hash sealed when the round closed"
        if audited.get(str(movement.pk)) != movement.content_hash:
            yield f"{label}: the sealed hash differs from the one in the audit chain"
    for object_id in sorted(set(audited) - seen, key=int):
        yield f"emulation round #{object_id}: closed in the audit chain but no longer closed or no longer there"
