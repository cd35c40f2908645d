"""Annual quality evaluation: the writes. Opening and advancing a round, the self-assessment, the
cell's proposals and the committee's decisions.

Services are keyword-only and take the acting user first (None for the system, e.g. the demo);
each checks who may act, validates everything before writing (a refused call changes nothing and
names the field, or the person) and records one audit event per assessment written. Every figure —
the 30 + 70 points, what each level asks, the quota — is `dangbo.rules.evaluation`'s rule set in
force at the year's end, kept on the round; the service only words its codes.

Who decides what (⚠ rules.md §5: "the standing committee one level up decides an organisation's
level"; members' levels are decided by their grassroots committee, as 124-QĐ/TW and its guidance
did): a round of an organisation lists the organisations directly under it (collectives, Mẫu 01)
and, for a grassroots organisation (đảng bộ cơ sở, chi bộ cơ sở), every party member of its cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import allowed
from dangbo.evaluation.labels import LEVEL_LABELS
from dangbo.evaluation.models import Assessment, EvaluationRound, judged_on
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Appointment, Organisation, Person
from dangbo.rules import evaluation as rules
from dangbo.rules.evaluation import Level, Reason
from dangbo.rules.membership import Status as MemberStatus
from dangbo.rules.orgs import OrgKind
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_number, format_points, one_line, running_text

Status = EvaluationRound.Status
TEXT_LIMIT = 5_000
NOTE_LIMIT = 500
# Organisations whose committee decides the levels of the members of their cells (⚠).
DECIDES_FOR_MEMBERS = frozenset({OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL})
ACTIVE_MEMBERS = (MemberStatus.PROBATIONARY, MemberStatus.FULL)
NEXT = {Status.OPEN: Status.PROPOSING, Status.PROPOSING: Status.DECIDING, Status.DECIDING: Status.CLOSED}
# The order of the levels, best first: a level "above" another has a smaller index.
ORDER = {level: index for index, level in enumerate(Level)}


def above(level: Level | str, other: Level | str) -> bool:
    """Whether `level` is better than `other`."""
    return ORDER[Level(level)] < ORDER[Level(other)]


def level_label(level: Level | str) -> str:
    return str(LEVEL_LABELS[Level(level)])


# --- Wording the rules' figures -----------------------------------------------------------------


def _points(value: Fraction | Decimal | int | None) -> str:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format_points(None if value is None else Decimal(value).quantize(Decimal("0.01")))


def _percent(share: Fraction | None) -> str:
    return "" if share is None else f"{format_points(Decimal(share.numerator * 100) / share.denominator)} %"


def shortfall_text(shortfall: rules.Shortfall) -> str:
    """One missed condition, with its figures, as the member reads it."""
    s = shortfall
    figures = {
        "actual": _points(s.actual) if s.reason is Reason.SCORE_BELOW else s.actual,
        "whole": s.whole,
        "limit": _points(s.limit) if s.reason is Reason.SCORE_BELOW else s.limit,
        "share": _percent(s.threshold) if s.reason is not Reason.SCORE_BELOW else "",
    }
    messages = {
        Reason.SCORE_BELOW: _("the total is %(actual)s points, under the %(limit)s the level asks"),
        Reason.NOT_ALL_DONE: _("%(actual)s of %(whole)s tasks done, %(limit)s needed"),
        Reason.NOT_ALL_ON_TIME: _("%(actual)s of %(whole)s tasks done on time, %(limit)s needed"),
        Reason.EXCEEDING_BELOW: _(
            "%(actual)s of %(whole)s tasks done beyond requirements, at least %(limit)s (%(share)s) needed"
        ),
        Reason.LATE_SHARE_ABOVE: _(
            "%(actual)s of %(whole)s tasks late, at most %(limit)s (%(share)s) allowed"
        ),
        Reason.DISCIPLINED: _("a subordinate unit or a member of the leadership was disciplined"),
        Reason.SHORTCOMINGS_OPEN: _(
            "%(actual)s of %(whole)s shortcomings pointed out earlier fixed, %(limit)s needed"
        ),
    }
    return messages[s.reason] % figures


def why_not(classification: rules.Classification, level: Level | str) -> str:
    """Every condition of `level` the figures miss, joined: "" when the level is reached."""
    return "; ".join(shortfall_text(s) for s in classification.why_not(Level(level)))


# --- Rounds --------------------------------------------------------------------------------------


def form_for(person: Person, holders: set[int]) -> str:
    """The self-assessment form of a member (⚠ 43-HD/BTCTW): 2B for one holding a post (party or
    business: `holders` are the ids of the people with a current appointment), 2A for a member
    working in a unit of the enterprise, 2C for one outside it (retired, working elsewhere)."""
    if person.pk in holders:
        return Assessment.Form.B
    if person.unit_id is not None:
        return Assessment.Form.A
    return Assessment.Form.C


def _decide_require(actor: Any, instance: Any) -> None:
    if actor is not None and not allowed(actor, Perm.EVALUATION_DECIDE, instance):
        raise PermissionDenied


@transaction.atomic
def round_open(*, actor: Any, organisation: Organisation, year: int) -> EvaluationRound:
    """Open the year's round of `organisation` (its committee decides) under the rule set in force
    on the year's last day, and list the assessments to make: the organisations directly under it
    and, for a grassroots organisation, every party member of its cells."""
    _decide_require(actor, organisation)
    errors: dict[str, str] = {}
    day = None
    try:
        day = judged_on(int(year))
        rule_set = rules.evaluation_rules(day)
    except (LookupError, ValueError, OverflowError):
        errors["year"] = _(
            "There is no point-scale rule set for %(year)s: the 100-point evaluation starts with "
            "Quy định 366-QĐ/TW (2025)."
        ) % {"year": year}
    if organisation.dissolved_on is not None:
        errors["organisation"] = _("“%(name)s” has been dissolved.") % {"name": organisation.name}
    if not errors and EvaluationRound.objects.filter(organisation=organisation, year=year).exists():
        errors["year"] = _("“%(name)s” already has a round for %(year)s.") % {
            "name": organisation.name,
            "year": year,
        }
    if errors:
        raise ValidationError(errors)
    assert day is not None
    evaluation_round = EvaluationRound.objects.create(
        organisation=organisation,
        org_path=organisation.path,
        year=year,
        rules_on=day,
        regulation=rule_set.regulation,
        created_by=actor,
    )
    rows = [
        Assessment(
            round=evaluation_round,
            organisation=child,
            org_path=child.path,
            collective=True,
            subject_name=child.name,
            form=Assessment.Form.REPORT,
        )
        for child in Organisation.objects.filter(parent=organisation, dissolved_on__isnull=True).order_by(
            "sort_key", "path"
        )
    ]
    if organisation.kind in DECIDES_FOR_MEMBERS:
        members = list(
            PartyMember.objects.filter(org_path__within=organisation.path, status__in=ACTIVE_MEMBERS)
            .select_related("person", "organisation")
            .order_by("org_path", "person__sort_key")
        )
        people = [m.person_id for m in members]
        today = min(timezone.localdate(), day)
        holders = set(
            Appointment.objects.current(today)
            .filter(person_id__in=people)
            .values_list("person_id", flat=True)
        )
        rows += [
            Assessment(
                round=evaluation_round,
                organisation=m.organisation,
                org_path=m.org_path,
                person=m.person,
                subject_name=m.person.full_name,
                form=form_for(m.person, holders),
            )
            for m in members
        ]
    Assessment.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="evaluation.round_open",
        instance=evaluation_round,
        after={
            **audit.snapshot(evaluation_round),
            "collectives": sum(1 for r in rows if r.collective),
            "individuals": sum(1 for r in rows if not r.collective),
        },
    )
    return evaluation_round


def _lock(evaluation_round: EvaluationRound) -> EvaluationRound:
    return (
        EvaluationRound.objects.select_for_update().select_related("organisation").get(pk=evaluation_round.pk)
    )


def _refuse_closed(evaluation_round: EvaluationRound) -> None:
    if evaluation_round.locked:
        assert evaluation_round.closed_at is not None
        raise ValidationError(
            _("The %(year)s round of “%(name)s” was closed on %(date)s: nothing in it can change any more.")
            % {
                "year": evaluation_round.year,
                "name": evaluation_round.organisation.name,
                "date": timezone.localtime(evaluation_round.closed_at).strftime("%d/%m/%Y"),
            }
        )


@transaction.atomic
def round_advance(*, actor: Any, evaluation_round: EvaluationRound) -> EvaluationRound:
    """Self-assessment → the cells propose → the committee decides → closed (locked). Closing asks
    every self-assessed member and organisation to have a decided level."""
    evaluation_round = _lock(evaluation_round)
    _decide_require(actor, evaluation_round)
    _refuse_closed(evaluation_round)
    status = Status(evaluation_round.status)
    target = NEXT[status]
    fields = ["status"]
    if target is Status.CLOSED:
        undecided = evaluation_round.assessments.filter(self_assessed_at__isnull=False, decided_level="")
        count = undecided.count()
        if count:
            names = ", ".join(undecided.order_by("subject_name").values_list("subject_name", flat=True)[:5])
            raise ValidationError(
                _("%(n)s self-assessed still have no decided level (%(names)s): decide them first.")
                % {"n": count, "names": names}
            )
        evaluation_round.closed_at = timezone.now()
        fields.append("closed_at")
    evaluation_round.status = target.value
    evaluation_round.save(update_fields=fields)
    after: dict[str, Any] = {"status": target.value}
    if target is Status.CLOSED:
        after["levels"] = _tally(evaluation_round)
    audit.record(
        actor=actor,
        action=f"evaluation.round_{target.value}",
        instance=evaluation_round,
        before={"status": status.value},
        after=after,
    )
    return evaluation_round


def _tally(evaluation_round: EvaluationRound) -> dict[str, dict[str, int]]:
    """How many of each group got each decided level."""
    tally: dict[str, dict[str, int]] = {"individual": {}, "collective": {}}
    for collective, level in evaluation_round.assessments.exclude(decided_level="").values_list(
        "collective", "decided_level"
    ):
        group = tally["collective" if collective else "individual"]
        group[level] = group.get(level, 0) + 1
    return tally


# --- The self-assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfInput:
    general_score: Decimal | None
    task_score: Decimal | None
    tasks_total: int | None
    tasks_done: int | None
    tasks_on_time: int | None
    tasks_exceeding: int | None
    disciplined: bool = False
    shortcomings: int = 0
    shortcomings_fixed: int = 0
    strengths: str = ""
    weaknesses: str = ""
    remedies: str = ""


# The field each of the rules' refusals of impossible counts is about.
COUNT_FIELDS = {
    "done_exceeds_total": "tasks_done",
    "on_time_exceeds_done": "tasks_on_time",
    "exceeding_exceeds_done": "tasks_exceeding",
    "fixed_exceeds_shortcomings": "shortcomings_fixed",
}


def _count_message(code: str) -> str:
    messages = {
        "done_exceeds_total": _("%(done)s tasks done is more than the %(total)s assigned."),
        "on_time_exceeds_done": _("%(on_time)s tasks on time is more than the %(done)s done."),
        "exceeding_exceeds_done": _(
            "%(exceeding)s tasks beyond requirements is more than the %(done)s done."
        ),
        "fixed_exceeds_shortcomings": _(
            "%(fixed)s shortcomings fixed is more than the %(shortcomings)s pointed out."
        ),
    }
    return messages[code]


def _score_errors(rule_set: rules.EvaluationRules, data: SelfInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    parts = (
        ("general_score", data.general_score, rule_set.general_max, _("general criteria")),
        ("task_score", data.task_score, rule_set.tasks_max, _("results of tasks")),
    )
    for name, value, maximum, label in parts:
        figures = {"part": label, "max": _points(maximum), "value": _points(value)}
        if value is None:
            errors[name] = _("Enter the points of the %(part)s (0 to %(max)s).") % figures
        elif not 0 <= value <= Decimal(maximum.numerator) / maximum.denominator:
            errors[name] = _("The %(part)s are worth 0 to %(max)s points: %(value)s is outside.") % figures
        elif value != value.quantize(Decimal("0.01")):
            errors[name] = _("The %(part)s: write the points with at most 2 decimals.") % figures
    counts = (
        ("tasks_total", data.tasks_total, _("Enter how many tasks were assigned for the year.")),
        ("tasks_done", data.tasks_done, _("Enter how many tasks were done.")),
        ("tasks_on_time", data.tasks_on_time, _("Enter how many tasks were done on time.")),
        ("tasks_exceeding", data.tasks_exceeding, _("Enter how many tasks were done beyond requirements.")),
        ("shortcomings", data.shortcomings, ""),
        ("shortcomings_fixed", data.shortcomings_fixed, ""),
    )
    for name, count, missing in counts:
        if count is None:
            errors[name] = missing
        elif count < 0:
            errors[name] = _("Enter a whole number, 0 or more.")
    for name in ("strengths", "weaknesses", "remedies"):
        if len(getattr(data, name)) > TEXT_LIMIT:
            errors[name] = _("At most %(n)s characters.") % {"n": format_number(TEXT_LIMIT)}
    return errors


def _classify(rule_set: rules.EvaluationRules, data: SelfInput, collective: bool) -> rules.Classification:
    """The rules' level for the figures; an impossible count is refused naming its field."""
    assert data.general_score is not None and data.task_score is not None
    try:
        return rules.classify_under(
            rule_set,
            score=data.general_score + data.task_score,
            tasks_total=data.tasks_total or 0,
            tasks_done=data.tasks_done or 0,
            tasks_on_time=data.tasks_on_time or 0,
            tasks_exceeding=data.tasks_exceeding or 0,
            collective=collective,
            disciplined=data.disciplined if collective else False,
            shortcomings=data.shortcomings,
            shortcomings_fixed=data.shortcomings_fixed,
        )
    except rules.EvaluationError as error:
        if error.code in COUNT_FIELDS:
            field = COUNT_FIELDS[error.code]
            raise ValidationError({field: _count_message(error.code) % error.figures}) from None
        raise ValidationError(
            {"general_score": _("These figures cannot be (%(code)s).") % {"code": error.code}}
        ) from None


