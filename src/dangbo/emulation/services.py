"""Emulation: the writes. Criteria sets, movements and their models, the council, registrations,
self-scores and council scores, closing (locking) and publishing the round.

Services are keyword-only and take the acting user first (None for the system, e.g. the demo);
each checks the permission through the scoping function, validates everything before writing (a
refused call changes nothing and names the field or the criterion) and records an audit event per
write. The arithmetic — sums to 100, steps, the final score — is `dangbo.rules.emulation`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.names import user_name
from dangbo.core.scoping import allowed, require
from dangbo.emulation import seal
from dangbo.emulation.models import (
    CouncilMember,
    CriteriaSet,
    Criterion,
    Delegate,
    Movement,
    MovementModel,
    Registration,
    Result,
    Score,
)
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules import emulation as rules
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold, format_number, format_points, one_line, running_text

Status = Movement.Status
MAX_CRITERIA = 200
EVIDENCE_LIMIT = 5_000


# --- Criteria sets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    """One line of a criteria set as a clerk types it: the dotted code places it in the tree."""

    code: str
    title: str
    max_points: Decimal | None = None
    step: Decimal | None = None
    mandatory: bool = False
    guidance: str = ""


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _specs(rows: Sequence[CriterionRow], default_step: Decimal) -> list[rules.CriterionSpec]:
    """The rows as the rules' tree (children under the row whose code is their code's prefix)."""
    children: dict[str | None, list[CriterionRow]] = defaultdict(list)
    for row in rows:
        children[parent_code(row.code)].append(row)

    def build(row: CriterionRow) -> rules.CriterionSpec:
        kids = tuple(build(child) for child in children.get(row.code, ()))
        return rules.CriterionSpec(
            code=row.code,
            title=row.title,
            max_points=None if row.mandatory else row.max_points,
            step=None if row.mandatory else row.step,
            mandatory=row.mandatory,
            children=kids,
        )

    return [build(row) for row in children.get(None, ())]


def _row_errors(rows: Sequence[CriterionRow], total: Decimal, default_step: Decimal) -> dict[str, str]:
    """Errors keyed by the row's code ("" for the whole set), worded for the clerk."""
    errors: dict[str, str] = {}
    if not rows:
        return {"": _("The criteria set has no criteria.")}
    if len(rows) > MAX_CRITERIA:
        return {"": _("A criteria set holds at most %(n)s criteria.") % {"n": MAX_CRITERIA}}
    codes = [row.code for row in rows]
    for row in rows:
        if not row.code or not all(part.isdigit() for part in row.code.split(".")):
            errors[row.code or "?"] = _(
                "Criterion “%(title)s”: the code is numbers separated by dots (1, 1.2)."
            ) % {"title": row.title}
        elif not row.title:
            errors[row.code] = _("Criterion %(code)s: enter its title.") % {"code": row.code}
        elif (p := parent_code(row.code)) is not None and p not in codes:
            errors[row.code] = _("Criterion %(code)s: there is no criterion %(parent)s above it.") % {
                "code": row.code,
                "parent": p,
            }
        elif (
            not row.mandatory
            and row.max_points is None
            and not any(parent_code(c) == row.code for c in codes)
        ):
            errors[row.code] = _("Criterion %(code)s: enter its maximum points or mark it mandatory.") % {
                "code": row.code
            }
    if errors:
        return errors
    for problem in rules.validate_criteria(
        _specs(rows, default_step), total=total, default_step=default_step
    ):
        errors.setdefault(problem.criterion or "", criteria_message(problem))
    return errors


def criteria_message(problem: rules.CriteriaError) -> str:
    figures = {k: format_points(v) if isinstance(v, Decimal) else v for k, v in problem.figures.items()}
    where = problem.criterion or ""
    messages = {
        "sum_not_total": _("The maximum points of the criteria add up to %(actual)s, not %(total)s."),
        "child_sum_mismatch": _(
            "Criterion %(where)s: its sub-criteria add up to %(actual)s points, but it is worth %(expected)s."
        ),
        "max_not_multiple_of_step": _(
            "Criterion %(where)s: %(max_points)s points cannot be reached in steps of %(step)s."
        ),
        "mandatory_with_points": _("Criterion %(where)s is mandatory (pass/fail): it has no points."),
        "duplicate_code": _("Code %(where)s is used twice."),
        "empty": _("The criteria set has no criteria."),
        "bad_max": _("Criterion %(where)s: enter its maximum points (more than 0) or mark it mandatory."),
        "bad_step": _("Criterion %(where)s: the step must be at least 0,01."),
        "points_under_mandatory": _(
            "Criterion %(where)s has points but sits under the mandatory (pass/fail) criterion %(parent)s."
        ),
        "blank_code": _("A criterion has no code."),
        "blank_title": _("Criterion %(where)s: enter its title."),
    }
    text = messages.get(problem.code, _("Criterion %(where)s is not valid (%(code)s)."))
    return text % {"where": where, "code": problem.code, **figures}


