"""Awards: the writes — proposals and their workflow, decisions and the awards they register.

Services are keyword-only and take the acting user first (None for the system, e.g. the demo);
each checks the permission through the scoping function, validates everything before writing (a
refused call changes nothing and names the field) and records an audit event per write.

Prerequisites are `dangbo.rules.emulation`'s: the facts are gathered from the recorded history (the
awards decided for the subject in the years before, and for a collective the titles of its members)
and from the figures entered with the proposal; `check` words each failure with its figures. A
proposal whose prerequisites fail is refused unless a manager ticks the override and gives a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.awards.labels import FLAG_LABELS, LEVEL_LABELS, TASK_RATING_LABELS
from dangbo.awards.models import Award, AwardType, Decision, Proposal, ProposalStep
from dangbo.core import audit
from dangbo.core.scoping import allowed
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules import emulation as rules
from dangbo.rules.meetings import Comparison
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_number, one_line, running_text

Status = Proposal.Status
SubjectT = Organisation | Unit | Person
FIRST_YEAR = 1945
TEXT_LIMIT = 20_000
MAX_FIGURE = 1_000_000

# --- Subjects ------------------------------------------------------------------------------------


def subject_fields(subject: SubjectT) -> dict[str, Any]:
    """The subject's foreign key, name and path copies, as an Award or a Proposal stores them."""
    if isinstance(subject, Person):
        return {
            "person": subject,
            "subject_name": subject.full_name,
            "org_path": subject.organisation.path if subject.organisation else "",
            "unit_path": subject.unit.path if subject.unit else "",
        }
    if isinstance(subject, Organisation):
        return {
            "organisation": subject,
            "subject_name": subject.name,
            "org_path": subject.path,
            "unit_path": "",
        }
    return {"unit": subject, "subject_name": subject.name, "org_path": "", "unit_path": subject.path}


def subject_key(subject: SubjectT) -> dict[str, SubjectT]:
    return {type(subject).__name__.lower(): subject}


def _fits(award_type: AwardType, subject: SubjectT) -> bool:
    return award_type.for_individuals if isinstance(subject, Person) else award_type.for_collectives


def _misfit_message(award_type: AwardType, subject: SubjectT) -> str:
    if isinstance(subject, Person):
        return _("“%(award)s” is given to collectives, not to individuals.") % {"award": award_type.name}
    return _("“%(award)s” is given to individuals, not to collectives.") % {"award": award_type.name}


# --- Facts and prerequisites ---------------------------------------------------------------------


@dataclass(frozen=True)
class EnteredFacts:
    """The figures a clerk enters with a proposal (what the records cannot tell). For a collective
    the members' titles are counted from the recorded awards unless entered."""

    task_rating: str = ""
    months_employed: int | None = None
    initiatives: tuple[tuple[int, str], ...] = ()  # (year, scope: a rules.Level value)
    flags: Mapping[str, bool] = field(default_factory=dict)
    members: int | None = None
    members_completed: int | None = None
    members_ldtt: int | None = None
    members_cstd_cs: int | None = None
    members_disciplined: int | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["initiatives"] = [list(i) for i in self.initiatives]
        data["flags"] = dict(self.flags)
        return {k: v for k, v in data.items() if v not in (None, "", [], {})}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EnteredFacts:
        values = dict(data)
        values["initiatives"] = tuple((int(y), str(s)) for y, s in values.get("initiatives", ()))
        return cls(**values)


COUNTS = (
    "months_employed",
    "members",
    "members_completed",
    "members_ldtt",
    "members_cstd_cs",
    "members_disciplined",
)


