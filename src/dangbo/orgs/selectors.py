"""Reads of organisations, units, people and posts — always through the scoping function."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet

from dangbo.core.scoping import grant_for, scope
from dangbo.orgs.models import Appointment, AppointmentQuerySet, Organisation, Person, TreeNode, Unit
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold

N = TypeVar("N", bound=TreeNode)

SEARCH_LIMIT = 50


def _view_perm(model: type[TreeNode]) -> Perm:
    return Perm.ORG_VIEW if model is Organisation else Perm.UNIT_VIEW


def tree_visible(model: type[N], user: Any) -> QuerySet[N]:
    return scope(model.objects.all(), user, _view_perm(model))


def tree_roots(model: type[N], user: Any) -> list[N]:
    """The top nodes a user sees: the nodes their grant starts from (or the real roots)."""
    grant = grant_for(user, _view_perm(model))
    qs = model.objects.all()
    if grant.everything:
        return list(qs.filter(parent__isnull=True).order_by("sort_key"))
    paths = grant.party if model is Organisation else grant.unit
    return list(qs.filter(path__in=paths).order_by("sort_key"))


def tree_children(model: type[N], user: Any, node: N) -> list[N]:
    """Children with how many children each has (for expanders), in one query."""
    return list(
        tree_visible(model, user)
        .filter(parent=node)
        .annotate(child_count=Count("children"))
        .order_by("dissolved_on", "sort_key")
    )


def tree_neighbourhood(model: type[N], user: Any, node: N) -> tuple[list[N], list[N]]:
    """Ancestors (top first, for the breadcrumb) and children (with child counts) in one query."""
    ids = node.ancestor_ids()
    rows = list(
        tree_visible(model, user)
        .filter(Q(pk__in=ids) | Q(parent=node))
        .annotate(child_count=Count("children"))
        .order_by("dissolved_on", "sort_key")
    )
    by_id = {n.pk: n for n in rows}
    ancestors = [by_id[i] for i in ids if i in by_id]
    children = [n for n in rows if n.parent_id == node.pk]  # type: ignore[attr-defined]
    return ancestors, children


def tree_search(model: type[N], user: Any, query: str, limit: int = SEARCH_LIMIT) -> list[N]:
    """Accent-insensitive search ("buu dien ha noi" finds "Bưu điện Hà Nội"); every word must match."""
    words = fold(query).split()
    if not words:
        return []
    return list(_matching(model, user, words).order_by("depth", "sort_key")[:limit])


def tree_search_count(model: type[N], user: Any, query: str) -> int:
    """How many nodes the same search finds (one COUNT): the other tree's hint on an empty result."""
    words = fold(query).split()
    return _matching(model, user, words).count() if words else 0


def _matching(model: type[N], user: Any, words: list[str]) -> QuerySet[N]:
    qs = tree_visible(model, user)
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs


def ancestors_by_path(model: type[N], nodes: list[N]) -> dict[int, list[N]]:
    """Ancestor chains of many nodes in one query (for search results)."""
    ids = {i for n in nodes for i in n.ancestor_ids()}
    by_id = model.objects.in_bulk(ids)
    return {n.pk: [by_id[i] for i in n.ancestor_ids() if i in by_id] for n in nodes}


def current_posts(*, organisation: Organisation | None = None, unit: Unit | None = None) -> list[Appointment]:
    qs = Appointment.objects.current().select_related("person", "position", "term")
    qs = qs.filter(organisation=organisation) if organisation else qs.filter(unit=unit)
    return list(qs.order_by("position__rank", "person__sort_key"))


def people_visible(user: Any) -> QuerySet[Person]:
    return scope(Person.objects.select_related("organisation", "unit"), user, Perm.PERSON_VIEW)


def people_of(user: Any, organisation: Organisation, limit: int = 200) -> list[Person]:
    return list(people_visible(user).filter(organisation=organisation).order_by("sort_key")[:limit])


def person_detail(user: Any, pk: int) -> Person:
    return people_visible(user).select_related("user").get(pk=pk)


def posts_of_person(person: Person) -> list[Appointment]:
    """Every post a person holds or held — concurrent posts side by side."""
    return list(
        person.appointments.select_related("position", "organisation", "unit", "term").order_by(
            "-starts_on", "position__rank"
        )
    )


def appointments_visible(user: Any) -> AppointmentQuerySet:
    # ORG_VIEW's grant also reaches the units led by organisations in scope.
    return scope(
        Appointment.objects.select_related("person", "position", "organisation", "unit"), user, Perm.ORG_VIEW
    )