def _manage_org(actor: Any, organisation: Organisation) -> None:
    if actor is not None:
        require(actor, Perm.EMULATION_MANAGE, organisation)


def _write_criteria(criteria_set: CriteriaSet, rows: Sequence[CriterionRow]) -> None:
    criteria_set.criteria.all().delete()
    by_code: dict[str, Criterion] = {}
    for position, row in enumerate(sorted(rows, key=lambda r: [int(p) for p in r.code.split(".")]), start=1):
        parent = by_code.get(parent_code(row.code) or "")
        has_children = any(parent_code(r.code) == row.code for r in rows)
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            position=position,
            code=row.code,
            title=one_line(row.title),
            guidance=running_text(row.guidance),
            mandatory=row.mandatory,
            max_points=None if row.mandatory else row.max_points,
            step=None if row.mandatory or has_children else (row.step or criteria_set.default_step),
        )
        by_code[row.code] = criterion


def _clean_rows(rows: Iterable[CriterionRow]) -> list[CriterionRow]:
    """Rows trimmed; a heading without points whose sub-criteria are all pass/fail is itself a
    mandatory group ("0 | Tiêu chí chung bắt buộc")."""
    cleaned = _trimmed(rows)
    kids: dict[str, list[CriterionRow]] = defaultdict(list)
    for row in cleaned:
        if (p := parent_code(row.code)) is not None:
            kids[p].append(row)
    return [
        replace(row, mandatory=True)
        if row.max_points is None and kids.get(row.code) and all(k.mandatory for k in kids[row.code])
        else row
        for row in cleaned
    ]


def _trimmed(rows: Iterable[CriterionRow]) -> list[CriterionRow]:
    return [
        CriterionRow(
            code=one_line(r.code).strip("."),
            title=one_line(r.title),
            max_points=r.max_points,
            step=r.step,
            mandatory=r.mandatory,
            guidance=r.guidance,
        )
        for r in rows
        if one_line(r.code) or one_line(r.title)
    ]


@transaction.atomic
def criteria_set_save(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    rows: Sequence[CriterionRow],
    description: str = "",
    total: Decimal = Decimal(100),
    default_step: Decimal = Decimal("0.25"),
    criteria_set: CriteriaSet | None = None,
) -> CriteriaSet:
    """Create a draft criteria set of `organisation`, or rewrite a draft one. A published set is
    frozen: a change is a new version (`criteria_set_new_version`)."""
    _manage_org(actor, organisation)
    rows = _clean_rows(rows)
    errors = _row_errors(rows, total, default_step)
    name = one_line(name)
    if not name:
        errors["name"] = _("Enter the name of the criteria set.")
    code = fold(name).replace(" ", "-")[:60] or "bo-tieu-chi"
    if criteria_set is None and CriteriaSet.objects.filter(organisation=organisation, code=code).exists():
        errors["name"] = _(
            "The organisation already has a criteria set of this name: make a new version of it."
        )
    if criteria_set is not None and criteria_set.published:
        errors[""] = _("“%(name)s” has been published and is frozen: make a new version to change it.") % {
            "name": criteria_set.name
        }
    if errors:
        raise ValidationError(errors)
    before = None
    if criteria_set is None:
        criteria_set = CriteriaSet(
            organisation=organisation, org_path=organisation.path, code=code, created_by=actor
        )
    else:
        before = {**audit.snapshot(criteria_set), "criteria": _criteria_snapshot(criteria_set)}
    criteria_set.name = name
    criteria_set.description = running_text(description)
    criteria_set.total = total
    criteria_set.default_step = default_step
    criteria_set.save()
    _write_criteria(criteria_set, rows)
    audit.record(
        actor=actor,
        action="emulation.criteria_save",
        instance=criteria_set,
        before=before,
        after={**audit.snapshot(criteria_set), "criteria": _criteria_snapshot(criteria_set)},
    )
    return criteria_set


def _criteria_snapshot(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "title": c.title,
            "mandatory": c.mandatory,
            "max_points": c.max_points,
            "step": c.step,
        }
        for c in criteria_set.criteria.order_by("position")
    ]