def may_self_assess(actor: Any, assessment: Assessment) -> bool:
    """A member fills their own self-assessment only; an organisation's is written by who proposes
    for it (its cell secretary) or the deciding committee."""
    if actor is None:
        return True
    if not assessment.collective:
        return assessment.person is not None and assessment.person.user_id == actor.pk
    return allowed(actor, Perm.EVALUATION_PROPOSE, assessment) or allowed(
        actor, Perm.EVALUATION_DECIDE, assessment.round
    )


@transaction.atomic
def self_assess(*, actor: Any, assessment: Assessment, data: SelfInput) -> Assessment:
    """Save the self-assessment while the round is open: the figures are checked against the rule
    set, and the level they allow is stored with them."""
    evaluation_round = _lock(assessment.round)
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("person", "round")
        .get(pk=assessment.pk)
    )
    assessment.round = evaluation_round
    if not may_self_assess(actor, assessment):
        raise PermissionDenied(_("You may fill in only your own self-assessment."))
    _refuse_closed(evaluation_round)
    if evaluation_round.status != Status.OPEN:
        raise ValidationError(
            _("Self-assessment is over in this round (%(status)s).")
            % {"status": evaluation_round.get_status_display()}
        )
    rule_set = evaluation_round.rules()
    data = SelfInput(
        **{
            **data.__dict__,
            "strengths": running_text(data.strengths),
            "weaknesses": running_text(data.weaknesses),
            "remedies": running_text(data.remedies),
            "disciplined": bool(data.disciplined) and assessment.collective,
        }
    )
    errors = _score_errors(rule_set, data)
    if errors:
        raise ValidationError(errors)
    classification = _classify(rule_set, data, assessment.collective)
    before = _self_snapshot(assessment)
    for name, value in data.__dict__.items():
        setattr(assessment, name, value)
    assessment.self_level = classification.level.value
    assessment.self_assessed_at = timezone.now()
    assessment.self_assessed_by = actor
    assessment.save()
    audit.record(
        actor=actor,
        action="evaluation.self_assess",
        instance=assessment,
        before=before,
        after=_self_snapshot(assessment),
    )
    return assessment


