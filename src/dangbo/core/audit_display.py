"""How audit events read on the log and history pages (walk-through 2026-12, M5).

The chain keeps what was recorded — codes, field names, ids, ISO UTC times — and this module turns a page
of events into rows for people: the field's label (the model's verbose_name, or `FIELD_LABELS` for the
fields Django would name in English and for the snapshot keys that are not fields), the name of what a
foreign key points to (every id of the page looked up in one query), local dd/mm/yyyy HH:MM times, choice
labels, only what changed, and a sentence for a signature or a seal instead of a table.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from dangbo.core import names
from dangbo.rules import vietnamese

C = "audit field"
# Fields declared without a verbose_name (Django would label them in English), and keys of recorded
# snapshots that are not fields. "app.model.field" overrides the plain name where it means another thing.
FIELD_LABELS = {
    "id": pgettext_lazy(C, "ID"),
    "meetings.rollchange.on": pgettext_lazy(C, "Day the member joined or left the cell"),
    "meetings.rollchange.invited": pgettext_lazy(C, "Invited since"),
    "actor": pgettext_lazy(C, "Done by"),
    "answered_at": pgettext_lazy(C, "Answered at"),
    "answered_by": pgettext_lazy(C, "Answered by"),
    "answerer_name": pgettext_lazy(C, "Name of who answered"),
    "as_of": pgettext_lazy(C, "As of"),
    "assignee_path": pgettext_lazy(C, "Place of the assignee"),
    "assignee_unit_path": pgettext_lazy(C, "Place of the assignee unit"),
    "assigner_path": pgettext_lazy(C, "Place of the assigner"),
    "assignment": pgettext_lazy(C, "Study assignment"),
    "at": pgettext_lazy(C, "At"),
    "based_on": pgettext_lazy(C, "Based on"),
    "body": pgettext_lazy(C, "Content"),
    "capacity": pgettext_lazy(C, "Signed as"),
    "chair_signed_at": pgettext_lazy(C, "Chair signed at"),
    "chair_signed_by": pgettext_lazy(C, "Signed by the chair"),
    "chair_signed_hash": pgettext_lazy(C, "Check code signed by the chair"),
    "closed_at": pgettext_lazy(C, "Closed at"),
    "code": pgettext_lazy(C, "Code"),
    "collective": pgettext_lazy(C, "Collective"),
    "content_hash": pgettext_lazy(C, "Content check code"),
    "council_member": pgettext_lazy(C, "Council member"),
    "created_at": pgettext_lazy(C, "Created at"),
    "created_by": pgettext_lazy(C, "Created by"),
    "criteria_set": pgettext_lazy(C, "Criteria set"),
    "criterion": pgettext_lazy(C, "Criterion"),
    "current_value": pgettext_lazy(C, "Current value"),
    "decided_at": pgettext_lazy(C, "Decided at"),
    "decided_by": pgettext_lazy(C, "Decided by"),
    "decision": pgettext_lazy(C, "Decision"),
    "depth": pgettext_lazy(C, "Level in the tree"),
    "dimension": pgettext_lazy(C, "Dimension"),
    "dry_run": pgettext_lazy(C, "Trial run"),
    "emailed_at": pgettext_lazy(C, "E-mailed at"),
    "error": pgettext_lazy(C, "Error"),
    "facts": pgettext_lazy(C, "Facts checked"),
    "file_size": pgettext_lazy(C, "File size"),
    "finished_at": pgettext_lazy(C, "Finished at"),
    "from_status": pgettext_lazy(C, "From status"),
    "granted_at": pgettext_lazy(C, "Granted at"),
    "handled_at": pgettext_lazy(C, "Handled at"),
    "handled_by": pgettext_lazy(C, "Handled by"),
    "invited_at": pgettext_lazy(C, "Invitations sent at"),
    "kind": pgettext_lazy(C, "Kind"),
    "last": pgettext_lazy(C, "Last number given"),
    "level": pgettext_lazy(C, "Level"),
    "levels": pgettext_lazy(C, "Levels"),
    "meeting": pgettext_lazy(C, "Meeting"),
    "member": pgettext_lazy(C, "Party member"),
    "minutes": pgettext_lazy(C, "Minutes"),
    "model": pgettext_lazy(C, "Model"),
    "movement": pgettext_lazy(C, "Movement"),
    "n": pgettext_lazy(C, "Count"),
    "note": pgettext_lazy(C, "Note"),
    "org_path": pgettext_lazy(C, "Place in the Party organisation tree"),
    "organisation": pgettext_lazy(C, "Party organisation"),
    "override_at": pgettext_lazy(C, "Warning overridden at"),
    "override_by": pgettext_lazy(C, "Warning overridden by"),
    "parent": pgettext_lazy(C, "Under"),
    "party_age_from": pgettext_lazy(C, "Party age counted from"),
    "passed": pgettext_lazy(C, "Passed"),
    "passed_mandatory": pgettext_lazy(C, "Passed the mandatory criteria"),
    "path": pgettext_lazy(C, "Place in the tree"),
    "person": pgettext_lazy(C, "Person"),
    "points": pgettext_lazy(C, "Points"),
    "position": pgettext_lazy(C, "Order"),
    "orgs.appointment.position": pgettext_lazy(C, "Post"),
    "probation_started_on": pgettext_lazy(C, "Probation started on"),
    "proposal": pgettext_lazy(C, "Proposal"),
    "proposed_at": pgettext_lazy(C, "Proposed at"),
    "proposed_by": pgettext_lazy(C, "Proposed by"),
    "proposer_organisation": pgettext_lazy(C, "Proposing organisation"),
    "proposer_path": pgettext_lazy(C, "Place of the proposing organisation"),
    "proposer_unit": pgettext_lazy(C, "Proposing unit"),
    "proposer_unit_path": pgettext_lazy(C, "Place of the proposing unit"),
    "published_at": pgettext_lazy(C, "Published at"),
    "rank": pgettext_lazy(C, "Rank"),
    "read_at": pgettext_lazy(C, "Read at"),
    "recorded_at": pgettext_lazy(C, "Recorded at"),
    "recorded_by": pgettext_lazy(C, "Recorded by"),
    "registered_at": pgettext_lazy(C, "Registered at"),
    "registered_by": pgettext_lazy(C, "Registered by"),
    "registration": pgettext_lazy(C, "Registration"),
    "report": pgettext_lazy(C, "Report"),
    "reporter": pgettext_lazy(C, "Reported by"),
    "requested_by": pgettext_lazy(C, "Requested by"),
    "revoked_at": pgettext_lazy(C, "Revoked at"),
    "risk_from": pgettext_lazy(C, "At risk from"),
    "round": pgettext_lazy(C, "Evaluation round"),
    "rules_on": pgettext_lazy(C, "Rules in force on"),
    "scored_by": pgettext_lazy(C, "Scored by"),
    "scorers": pgettext_lazy(C, "Scorers"),
    "sealed_at": pgettext_lazy(C, "Sealed at"),
    "search_text": pgettext_lazy(C, "Search text"),
    "secretary_signed_at": pgettext_lazy(C, "Secretary signed at"),
    "secretary_signed_by": pgettext_lazy(C, "Signed by the secretary"),
    "secretary_signed_hash": pgettext_lazy(C, "Check code signed by the secretary"),
    "self_assessed_at": pgettext_lazy(C, "Self-assessed at"),
    "self_assessed_by": pgettext_lazy(C, "Self-assessed by"),
    "self_points": pgettext_lazy(C, "Self-score"),
    "self_total": pgettext_lazy(C, "Self-score total"),
    "sender": pgettext_lazy(C, "Sender"),
    "sender_name": pgettext_lazy(C, "Sender's name"),
    "sha256": pgettext_lazy(C, "File check code (SHA-256)"),
    "signed_by": pgettext_lazy(C, "Signed by"),
    "skip_bad_rows": pgettext_lazy(C, "Skip rows with errors"),
    "sort_key": pgettext_lazy(C, "Sort key"),
    "state": pgettext_lazy(C, "State"),
    "status": pgettext_lazy(C, "Status"),
    "subject_path": pgettext_lazy(C, "Place of the registrant"),
    "term": pgettext_lazy(C, "Term"),
    "title": pgettext_lazy(C, "Title"),
    "type_code": pgettext_lazy(C, "Document type"),
    "unit": pgettext_lazy(C, "Business unit"),
    "unit_path": pgettext_lazy(C, "Place in the unit tree"),
    "updated_at": pgettext_lazy(C, "Updated at"),
    "url": pgettext_lazy(C, "Link"),
    "user": pgettext_lazy(C, "Login"),
    "value": pgettext_lazy(C, "Value"),
    "warnings": pgettext_lazy(C, "Warnings"),
    "documents": pgettext_lazy(C, "Documents attached"),
    "event": pgettext_lazy(C, "Event of Party life"),
    "summoned": pgettext_lazy(C, "Convened"),
    "told": pgettext_lazy(C, "People told"),
    "again": pgettext_lazy(C, "Sent again"),
    "changes": pgettext_lazy(C, "Changes"),
    "attendance": pgettext_lazy(C, "Attendance"),
    "units": pgettext_lazy(C, "Business units"),
    "awards": pgettext_lazy(C, "Awards"),
    "body_sha256": pgettext_lazy(C, "Text check code (SHA-256)"),
    "criteria": pgettext_lazy(C, "Criteria"),
    "organisations": pgettext_lazy(C, "Party organisations"),
    "collectives": pgettext_lazy(C, "Collectives"),
    "individuals": pgettext_lazy(C, "Individuals"),
    "registrations": pgettext_lazy(C, "Registrations"),
    "presence": pgettext_lazy(C, "Presence"),
    "reason": pgettext_lazy(C, "Reason"),
}

# Events recorded on a meeting whose values are those of one of its parts.
SNAPSHOT_MODELS = {
    "meeting.agenda_add": "meetings.agendaitem",
    "meeting.agenda_remove": "meetings.agendaitem",
    "meeting.vote": "meetings.vote",
    "meeting.vote_remove": "meetings.vote",
    "meeting.invite": "meetings.attendee",
    "meeting.uninvite": "meetings.attendee",
}

CAPACITIES = {"chair": pgettext_lazy(C, "chair"), "secretary": pgettext_lazy(C, "minutes secretary")}


def model_of(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_of(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if key in (f.attname, f.name):
            return f
    return None


def field_label(model: type[models.Model] | None, key: str) -> str:
    """The label of a snapshot key: the field's own verbose_name when it was given one, else ours."""
    f = _field_of(model, key)
    name = f.name if f is not None else key
    if model is not None and f"{model._meta.label_lower}.{name}" in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[f"{model._meta.label_lower}.{name}"]))
    if f is not None and not f.auto_created and str(f.verbose_name) != f.name.replace("_", " "):
        return capfirst(str(f.verbose_name))
    if name in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[name]))
    bare = name.removesuffix("_id")
    if bare in FIELD_LABELS:
        return capfirst(str(FIELD_LABELS[bare]))
    return capfirst(name.replace("_", " "))