@transaction.atomic
def criteria_set_publish(*, actor: Any, criteria_set: CriteriaSet) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _manage_org(actor, criteria_set.organisation)
    if criteria_set.published:
        raise ValidationError(_("“%(name)s” is already published.") % {"name": criteria_set.name})
    rows = [
        CriterionRow(c.code, c.title, c.max_points, c.step, c.mandatory, c.guidance)
        for c in criteria_set.criteria.all()
    ]
    errors = _row_errors(rows, criteria_set.total, criteria_set.default_step)
    if errors:
        raise ValidationError(errors)
    criteria_set.published_at = timezone.now()
    criteria_set.save(update_fields=["published_at"])
    audit.record(
        actor=actor,
        action="emulation.criteria_publish",
        instance=criteria_set,
        after={"published_at": criteria_set.published_at, "criteria": _criteria_snapshot(criteria_set)},
    )
    return criteria_set


@transaction.atomic
def criteria_set_new_version(*, actor: Any, criteria_set: CriteriaSet) -> CriteriaSet:
    """A draft copy of a published set with the next version number, to change and publish."""
    _manage_org(actor, criteria_set.organisation)
    latest = (
        CriteriaSet.objects.filter(organisation=criteria_set.organisation, code=criteria_set.code)
        .order_by("-version")
        .first()
    )
    assert latest is not None
    copy = CriteriaSet.objects.create(
        organisation=criteria_set.organisation,
        org_path=criteria_set.org_path,
        code=criteria_set.code,
        version=latest.version + 1,
        name=criteria_set.name,
        description=criteria_set.description,
        total=criteria_set.total,
        default_step=criteria_set.default_step,
        based_on=criteria_set,
        created_by=actor,
    )
    rows = [
        CriterionRow(c.code, c.title, c.max_points, c.step, c.mandatory, c.guidance)
        for c in criteria_set.criteria.all()
    ]
    _write_criteria(copy, rows)
    audit.record(actor=actor, action="emulation.criteria_version", instance=copy, after=audit.snapshot(copy))
    return copy


# --- Movements, models, council ------------------------------------------------------------------


@dataclass(frozen=True)
class MovementInput:
    name: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    goals: str = ""
    aggregation: str = Movement.Aggregation.MEAN
    organisations: Sequence[Organisation] = ()
    units: Sequence[Unit] = ()