def _self_snapshot(assessment: Assessment) -> dict[str, Any]:
    names = [*SelfInput.__dataclass_fields__, "self_level"]
    return {name: getattr(assessment, name) for name in names}


# --- Proposals and decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class LevelInput:
    level: str
    note: str = ""


def _level_errors(
    assessment: Assessment, given: LevelInput, verb: str
) -> tuple[dict[str, str], Level | None]:
    """A proposed or decided level: one of the four, never above what the figures allow."""
    key = f"level_{assessment.pk}"
    name = assessment.subject_name
    if given.level not in Level.__members__:
        return {key: _("%(name)s: choose a level from the list.") % {"name": name}}, None
    level = Level(given.level)
    if len(one_line(given.note)) > NOTE_LIMIT:
        return {
            f"note_{assessment.pk}": _("%(name)s: the remark is longer than %(n)s characters.")
            % {
                "name": name,
                "n": NOTE_LIMIT,
            }
        }, None
    classification = assessment.classification()
    if classification is None:
        return {
            key: _("%(name)s has not self-assessed yet: there are no figures to judge.") % {"name": name}
        }, None
    if above(level, classification.level):
        text = (
            _("%(name)s cannot be proposed “%(level)s”: the figures allow at most “%(allowed)s” (%(why)s).")
            if verb == "propose"
            else _("%(name)s cannot be rated “%(level)s”: the figures allow at most “%(allowed)s” (%(why)s).")
        )
        return {
            key: text
            % {
                "name": name,
                "level": level_label(level),
                "allowed": level_label(classification.level),
                "why": why_not(classification, level),
            }
        }, None
    return {}, level


