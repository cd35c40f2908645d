"""What sealed minutes attest, and the proof that nothing changed since.

`content(meeting)` is the record the chair and the secretary sign: the meeting's fields, its agenda,
everyone summoned with their attendance, the votes and the minutes' text — ids and copied names, not
the people's current records (a name corrected later must not break a seal). Its SHA-256 over the
audit chain's canonical JSON is the *content hash*: each signature attests the hash it saw, sealing
stores it on the minutes and in the audit event `minutes.seal`, and every appended correction hashes
its own text with the hash of the minutes it corrects (`minutes.addendum`).

`verify()` recomputes every sealed hash and compares it with the stored one and with the audit
chain's copy; `dangbo audit verify` runs it after walking the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.meetings.models import Meeting, Minutes, MinutesAddendum

MEETING_FIELDS = (
    "id",
    "organisation_id",
    "kind",
    "title",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "chair_id",
    "secretary_id",
    "notes",
)
MINUTES_FIELDS = (
    "opened_at",
    "closed_at",
    "place",
    "chair_name",
    "secretary_name",
    "proceedings",
    "discussion",
    "conclusions",
)


def _values(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def content(meeting: Meeting, minutes: Minutes) -> dict[str, Any]:
    """The sealed record of a meeting (4 queries: agenda with documents, attendees, votes)."""
    agenda = [
        {
            "position": item.position,
            "title": item.title,
            "presenter_id": item.presenter_id,
            "presenter_name": item.presenter_name,
            "documents": sorted(d.pk for d in item.documents.all()),
        }
        for item in meeting.agenda.order_by("position").prefetch_related("documents")
    ]
    # The committee's approval of an absence (it decides a vote's denominator) is attested when
    # given; left out otherwise, so minutes sealed before it was recorded keep their hash.
    attendees: list[dict[str, Any]] = [
        {k: v for k, v in row.items() if k != "absence_approved" or v}
        for row in meeting.attendees.order_by("pk").values(
            "id", "person_id", "name", "post", "counted", "voting", "presence", "reason", "absence_approved"
        )
    ]
    votes = list(
        meeting.votes.order_by("pk").values(
            "id",
            "agenda_item_id",
            "subject",
            "matter",
            "rule",
            "voters",
            "present",
            "yes",
            "no",
            "abstain",
            "required",
            "passed",
        )
    )
    return {
        "meeting": _values(meeting, MEETING_FIELDS),
        "agenda": agenda,
        "attendees": attendees,
        "votes": votes,
        "minutes": _values(minutes, MINUTES_FIELDS),
    }


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical(data)).hexdigest()


def content_hash(meeting: Meeting, minutes: Minutes) -> str:
    return digest(content(meeting, minutes))


def addendum_content(addendum: MinutesAddendum, minutes_hash: str) -> dict[str, Any]:
    return {
        "minutes_hash": minutes_hash,
        "number": addendum.number,
        "text": addendum.text,
        "reason": addendum.reason,
        "signed_by_id": addendum.signed_by_id,
        "signer_name": addendum.signer_name,
        "capacity": addendum.capacity,
        "signed_at": addendum.signed_at,
    }


def _audited_hashes(action: str, object_type: str) -> dict[str, str]:
    """object id → the content hash the audit chain recorded for it."""
    found: dict[str, str] = {}
    for object_id, after in AuditEvent.objects.filter(action=action, object_type=object_type).values_list(
        "object_id", "after"
    ):
        if isinstance(after, dict) and "content_hash" in after:
            found[object_id] = after["content_hash"]
    return found


def verify() -> Iterator[str]:
    """A line for every sealed record whose content no longer matches its hash (nothing when intact)."""
    sealed = _audited_hashes("minutes.seal", audit.object_type_of(Minutes()))
    appended = _audited_hashes("minutes.addendum", audit.object_type_of(MinutesAddendum()))
    minutes_list = Minutes.objects.filter(sealed_at__isnull=False).select_related("meeting").order_by("pk")
    seen: set[str] = set()
    for minutes in minutes_list.iterator(chunk_size=200):
        seen.add(str(minutes.pk))
        label = f"minutes #{minutes.pk} ({minutes.meeting.title})"
        actual = content_hash(minutes.meeting, minutes)
        if actual != minutes.content_hash:
            yield f"{label}: the meeting's record no longer matches the hash sealed on it"
        if sealed.get(str(minutes.pk)) != minutes.content_hash:
            yield f"{label}: the sealed hash differs from the one in the audit chain"
        for addendum in minutes.addenda.order_by("number"):
            hashed = digest(addendum_content(addendum, minutes.content_hash))
            if hashed != addendum.content_hash or appended.get(str(addendum.pk)) != addendum.content_hash:
                yield f"{label}: correction no. {addendum.number} does not match its hash"
    for object_id in sorted(set(sealed) - seen, key=int):
        yield f"minutes #{object_id}: sealed in the audit chain but no longer sealed or no longer there"