def _movement_errors(organiser: Organisation, data: MovementInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not one_line(data.name):
        errors["name"] = _("Enter the name of the movement.")
    if data.starts_on is None:
        errors["starts_on"] = _("Enter the day the movement starts.")
    if data.ends_on is None:
        errors["ends_on"] = _("Enter the day the movement ends.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The movement must end on or after the day it starts.")
    if data.aggregation not in Movement.Aggregation.values:
        errors["aggregation"] = _("Choose how the final score is computed.")
    outside = [o.name for o in data.organisations if not o.path.startswith(organiser.path)]
    if outside:
        errors["organisations"] = _("Not under the organiser: %(names)s.") % {"names": ", ".join(outside)}
    return errors


@transaction.atomic
def movement_create(*, actor: Any, organisation: Organisation, data: MovementInput) -> Movement:
    _manage_org(actor, organisation)
    errors = _movement_errors(organisation, data)
    if errors:
        raise ValidationError(errors)
    assert data.starts_on is not None and data.ends_on is not None
    movement = Movement.objects.create(
        organisation=organisation,
        org_path=organisation.path,
        name=one_line(data.name),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        goals=running_text(data.goals),
        aggregation=data.aggregation,
        search_text=fold(data.name),
        created_by=actor,
    )
    movement.organisations.set(data.organisations)
    movement.units.set(data.units)
    audit.record(
        actor=actor,
        action="emulation.movement_create",
        instance=movement,
        after={
            **audit.snapshot(movement),
            "organisations": [o.pk for o in data.organisations],
            "units": [u.pk for u in data.units],
        },
    )
    return movement


def _lock(movement: Movement) -> Movement:
    return Movement.objects.select_for_update().select_related("organisation").get(pk=movement.pk)


def _manage(actor: Any, movement: Movement) -> None:
    if actor is not None:
        require(actor, Perm.EMULATION_MANAGE, movement)


def _refuse_locked(movement: Movement) -> None:
    if movement.locked:
        raise ValidationError(
            _("The scores of “%(name)s” were locked on %(date)s: nothing in the round can change any more.")
            % {"name": movement.name, "date": timezone.localtime(movement.closed_at).strftime("%d/%m/%Y")}
        )


@dataclass(frozen=True)
class ModelInput:
    name: str
    field: str
    criteria_set: CriteriaSet | None
    tier: str = MovementModel.Tier.GRASSROOTS
    goal: str = ""
    resources: str = ""
    outputs: str = ""
    for_collectives: bool = True
    for_individuals: bool = False


@transaction.atomic
def model_add(*, actor: Any, movement: Movement, data: ModelInput) -> MovementModel:
    movement = _lock(movement)
    _manage(actor, movement)
    errors: dict[str, str] = {}
    if movement.status not in (Status.DRAFT, Status.REGISTRATION):
        errors[""] = _("Models are added before scoring starts.")
    if not one_line(data.name):
        errors["name"] = _("Enter the name of the model.")
    if data.field not in MovementModel.Field.values:
        errors["field"] = _("Choose the field of the model.")
    if data.tier not in MovementModel.Tier.values:
        errors["tier"] = _("Choose the tier of the model.")
    if not (data.for_collectives or data.for_individuals):
        errors["for_collectives"] = _("Say who may register: collectives, individuals or both.")
    if data.criteria_set is None:
        errors["criteria_set"] = _("Choose the criteria set the model is scored by.")
    elif not data.criteria_set.published:
        errors["criteria_set"] = _("“%(name)s” is still a draft: publish it first.") % {
            "name": data.criteria_set.name
        }
    elif actor is not None and not allowed(actor, Perm.EMULATION_VIEW, data.criteria_set, upward=True):
        errors["criteria_set"] = _("You cannot use this criteria set.")
    if errors:
        raise ValidationError(errors)
    assert data.criteria_set is not None
    position = (movement.models.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    model = MovementModel.objects.create(
        movement=movement,
        position=position,
        name=one_line(data.name),
        field=data.field,
        tier=data.tier,
        goal=running_text(data.goal),
        resources=running_text(data.resources),
        outputs=running_text(data.outputs),
        for_collectives=data.for_collectives,
        for_individuals=data.for_individuals,
        criteria_set=data.criteria_set,
    )
    movement.search_text = fold(" ".join([movement.name, *movement.models.values_list("name", flat=True)]))
    movement.save(update_fields=["search_text"])
    audit.record(actor=actor, action="emulation.model_add", instance=model, after=audit.snapshot(model))
    return model


@transaction.atomic
def council_add(
    *, actor: Any, movement: Movement, user: Any, post: str = "", chair: bool = False
) -> CouncilMember:
    movement = _lock(movement)
    _manage(actor, movement)
    _refuse_locked(movement)
    person = Person.objects.filter(user=user).first()
    if CouncilMember.objects.filter(movement=movement, user=user).exists():
        raise ValidationError(
            {"user": _("%(name)s is already on the council.") % {"name": _name(user, person)}}
        )
    if chair and movement.council.filter(chair=True).exists():
        raise ValidationError({"chair": _("The council already has a chair.")})
    member = CouncilMember.objects.create(
        movement=movement, user=user, name=_name(user, person), post=one_line(post), chair=chair
    )
    audit.record(actor=actor, action="emulation.council_add", instance=member, after=audit.snapshot(member))
    return member


def _name(user: Any, person: Person | None) -> str:
    if person is not None:
        return person.full_name
    return user_name(user)


@transaction.atomic
def delegate_add(*, actor: Any, movement: Movement, unit: Unit, user: Any) -> Delegate:
    movement = _lock(movement)
    _manage(actor, movement)
    if not _unit_takes_part(movement, unit):
        raise ValidationError(
            {"unit": _("“%(name)s” does not take part in this movement.") % {"name": unit.name}}
        )
    delegate, created = Delegate.objects.get_or_create(movement=movement, unit=unit, user=user)
    if created:
        audit.record(
            actor=actor, action="emulation.delegate_add", instance=delegate, after=audit.snapshot(delegate)
        )
    return delegate


@transaction.atomic
def council_remove(*, actor: Any, member: CouncilMember) -> None:
    """Take a member off the council before scoring starts (from then on their seat has scores)."""
    movement = _lock(member.movement)
    _manage(actor, movement)
    if movement.status not in (Status.DRAFT, Status.REGISTRATION):
        raise ValidationError(
            _("Scoring has started: %(name)s stays on the council.") % {"name": member.name}
        )
    before = audit.snapshot(member)
    audit.record(actor=actor, action="emulation.council_remove", instance=member, before=before)
    member.delete()


@transaction.atomic
def delegate_remove(*, actor: Any, delegate: Delegate) -> None:
    """Withdraw a unit delegate's login (what it registered and scored stays, under its name)."""
    movement = _lock(delegate.movement)
    _manage(actor, movement)
    _refuse_locked(movement)
    audit.record(
        actor=actor, action="emulation.delegate_remove", instance=delegate, before=audit.snapshot(delegate)
    )
    delegate.delete()


NEXT = {
    Status.DRAFT: Status.REGISTRATION,
    Status.REGISTRATION: Status.SCORING,
    Status.SCORING: Status.CLOSED,
    Status.CLOSED: Status.PUBLISHED,
}


@transaction.atomic
def movement_advance(*, actor: Any, movement: Movement) -> Movement:
    """Open registration → start scoring → close (lock) the round → publish the results."""
    movement = _lock(movement)
    _manage(actor, movement)
    status = Status(movement.status)
    if status not in NEXT:
        raise ValidationError(_("The results of “%(name)s” are already published.") % {"name": movement.name})
    target = NEXT[status]
    if target is Status.REGISTRATION and not movement.models.exists():
        raise ValidationError(_("Add at least one model before opening registration."))
    if target is Status.SCORING:
        pending = movement.registrations.filter(status=Registration.Status.PENDING).count()
        if pending:
            raise ValidationError(
                _("%(n)s registrations still await approval: approve or reject them first.") % {"n": pending}
            )
        if not movement.registrations.filter(status=Registration.Status.APPROVED).exists():
            raise ValidationError(_("No registration has been approved yet: there is nothing to score."))
        if not movement.council.exists():
            raise ValidationError(_("Name the council members before scoring starts."))
    if target is Status.CLOSED:
        return _close(actor, movement)
    before = movement.status
    movement.status = target.value
    fields = ["status"]
    if target is Status.PUBLISHED:
        movement.published_at = timezone.now()
        fields.append("published_at")
    movement.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=f"emulation.movement_{target.value}",
        instance=movement,
        before={"status": before},
        after={"status": movement.status},
    )
    return movement


# --- Who takes part, who acts for whom ----------------------------------------------------------


def _org_takes_part(movement: Movement, organisation: Organisation) -> bool:
    paths = list(movement.organisations.values_list("path", flat=True)) or [movement.org_path]
    return any(organisation.path.startswith(p) for p in paths)


def _unit_takes_part(movement: Movement, unit: Unit) -> bool:
    paths = list(movement.units.values_list("path", flat=True))
    return any(unit.path.startswith(p) for p in paths)


def _subject(registration: Registration) -> Organisation | Unit | Person:
    subject = registration.organisation or registration.unit or registration.person
    assert subject is not None
    return subject


def delegated_paths(actor: Any, movement: Movement) -> list[str]:
    """The paths of the units `actor` is a delegate of in this movement (one query)."""
    return list(Delegate.objects.filter(movement=movement, user=actor).values_list("unit__path", flat=True))


def may_act_for(
    actor: Any,
    movement: Movement,
    subject: Organisation | Unit | Person,
    *,
    delegated: list[str] | None = None,
) -> bool:
    """Whether `actor` registers and self-scores for `subject`: the emulation entry permission over
    it, a delegate of its unit in this movement (`delegated`: `delegated_paths`, when asked for many
    units), or (for a person) the person themself."""
    if actor is None:
        return True
    if isinstance(subject, Person):
        if subject.user_id is not None and subject.user_id == actor.pk:
            return True
        return subject.organisation is not None and allowed(actor, Perm.EMULATION_ENTRY, subject.organisation)
    if allowed(actor, Perm.EMULATION_ENTRY, subject):
        return True
    if isinstance(subject, Unit):
        if delegated is None:
            delegated = delegated_paths(actor, movement)
        return any(subject.path.startswith(p) for p in delegated)
    return False


def conflict(member: CouncilMember, registration: Registration) -> bool:
    """A council member never scores a unit they belong to, nor themself."""
    person = Person.objects.select_related("organisation", "unit").filter(user_id=member.user_id).first()
    if registration.person_id is not None:
        return person is not None and person.pk == registration.person_id
    if registration.unit_id is not None:
        unit_path = registration.unit.path  # type: ignore[union-attr]
        if person is not None and person.unit is not None and person.unit.path.startswith(unit_path):
            return True
        delegated = Delegate.objects.filter(movement_id=member.movement_id, user_id=member.user_id)
        return any(
            unit_path.startswith(p) or p.startswith(unit_path)
            for p in delegated.values_list("unit__path", flat=True)
        )
    org_path = registration.organisation.path  # type: ignore[union-attr]
    return (
        person is not None
        and person.organisation is not None
        and person.organisation.path.startswith(org_path)
    )


# --- Registration --------------------------------------------------------------------------------


@transaction.atomic
def register(
    *,
    actor: Any,
    model: MovementModel,
    organisation: Organisation | None = None,
    unit: Unit | None = None,
    person: Person | None = None,
    plan: str = "",
) -> Registration:
    movement = _lock(model.movement)
    subjects = [s for s in (organisation, unit, person) if s is not None]
    if len(subjects) != 1:
        raise ValidationError({"subject": _("Choose who registers: one organisation, unit or person.")})
    subject = subjects[0]
    if actor is not None and not may_act_for(actor, movement, subject):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if movement.status != Status.REGISTRATION:
        errors[""] = _("“%(name)s” is not open for registration (%(status)s).") % {
            "name": movement.name,
            "status": movement.get_status_display(),
        }
    elif isinstance(subject, Person) and not model.for_individuals:
        errors["subject"] = _("Only collectives register for “%(model)s”.") % {"model": model.name}
    elif not isinstance(subject, Person) and not model.for_collectives:
        errors["subject"] = _("Only individuals register for “%(model)s”.") % {"model": model.name}
    elif (isinstance(subject, Organisation) and not _org_takes_part(movement, subject)) or (
        isinstance(subject, Unit) and not _unit_takes_part(movement, subject)
    ):
        errors["subject"] = _("“%(name)s” does not take part in this movement.") % {"name": subject.name}
    elif isinstance(subject, Person) and (
        subject.organisation is None or not _org_takes_part(movement, subject.organisation)
    ):
        errors["subject"] = _("“%(name)s” does not take part in this movement.") % {"name": subject.full_name}
    else:
        existing = Registration.objects.filter(
            model=model, **{type(subject).__name__.lower(): subject}
        ).first()
        if existing is not None:
            errors["subject"] = _("“%(name)s” has already registered for “%(model)s” (%(status)s).") % {
                "name": existing.subject_name,
                "model": model.name,
                "status": existing.get_status_display(),
            }
    if errors:
        raise ValidationError(errors)
    name = subject.full_name if isinstance(subject, Person) else subject.name
    path = subject.organisation.path if isinstance(subject, Person) else subject.path  # type: ignore[union-attr]
    registration = Registration.objects.create(
        model=model,
        movement=movement,
        organisation=organisation,
        unit=unit,
        person=person,
        subject_name=name,
        subject_path=path,
        plan=running_text(plan),
        registered_by=actor,
    )
    audit.record(
        actor=actor, action="emulation.register", instance=registration, after=audit.snapshot(registration)
    )
    return registration


@transaction.atomic
def registration_withdraw(*, actor: Any, registration: Registration) -> None:
    """The unit withdraws its registration while the movement still takes registrations and the
    council has not decided it; afterwards it stays, decided, in the record."""
    movement = _lock(registration.movement)
    # Only the registration's own row is locked: PostgreSQL refuses FOR UPDATE across nullable joins.
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit", "person")
        .get(pk=registration.pk)
    )
    if actor is not None and not may_act_for(actor, movement, _subject(registration)):
        raise PermissionDenied
    if movement.status != Status.REGISTRATION or registration.status != Registration.Status.PENDING:
        raise ValidationError(
            _(
                "Only a registration awaiting approval can be withdrawn, while the movement takes registrations."
            )
        )
    audit.record(
        actor=actor,
        action="emulation.registration_withdraw",
        instance=registration,
        before=audit.snapshot(registration),
    )
    registration.delete()