def _assessments(evaluation_round: EvaluationRound, ids: Mapping[int, LevelInput]) -> dict[int, Assessment]:
    found = {
        a.pk: a
        for a in Assessment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(round=evaluation_round, pk__in=list(ids))
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {"assessment": _("No such assessment in this round: %(ids)s.") % {"ids": missing}}
        )
    for assessment in found.values():
        assessment.round = evaluation_round
    return found


@transaction.atomic
def levels_propose(
    *, actor: Any, evaluation_round: EvaluationRound, proposals: Mapping[int, LevelInput]
) -> list[Assessment]:
    """The cell's proposed level for each of its members (and itself), by assessment id: all saved
    or none. A level above what `classify` allows for the self-assessed figures is refused with
    the person's name and what the level misses."""
    evaluation_round = _lock(evaluation_round)
    found = _assessments(evaluation_round, proposals)
    if actor is not None and not all(allowed(actor, Perm.EVALUATION_PROPOSE, a) for a in found.values()):
        raise PermissionDenied
    _refuse_closed(evaluation_round)
    if evaluation_round.status != Status.PROPOSING:
        raise ValidationError(
            _(
                "Levels are proposed once self-assessment is over, before the committee decides (now: %(status)s)."
            )
            % {"status": evaluation_round.get_status_display()}
        )
    return _write_levels(actor, found, proposals, "propose")