def facts_errors(entered: EnteredFacts, year: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if entered.task_rating and entered.task_rating not in rules.TaskRating.__members__.values():
        errors["task_rating"] = _("Choose the task rating from the list.")
    for name in COUNTS:
        value = getattr(entered, name)
        if value is not None and not 0 <= value <= MAX_FIGURE:
            errors[name] = _("Enter a whole number from 0 to %(max)s.") % {"max": format_number(MAX_FIGURE)}
    members = entered.members
    if members is not None and not errors:
        for name in ("members_completed", "members_ldtt", "members_cstd_cs", "members_disciplined"):
            value = getattr(entered, name)
            if value is not None and value > members:
                errors[name] = _("%(value)s is more than the %(members)s members of the collective.") % {
                    "value": value,
                    "members": members,
                }
    for initiative_year, scope in entered.initiatives:
        if scope not in rules.Level.__members__.values():
            errors["initiative_scope"] = _("Choose the scope of the initiative from the list.")
        elif not year - 10 < initiative_year <= year:
            errors["initiative_year"] = _(
                "An initiative counted for %(year)s is of that year or of the years just before it."
            ) % {"year": year}
    for flag in entered.flags:
        if flag not in rules.Flag.__members__.values():
            errors["flags"] = _("Unknown judgement: %(flag)s.") % {"flag": flag}
    return errors


def history_of(subject: SubjectT, *, until: int | None = None) -> dict[int, set[str]]:
    """Year → codes of the titles and forms awarded (decided) to the subject."""
    awards = Award.objects.filter(**subject_key(subject))
    if until is not None:
        awards = awards.filter(year__lte=until)
    found: dict[int, set[str]] = defaultdict(set)
    for year, code in awards.values_list("year", "award_type__code"):
        found[year].add(code)
    return dict(found)


def _member_awards(subject: Organisation | Unit, year: int) -> dict[str, int]:
    """How many people of the collective hold each title for the year (recorded awards)."""
    place = (
        {"org_path__within": subject.path}
        if isinstance(subject, Organisation)
        else {"unit_path__within": subject.path}
    )
    rows = (
        Award.objects.filter(person__isnull=False, year=year, **place)
        .values("award_type__code")
        .annotate(n=Count("pk"))
    )
    return {row["award_type__code"]: row["n"] for row in rows}


def gather_facts(subject: SubjectT, year: int, entered: EnteredFacts) -> rules.Facts:
    """The facts the prerequisites read: recorded history plus the entered figures (for a
    collective, the members' titles counted from the records where not entered)."""
    member_titles: dict[str, int] = {}
    if not isinstance(subject, Person):
        member_titles = _member_awards(subject, year)
        if entered.members_ldtt is not None:
            member_titles["LDTT"] = entered.members_ldtt
        if entered.members_cstd_cs is not None:
            member_titles["CSTD_CS"] = entered.members_cstd_cs
    return rules.Facts(
        history=history_of(subject, until=year),
        initiatives=tuple(rules.Initiative(y, rules.Level(s)) for y, s in entered.initiatives),
        task_rating=rules.TaskRating(entered.task_rating) if entered.task_rating else None,
        months_employed=entered.months_employed,
        flags=dict(entered.flags),
        members=entered.members,
        members_completed=entered.members_completed,
        member_titles=member_titles,
        members_disciplined=entered.members_disciplined,
    )


@dataclass(frozen=True)
class Check:
    """The prerequisites of one award for one subject and year: the failures, worded with their
    figures, and a note when the system could not check them."""

    failures: tuple[str, ...]
    note: str = ""

    @property
    def met(self) -> bool:
        return not self.failures


def check(award_type: AwardType, year: int, facts: rules.Facts) -> Check:
    if not award_type.prerequisites_known:
        return Check(
            (),
            _("The system does not check the prerequisites of “%(award)s”: the council checks them.")
            % {"award": award_type.name},
        )
    try:
        failures = rules.check_prerequisites(award_type.code, year, facts)
    except LookupError:
        return Check(
            (),
            _("No rule set is recorded for %(year)s: the prerequisites were not checked.") % {"year": year},
        )
    except KeyError:
        return Check(
            (),
            _("“%(award)s” is not in the catalogue in force for %(year)s.")
            % {"award": award_type.name, "year": year},
        )
    return Check(tuple(failure_message(f) for f in failures))


def _title(code: object) -> str:
    for rule_set in reversed(rules.AWARD_RULES):
        for award in rule_set.catalogue:
            if award.code == code:
                return award.name
    return str(code)


def _percent(share: Any) -> str:
    value = Fraction(share) * 100
    return format_number(float(value), 0 if value.denominator == 1 else 1)


FACT_LABELS = {
    "task_rating": gettext_lazy("the year's task rating"),
    "months_employed": gettext_lazy("months since recruitment"),
    "members": gettext_lazy("the number of members of the collective"),
    "members_completed": gettext_lazy("members who completed their tasks"),
    "members_disciplined": gettext_lazy("members disciplined at warning level or above"),
}


def failure_message(failure: rules.Failure) -> str:
    """One prerequisite not met, in words with its figures."""
    f: dict[str, Any] = dict(failure.figures)
    code = failure.code
    if code == "fact_missing":
        fact = str(f["fact"])
        label: object = fact
        if fact in FACT_LABELS:
            label = FACT_LABELS[fact]
        elif fact in rules.Flag.__members__.values():
            label = FLAG_LABELS[rules.Flag(fact)]
        return _("Not entered: %(fact)s.") % {"fact": label}
    if code == "task_rating_below":
        return _("Task rating: %(found)s; at least “%(needed)s” is needed.") % {
            "found": TASK_RATING_LABELS[rules.TaskRating(f["found"])],
            "needed": TASK_RATING_LABELS[rules.TaskRating(f["needed"])],
        }
    if code == "recruited_too_recently":
        return _("Recruited %(found)s months before the evaluation; at least %(needed)s are needed.") % f
    if code == "title_missing":
        return _("Not %(title)s in %(year)s.") % {"title": _title(f["title"]), "year": f["year"]}
    if code == "consecutive_missing":
        return _(
            "%(needed)s consecutive years of %(title)s are needed (%(years)s): %(found)s recorded, "
            "missing %(missing)s."
        ) % {
            "needed": f["needed"],
            "title": _title(f["title"]),
            "years": ", ".join(str(y) for y in f["years"]),
            "found": f["found"],
            "missing": ", ".join(str(y) for y in f["missing_years"]),
        }
    if code == "initiative_missing":
        return _("No initiative recognised at the level “%(scope)s” or above in %(from)s–%(to)s.") % {
            "scope": LEVEL_LABELS[rules.Level(f["scope"])],
            "from": f["from_year"],
            "to": f["to_year"],
        }
    if code == "flag_not_met":
        return _("Not met: %(flag)s.") % {"flag": FLAG_LABELS[rules.Flag(f["flag"])]}
    if code == "no_members":
        return _("The collective has no members.")
    if code == "members_share_below":
        values = {
            "found": f["found"],
            "members": f["members"],
            "needed": f["needed"],
            "share": _percent(f["share"]),
            "title": _title(f["title"]) if f["title"] else "",
        }
        if f["title"] is None:
            return (
                _(
                    "%(found)s of %(members)s members completed their tasks; %(needed)s (%(share)s %%) are needed."
                )
                % values
            )
        if f["comparison"] == Comparison.MORE_THAN:
            return (
                _(
                    "%(found)s of %(members)s members are %(title)s; more than %(share)s %% (%(needed)s) are needed."
                )
                % values
            )
        return (
            _(
                "%(found)s of %(members)s members are %(title)s; at least %(share)s %% (%(needed)s) are needed."
            )
            % values
        )
    if code == "members_title_missing":
        return _("At least %(needed)s member(s) with %(title)s are needed; %(found)s recorded.") % {
            "needed": f["needed"],
            "title": _title(f["title"]),
            "found": f["found"],
        }
    if code == "members_disciplined":
        return _("%(found)s member(s) disciplined at warning level or above.") % f
    if code == "none_of":
        options = "; ".join(failure_message(o).rstrip(".") for o in f["options"])
        return _("None of the alternatives is met: %(options)s.") % {"options": options}
    if code == "quota_exceeded":
        return _("%(proposed)s × %(title)s for %(base)s × %(of)s: at most %(allowed)s (%(share)s %%).") % {
            "proposed": f["proposed"],
            "title": _title(f["title"]),
            "base": f["base"],
            "of": _title(f["of"]),
            "allowed": f["allowed"],
            "share": _percent(f["share"]),
        }
    return _("Prerequisite not met (%(code)s).") % {"code": code}


# --- Proposals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalInput:
    award_type: AwardType
    year: int | None
    achievements: str
    facts: EnteredFacts = EnteredFacts()
    override: bool = False
    override_reason: str = ""


def _proposer_fields(proposer: Organisation | Unit) -> dict[str, Any]:
    if isinstance(proposer, Organisation):
        return {
            "proposer_organisation": proposer,
            "proposer_name": proposer.name,
            "proposer_path": proposer.path,
        }
    return {"proposer_unit": proposer, "proposer_name": proposer.name, "proposer_unit_path": proposer.path}


def _this_year() -> int:
    return timezone.localdate().year


def _year_error(year: int | None) -> str:
    if year is None:
        return _("Enter the year of the achievements.")
    if not FIRST_YEAR <= year <= _this_year():
        return _("The year of the achievements is from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": _this_year(),
        }
    return ""


def _duplicate(award_type: AwardType, year: int, subject: SubjectT, *, proposals: bool = True) -> str:
    key = subject_key(subject)
    award = Award.objects.filter(award_type=award_type, year=year, **key).select_related("decision").first()
    if award is not None:
        return _("%(name)s already has “%(award)s” for %(year)s (decision %(number)s).") % {
            "name": award.subject_name,
            "award": award_type.name,
            "year": year,
            "number": award.decision.number,
        }
    if proposals:
        open_ = (
            Proposal.objects.filter(award_type=award_type, year=year, **key)
            .exclude(status=Status.FAILED)
            .first()
        )
        if open_ is not None:
            return _("%(name)s is already proposed for “%(award)s” for %(year)s (%(status)s).") % {
                "name": open_.subject_name,
                "award": award_type.name,
                "year": year,
                "status": open_.get_status_display(),
            }
    return ""


@transaction.atomic
def proposal_create(
    *, actor: Any, proposer: Organisation | Unit, subject: SubjectT, data: ProposalInput
) -> Proposal:
    """Propose `subject` for an award. The prerequisites are checked on the recorded history and the
    entered figures; when one fails the proposal is refused unless `override` is ticked with a
    reason by someone who manages emulation over the subject."""
    if actor is not None and not (
        allowed(actor, Perm.EMULATION_ENTRY, proposer) and allowed(actor, Perm.EMULATION_ENTRY, subject)
    ):
        raise PermissionDenied
    award_type = data.award_type
    errors: dict[str, str] = {}
    if year_error := _year_error(data.year):
        errors["year"] = year_error
    if not _fits(award_type, subject):
        errors["award_type"] = _misfit_message(award_type, subject)
    if not running_text(data.achievements):
        errors["achievements"] = _("Describe the achievements.")
    elif len(data.achievements) > TEXT_LIMIT:
        errors["achievements"] = _("At most %(n)s characters.") % {"n": format_number(TEXT_LIMIT)}
    if errors:
        raise ValidationError(errors)
    assert data.year is not None
    errors = facts_errors(data.facts, data.year)
    if duplicate := _duplicate(award_type, data.year, subject):
        errors["award_type"] = duplicate
    if errors:
        raise ValidationError(errors)
    result = check(award_type, data.year, gather_facts(subject, data.year, data.facts))
    reason = running_text(data.override_reason)
    if not result.met:
        _require_override(actor, subject, data.override, reason, result)
    proposal = Proposal.objects.create(
        award_type=award_type,
        year=data.year,
        **subject_fields(subject),
        **_proposer_fields(proposer),
        achievements=running_text(data.achievements),
        facts=data.facts.as_json(),
        warnings=list(result.failures),
        override=not result.met,
        override_reason=reason if not result.met else "",
        override_by=actor if not result.met else None,
        override_at=timezone.now() if not result.met else None,
        created_by=actor,
    )
    ProposalStep.objects.create(proposal=proposal, to_status=Status.PROPOSED, note=reason, actor=actor)
    audit.record(actor=actor, action="awards.propose", instance=proposal, after=audit.snapshot(proposal))
    return proposal


def _require_override(actor: Any, subject: SubjectT, override: bool, reason: str, result: Check) -> None:
    listed = " ".join(result.failures)
    if not override:
        raise ValidationError(
            {
                "override": _(
                    "A prerequisite is not met: %(failures)s Nothing was saved. To submit it anyway, tick "
                    "the override and give the reason."
                )
                % {"failures": listed}
            }
        )
    if not reason:
        raise ValidationError(
            {"override_reason": _("Give the reason for submitting although a prerequisite is not met.")}
        )
    if actor is not None and not allowed(actor, Perm.EMULATION_MANAGE, subject):
        raise ValidationError(
            {
                "override": _(
                    "Only the emulation council may submit a proposal whose prerequisites are not met."
                )
            }
        )


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.REVIEWED, Status.FAILED),
    Status.REVIEWED: (Status.RAISED, Status.FAILED),
    Status.RAISED: (Status.FAILED,),
}
ACTIONS = {Status.REVIEWED: "awards.review", Status.FAILED: "awards.fail", Status.RAISED: "awards.raise"}