@transaction.atomic
def registration_decide(
    *, actor: Any, registration: Registration, approve: bool, reason: str = ""
) -> Registration:
    movement = _lock(registration.movement)
    _manage(actor, movement)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if movement.status not in (Status.REGISTRATION, Status.SCORING) or movement.locked:
        raise ValidationError(_("Registrations are decided while the movement is open for registration."))
    if movement.status == Status.SCORING and registration.status != Registration.Status.PENDING:
        raise ValidationError(_("Scoring has started: an approved or rejected registration stays as it is."))
    reason = one_line(reason)
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the registration is rejected: the unit reads it.")})
    before = {"status": registration.status, "reason": registration.reason}
    registration.status = (Registration.Status.APPROVED if approve else Registration.Status.REJECTED).value
    registration.reason = reason[:500]
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="emulation.registration_decide",
        instance=registration,
        before=before,
        after={"status": registration.status, "reason": registration.reason},
    )
    return registration


# --- Scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    points: Decimal | None = None
    passed: bool | None = None
    evidence: str = ""


def leaf_criteria(criteria_set: CriteriaSet) -> list[Criterion]:
    """The criteria that are scored directly: the mandatory ones and the scored ones without
    sub-criteria (a parent's points are the sum of its children's)."""
    return leaves_of(list(criteria_set.criteria.order_by("position")))


