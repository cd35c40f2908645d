"""Annual quality evaluation: the reads, every one through the scoping function.

A round is read upward, by everyone under its deciding organisation and by the offices above it
(`scope(..., upward=True)` from one's own organisations). An assessment — scores and self-criticism —
is personal: read by the member it is about, by who proposes for its cell (`EVALUATION_PROPOSE`)
and by the deciding committee (`EVALUATION_DECIDE` on the round). The decided levels of a closed
round are public to everyone the round reaches ("công khai").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangbo.core.scoping import allowed, scope, scope_condition
from dangbo.evaluation.models import Assessment, EvaluationRound
from dangbo.orgs.models import Organisation
from dangbo.rules.evaluation import Level
from dangbo.rules.roles import Perm


def rounds(user: Any) -> QuerySet[EvaluationRound]:
    reach = scope_condition(EvaluationRound, user, Perm.EVALUATION_VIEW, upward=True)
    if user is not None and user.is_authenticated:
        own = Assessment.objects.filter(person__user=user).values("round_id")
        reach |= Q(pk__in=own)
    return EvaluationRound.objects.filter(reach).select_related("organisation")


def can_decide(user: Any, evaluation_round: EvaluationRound) -> bool:
    return allowed(user, Perm.EVALUATION_DECIDE, evaluation_round)


def deciding_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose rounds this user opens and decides."""
    organisations = Organisation.objects.filter(dissolved_on__isnull=True)
    return scope(organisations, user, Perm.EVALUATION_DECIDE).order_by("path")


def proposing_cells(user: Any, evaluation_round: EvaluationRound) -> QuerySet[Organisation]:
    """The organisations of the round (the collectives: the cells) this user proposes levels for."""
    ids = evaluation_round.assessments.filter(collective=True).values("organisation_id")
    return scope(Organisation.objects.filter(pk__in=ids), user, Perm.EVALUATION_PROPOSE).order_by("path")


def assessments(user: Any, evaluation_round: EvaluationRound) -> QuerySet[Assessment]:
    """The assessments of the round this user may read in full."""
    found = evaluation_round.assessments.all()
    if can_decide(user, evaluation_round):
        return found
    reach = scope_condition(Assessment, user, Perm.EVALUATION_PROPOSE)
    if user is not None and user.is_authenticated:
        reach |= Q(person__user=user)
    return found.filter(reach)


def mine(user: Any, evaluation_round: EvaluationRound) -> Assessment | None:
    if user is None or not user.is_authenticated:
        return None
    return evaluation_round.assessments.filter(person__user=user).first()


def may_read(user: Any, assessment: Assessment) -> bool:
    return (
        (assessment.person is not None and assessment.person.user_id == getattr(user, "pk", None))
        or allowed(user, Perm.EVALUATION_PROPOSE, assessment)
        or can_decide(user, assessment.round)
    )


@dataclass(frozen=True)
class Progress:
    organisation_id: int
    name: str
    path: str
    total: int
    self_assessed: int
    proposed: int
    decided: int


def progress(evaluation_round: EvaluationRound) -> list[Progress]:
    """Per organisation directly under the deciding one (a cell with its members and itself): how
    many are listed, self-assessed, proposed a level and decided. One query."""
    rows = (
        evaluation_round.assessments.values("organisation_id", "organisation__name", "organisation__path")
        .annotate(
            n_total=Count("pk"),
            n_self=Count("pk", filter=Q(self_assessed_at__isnull=False)),
            n_proposed=Count("pk", filter=~Q(proposed_level="")),
            n_decided=Count("pk", filter=~Q(decided_level="")),
        )
        .order_by("organisation__path")
    )
    by_org: dict[str, Progress] = {}
    for row in rows:
        # Members of a cell of a partial organisation (đảng bộ bộ phận) count with it.
        key = next((p for p in by_org if row["organisation__path"].startswith(p)), row["organisation__path"])
        previous = by_org.get(key)
        by_org[key] = Progress(
            organisation_id=previous.organisation_id if previous else row["organisation_id"],
            name=previous.name if previous else row["organisation__name"],
            path=key,
            total=row["n_total"] + (previous.total if previous else 0),
            self_assessed=row["n_self"] + (previous.self_assessed if previous else 0),
            proposed=row["n_proposed"] + (previous.proposed if previous else 0),
            decided=row["n_decided"] + (previous.decided if previous else 0),
        )
    return list(by_org.values())


def results(evaluation_round: EvaluationRound) -> list[dict[str, Any]]:
    """The decided levels, best first, each with its organisations and its members."""
    decided = evaluation_round.assessments.exclude(decided_level="").order_by("org_path", "subject_name")
    groups: dict[str, dict[str, Any]] = {
        level.value: {"level": level.value, "collectives": [], "individuals": []} for level in Level
    }
    for assessment in decided.only(
        "subject_name", "collective", "decided_level", "organisation_id", "org_path"
    ):
        groups[assessment.decided_level]["collectives" if assessment.collective else "individuals"].append(
            assessment
        )
    return list(groups.values())