def next_statuses(proposal: Proposal) -> tuple[str, ...]:
    return TRANSITIONS.get(Status(proposal.status), ())


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("award_type").get(pk=proposal.pk)


@transaction.atomic
def proposal_transition(
    *, actor: Any, proposal: Proposal, to: str, note: str = "", raised_to: str = ""
) -> Proposal:
    """Move a proposal on: reviewed, failed (with the reason), raised to a higher level (naming it).
    It becomes decided only when a decision naming it is registered (`decision_register`)."""
    proposal = _lock(proposal)
    if actor is not None and not allowed(actor, Perm.EMULATION_MANAGE, proposal):
        raise PermissionDenied
    note, raised_to = running_text(note), one_line(raised_to)
    errors: dict[str, str] = {}
    if to not in next_statuses(proposal):
        errors["to"] = _("A proposal that is “%(status)s” cannot become “%(to)s”.") % {
            "status": proposal.get_status_display(),
            "to": Status(to).label if to in Status.values else to,
        }
    elif to == Status.FAILED and not note:
        errors["note"] = _("Give the reason why the proposal is not approved.")
    elif to == Status.RAISED and not raised_to:
        errors["raised_to"] = _(
            "Name the level the proposal is sent up to (e.g. Bộ Thông tin và Truyền thông)."
        )
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(proposal)
    step = ProposalStep.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to, note=note, actor=actor
    )
    proposal.status = to
    if to == Status.RAISED:
        proposal.raised_to = raised_to
    proposal.save(update_fields=["status", "raised_to"])
    audit.record(
        actor=actor,
        action=ACTIONS[Status(to)],
        instance=proposal,
        before=before,
        after={**audit.snapshot(proposal), "note": step.note},
    )
    return proposal