def leaves_of(criteria: Sequence[Criterion]) -> list[Criterion]:
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def _score_errors(criteria: Sequence[Criterion], scores: Mapping[int, ScoreInput]) -> dict[str, str]:
    errors: dict[str, str] = {}
    known = {c.pk for c in criteria}
    for criterion_id in scores:
        if criterion_id not in known:
            errors[str(criterion_id)] = _("This criterion is not in the model's criteria set.")
    for criterion in criteria:
        given = scores.get(criterion.pk)
        key = str(criterion.pk)
        if given is None:
            continue
        if len(given.evidence) > EVIDENCE_LIMIT:
            errors[key] = _("Criterion %(code)s: the evidence is longer than %(n)s characters.") % {
                "code": criterion.code,
                "n": format_number(EVIDENCE_LIMIT),
            }
            continue
        if criterion.mandatory:
            if given.points is not None:
                errors[key] = _("Criterion %(code)s is pass/fail: it takes no points.") % {
                    "code": criterion.code
                }
            continue
        if given.points is None:
            continue
        try:
            rules.check_score(given.points, criterion.max_points, criterion.step)  # type: ignore[arg-type]
        except rules.ScoreError as error:
            errors[key] = score_message(criterion, given.points, error)
    return errors


def score_message(criterion: Criterion, value: Decimal, error: rules.ScoreError) -> str:
    figures = {
        "code": criterion.code,
        "value": format_points(value),
        "max": format_points(criterion.max_points),
        "step": format_points(criterion.step),
    }
    messages = {
        "negative": _("Criterion %(code)s: %(value)s is below 0."),
        "above_max": _("Criterion %(code)s: %(value)s is above its maximum of %(max)s points."),
        "off_step": _("Criterion %(code)s: %(value)s is not a multiple of the step %(step)s."),
        "too_many_decimals": _("Criterion %(code)s: %(value)s has more than 2 decimals."),
    }
    return messages.get(error.code, _("Criterion %(code)s: %(value)s is not a valid score.")) % figures


