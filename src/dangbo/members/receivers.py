"""The members app's answers to what the organisation services announce (dangbo.orgs.signals)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from dangbo.members import counts
from dangbo.members.models import PartyMember
from dangbo.members.signals import send_membership_changed
from dangbo.orgs.models import Organisation, Person


def people_moved(sender: Any, *, source: Organisation, target: Organisation, **kwargs: Any) -> None:
    """A merger: the member records of the merged cell belong to the cell it was merged into."""
    PartyMember.objects.filter(organisation=source).update(organisation=target, org_path=target.path)
    counts.touch({source.pk, target.pk})
    send_membership_changed({source.pk, target.pk}, actor=kwargs.get("actor"))


def tree_changed(sender: Any, *, organisations: set[int], people: set[int], **kwargs: Any) -> None:
    touched = set(organisations)
    if people:
        # A renamed person's record carries the new folded name (what a subtree search reads).
        PartyMember.objects.filter(person_id__in=people).update(
            search_text=Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("search_text")[:1])
        )
        touched.update(
            PartyMember.objects.filter(person_id__in=people).values_list("organisation_id", flat=True)
        )
    counts.touch(touched)
