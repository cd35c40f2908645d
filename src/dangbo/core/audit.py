"""The audit chain: every service write records one event here, in the same transaction.

Appends are serialised by locking the single `AuditHead` row (SELECT … FOR UPDATE on PostgreSQL;
SQLite's IMMEDIATE transactions already admit one writer at a time), so two concurrent writes
can never both chain onto the same previous hash.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from dangbo.core.models import GENESIS_HASH, AuditEvent, AuditHead

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "party_path",
    "unit_path",
    "before",
    "after",
    "prev_hash",
)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of a model instance, as JSON-ready data (FKs as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name in {"search_text", "sort_key"}:
            continue
        data[field.attname] = _json_value(getattr(instance, field.attname))
    return data


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(_json_value(fields), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def compute_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: fields[k] for k in HASHED_FIELDS})).hexdigest()


def _fields_of(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def object_type_of(instance: models.Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def _scope_paths_of(instance: models.Model | None) -> tuple[str, str]:
    if instance is None:
        return "", ""
    from dangbo.core.scoping import scope_values

    values = scope_values(instance)
    return values.get("party", ""), values.get("unit", "")


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the service's transaction."""
    party_path, unit_path = _scope_paths_of(instance)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        # Microseconds are kept by both databases; the value is hashed as stored.
        fields: dict[str, Any] = {
            "seq": head.seq + 1,
            "occurred_at": timezone.now(),
            "actor_id": getattr(actor, "pk", None),
            "actor_label": getattr(actor, "get_username", lambda: "")() if actor else "",
            "action": action,
            "object_type": object_type or (object_type_of(instance) if instance is not None else ""),
            "object_id": object_id or (str(instance.pk) if instance is not None else ""),
            "object_repr": str(instance)[:300] if instance is not None else "",
            "party_path": party_path,
            "unit_path": unit_path,
            "before": _json_value(before) if before is not None else None,
            "after": _json_value(after) if after is not None else None,
            "prev_hash": head.hash,
        }
        digest = compute_hash(fields)
        event = AuditEvent.objects.create(hash=digest, **fields)
        head.seq, head.hash = event.seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    reason: str


def verify(batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return (events checked, first break or None)."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    events: Iterator[AuditEvent] = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return checked, ChainBreak(
                expected_seq, event.pk, f"event #{expected_seq} is missing (found #{event.seq} next)"
            )
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(event.seq, event.pk, "previous-hash link does not match")
        if compute_hash(_fields_of(event)) != event.hash:
            return checked, ChainBreak(event.seq, event.pk, "content does not match its hash")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return checked, ChainBreak(
            checked + 1, None, f"chain head is #{head_seq}: events at the end are missing"
        )
    return checked, None


def history(instance: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=object_type_of(instance), object_id=str(instance.pk)
    ).select_related("actor__person")


# Who may read an event's details (security test 2026-12, M1). AUDIT_VIEW reaches the events placed
# in one's subtree, but some objects there are for fewer people: a member's opinion for its sender
# and the committee office answering it, a confidential document for DOCUMENT_SECRET_VIEW. Each app
# registers, for such an object type, the objects a user may read — the very queryset its detail
# views read through — and every page listing events (`with_access`) shows the events of the other
# objects of that type only as "nội dung hạn chế": no values, no object, no actor. An event whose
# object no longer exists is shown: of the registered types only placeholder documents (ordinary by
# construction) and document links (two ids and a kind) are ever deleted — a type whose deleted
# rows could carry restricted values needs a tombstone row rather than a delete.
Readable = Callable[[Any], models.QuerySet[Any]]
READERS: dict[str, Readable] = {}


def register_reader(object_type: str, readable: Readable) -> None:
    """`object_type` as recorded ("documents.document"); `readable(user)` the objects the user reads."""
    READERS[object_type] = readable


def with_access(events: models.QuerySet[AuditEvent], user: Any) -> models.QuerySet[AuditEvent]:
    """Annotate `restricted` on each event: its object is of a registered type, still exists, and
    is not among those the user may read. Still one query: for each listed event of such a type,
    two lookups by primary key (the readable queryset narrowed to the one object), nested in CASE so
    that only events of that type have their `object_id` read as a number."""
    key = Cast(OuterRef("object_id"), models.BigIntegerField())
    whens = []
    for object_type, readable in READERS.items():
        visible = readable(user)
        hidden = Exists(visible.model._default_manager.filter(pk=key)) & ~Exists(visible.filter(pk=key))
        whens.append(
            When(
                object_type=object_type,
                then=Case(When(hidden, then=Value(True)), default=Value(False)),
            )
        )
    restricted = Case(*whens, default=Value(False), output_field=BooleanField()) if whens else Value(False)
    return events.annotate(restricted=restricted)


# Records sealed by a content hash kept in the chain (signed minutes …): each app registers a check
# yielding one line per record that no longer matches; `dangbo audit verify` runs them all.
SEAL_CHECKS: list[Callable[[], Iterable[str]]] = []


def register_seal_check(check: Callable[[], Iterable[str]]) -> None:
    if check not in SEAL_CHECKS:
        SEAL_CHECKS.append(check)


def verify_seals() -> list[str]:
    return [line for check in SEAL_CHECKS for line in check()]