def _save_scores(
    *,
    actor: Any,
    registration: Registration,
    kind: str,
    member: CouncilMember | None,
    scores: Mapping[int, ScoreInput],
) -> list[Score]:
    criteria = leaf_criteria(registration.model.criteria_set)
    errors = _score_errors(criteria, scores)
    if errors:
        raise ValidationError(errors)
    existing = {
        s.criterion_id: s
        for s in Score.objects.select_for_update().filter(
            registration=registration, kind=kind, council_member=member
        )
    }
    saved: list[Score] = []
    changes: list[dict[str, Any]] = []
    for criterion in criteria:
        given = scores.get(criterion.pk)
        if given is None:
            continue
        evidence = running_text(given.evidence)
        score = existing.get(criterion.pk)
        old = None if score is None else (score.points, score.passed, score.evidence)
        new = (given.points, given.passed if criterion.mandatory else None, evidence)
        if old == new:
            continue
        if score is None:
            score = Score(
                registration=registration,
                movement_id=registration.movement_id,
                criterion=criterion,
                kind=kind,
                council_member=member,
            )
        score.points, score.passed, score.evidence = new
        score.scored_by = actor
        score.save()
        saved.append(score)
        changes.append(
            {
                "criterion": criterion.code,
                "before": None if old is None else {"points": old[0], "passed": old[1]},
                "after": {"points": new[0], "passed": new[1]},
            }
        )
    if changes:
        audit.record(
            actor=actor,
            action=f"emulation.score_{kind}",
            instance=registration,
            after={"council_member": member.pk if member else None, "changes": changes},
        )
    return saved


@transaction.atomic
def self_score(*, actor: Any, registration: Registration, scores: Mapping[int, ScoreInput]) -> list[Score]:
    """The unit's own scores, with evidence: while registration is open or scoring runs."""
    movement = _lock(registration.movement)
    registration = Registration.objects.select_related(
        "model__criteria_set", "unit", "organisation", "person"
    ).get(pk=registration.pk)
    if actor is not None and not may_act_for(actor, movement, _subject(registration)):
        raise PermissionDenied
    _refuse_locked(movement)
    if registration.status != Registration.Status.APPROVED:
        raise ValidationError(_("The registration has not been approved: there is nothing to score yet."))
    if movement.status != Status.SCORING:
        raise ValidationError(_("Scoring has not started yet."))
    return _save_scores(
        actor=actor, registration=registration, kind=Score.Kind.SELF, member=None, scores=scores
    )


def council_seat(actor: Any, movement: Movement) -> CouncilMember | None:
    if actor is None:
        return None
    return CouncilMember.objects.filter(movement=movement, user=actor).first()


@transaction.atomic
def council_score(
    *,
    actor: Any,
    registration: Registration,
    scores: Mapping[int, ScoreInput],
    member: CouncilMember | None = None,
) -> list[Score]:
    """A council member's own scores of one registration (each member scores independently)."""
    movement = _lock(registration.movement)
    registration = Registration.objects.select_related(
        "model__criteria_set", "unit", "organisation", "person"
    ).get(pk=registration.pk)
    seat = member if actor is None else council_seat(actor, movement)
    if seat is None or seat.movement_id != movement.pk:
        raise PermissionDenied
    _refuse_locked(movement)
    if movement.status != Status.SCORING:
        raise ValidationError(_("Scoring has not started yet."))
    if registration.status != Registration.Status.APPROVED:
        raise ValidationError(_("Only approved registrations are scored."))
    if conflict(seat, registration):
        raise ValidationError(
            _("%(name)s belongs to “%(subject)s”: a council member never scores their own unit.")
            % {"name": seat.name, "subject": registration.subject_name}
        )
    return _save_scores(
        actor=actor, registration=registration, kind=Score.Kind.COUNCIL, member=seat, scores=scores
    )


