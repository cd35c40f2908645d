"""Emulation: the reads, every one through the scoping function.

A movement reaches everyone under its organiser (`scope(..., upward=True)` from their own
organisations), the organiser's office and those above it, its council and the delegates of the
participating units outside the tree. Drafts are seen only by those who run movements there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from dangbo.core.scoping import allowed, scope_condition
from dangbo.emulation.models import (
    CouncilMember,
    CriteriaSet,
    Criterion,
    Movement,
    MovementModel,
    Registration,
    Result,
    Score,
)
from dangbo.emulation.services import conflict, council_seat, leaf_criteria, leaves_of, may_act_for
from dangbo.rules.roles import Perm


def movements(user: Any) -> QuerySet[Movement]:
    reach = scope_condition(Movement, user, Perm.EMULATION_VIEW, upward=True)
    if user is not None and user.is_authenticated:
        reach |= Q(council__user=user) | Q(delegates__user=user)
    managed = scope_condition(Movement, user, Perm.EMULATION_MANAGE)
    visible = Movement.objects.filter(reach).filter(~Q(status=Movement.Status.DRAFT) | managed)
    return Movement.objects.filter(pk__in=visible.values("pk")).select_related("organisation")


def criteria_sets(user: Any) -> QuerySet[CriteriaSet]:
    """The criteria sets one may read or reuse: those of one's organisations and those above."""
    return CriteriaSet.objects.filter(scope_condition(CriteriaSet, user, Perm.EMULATION_VIEW, upward=True))


def usable_criteria_sets(user: Any) -> QuerySet[CriteriaSet]:
    return criteria_sets(user).filter(published_at__isnull=False)


def can_manage(user: Any, movement: Movement) -> bool:
    return allowed(user, Perm.EMULATION_MANAGE, movement)


def results_public(user: Any, movement: Movement) -> bool:
    """Published results are public to everyone the movement reaches; before that, only to those who
    run it (and the council, who see the scores they gave)."""
    return movement.status == Movement.Status.PUBLISHED or can_manage(user, movement)


@dataclass
class Card:
    """A registration's scorecard: per leaf criterion, the self-score and the council's."""

    registration: Registration
    criteria: list[Criterion]
    self_scores: dict[int, Score] = field(default_factory=dict)
    council: dict[int, list[Score]] = field(default_factory=dict)
    mine: dict[int, Score] = field(default_factory=dict)
    results: dict[int, Result] = field(default_factory=dict)

    @property
    def self_total(self) -> Decimal:
        return sum((s.points or Decimal(0) for s in self.self_scores.values()), Decimal(0))

    @property
    def my_total(self) -> Decimal:
        return sum((s.points or Decimal(0) for s in self.mine.values()), Decimal(0))


def card(registration: Registration, seat: CouncilMember | None = None) -> Card:
    criteria = list(registration.model.criteria_set.criteria.order_by("position"))
    leaves = {c.pk for c in leaves_of(criteria)}
    found = Card(registration=registration, criteria=criteria)
    council: dict[int, list[Score]] = defaultdict(list)
    for score in registration.scores.select_related("council_member"):
        if score.kind == Score.Kind.SELF:
            found.self_scores[score.criterion_id] = score
        else:
            council[score.criterion_id].append(score)
            if seat is not None and score.council_member_id == seat.pk:
                found.mine[score.criterion_id] = score
    found.council = dict(council)
    found.results = {r.criterion_id: r for r in registration.results.all()}
    for criterion in criteria:
        criterion.leaf = criterion.pk in leaves  # type: ignore[attr-defined]
    return found


def registration_roles(user: Any, registration: Registration) -> dict[str, bool]:
    movement = registration.movement
    subject = registration.organisation or registration.unit or registration.person
    seat = council_seat(user, movement)
    conflicted = seat is not None and conflict(seat, registration)
    return {
        "manage": can_manage(user, movement),
        "act": subject is not None and may_act_for(user, movement, subject),
        "council": seat is not None and not conflicted,
        "conflict": conflicted,
    }


def model_rows(movement: Movement) -> list[MovementModel]:
    return list(
        movement.models.select_related("criteria_set").annotate(
            registered=Count("registrations"),
            approved=Count("registrations", filter=Q(registrations__status=Registration.Status.APPROVED)),
        )
    )


def results_table(movement: Movement) -> list[dict[str, Any]]:
    """Per model: its leaf criteria and each approved registration's results, ranked (closed rounds)."""
    registrations = (
        Registration.objects.filter(movement=movement, status=Registration.Status.APPROVED)
        .select_related("model__criteria_set")
        .prefetch_related("results")
        .order_by("model__position", "rank", "subject_name")
    )
    tables: dict[int, dict[str, Any]] = {}
    for registration in registrations:
        model = registration.model
        if model.pk not in tables:
            tables[model.pk] = {"model": model, "criteria": leaf_criteria(model.criteria_set), "rows": []}
        by_criterion = {r.criterion_id: r for r in registration.results.all()}
        tables[model.pk]["rows"].append(
            {
                "registration": registration,
                "cells": [by_criterion.get(c.pk) for c in tables[model.pk]["criteria"]],
            }
        )
    return list(tables.values())


def active_login(username: str) -> Any:
    """The active user of this login name (council members and delegates are named by login)."""
    return get_user_model().objects.filter(username=username.strip(), is_active=True).first()