def _write_levels(
    actor: Any, found: dict[int, Assessment], given: Mapping[int, LevelInput], verb: str
) -> list[Assessment]:
    errors: dict[str, str] = {}
    levels: dict[int, Level] = {}
    for pk, item in given.items():
        problems, level = _level_errors(found[pk], item, verb)
        errors.update(problems)
        if level is not None:
            levels[pk] = level
    if errors:
        raise ValidationError(errors)
    if verb == "decide":
        quota_errors = quota_problems(next(iter(found.values())).round, levels)
        if quota_errors:
            raise ValidationError({"quota": quota_errors})
    field, note_field, by, at = (
        ("proposed_level", "proposal_note", "proposed_by", "proposed_at")
        if verb == "propose"
        else ("decided_level", "decision_note", "decided_by", "decided_at")
    )
    written: list[Assessment] = []
    now = timezone.now()
    for pk, level in levels.items():
        assessment = found[pk]
        note = one_line(given[pk].note)
        before = {"level": getattr(assessment, field), "note": getattr(assessment, note_field)}
        if before == {"level": level.value, "note": note}:
            continue
        setattr(assessment, field, level.value)
        setattr(assessment, note_field, note)
        setattr(assessment, by, actor)
        setattr(assessment, at, now)
        assessment.save(update_fields=[field, note_field, by, at])
        audit.record(
            actor=actor,
            action=f"evaluation.{verb}",
            instance=assessment,
            before=before,
            after={"level": level.value, "note": note},
        )
        written.append(assessment)
    return written