# --- Closing and publishing ----------------------------------------------------------------------


def _close(actor: Any, movement: Movement) -> Movement:
    """Compute every approved registration's final score by the movement's rule, rank them per
    model, store the results, seal the scores (content hash in the audit chain) and lock."""
    registrations = list(
        movement.registrations.filter(status=Registration.Status.APPROVED).select_related(
            "model__criteria_set"
        )
    )
    scores: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.filter(movement=movement):
        scores[score.registration_id].append(score)
    criteria_of: dict[int, list[Criterion]] = {}
    results: list[Result] = []
    for registration in registrations:
        set_id = registration.model.criteria_set_id
        if set_id not in criteria_of:
            criteria_of[set_id] = leaf_criteria(registration.model.criteria_set)
        own = scores.get(registration.pk, [])
        self_by = {s.criterion_id: s for s in own if s.kind == Score.Kind.SELF}
        council_by: dict[int, list[Score]] = defaultdict(list)
        for s in own:
            if s.kind == Score.Kind.COUNCIL:
                council_by[s.criterion_id].append(s)
        final_total = Decimal(0)
        self_total = Decimal(0)
        passed_all = True
        for criterion in criteria_of[set_id]:
            mine = self_by.get(criterion.pk)
            theirs = council_by.get(criterion.pk, [])
            if criterion.mandatory:
                verdicts = [s.passed for s in theirs if s.passed is not None]
                passed = bool(verdicts) and rules.mandatory_met(verdicts)
                passed_all = passed_all and passed
                results.append(
                    Result(
                        registration=registration,
                        movement=movement,
                        criterion=criterion,
                        passed=passed,
                        scorers=len(verdicts),
                    )
                )
                continue
            values = [s.points for s in theirs if s.points is not None]
            points = rules.aggregate(values, movement.aggregation) if values else Decimal(0)
            final_total += points
            self_total += mine.points if mine and mine.points is not None else Decimal(0)
            results.append(
                Result(
                    registration=registration,
                    movement=movement,
                    criterion=criterion,
                    self_points=mine.points if mine else None,
                    points=points,
                    scorers=len(values),
                )
            )
        registration.final_score = final_total
        registration.self_total = self_total
        registration.passed_mandatory = passed_all
    Result.objects.bulk_create(results)
    by_model: dict[int, list[Registration]] = defaultdict(list)
    for registration in registrations:
        by_model[registration.model_id].append(registration)
    for group in by_model.values():
        group.sort(key=lambda r: (not r.passed_mandatory, -(r.final_score or 0)))
        for place, registration in enumerate(group, start=1):
            registration.rank = place
    Registration.objects.bulk_update(registrations, ["final_score", "self_total", "passed_mandatory", "rank"])
    movement.status = Status.CLOSED
    movement.closed_at = timezone.now()
    movement.content_hash = seal.content_hash(movement)
    movement.save(update_fields=["status", "closed_at", "content_hash"])
    audit.record(
        actor=actor,
        action="emulation.movement_closed",
        instance=movement,
        before={"status": Status.SCORING.value},
        after={
            "status": movement.status,
            "content_hash": movement.content_hash,
            "registrations": len(registrations),
        },
    )
    return movement


@transaction.atomic
def exemplar_set(*, actor: Any, registration: Registration, story: str) -> Registration:
    """Recognise a registration as an exemplar (điển hình) once the round is closed, with what other
    units can learn from it; an empty story withdraws the recognition."""
    movement = _lock(registration.movement)
    _manage(actor, movement)
    if not movement.locked:
        raise ValidationError(_("Exemplars are recognised once the scores are locked."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    story = running_text(story)
    if story and not registration.passed_mandatory:
        raise ValidationError(
            {
                "story": _("“%(name)s” did not meet every mandatory criterion.")
                % {"name": registration.subject_name}
            }
        )
    before = {"exemplar": registration.exemplar, "exemplar_story": registration.exemplar_story}
    registration.exemplar = bool(story)
    registration.exemplar_story = story
    registration.save(update_fields=["exemplar", "exemplar_story"])
    audit.record(
        actor=actor,
        action="emulation.exemplar",
        instance=registration,
        before=before,
        after={"exemplar": registration.exemplar, "exemplar_story": story},
    )
    return registration
