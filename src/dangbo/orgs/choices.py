"""How an organisation or a person is named in a pick-list, once for every form.

Two cells share a name in different đảng bộ ("Chi bộ Phòng Kinh doanh" of two provinces), and forty
people of a register look alike in a list of names: a choice names an organisation with its parent
("Chi bộ Phòng Kinh doanh — Đảng bộ Bưu điện TP Hà Nội") and a person with their cell (or their unit,
for someone outside the party). The fields below fetch the parent or the cell in the same query
(select_related), so a list of any length costs one query."""

from __future__ import annotations

from typing import Any

from django import forms

from dangbo.orgs.models import Organisation, Person

SEPARATOR = " — "


def organisation_label(organisation: Organisation) -> str:
    """The organisation's name and its parent's, as every pick-list shows it."""
    parent = organisation.parent if organisation.parent_id else None
    return f"{organisation.name}{SEPARATOR}{parent.name}" if parent is not None else organisation.name


def person_label(person: Person) -> str:
    """The person's full name and their party organisation (else their business unit)."""
    place = person.organisation if person.organisation_id else person.unit if person.unit_id else None
    return f"{person.full_name}{SEPARATOR}{place.name}" if place is not None else person.full_name


def with_parents(organisations: Any) -> Any:
    return organisations.select_related("parent")


def with_places(people: Any) -> Any:
    return people.select_related("organisation", "unit")


class _Related:
    """A model choice field whose queryset follows the foreign keys its labels read."""

    related: tuple[str, ...] = ()

    def _get_queryset(self) -> Any:
        return self._queryset  # type: ignore[attr-defined]

    def _set_queryset(self, queryset: Any) -> None:
        if queryset is not None and self.related:
            queryset = queryset.select_related(*self.related)
        super()._set_queryset(queryset)  # type: ignore[misc]

    queryset = property(_get_queryset, _set_queryset)


class OrganisationChoiceField(_Related, forms.ModelChoiceField):  # type: ignore[type-arg]
    related = ("parent",)

    def label_from_instance(self, obj: Any) -> str:
        return organisation_label(obj)


class OrganisationMultipleChoiceField(_Related, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    related = ("parent",)

    def label_from_instance(self, obj: Any) -> str:
        return organisation_label(obj)


class PersonChoiceField(_Related, forms.ModelChoiceField):  # type: ignore[type-arg]
    related = ("organisation", "unit")

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)