# --- Names of what foreign keys point to: one query for the page ---------------------------------


def _name_sources() -> dict[str, tuple[type[models.Model], Any]]:
    """Models whose ids are shown as names, with the expression of the name. Deliberately not the
    models with a registered reader (documents, tasks, opinions): their names can be restricted."""
    from dangbo.emulation.models import CouncilMember
    from dangbo.meetings.models import Attendee, Meeting
    from dangbo.members.models import PartyMember
    from dangbo.orgs.models import Organisation, Person, Unit

    user_name = Coalesce(
        NullIf(F("person__full_name"), Value("")),
        NullIf(Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField())), Value("")),
        F("username"),
        output_field=CharField(),
    )
    return {
        "user": (get_user_model(), user_name),
        "person": (Person, F("full_name")),
        "member": (PartyMember, F("person__full_name")),
        "organisation": (Organisation, F("name")),
        "unit": (Unit, F("name")),
        "meeting": (Meeting, F("title")),
        "attendee": (Attendee, F("name")),
        "council_member": (
            CouncilMember,
            Coalesce(
                NullIf(F("user__person__full_name"), Value("")), F("user__username"), output_field=CharField()
            ),
        ),
    }


def _source_key(model: type[models.Model], sources: dict[str, tuple[type[models.Model], Any]]) -> str | None:
    for key, (source, _expr) in sources.items():
        if model is source:
            return key
    return None


