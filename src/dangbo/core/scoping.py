"""The one scoping function: (user, permission) → what that user may see or change.

A role assignment on a party organisation covers that organisation's subtree, and the business
units led by any organisation in it (with their own subtrees). Every selector and API list passes
its queryset through `scope()`; object checks go through `allowed()`, which reads the same grant.

Each scoped model names, in `SCOPE`, the lookups that place a row in the party tree and/or the
unit tree, e.g. `(("party", "organisation__path"), ("unit", "unit__path"))`.

Some rows are also meant for the organisations *below* the one they belong to: a resolution of a
party committee is read in every cell under it. `scope(..., upward=True)` and `allowed(...,
upward=True)` then also reach the rows placed on an ancestor of a granted organisation (one
`path IN (…)` term: the ancestors' paths are known from the grant without a query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from dangbo.rules.roles import ROLE_PERMISSIONS, Perm, Role

QS = TypeVar("QS", bound=models.QuerySet[Any])


def _minimal_prefixes(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter one: fewer OR terms in every query."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(p) for p in kept):
            kept.append(path)
    return tuple(sorted(kept))


@dataclass(frozen=True)
class Grant:
    everything: bool = False
    party: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    def covers(self, tree: str, path: str | None, *, upward: bool = False) -> bool:
        if self.everything:
            return True
        if not path:
            return False
        prefixes: tuple[str, ...] = getattr(self, tree)
        return any(path.startswith(p) or (upward and p.startswith(path)) for p in prefixes)


def ancestor_paths(prefixes: tuple[str, ...]) -> list[str]:
    """The paths of every strict ancestor of the given paths: "/1/7/42/" → "/1/", "/1/7/"."""
    found: set[str] = set()
    for prefix in prefixes:
        parts = prefix.strip("/").split("/")
        found.update("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts)))
    return sorted(found)


def _user_roles(user: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(role, organisation path) of the user's active assignments, and (unit path, leading org path)
    of every unit led within them: two queries per request, whatever the number of permissions asked."""
    cached = user.__dict__.get("_dangbo_roles")
    if cached is None:
        from dangbo.orgs.models import RoleAssignment, Unit

        assignments = list(
            RoleAssignment.objects.active().filter(user=user).values_list("role", "organisation__path")
        )
        led: list[tuple[str, str]] = []
        prefixes = _minimal_prefixes({path for _, path in assignments})
        if prefixes:
            condition = Q()
            for prefix in prefixes:
                condition |= Q(led_by__path__within=prefix)
            led = list(Unit.objects.filter(condition).values_list("path", "led_by__path"))
        cached = user.__dict__["_dangbo_roles"] = (assignments, led)
    return cached


def grant_for(user: Any, perm: Perm | str) -> Grant:
    """What `perm` reaches for this user; cached on the user object for the request."""
    perm = Perm(perm)
    if user is None or not user.is_authenticated or not user.is_active:
        return Grant()
    cache: dict[Perm, Grant] = user.__dict__.setdefault("_dangbo_grants", {})
    if perm not in cache:
        if user.is_superuser:
            cache[perm] = Grant(everything=True)
        else:
            assignments, led = _user_roles(user)
            party = _minimal_prefixes(
                {path for role, path in assignments if perm in ROLE_PERMISSIONS[Role(role)]}
            )
            unit = _minimal_prefixes(
                {unit_path for unit_path, org_path in led if any(org_path.startswith(p) for p in party)}
            )
            cache[perm] = Grant(party=party, unit=unit, roles=frozenset(role for role, _ in assignments))
    return cache[perm]


def _condition(model: type[models.Model], user: Any, perm: Perm | str, upward: bool) -> Q | None:
    """Q() for everything, None for nothing, else the OR of the grant's subtrees (and ancestors)."""
    grant = grant_for(user, perm)
    if grant.everything:
        return Q()
    condition = Q()
    for tree, lookup in model.SCOPE:  # type: ignore[attr-defined]
        prefixes: tuple[str, ...] = getattr(grant, tree)
        for prefix in prefixes:
            condition |= Q(**{f"{lookup}__within": prefix})
        if upward and prefixes:
            condition |= Q(**{f"{lookup}__in": ancestor_paths(prefixes)})
    return condition or None


def scope_condition(model: type[models.Model], user: Any, perm: Perm | str, *, upward: bool = False) -> Q:
    """The filter `scope()` applies, to combine with others (e.g. one permission for ordinary rows,
    another for confidential ones): `Q()` reaches everything, `Q(pk__in=[])` nothing."""
    condition = _condition(model, user, perm, upward)
    return Q(pk__in=[]) if condition is None else condition


def scope(queryset: QS, user: Any, perm: Perm | str, *, upward: bool = False) -> QS:
    """Filter any scoped queryset down to the rows `perm` reaches for `user` (with `upward`, also
    the rows placed on the organisations above them)."""
    condition = _condition(queryset.model, user, perm, upward)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition) if condition else queryset


def _resolve(instance: models.Model, lookup: str) -> Any:
    value: Any = instance
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def scope_values(instance: models.Model) -> dict[str, str]:
    """Where an object sits in each tree, read through the same `SCOPE` lookups."""
    values: dict[str, str] = {}
    for tree, lookup in getattr(instance, "SCOPE", ()):
        path = _resolve(instance, lookup)
        if path:
            values.setdefault(tree, path)
    return values


def scope_places(instance: models.Model) -> list[tuple[str, str]]:
    """Every (tree, path) that places an object, read through its `SCOPE` lookups: a task sits both
    in the organisation that assigned it and in the one that carries it out."""
    places: list[tuple[str, str]] = []
    for tree, lookup in getattr(instance, "SCOPE", ()):
        path = _resolve(instance, lookup)
        if path:
            places.append((tree, path))
    return places


def allowed(user: Any, perm: Perm | str, instance: models.Model, *, upward: bool = False) -> bool:
    grant = grant_for(user, perm)
    if grant.everything:
        return True
    return any(grant.covers(tree, path, upward=upward) for tree, path in scope_places(instance))


def require(user: Any, perm: Perm | str, instance: models.Model) -> None:
    if not allowed(user, perm, instance):
        raise PermissionDenied


def has_any(user: Any, perm: Perm | str) -> bool:
    grant = grant_for(user, perm)
    return grant.everything or bool(grant.party or grant.unit)


def holders(perm: Perm | str, path: str) -> models.QuerySet[Any]:
    """The active users whose grant of `perm` covers the organisation at `path` (a role on it or on
    an ancestor): who is told when something happens there. The inverse of `grant_for`; one query."""
    from django.contrib.auth import get_user_model

    from dangbo.orgs.models import RoleAssignment

    roles = [role.value for role, perms in ROLE_PERMISSIONS.items() if Perm(perm) in perms]
    paths = [*ancestor_paths((path,)), path]
    assignments = RoleAssignment.objects.active().filter(role__in=roles, organisation__path__in=paths)
    return get_user_model().objects.filter(is_active=True, pk__in=assignments.values("user_id"))
