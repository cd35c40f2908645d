"""Every write to organisations, units, terms, people, posts and roles.

Each function is keyword-only, takes the acting user (None for the system itself, e.g. the demo
loader), checks the actor's permission through the scoping function, validates, writes inside one
transaction and records exactly one audit event per changed object.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.paths import repath, repath_copies
from dangbo.core.scoping import require
from dangbo.orgs import names, signals
from dangbo.orgs.models import (
    Appointment,
    CommitteeTerm,
    Organisation,
    Person,
    PositionType,
    RoleAssignment,
    TreeNode,
    Unit,
)
from dangbo.rules.orgs import OrgKind, UnitKind, org_child_allowed, unit_child_allowed
from dangbo.rules.roles import Perm, Role, permissions_of
from dangbo.rules.vietnamese import collation_key, fold, name_collation_key

N = TypeVar("N", bound=TreeNode)


def _check(actor: Any, perm: Perm, instance: Any) -> None:
    """The system (actor None) may do anything; a user only within their grant."""
    if actor is not None:
        require(actor, perm, instance)


def _tree_perm(model: type[TreeNode]) -> Perm:
    return Perm.ORG_CHANGE if model is Organisation else Perm.UNIT_CHANGE


def _validate_kind(model: type[TreeNode], parent: TreeNode | None, kind: str) -> None:
    if model is Organisation:
        ok = org_child_allowed(OrgKind(parent.kind) if parent else None, OrgKind(kind))  # type: ignore[attr-defined]
        labels = dict(Organisation._meta.get_field("kind").choices)  # type: ignore[arg-type]
    else:
        ok = unit_child_allowed(UnitKind(parent.kind) if parent else None, UnitKind(kind))  # type: ignore[attr-defined]
        labels = dict(Unit._meta.get_field("kind").choices)  # type: ignore[arg-type]
    if not ok:
        if parent is None:
            message = _("A “%(kind)s” cannot stand at the top of the tree.") % {"kind": labels[kind]}
        else:
            message = _("A “%(kind)s” cannot be placed under “%(parent)s” (%(parent_kind)s).") % {
                "kind": labels[kind],
                "parent": parent.name,
                "parent_kind": labels[parent.kind],  # type: ignore[attr-defined]
            }
        raise ValidationError({"parent": message})


def _clean_name(value: str, field: str = "name") -> str:
    """Names are trimmed, single-spaced NFC text with at least one letter or digit."""
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if not any(ch.isalnum() for ch in value):
        raise ValidationError({field: _("Enter a name with letters or digits.")})
    return value


def _refuse_sibling_twin(node: N, parent: N | None) -> None:
    """Two active nodes under one parent may not share a name (case and spacing aside)."""
    siblings: Any = type(node).objects.filter(
        parent=parent, sort_key=node.sort_key, dissolved_on__isnull=True
    )
    twin = siblings.exclude(pk=node.pk).first()
    if twin is not None:
        raise ValidationError({"name": _("“%(name)s” already exists at this level.") % {"name": twin.name}})


def _search_text(*parts: str) -> str:
    return fold(" ".join(p for p in parts if p))


def _tree_create(model: type[N], *, actor: Any, parent: N | None, **fields: Any) -> N:
    if parent is not None:
        _check(actor, _tree_perm(model), parent)
        parent = model.objects.select_for_update().get(pk=parent.pk)
        if parent.dissolved_on:
            raise ValidationError({"parent": _("“%(name)s” has been dissolved.") % {"name": parent.name}})
    elif actor is not None and not actor.is_superuser:
        raise ValidationError({"parent": _("Only a system administrator may create a new tree.")})
    _validate_kind(model, parent, fields["kind"])
    fields["name"] = _clean_name(fields["name"])
    node = model(parent=parent, depth=(parent.depth + 1) if parent else 0, **fields)
    node.search_text = _search_text(node.name, node.short_name, node.code)
    node.sort_key = collation_key(node.name)
    _refuse_sibling_twin(node, parent)
    node.path = f"/new-{id(node)}/"
    node.full_clean(exclude=["path", "parent"])
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    model.objects.filter(pk=node.pk).update(path=node.path)
    audit.record(
        actor=actor, action=f"{model._meta.model_name}.create", instance=node, after=audit.snapshot(node)
    )
    return node


def _tree_update(node: N, *, actor: Any, **fields: Any) -> N:
    _check(actor, _tree_perm(type(node)), node)
    before = audit.snapshot(node)
    if "kind" in fields and fields["kind"] != node.kind:  # type: ignore[attr-defined]
        _validate_kind(type(node), node.parent, fields["kind"])
        for child in node.children.all():  # type: ignore[attr-defined]
            _validate_kind(type(node), type(node)(name=node.name, kind=fields["kind"]), child.kind)
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"])
    for name, value in fields.items():
        setattr(node, name, value)
    node.search_text = _search_text(node.name, node.short_name, node.code)
    node.sort_key = collation_key(node.name)
    _refuse_sibling_twin(node, node.parent)
    node.full_clean(exclude=["path", "parent"])
    node.save()
    audit.record(
        actor=actor,
        action=f"{node._meta.model_name}.update",
        instance=node,
        before=before,
        after=audit.snapshot(node),
    )
    return node


def _tree_move(node: N, *, actor: Any, new_parent: N) -> N:
    model = type(node)
    _check(actor, _tree_perm(model), node)
    _check(actor, _tree_perm(model), new_parent)
    node = model.objects.select_for_update().get(pk=node.pk)
    new_parent = model.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.path.startswith(node.path):
        raise ValidationError(
            {
                "parent": _("“%(name)s” cannot be moved under itself or one of its own sub-units.")
                % {"name": node.name}
            }
        )
    if new_parent.dissolved_on:
        raise ValidationError({"parent": _("“%(name)s” has been dissolved.") % {"name": new_parent.name}})
    _validate_kind(model, new_parent, node.kind)  # type: ignore[attr-defined]
    _refuse_sibling_twin(node, new_parent)
    before = audit.snapshot(node)
    old_path, new_path = node.path, f"{new_parent.path}{node.pk}/"
    old_parent_id = node.parent_id  # type: ignore[attr-defined]
    repath(model, "path", old_path, new_path, depth=F("depth") + new_parent.depth + 1 - node.depth)
    repath_copies("party" if model is Organisation else "unit", old_path, new_path)
    model.objects.filter(pk=node.pk).update(parent=new_parent)
    node.refresh_from_db()
    if model is Organisation:
        signals.tree_changed.send(Organisation, organisations={old_parent_id, new_parent.pk}, people=set())
    audit.record(
        actor=actor,
        action=f"{model._meta.model_name}.move",
        instance=node,
        before=before,
        after=audit.snapshot(node),
    )
    return node


# --- Party organisations -------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    parent: Organisation | None,
    name: str,
    kind: str,
    short_name: str = "",
    code: str = "",
    place: str = "",
) -> Organisation:
    return _tree_create(
        Organisation,
        actor=actor,
        parent=parent,
        name=name,
        kind=kind,
        short_name=short_name,
        code=code,
        place=_clean_name(place, "place") if place.strip() else "",
    )


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, **fields: Any) -> Organisation:
    allowed = {"name", "short_name", "code", "kind", "place"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "place" in fields:
        fields["place"] = _clean_name(fields["place"], "place") if fields["place"].strip() else ""
    return _tree_update(organisation, actor=actor, **fields)


@transaction.atomic
def organisation_move(*, actor: Any, organisation: Organisation, new_parent: Organisation) -> Organisation:
    return _tree_move(organisation, actor=actor, new_parent=new_parent)


@transaction.atomic
def organisation_merge(
    *, actor: Any, source: Organisation, target: Organisation, on: dt.date
) -> Organisation:
    """Merge `source` into `target`: its sub-organisations, people and links move to the target;
    the source stays in the tree as dissolved, pointing to where it went, with its whole history."""
    source = Organisation.objects.select_for_update().get(pk=source.pk)  # paths as they are now
    target = Organisation.objects.select_for_update().get(pk=target.pk)
    _check(actor, Perm.ORG_CHANGE, source)
    _check(actor, Perm.ORG_CHANGE, target)
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(
            {"target": _("An organisation cannot be merged into itself or its own sub-unit.")}
        )
    if source.kind != target.kind:
        raise ValidationError({"target": _("Only organisations of the same kind can be merged.")})
    if source.dissolved_on or target.dissolved_on:
        raise ValidationError({"target": _("A dissolved organisation cannot take part in a merger.")})
    for child in list(source.children.filter(dissolved_on__isnull=True)):
        _tree_move(child, actor=actor, new_parent=target)
    moved_people = list(source.people.values_list("pk", flat=True))
    Person.objects.filter(pk__in=moved_people).update(organisation=target)
    signals.people_moved.send(Organisation, source=source, target=target, people=moved_people)
    target.units.add(*source.units.all())
    for appointment in source.appointments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)):
        appointment_end(actor=actor, appointment=appointment, ends_on=on)
    before = audit.snapshot(source)
    source.dissolved_on, source.merged_into = on, target
    source.save(update_fields=["dissolved_on", "merged_into"])
    audit.record(
        actor=actor,
        action="organisation.merge",
        instance=source,
        before=before,
        after={**audit.snapshot(source), "people_moved": moved_people},
    )
    audit.record(
        actor=actor,
        action="organisation.merge_in",
        instance=target,
        after={"merged_from": source.pk, "people_moved": moved_people, "on": on},
    )
    return target


@transaction.atomic
def organisation_set_units(*, actor: Any, organisation: Organisation, units: list[Unit]) -> Organisation:
    _check(actor, Perm.ORG_CHANGE, organisation)
    before = sorted(organisation.units.values_list("pk", flat=True))
    if before == sorted(u.pk for u in units):
        return organisation
    organisation.units.set(units)
    audit.record(
        actor=actor,
        action="organisation.units",
        instance=organisation,
        before={"units": before},
        after={"units": sorted(u.pk for u in units)},
    )
    return organisation


# --- Business units ------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *, actor: Any, parent: Unit | None, name: str, kind: str, short_name: str = "", code: str = ""
) -> Unit:
    return _tree_create(
        Unit, actor=actor, parent=parent, name=name, kind=kind, short_name=short_name, code=code
    )


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    unknown = set(fields) - {"name", "short_name", "code", "kind"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    return _tree_update(unit, actor=actor, **fields)


@transaction.atomic
def unit_move(*, actor: Any, unit: Unit, new_parent: Unit) -> Unit:
    return _tree_move(unit, actor=actor, new_parent=new_parent)


# --- Committee terms -----------------------------------------------------------------------------


@transaction.atomic
def term_create(
    *, actor: Any, organisation: Organisation, name: str, starts_on: dt.date, ends_on: dt.date | None = None
) -> CommitteeTerm:
    _check(actor, Perm.ORG_CHANGE, organisation)
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end date must be after the start date.")})
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    clash = CommitteeTerm.objects.filter(organisation=organisation).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        clash = clash.filter(starts_on__lte=ends_on)
    other = clash.order_by("starts_on").first()
    if other is not None:
        raise ValidationError(
            {
                "starts_on": _("This term overlaps the term %(name)s of the same organisation.")
                % {"name": other.name}
            }
        )
    term = CommitteeTerm(organisation=organisation, name=name, starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    term.save()
    audit.record(actor=actor, action="term.create", instance=term, after=audit.snapshot(term))
    return term


# --- People --------------------------------------------------------------------------------------


def _person_perm_target(organisation: Organisation | None, unit: Unit | None) -> Any:
    return Person(organisation=organisation, unit=unit)


@transaction.atomic
def person_create(*, actor: Any, full_name: str, **fields: Any) -> Person:
    person = Person(full_name=_clean_name(full_name, "full_name"), **fields)
    _check(actor, Perm.PERSON_CHANGE, person)
    person.search_text = fold(person.full_name)
    person.sort_key = name_collation_key(person.full_name)
    person.full_clean(exclude=["user"])
    person.save()
    names.add(person.sort_key, person.search_text)
    audit.record(actor=actor, action="person.create", instance=person, after=audit.snapshot(person))
    return person


PERSON_FIELDS = frozenset(
    {"full_name", "gender", "birth_date", "email", "phone", "organisation", "unit", "is_party_member"}
)


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    _check(actor, Perm.PERSON_CHANGE, person)
    before = audit.snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_name = _clean_name(person.full_name, "full_name")
    _check(actor, Perm.PERSON_CHANGE, person)  # also allowed where it now belongs
    person.search_text = fold(person.full_name)
    person.sort_key = name_collation_key(person.full_name)
    person.full_clean(exclude=["user"])
    person.save()
    names.add(person.sort_key, person.search_text)
    signals.tree_changed.send(Person, organisations=set(), people={person.pk})
    audit.record(
        actor=actor, action="person.update", instance=person, before=before, after=audit.snapshot(person)
    )
    return person


@transaction.atomic
def person_link_user(*, actor: Any, person: Person, user: Any) -> Person:
    """Give a person their login (or take it away with user=None): a matter for role managers."""
    _check(actor, Perm.ROLE_MANAGE, person)
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError({"user": _("This login already belongs to another person.")})
    before = audit.snapshot(person)
    person.user = user
    person.save(update_fields=["user"])
    audit.record(
        actor=actor, action="person.link_user", instance=person, before=before, after=audit.snapshot(person)
    )
    return person


# --- Posts ---------------------------------------------------------------------------------------


def _overlapping(qs: Any, starts_on: dt.date, ends_on: dt.date | None) -> Any:
    qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    return qs if ends_on is None else qs.filter(starts_on__lte=ends_on)


@transaction.atomic
def appointment_create(
    *,
    actor: Any,
    person: Person,
    position: PositionType,
    starts_on: dt.date,
    organisation: Organisation | None = None,
    unit: Unit | None = None,
    ends_on: dt.date | None = None,
    term: CommitteeTerm | None = None,
    decision_no: str = "",
) -> Appointment:
    if (organisation is None) == (unit is None):
        raise ValidationError({"organisation": _("Choose either a party organisation or a business unit.")})
    if position.system == PositionType.System.PARTY and organisation is None:
        raise ValidationError({"organisation": _("A party post is held in a party organisation.")})
    if position.system == PositionType.System.BUSINESS and unit is None:
        raise ValidationError({"unit": _("A business post is held in a business unit.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
    if term is not None and term.organisation_id != getattr(organisation, "pk", None):
        raise ValidationError({"term": _("The term belongs to another organisation.")})
    appointment = Appointment(
        person=person,
        position=position,
        organisation=organisation,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        term=term,
        decision_no=decision_no,
    )
    _check(actor, Perm.POSITION_CHANGE, appointment)
    place = organisation or unit
    assert place is not None
    type(place).objects.select_for_update().filter(pk=place.pk).first()  # serialise posts of one place
    same_place = Appointment.objects.filter(position=position, organisation=organisation, unit=unit)
    if _overlapping(same_place.filter(person=person), starts_on, ends_on).exists():
        raise ValidationError(
            {
                "person": _("%(person)s already holds this post here during that time.")
                % {"person": person.full_name}
            }
        )
    if position.single_holder:
        holder = _overlapping(same_place, starts_on, ends_on).select_related("person").first()
        if holder is not None:
            raise ValidationError(
                {
                    "position": _(
                        "The post %(post)s is held by %(person)s during that time; end that appointment first."
                    )
                    % {"post": position.name, "person": holder.person.full_name}
                }
            )
    appointment.save()
    audit.record(
        actor=actor, action="appointment.create", instance=appointment, after=audit.snapshot(appointment)
    )
    return appointment


@transaction.atomic
def appointment_end(*, actor: Any, appointment: Appointment, ends_on: dt.date) -> Appointment:
    _check(actor, Perm.POSITION_CHANGE, appointment)
    if ends_on < appointment.starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
    before = audit.snapshot(appointment)
    appointment.ends_on = ends_on
    appointment.save(update_fields=["ends_on"])
    audit.record(
        actor=actor,
        action="appointment.end",
        instance=appointment,
        before=before,
        after=audit.snapshot(appointment),
    )
    return appointment


# --- Roles ---------------------------------------------------------------------------------------


def grantable_roles(actor: Any, organisation: Organisation) -> list[Role]:
    """The roles `actor` may grant on `organisation` (to someone else): those whose every right the actor
    holds there. The roles page offers only these."""
    from dangbo.core.scoping import allowed

    held = {perm for perm in Perm if actor is None or allowed(actor, perm, organisation)}
    return [role for role in Role if set(permissions_of(role)) <= held]


def _grant_refusal(actor: Any, user: Any, organisation: Organisation, role: Role) -> dict[str, str]:
    """Why `actor` may not grant `role` on `organisation` to `user` (security test M2): nobody grants
    a role to themselves, and nobody hands out a permission they do not hold on that organisation
    themselves — so a system administrator, who reads neither confidential documents nor members'
    opinions, cannot give itself or anyone those rights through the committee office. The system
    (actor None: the demo, a console bootstrap) is not a grantor and is not limited; a superuser made
    at the console holds every permission."""
    from dangbo.core.scoping import allowed
    from dangbo.orgs.labels import PERM_LABELS, ROLE_LABELS

    if actor is None:
        return {}
    if user.pk == actor.pk:
        return {
            "username": _(
                "Nobody grants a role to themselves: another administrator must grant the role "
                "“%(role)s” to you."
            )
            % {"role": ROLE_LABELS[role]}
        }
    missing = [
        perm for perm in Perm if perm in permissions_of(role) and not allowed(actor, perm, organisation)
    ]
    if missing:
        return {
            "role": _(
                "The role “%(role)s” carries rights that you do not hold yourself on “%(organisation)s”: "
                "%(rights)s. Nobody grants rights they do not have."
            )
            % {
                "role": ROLE_LABELS[role],
                "organisation": organisation.name,
                "rights": ", ".join(str(PERM_LABELS[perm]) for perm in missing),
            }
        }
    return {}


@transaction.atomic
def role_assign(*, actor: Any, user: Any, organisation: Organisation, role: str) -> RoleAssignment:
    _check(actor, Perm.ROLE_MANAGE, organisation)
    errors = _grant_refusal(actor, user, organisation, Role(role))
    if errors:
        raise ValidationError(errors)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=role, revoked_at__isnull=True
    )
    if created:
        audit.record(actor=actor, action="role.assign", instance=assignment, after=audit.snapshot(assignment))
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    from django.utils import timezone

    _check(actor, Perm.ROLE_MANAGE, assignment)
    before = audit.snapshot(assignment)
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="role.revoke",
        instance=assignment,
        before=before,
        after=audit.snapshot(assignment),
    )
    return assignment