def load_names(wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """{(source, id): name} for the ids wanted, in one UNION query."""
    sources = _name_sources()
    queries = []
    for key, ids in wanted.items():
        if not ids:
            continue
        model, expr = sources[key]
        queries.append(
            model._default_manager.filter(pk__in=sorted(ids))
            .annotate(_source=Value(key, output_field=CharField()), _name=expr)
            .values_list("_source", "pk", "_name")
            .order_by()
        )
    if not queries:
        return {}
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return {(source, int(pk)): unicodedata.normalize("NFC", str(name or "")) for source, pk, name in union}


# --- Values --------------------------------------------------------------------------------------

ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
HASH = re.compile(r"^[0-9a-f]{64}$")
LONG = 400


def local_time(value: dt.datetime) -> str:
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{vietnamese.format_date(value)} {value:%H:%M}"


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return pgettext(C, "yes")
    if value is False:
        return pgettext(C, "no")
    if isinstance(value, str):
        if ISO_DATETIME.match(value):
            try:
                return local_time(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
            except ValueError:
                return value
        if ISO_DATE.match(value):
            try:
                return vietnamese.format_date(dt.date.fromisoformat(value))
            except ValueError:
                return value
        if HASH.match(value):
            return f"{value[:12]}…"
        return value if len(value) <= LONG else f"{value[:LONG]}…"
    if isinstance(value, float | int):
        return vietnamese.format_number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, list):
        return "; ".join(_scalar(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{FIELD_LABELS.get(k, k)}: {_scalar(v)}" for k, v in value.items()) or "—"
    return str(value)


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    event: Any
    restricted: bool
    when: str
    actor: str
    action: str
    object_type: str
    object_name: str
    mode: str  # "values" (a creation), "changes", "removed" (the values before), "" (nothing to show)
    changes: list[Change] = field(default_factory=list)
    sentence: str = ""


class _Resolver:
    """Collects the foreign-key ids of a page, then formats values with their names."""

    def __init__(self) -> None:
        self.sources = _name_sources()
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.names: dict[tuple[str, int], str] = {}

    def source_of(self, f: models.Field[Any, Any] | None) -> str | None:
        if f is None or not f.is_relation or f.related_model is None:
            return None
        return _source_key(f.related_model, self.sources)  # type: ignore[arg-type]

    def want(self, model: type[models.Model] | None, key: str, value: Any) -> None:
        if key == "attendance" and isinstance(value, dict):
            self.wanted["attendee"].update(int(k) for k in value if str(k).isdigit())
            return
        if key in LIST_SOURCES and isinstance(value, list):
            self.wanted[LIST_SOURCES[key]].update(v for v in value if isinstance(v, int))
            return
        f = _field_of(model, key)
        source = self.source_of(f) if f is not None else KEY_SOURCES.get(key)
        if source and isinstance(value, int) and not isinstance(value, bool):
            self.wanted[source].add(value)

    def load(self) -> None:
        self.names = load_names(self.wanted)

    def name(self, source: str, pk: Any) -> str | None:
        return self.names.get((source, pk)) if isinstance(pk, int) else None

    def show(self, model: type[models.Model] | None, key: str, value: Any) -> str:
        f = _field_of(model, key)
        if value is None or value == "":
            return "—"
        if key == "attendance" and isinstance(value, dict):
            return self._attendance(value)
        if key == "changes" and isinstance(value, list):
            return "\n".join(self._item_change(item) for item in value) or "—"
        if key in LIST_SOURCES and isinstance(value, list):
            listed = LIST_SOURCES[key]
            return ", ".join(self.name(listed, v) or f"#{v}" for v in value) or "—"
        source = self.source_of(f) if f is not None else KEY_SOURCES.get(key)
        if source and isinstance(value, int) and not isinstance(value, bool):
            return self.name(source, value) or f"#{value}"
        if f is not None and f.is_relation and isinstance(value, int):
            return f"#{value}"  # an object whose name may be restricted (a document …): its number only
        if f is not None and f.choices and not isinstance(value, list | dict):
            choices = dict(f.flatchoices)
            if value in choices:
                return str(choices[value])
        if f is not None and isinstance(value, str):
            try:
                if isinstance(f, models.DateTimeField):
                    return local_time(dt.datetime.fromisoformat(value))
                if isinstance(f, models.DateField):
                    return vietnamese.format_date(dt.date.fromisoformat(value))
            except ValueError:
                pass
        return _scalar(value)

    def _attendance(self, marks: dict[str, Any]) -> str:
        """{attendee id: [presence, reason]} as "Name: present; Name: excused (reason)"."""
        from dangbo.meetings.models import Attendee

        labels = dict(Attendee._meta.get_field("presence").flatchoices)
        parts = []
        for pk, mark in marks.items():
            name = self.name("attendee", int(pk)) if str(pk).isdigit() else None
            presence, reason = [*mark, "", ""][:2] if isinstance(mark, list) else (mark, "")
            text = f"{name or '#' + str(pk)}: {labels.get(presence, presence)}"
            parts.append(f"{text} ({reason})" if reason else text)
        return "\n".join(parts) or "—"

    def _item_change(self, item: Any) -> str:
        """One scored criterion: {"criterion": "1.2", "before": {...}, "after": {...}}."""
        if not isinstance(item, dict) or "after" not in item:
            return _nested(item)
        change = f"{_nested(item.get('before'))} → {_nested(item.get('after'))}"
        if "criterion" not in item:
            return change
        return f"{capfirst(str(FIELD_LABELS['criterion']))} {item['criterion']}: {change}"


def _nested(value: Any) -> str:
    """A value inside a recorded list or mapping, its keys labelled where we know them."""
    if isinstance(value, dict):
        return (
            ", ".join(
                f"{capfirst(str(FIELD_LABELS[k])) if k in FIELD_LABELS else k}: {_nested(v)}"
                for k, v in value.items()
            )
            or "—"
        )
    return _scalar(value)


def _sign_sentence(event: Any, resolver: _Resolver) -> str:
    after = event.after or {}
    capacity = CAPACITIES.get(after.get("capacity", ""), after.get("capacity", ""))
    text = _("Signed as %(capacity)s") % {"capacity": capacity}
    if after.get("content_hash"):
        text += " — " + _("content check code %(hash)s") % {"hash": _scalar(after["content_hash"])}
    return text


def _seal_sentence(event: Any, resolver: _Resolver) -> str:
    after = event.after or {}
    text = _("Both signatures stand on the same text: the minutes are sealed")
    if after.get("sealed_at"):
        text += " " + _("at %(when)s") % {"when": _scalar(after["sealed_at"])}
    if after.get("content_hash"):
        text += " — " + _("content check code %(hash)s") % {"hash": _scalar(after["content_hash"])}
    return text


SENTENCES: dict[str, Callable[[Any, _Resolver], str]] = {
    "minutes.sign": _sign_sentence,
    "minutes.seal": _seal_sentence,
}

# Keys kept in the chain for the machine (the row's own id, places in the trees, search and sort keys):
# the page does not show them. Lists of ids under these keys are shown as names.
HIDDEN = frozenset({"id", "path", "depth", "search_text", "sort_key"})
LIST_SOURCES = {"summoned": "person", "units": "unit", "organisations": "organisation"}
KEY_SOURCES = {"council_member": "council_member"}  # ids under keys that are no field of the event's model


def _shown(key: str) -> bool:
    return key not in HIDDEN and not key.endswith("_path")


IDS_ONLY = re.compile(r"^[\d\s#:.-]*$")


def _changed(event: Any) -> tuple[str, list[tuple[str, Any, Any]]]:
    before, after = event.before, event.after
    if before is None and after is None:
        return "", []
    if not isinstance(before, dict) or not isinstance(after, dict):
        if before is None and isinstance(after, dict):
            return "values", [
                (k, None, v) for k, v in after.items() if v not in (None, "", [], {}) and _shown(k)
            ]
        if after is None and isinstance(before, dict):
            return "removed", [
                (k, v, None) for k, v in before.items() if v not in (None, "", [], {}) and _shown(k)
            ]
        return "changes", [("value", before, after)]
    # Both recorded: what differs. A key only in `before` was not written by the action (a
    # signature records the minutes as they stood and only what it set): it did not change.
    keys = [k for k in after if before.get(k) != after[k] and _shown(k)]
    return "changes", [(k, before.get(k), after[k]) for k in keys]


def rows(events: Iterable[Any]) -> list[Row]:
    """The page's events as rows, with one extra query for every name the page needs."""
    from dangbo.core.labels import ACTION_LABELS

    events = list(events)
    resolver = _Resolver()
    prepared = []
    for event in events:
        model = model_of(event.object_type)
        values_model = model_of(SNAPSHOT_MODELS.get(event.action, "")) or model
        mode, changes = _changed(event)
        if not getattr(event, "restricted", False):
            for key, old, new in changes:
                resolver.want(values_model, key, old)
                resolver.want(values_model, key, new)
            if IDS_ONLY.match(event.object_repr or "") and isinstance(event.after, dict):
                for key, value in event.after.items():
                    resolver.want(model, key, value)
        prepared.append((event, model, values_model, mode, changes))
    resolver.load()
    result = []
    for event, model, values_model, mode, changes in prepared:
        restricted = bool(getattr(event, "restricted", False))
        type_label = capfirst(str(model._meta.verbose_name)) if model is not None else event.object_type
        row = Row(
            event=event,
            restricted=restricted,
            when=local_time(event.occurred_at),
            actor="" if restricted else _actor_name(event),
            action=str(ACTION_LABELS.get(event.action, event.action)),
            object_type=type_label,
            object_name="" if restricted else _object_name(event, model, resolver),
            mode="" if restricted else mode,
        )
        if not restricted:
            sentence = SENTENCES.get(event.action)
            if sentence is not None:
                row.sentence, row.mode = sentence(event, resolver), ""
            else:
                row.changes = [
                    Change(
                        field_label(values_model, key),
                        resolver.show(values_model, key, old),
                        resolver.show(values_model, key, new),
                    )
                    for key, old, new in changes
                ]
        result.append(row)
    return result


def _actor_name(event: Any) -> str:
    if event.actor_id is None:
        return pgettext("actor", "system")
    return names.user_name(event.actor) if event.actor is not None else event.actor_label


def _object_name(event: Any, model: type[models.Model] | None, resolver: _Resolver) -> str:
    """The name recorded with the event; when that is only ids ("1 54"), the names its snapshot points to."""
    recorded = event.object_repr or ""
    if not IDS_ONLY.match(recorded):
        return recorded
    found: dict[str, list[str]] = defaultdict(list)
    for key, value in (event.after or {}).items() if isinstance(event.after, dict) else ():
        source = resolver.source_of(_field_of(model, key))
        name = resolver.name(source, value) if source else None
        if source and name:
            found[source].append(name)
    # whom it is about (a member, a person) before who recorded it
    for source in ("member", "person", *found):
        if found.get(source):
            return found[source][0]
    return f"#{event.object_id}" if event.object_id else ""