# --- Decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    number: str
    signed_on: dt.date | None
    issuer: str
    issuer_level: str
    year: int | None
    signer_name: str = ""
    signer_post: str = ""
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class AwardEntry:
    """An award given outside the workflow (imported history, a decision of another body)."""

    award_type: AwardType
    subject: SubjectT
    citation: str = ""


def _decision_errors(data: DecisionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not one_line(data.number):
        errors["number"] = _("Enter the number of the decision.")
    if data.signed_on is None:
        errors["signed_on"] = _("Enter the date of the decision.")
    elif data.signed_on > timezone.localdate():
        errors["signed_on"] = _("The decision's date cannot be in the future.")
    if not one_line(data.issuer):
        errors["issuer"] = _("Enter who issued the decision.")
    if data.issuer_level not in rules.Level.__members__.values():
        errors["issuer_level"] = _("Choose the level of the issuer.")
    if year_error := _year_error(data.year):
        errors["year"] = year_error
    elif data.signed_on is not None and data.year is not None and data.signed_on.year < data.year:
        errors["signed_on"] = _(
            "A decision on the achievements of %(year)s is signed in %(year)s or later."
        ) % {"year": data.year}
    return errors


def _proposal_errors(actor: Any, proposals: Sequence[Proposal], year: int | None) -> list[str]:
    problems: list[str] = []
    for proposal in proposals:
        label = f"{proposal.subject_name} — {proposal.award_type.name} {proposal.year}"
        if actor is not None and not allowed(actor, Perm.EMULATION_MANAGE, proposal):
            raise PermissionDenied
        if proposal.status not in (Status.REVIEWED, Status.RAISED):
            problems.append(
                _("%(label)s: only a reviewed or raised proposal is decided (it is “%(status)s”).")
                % {"label": label, "status": proposal.get_status_display()}
            )
        elif year is not None and proposal.year != year:
            problems.append(
                _("%(label)s: the decision is on the achievements of %(year)s.")
                % {"label": label, "year": year}
            )
        else:
            result = check(
                proposal.award_type,
                proposal.year,
                gather_facts(proposal.subject, proposal.year, EnteredFacts.from_json(proposal.facts)),
            )
            if not result.met and not proposal.override:
                problems.append(
                    _("%(label)s: %(failures)s") % {"label": label, "failures": " ".join(result.failures)}
                )
    return problems


def _entry_errors(actor: Any, entries: Sequence[AwardEntry], year: int | None) -> list[str]:
    problems: list[str] = []
    seen: set[tuple[int, str, int]] = set()
    for number, entry in enumerate(entries, start=1):
        subject = entry.subject
        if actor is not None and not allowed(actor, Perm.EMULATION_MANAGE, subject):
            raise PermissionDenied
        name = subject.full_name if isinstance(subject, Person) else subject.name
        key = (entry.award_type.pk, type(subject).__name__, subject.pk)
        if not _fits(entry.award_type, subject):
            problems.append(
                _("Row %(n)s (%(name)s): %(reason)s")
                % {"n": number, "name": name, "reason": _misfit_message(entry.award_type, subject)}
            )
        elif key in seen:
            problems.append(
                _("Row %(n)s (%(name)s): “%(award)s” is listed twice.")
                % {"n": number, "name": name, "award": entry.award_type.name}
            )
        elif year is not None and (duplicate := _duplicate(entry.award_type, year, subject, proposals=False)):
            problems.append(_("Row %(n)s: %(reason)s") % {"n": number, "reason": duplicate})
        seen.add(key)
    return problems


@transaction.atomic
def decision_register(
    *,
    actor: Any,
    organisation: Organisation,
    data: DecisionInput,
    proposals: Sequence[Proposal] = (),
    entries: Sequence[AwardEntry] = (),
) -> Decision:
    """Register a decision kept by `organisation`: each decided proposal (reviewed or raised, of the
    decision's year, its prerequisites met or overridden) becomes decided with its award; `entries`
    are awards given outside the workflow. Everything is refused if anything is wrong."""
    if actor is not None and not allowed(actor, Perm.EMULATION_MANAGE, organisation):
        raise PermissionDenied
    proposals = list(
        Proposal.objects.select_for_update(of=("self",))
        .select_related("award_type", "person", "organisation", "unit")
        .filter(pk__in=[p.pk for p in proposals])
    )
    errors = _decision_errors(data)
    problems = _proposal_errors(actor, proposals, data.year) + _entry_errors(actor, entries, data.year)
    if problems:
        errors["awards"] = " ".join(problems)
    elif not proposals and not entries:
        errors["awards"] = _("Choose the proposals decided, or list the awards given.")
    if errors:
        raise ValidationError(errors)
    assert data.year is not None and data.signed_on is not None
    number, issuer = one_line(data.number), one_line(data.issuer)
    if Decision.objects.filter(issuer=issuer, number=number, signed_on=data.signed_on).exists():
        raise ValidationError(
            {
                "number": _("Decision %(number)s of %(issuer)s is already registered.")
                % {"number": number, "issuer": issuer}
            }
        )
    decision = Decision.objects.create(
        organisation=organisation,
        org_path=organisation.path,
        number=one_line(data.number),
        signed_on=data.signed_on,
        issuer=one_line(data.issuer),
        issuer_level=data.issuer_level,
        signer_name=one_line(data.signer_name),
        signer_post=one_line(data.signer_post),
        place=one_line(data.place),
        year=data.year,
        note=running_text(data.note),
        created_by=actor,
    )
    awards = []
    for proposal in proposals:
        awards.append(
            Award.objects.create(
                award_type=proposal.award_type,
                year=proposal.year,
                decision=decision,
                proposal=proposal,
                citation=one_line(proposal.achievements.split("\n", 1)[0])[:500],
                **subject_fields(proposal.subject),
            )
        )
        before = audit.snapshot(proposal)
        ProposalStep.objects.create(
            proposal=proposal,
            from_status=proposal.status,
            to_status=Status.DECIDED,
            note=decision.number,
            actor=actor,
        )
        proposal.status, proposal.decision = Status.DECIDED, decision
        proposal.save(update_fields=["status", "decision"])
        audit.record(
            actor=actor,
            action="awards.decide",
            instance=proposal,
            before=before,
            after=audit.snapshot(proposal),
        )
    for entry in entries:
        awards.append(
            Award.objects.create(
                award_type=entry.award_type,
                year=data.year,
                decision=decision,
                citation=one_line(entry.citation)[:500],
                **subject_fields(entry.subject),
            )
        )
    audit.record(
        actor=actor,
        action="awards.decision_register",
        instance=decision,
        after={**audit.snapshot(decision), "awards": [audit.snapshot(a) for a in awards]},
    )
    return decision


def quota_warning(*, year: int, path: str, adding: int = 0) -> str:
    """The CSTĐ cơ sở quota for the year among the awards recorded under the organisation at `path`
    (and `adding` more): a sentence with the figures, or "" when within it or without a quota."""
    on = dt.date(year, 12, 31)
    try:
        quota = rules.award_rules(on).quota("CSTD_CS")
    except LookupError:
        return ""
    if quota is None:
        return ""
    counts = dict(
        Award.objects.filter(org_path__within=path, year=year, award_type__code__in=[quota.title, quota.of])
        .values_list("award_type__code")
        .annotate(n=Count("pk"))
    )
    failure = rules.check_quota(
        quota.title, counts.get(quota.title, 0) + adding, counts.get(quota.of, 0), on=on
    )
    return failure_message(failure) if failure is not None else ""