@dataclass(frozen=True)
class Quota:
    """The quota of one group of a round as it stands (or would stand)."""

    collective: bool
    check: rules.QuotaCheck
    share: Fraction  # the rule set's quota: at most this share of those rated HTTNV


def quotas(evaluation_round: EvaluationRound, changes: Mapping[int, Level] | None = None) -> list[Quota]:
    """The quota of each group of the round — the members, the organisations — from the decided
    levels, with `changes` (assessment id → level) applied. ⚠ The group is the deciding
    organisation's whole list (a cell of five could never have one HTXSNV otherwise)."""
    changes = changes or {}
    levels: dict[bool, list[str]] = {False: [], True: []}
    for pk, collective, decided in evaluation_round.assessments.values_list(
        "pk", "collective", "decided_level"
    ):
        level = changes[pk].value if pk in changes else decided
        if level:
            levels[collective].append(level)
    rule_set = evaluation_round.rules()
    return [
        Quota(collective, rules.check_quota(levels[collective], rule_set), rule_set.excellent_quota)
        for collective in (False, True)
    ]


def quota_text(quota: Quota) -> str:
    figures = {
        "excellent": quota.check.excellent,
        "good": quota.check.good,
        "allowed": quota.check.allowed,
        "over": quota.check.over,
        "x": level_label(Level.HTXSNV),
        "t": level_label(Level.HTTNV),
        "share": _percent(quota.share),
    }
    if quota.collective:
        return (
            _(
                "Organisations: %(excellent)s rated “%(x)s”, the quota allows %(allowed)s "
                "(%(share)s of the %(good)s rated “%(t)s”): %(over)s too many."
            )
            % figures
        )
    return (
        _(
            "Members: %(excellent)s rated “%(x)s”, the quota allows %(allowed)s "
            "(%(share)s of the %(good)s rated “%(t)s”): %(over)s too many."
        )
        % figures
    )


def quota_problems(evaluation_round: EvaluationRound, changes: Mapping[int, Level]) -> list[str]:
    return [quota_text(q) for q in quotas(evaluation_round, changes) if q.check.over]


@transaction.atomic
def levels_decide(
    *, actor: Any, evaluation_round: EvaluationRound, decisions: Mapping[int, LevelInput]
) -> list[Assessment]:
    """The committee's decided levels, by assessment id: all saved or none. Each is at most what the
    figures allow, and the quota (HTXSNV ≤ 20 % of HTTNV, per group) must hold once they are in."""
    evaluation_round = _lock(evaluation_round)
    _decide_require(actor, evaluation_round)
    found = _assessments(evaluation_round, decisions)
    _refuse_closed(evaluation_round)
    if evaluation_round.status != Status.DECIDING:
        raise ValidationError(
            _("Levels are decided after the cells' proposals (now: %(status)s).")
            % {"status": evaluation_round.get_status_display()}
        )
    return _write_levels(actor, found, decisions, "decide")
