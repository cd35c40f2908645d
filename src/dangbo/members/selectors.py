"""Reads of member records, always through the scoping function."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangbo.core.scoping import scope
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs.models import Organisation
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold


def members_visible(user: Any) -> QuerySet[PartyMember]:
    return scope(PartyMember.objects.select_related("person", "organisation"), user, Perm.PERSON_VIEW)


def register(
    user: Any, organisation: Organisation, *, query: str = "", status: str = ""
) -> QuerySet[PartyMember]:
    """The 7-HSĐV register of a subtree, in Vietnamese order of given names; every word must match."""
    qs = members_visible(user).filter(org_path__within=organisation.path)
    if status:
        qs = qs.filter(status=status)
    for word in fold(query).split():
        qs = qs.filter(person__search_text__contains=word)
    return qs.order_by("person__sort_key", "pk")


def timeline(member: PartyMember) -> list[MemberEvent]:
    return list(member.events.order_by("on", "pk"))
