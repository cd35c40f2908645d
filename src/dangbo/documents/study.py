"""Study of documents (học tập, quán triệt): the writes and the reads.

An office assigns a document for study to every member of an organisation's subtree between a start
and a deadline (`StudyAssignment`); each member confirms they studied it (`StudyConfirmation`) —
themselves from their page, or the cell secretary (or the office) records several members at once
after a cell meeting. Completion is counted per organisation: members in activity now in the
subtree (the kept statistics of `members.counts`) against the confirmations kept *where the member
was* when they studied (the confirmation's `org_path`), grouped by the child's path prefix in one
query whatever the size of the tree (docs/decisions.md, "Study").

Services are keyword-only and take the acting user first (None for the system, e.g. the demo);
each checks the permission through the scoping function, validates everything before writing (a
refused call changes nothing and names the field) and records an audit event per written row.
Selectors are scoped to what the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.paths import path_ids
from dangbo.core.scoping import allowed, grant_for, require, scope_condition
from dangbo.documents import selectors as document_selectors
from dangbo.documents.models import Document, StudyAssignment, StudyConfirmation
from dangbo.members.models import MemberCount, PartyMember
from dangbo.orgs.models import Organisation
from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS, Status
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_date, one_line

ACTIVE = (Status.PROBATIONARY.value, Status.FULL.value)
START_PAST_DAYS = 30  # an assignment may be entered up to a month after the conference that launched it
LONGEST_DAYS = 366  # a deadline more than a year after the start is a typo of the year
BATCH_LIMIT = 500  # members recorded at once (a cell has at most a few hundred)
DUE_SOON_DAYS = 7  # reminders: deadlines within a week
SHOWN_AFTER_DUE_DAYS = 90  # a member's page keeps an overdue study this long
Channel = StudyConfirmation.Channel


_line = one_line


def ancestors_and_self(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]: the paths an assignment covering it may sit on."""
    ids = path_ids(path)
    return ["/" + "/".join(str(i) for i in ids[:n]) + "/" for n in range(1, len(ids) + 1)]


def _doc_label(document: Document) -> str:
    return document.symbol


def _assignment_label(assignment: StudyAssignment) -> str:
    return _("%(doc)s in %(org)s, from %(start)s to %(due)s") % {
        "doc": assignment.document.symbol,
        "org": assignment.organisation.name,
        "start": format_date(assignment.start_on),
        "due": format_date(assignment.due_on),
    }


# --- Services --------------------------------------------------------------------------------------


@transaction.atomic
def study_assign(
    *,
    actor: Any,
    document: Document,
    organisation: Organisation,
    start_on: dt.date | None,
    due_on: dt.date | None,
    note: str = "",
) -> StudyAssignment:
    """Assign `document` for study to every member of `organisation`'s subtree from `start_on` to
    `due_on`. Needs DOCUMENT_CHANGE on the organisation and the document readable by the actor (a
    confidential one only with DOCUMENT_SECRET_VIEW); the organisation must read the document (it
    is kept in its register or in one above). The document row is locked, so two offices assigning
    the same document at once cannot both pass the overlap check."""
    organisation = Organisation.objects.get(pk=organisation.pk)  # its path as it is now
    if actor is not None:
        require(actor, Perm.DOCUMENT_CHANGE, StudyAssignment(org_path=organisation.path))
    document = Document.objects.select_for_update().get(pk=document.pk)
    errors: dict[str, str] = {}
    if actor is not None and not document_selectors.is_visible(actor, document):
        errors["document"] = _("No such document in the registers you can see.")
    elif not document.registered:
        errors["document"] = _(
            "%(doc)s is known only from a reference: register it before assigning it for study."
        ) % {"doc": _doc_label(document)}
    elif document.status == Document.Status.WITHDRAWN:
        errors["document"] = _("%(doc)s has been withdrawn: it cannot be studied.") % {
            "doc": _doc_label(document)
        }
    if organisation.dissolved_on:
        errors["organisation"] = _("“%(name)s” has been dissolved.") % {"name": organisation.name}
    elif not organisation.path.startswith(document.org_path):
        errors["organisation"] = _(
            "%(doc)s is kept by %(register)s: it can be studied there and in the organisations "
            "below it, not in “%(name)s”."
        ) % {"doc": _doc_label(document), "register": document.organisation.name, "name": organisation.name}
    today = timezone.localdate()
    if start_on is None:
        errors["start_on"] = _("Enter the day the study starts.")
    elif start_on < today - dt.timedelta(days=START_PAST_DAYS):
        errors["start_on"] = _(
            "The start %(date)s is more than %(days)s days ago: a study is assigned when it begins."
        ) % {"date": format_date(start_on), "days": START_PAST_DAYS}
    if due_on is None:
        errors["due_on"] = _("Enter the deadline.")
    elif start_on is not None and due_on < start_on:
        errors["due_on"] = _("The deadline %(due)s is before the start %(start)s.") % {
            "due": format_date(due_on),
            "start": format_date(start_on),
        }
    elif due_on < today:
        errors["due_on"] = _("The deadline %(date)s has already passed.") % {"date": format_date(due_on)}
    elif start_on is not None and (due_on - start_on).days > LONGEST_DAYS:
        errors["due_on"] = _(
            "The deadline %(due)s is more than a year after the start %(start)s: check the year."
        ) % {"due": format_date(due_on), "start": format_date(start_on)}
    note = _line(note)
    if len(note) > 500:
        errors["note"] = _("The note is longer than 500 characters.")
    if not errors:
        assert start_on is not None and due_on is not None
        clash = (
            StudyAssignment.objects.filter(
                document=document, cancelled_on__isnull=True, start_on__lte=due_on, due_on__gte=start_on
            )
            .filter(
                Q(org_path__in=ancestors_and_self(organisation.path)) | Q(org_path__within=organisation.path)
            )
            .select_related("document", "organisation")
            .first()
        )
        if clash is not None:
            errors["organisation"] = _(
                "Already assigned: %(assignment)s. Its members would study the same document twice."
            ) % {"assignment": _assignment_label(clash)}
    if errors:
        raise ValidationError(errors)
    assert start_on is not None and due_on is not None
    assignment = StudyAssignment.objects.create(
        document=document,
        organisation=organisation,
        org_path=organisation.path,
        start_on=start_on,
        due_on=due_on,
        note=note,
        created_by=actor,
    )
    audit.record(actor=actor, action="study.assign", instance=assignment, after=audit.snapshot(assignment))
    return assignment


@transaction.atomic
def study_cancel(*, actor: Any, assignment: StudyAssignment, reason: str) -> StudyAssignment:
    """Cancel an assignment (it is kept with its confirmations; the reason goes to the audit log)."""
    assignment = StudyAssignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is not None:
        require(actor, Perm.DOCUMENT_CHANGE, assignment)
    reason = _line(reason)
    errors: dict[str, str] = {}
    if assignment.cancelled_on is not None:
        errors["assignment"] = _("This study was cancelled on %(date)s.") % {
            "date": format_date(assignment.cancelled_on)
        }
    if not reason:
        errors["reason"] = _("Write why the study is cancelled.")
    elif len(reason) > 500:
        errors["reason"] = _("The reason is longer than 500 characters.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(assignment)
    assignment.cancelled_on = timezone.localdate()
    assignment.save(update_fields=["cancelled_on"])
    audit.record(
        actor=actor,
        action="study.cancel",
        instance=assignment,
        before=before,
        after={**audit.snapshot(assignment), "reason": reason},
    )
    return assignment


def member_of(user: Any) -> PartyMember | None:
    """The member record of the person a login belongs to (None for a login that is not a member)."""
    if user is None or not user.is_authenticated:
        return None
    return PartyMember.objects.select_related("person", "organisation").filter(person__user=user).first()


def _confirm_problem(member: PartyMember, assignment: StudyAssignment, *, self_: bool) -> str:
    """Why `member` cannot be confirmed for `assignment` ('' when nothing is wrong)."""
    name = member.person.full_name
    if member.status not in ACTIVE:
        return (
            _("Only members in activity confirm a study.")
            if self_
            else _("%(name)s is not a member in activity.") % {"name": name}
        )
    if not member.org_path.startswith(assignment.org_path):
        return (
            _("This study is for the members of %(org)s; your cell is not among them.")
            if self_
            else _("%(name)s is not a member of %(org)s, which this study is for.")
        ) % {"name": name, "org": assignment.organisation.name}
    return ""


def _save_confirmations(actor: Any, rows: list[StudyConfirmation]) -> list[StudyConfirmation]:
    try:
        with transaction.atomic():
            saved = StudyConfirmation.objects.bulk_create(rows)
    except IntegrityError as exc:  # the last guard: a confirmation written a moment ago
        raise ValidationError(
            {"members": _("A member has just been confirmed by someone else: reload the page.")}
        ) from exc
    for confirmation in saved:
        action = "study.confirm" if confirmation.channel == Channel.SELF else "study.record"
        audit.record(actor=actor, action=action, instance=confirmation, after=audit.snapshot(confirmation))
    return saved


@transaction.atomic
def study_confirm(*, actor: Any, assignment: StudyAssignment) -> StudyConfirmation:
    """The acting member confirms they studied the document today (from their own page)."""
    assignment = (
        StudyAssignment.objects.select_for_update().select_related("organisation").get(pk=assignment.pk)
    )
    member = member_of(actor)
    if member is None:
        raise ValidationError(
            {"member": _("Your login is not linked to a party member record: ask the committee office.")}
        )
    today = timezone.localdate()
    errors: dict[str, str] = {}
    problem = _confirm_problem(member, assignment, self_=True)
    if problem:
        errors["member"] = problem
    if assignment.cancelled_on is not None:
        errors["assignment"] = _("This study has been cancelled.")
    elif today < assignment.start_on:
        errors["assignment"] = _("This study starts on %(date)s.") % {
            "date": format_date(assignment.start_on)
        }
    else:
        earlier = StudyConfirmation.objects.filter(assignment=assignment, member=member).first()
        if earlier is not None:
            errors["assignment"] = _("You confirmed this study on %(date)s.") % {
                "date": format_date(earlier.studied_on)
            }
    if errors:
        raise ValidationError(errors)
    confirmation = StudyConfirmation(
        assignment=assignment,
        member=member,
        org_path=member.org_path,
        studied_on=today,
        channel=Channel.SELF,
        recorded_by=actor,
    )
    try:
        return _save_confirmations(actor, [confirmation])[0]
    except ValidationError as exc:
        raise ValidationError({"assignment": _("You have already confirmed this study.")}) from exc


def undoable(confirmation: StudyConfirmation, today: dt.date) -> bool:
    """A member may take back their own confirmation on the day they gave it (a slip of the finger on a
    phone); after that, or for one recorded by the cell or the office, it stands and is corrected by them."""
    return (
        confirmation.channel == Channel.SELF
        and confirmation.studied_on == today
        and timezone.localtime(confirmation.created_at).date() == today
    )


@transaction.atomic
def study_unconfirm(*, actor: Any, assignment: StudyAssignment) -> None:
    """The member takes back today's own confirmation of a study; the log keeps both."""
    member = member_of(actor)
    if member is None:
        raise ValidationError(
            {"member": _("Your login is not linked to a party member record: ask the committee office.")}
        )
    confirmation = (
        StudyConfirmation.objects.select_for_update()
        .select_related("assignment")
        .filter(assignment_id=assignment.pk, member=member)
        .first()
    )
    if confirmation is None:
        raise ValidationError({"assignment": _("You have not confirmed this study.")})
    if not undoable(confirmation, timezone.localdate()):
        raise ValidationError(
            {
                "assignment": _(
                    "A confirmation can be taken back only on the day you gave it. Ask the cell secretary "
                    "to correct the record."
                )
            }
        )
    audit.record(
        actor=actor, action="study.unconfirm", instance=confirmation, before=audit.snapshot(confirmation)
    )
    confirmation.delete()


@transaction.atomic
def study_record(
    *,
    actor: Any,
    assignment: StudyAssignment,
    members: Sequence[PartyMember | int],
    studied_on: dt.date | None,
    channel: str = Channel.MEETING,
) -> list[StudyConfirmation]:
    """Record that several members studied the document on `studied_on` — at a cell meeting, or as
    the office learnt it. Needs PERSON_CHANGE over each member (the cell secretary in the cell, the
    office in its subtree): recording a member's study is a change to their Party-life record."""
    assignment = (
        StudyAssignment.objects.select_for_update().select_related("organisation").get(pk=assignment.pk)
    )
    errors: dict[str, Any] = {}
    if channel not in (Channel.MEETING, Channel.OFFICE):
        errors["channel"] = _(
            "Choose how the members studied: at a cell meeting or as recorded by the office."
        )
    today = timezone.localdate()
    if studied_on is None:
        errors["studied_on"] = _("Enter the day the members studied.")
    elif studied_on > today:
        errors["studied_on"] = _("The day %(date)s is in the future.") % {"date": format_date(studied_on)}
    elif studied_on < assignment.start_on:
        errors["studied_on"] = _("The day %(date)s is before the study starts (%(start)s).") % {
            "date": format_date(studied_on),
            "start": format_date(assignment.start_on),
        }
    if assignment.cancelled_on is not None:
        errors["assignment"] = _("This study has been cancelled.")
    ids = list(dict.fromkeys(m if isinstance(m, int) else m.pk for m in members))
    if not ids:
        errors["members"] = _("Tick at least one member.")
    elif len(ids) > BATCH_LIMIT:
        errors["members"] = _("At most %(n)s members can be recorded at once.") % {"n": BATCH_LIMIT}
    found: dict[int, PartyMember] = {}
    if "members" not in errors:
        found = PartyMember.objects.select_related("person").in_bulk(ids)
        earlier = dict(
            StudyConfirmation.objects.filter(assignment=assignment, member_id__in=ids).values_list(
                "member_id", "studied_on"
            )
        )
        problems: list[str] = []
        for pk in ids:
            member = found.get(pk)
            if member is None or (actor is not None and not allowed(actor, Perm.PERSON_CHANGE, member)):
                problems.append(_("Member no. %(id)s is not in a register you may change.") % {"id": pk})
            elif problem := _confirm_problem(member, assignment, self_=False):
                problems.append(problem)
            elif pk in earlier:
                problems.append(
                    _("%(name)s has already confirmed this study (%(date)s).")
                    % {"name": member.person.full_name, "date": format_date(earlier[pk])}
                )
        if problems:
            errors["members"] = problems
    if errors:
        raise ValidationError(errors)
    assert studied_on is not None
    rows = [
        StudyConfirmation(
            assignment=assignment,
            member=found[pk],
            org_path=found[pk].org_path,
            studied_on=studied_on,
            channel=channel,
            recorded_by=actor,
        )
        for pk in ids
    ]
    return _save_confirmations(actor, rows)


# --- Selectors: which assignments a user sees -------------------------------------------------------


def assignments_visible(user: Any) -> QuerySet[StudyAssignment]:
    """Assignments placed on the organisations the user reads documents in, their subtrees and the
    organisations above them (a cell member sees the committee's assignment), of documents the user
    may read (a confidential document's assignment only with DOCUMENT_SECRET_VIEW where it is kept)."""
    ordinary = scope_condition(StudyAssignment, user, Perm.DOCUMENT_VIEW, upward=True)
    secret = scope_condition(Document, user, Perm.DOCUMENT_SECRET_VIEW)
    readable = Document.objects.filter(Q(secrecy=Document.Secrecy.NORMAL) | secret).values("pk")
    return StudyAssignment.objects.filter(ordinary, document__in=readable).select_related(
        "document", "organisation"
    )


def confirmations_visible(user: Any) -> QuerySet[StudyConfirmation]:
    return StudyConfirmation.objects.filter(assignment__in=assignments_visible(user).values("pk"))


def _members_subquery() -> Subquery:
    counted = (
        MemberCount.objects.filter(organisation=OuterRef("organisation"), dimension="all", status__in=ACTIVE)
        .values("organisation")
        .annotate(n=Sum("n"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def _confirmed_subquery() -> Subquery:
    counted = (
        StudyConfirmation.objects.filter(assignment=OuterRef("pk"))
        .values("assignment")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def with_totals(qs: QuerySet[StudyAssignment]) -> QuerySet[StudyAssignment]:
    """Each assignment with `members` (in activity now in its whole subtree, from the kept counts)
    and `confirmed` (all its confirmations): one query for the list."""
    return qs.annotate(
        members=Coalesce(_members_subquery(), Value(0)), confirmed=Coalesce(_confirmed_subquery(), Value(0))
    )


def for_document(user: Any, document: Document) -> list[StudyAssignment]:
    """The document's assignments the user sees, newest first, with their totals (one query)."""
    return list(with_totals(assignments_visible(user).filter(document=document)).order_by("-start_on", "-pk"))


# --- Completion by organisation ------------------------------------------------------------------


def percent_of(confirmed: int, members: int) -> int:
    """The share as a whole percentage rounded down: 100 only when nobody is left."""
    return int(share_of(confirmed, members))


def share_of(confirmed: int, members: int) -> float:
    """Percentage of members who confirmed, at most 100 (a member who confirmed in a cell and then
    left it still counts there; see docs/decisions.md)."""
    if members <= 0:
        return 100.0 if confirmed else 0.0
    return min(100.0, 100.0 * confirmed / members)


@dataclass(frozen=True)
class CompletionRow:
    organisation: Organisation
    members: int
    confirmed: int

    @property
    def share(self) -> float:
        return share_of(self.confirmed, self.members)

    @property
    def percent(self) -> int:
        return percent_of(self.confirmed, self.members)

    @property
    def left(self) -> int:
        return max(0, self.members - self.confirmed)

    @property
    def complete(self) -> bool:
        return self.members > 0 and self.left == 0


@dataclass(frozen=True)
class Completion:
    """An organisation's completion of an assignment and one row per child organisation."""

    assignment: StudyAssignment
    total: CompletionRow
    rows: list[CompletionRow] = field(default_factory=list)

    @property
    def organisation(self) -> Organisation:
        return self.total.organisation


def kept_members(organisations: Iterable[int] | QuerySet[Any]) -> dict[int, int]:
    """Members in activity now in each organisation's whole subtree, from the kept statistics (one
    query on member_count_uniq, whatever the subtree's size). `organisations`: ids, or a queryset
    of organisation ids (a subquery, for many)."""
    wanted: Any = organisations if isinstance(organisations, QuerySet) else list(set(organisations))
    if isinstance(wanted, list) and not wanted:
        return {}
    rows = (
        MemberCount.objects.filter(organisation_id__in=wanted, dimension="all", status__in=ACTIVE)
        .values("organisation_id")
        .annotate(n=Sum("n"))
        .order_by()
    )
    return {row["organisation_id"]: int(row["n"]) for row in rows}


def confirmed_by_child_sql(assignment: StudyAssignment, organisation: Organisation) -> tuple[str, list[Any]]:
    """The SQL of `confirmed_by_child`: the confirmations grouped by their full path first — an
    ordered walk of the (assignment, org_path) index alone, one row per cell — then those rows by
    the prefix up to the child's segment. Cutting the prefix of every confirmation instead made
    PostgreSQL evaluate the expression a million times at the root (and prefer a parallel scan of
    the table): ≈ 350 ms against ≈ 100 ms this way (bench/bench_study.py)."""
    cells = (
        StudyConfirmation.objects.filter(assignment=assignment, org_path__within=organisation.path)
        .values("org_path")
        .annotate(n=Count("*"))
        .order_by()
    )
    inner, params = cells.query.sql_with_params()
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    n = len(organisation.path)
    sql = (
        f"SELECT substr(g.org_path, 1, {n} + {find}(substr(g.org_path, {n + 1}), '/')) AS child, SUM(g.n) "
        f"FROM ({inner}) g GROUP BY 1"
    )
    return sql, list(params)


def confirmed_by_child(assignment: StudyAssignment, organisation: Organisation) -> dict[str, int]:
    """The assignment's confirmations in `organisation`'s subtree, counted per child: {child path:
    n} (the organisation's own path for members directly in it). ONE query, read from the
    (assignment, org_path) index alone on PostgreSQL — ≈ 1M entries at the root of the whole Party."""
    with connection.cursor() as cursor:
        cursor.execute(*confirmed_by_child_sql(assignment, organisation))
        return {child: int(n) for child, n in cursor.fetchall()}


def study_completion(
    assignment: StudyAssignment,
    organisation: Organisation | None = None,
    *,
    children: list[Organisation] | None = None,
) -> Completion:
    """Completion of `assignment` in `organisation` (default: the assignment's organisation; it must
    lie in the assignment's subtree): members in activity now and confirmations, for the whole
    subtree and for each child organisation, in name order. Three queries (children, kept counts,
    grouped confirmations) — two when the caller passes the children it has read already.
    Not scoped: callers check PERSON_VIEW on `organisation` (views, API, reports)."""
    organisation = organisation or assignment.organisation
    if not organisation.path.startswith(assignment.org_path):
        raise ValueError("the organisation is not in the assignment's subtree")
    if children is None:
        children = list(Organisation.objects.filter(parent=organisation).order_by("sort_key", "pk"))
    members = kept_members([organisation.pk, *(c.pk for c in children)])
    confirmed = confirmed_by_child(assignment, organisation)
    rows = [
        CompletionRow(child, members.get(child.pk, 0), confirmed.get(child.path, 0))
        for child in children
        if not child.dissolved_on or members.get(child.pk) or confirmed.get(child.path)
    ]
    total = CompletionRow(organisation, members.get(organisation.pk, 0), sum(confirmed.values()))
    return Completion(assignment, total, rows)


def completion_roots(user: Any, assignment: StudyAssignment) -> list[Organisation]:
    """Where `user` may read the assignment's completion: its organisation when they hold
    PERSON_VIEW over it, else the largest organisations inside its subtree they hold it over."""
    grant = grant_for(user, Perm.PERSON_VIEW)
    if grant.everything or grant.covers("party", assignment.org_path):
        return [assignment.organisation]
    paths = [p for p in grant.party if p.startswith(assignment.org_path)]
    if not paths:
        return []
    return list(Organisation.objects.filter(path__in=paths).order_by("sort_key", "pk"))


def can_record(user: Any, assignment: StudyAssignment) -> bool:
    """Whether `user` may record confirmations somewhere in the assignment's subtree (PERSON_CHANGE
    over it, over an organisation inside it, or above it); each member is checked by the service."""
    grant = grant_for(user, Perm.PERSON_CHANGE)
    return grant.everything or any(
        p.startswith(assignment.org_path) or assignment.org_path.startswith(p) for p in grant.party
    )


def can_read_completion(user: Any, assignment: StudyAssignment, organisation: Organisation) -> bool:
    return organisation.path.startswith(assignment.org_path) and allowed(user, Perm.PERSON_VIEW, organisation)


@dataclass(frozen=True)
class CellMember:
    member: PartyMember
    studied_on: dt.date | None
    channel: str

    @property
    def confirmed(self) -> bool:
        return self.studied_on is not None


def cell_members(assignment: StudyAssignment, cell: Organisation) -> list[CellMember]:
    """Every member in activity of a cell, in Vietnamese name order, with the day they confirmed the
    assignment (None: still to confirm) — one query. Identifiers are not read: lists show names."""
    confirmation = StudyConfirmation.objects.filter(assignment=assignment, member=OuterRef("pk"))
    members = (
        PartyMember.objects.filter(org_path=cell.path, status__in=ACTIVE)
        .select_related("person")
        .only("id", "org_path", "status", "person__full_name", "person__birth_date", "person__sort_key")
        .annotate(
            studied_on=Subquery(confirmation.values("studied_on")[:1]),
            channel=Subquery(confirmation.values("channel")[:1]),
        )
        .order_by("person__sort_key", "person_id")
    )
    return [CellMember(m, m.studied_on, m.channel or "") for m in members]  # type: ignore[attr-defined]


def has_own_members(organisation: Organisation) -> bool:
    return organisation.kind in CELL_KINDS_FOR_MEMBERS


# --- A member's own studies ------------------------------------------------------------------------


@dataclass(frozen=True)
class MyStudy:
    assignment: StudyAssignment
    confirmation: StudyConfirmation | None
    days_left: int
    readable: bool  # the member may open the document's page
    undoable: bool = False  # the member's own confirmation of today: it may be taken back

    @property
    def overdue(self) -> bool:
        return self.confirmation is None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.confirmation is None and 0 <= self.days_left <= DUE_SOON_DAYS


@dataclass(frozen=True)
class MyStudies:
    member: PartyMember | None
    todo: list[MyStudy]
    done: list[MyStudy]
    upcoming: list[MyStudy]

    @property
    def due_soon(self) -> list[MyStudy]:
        return [s for s in self.todo if s.due_soon or s.overdue]


def my_studies(user: Any, today: dt.date | None = None) -> MyStudies:
    """The member's studies: to do (started, not confirmed — deadline first), done, and those not
    started yet. Assignments covering the member's cell, not cancelled, whose deadline is at most
    90 days past. Four queries."""
    today = today or timezone.localdate()
    member = member_of(user)
    if member is None:
        return MyStudies(None, [], [], [])
    assignments = list(
        StudyAssignment.objects.filter(
            org_path__in=ancestors_and_self(member.org_path),
            cancelled_on__isnull=True,
            due_on__gte=today - dt.timedelta(days=SHOWN_AFTER_DUE_DAYS),
        )
        .select_related("document", "organisation")
        .order_by("due_on", "pk")
    )
    confirmations = {
        c.assignment_id: c
        for c in StudyConfirmation.objects.filter(member=member, assignment__in=[a.pk for a in assignments])
    }
    readable = set(
        document_selectors.documents_visible(user)
        .filter(pk__in={a.document_id for a in assignments})
        .values_list("pk", flat=True)
    )
    todo, done, upcoming = [], [], []
    for a in assignments:
        confirmation = confirmations.get(a.pk)
        study = MyStudy(
            a,
            confirmation,
            (a.due_on - today).days,
            a.document_id in readable,
            confirmation is not None and undoable(confirmation, today),
        )
        if study.confirmation is not None:
            done.append(study)
        elif a.start_on > today:
            upcoming.append(study)
        else:
            todo.append(study)
    done.sort(key=lambda s: (s.confirmation.studied_on if s.confirmation else today), reverse=True)
    return MyStudies(member, todo, done, upcoming)


def my_assignment(user: Any, pk: int) -> StudyAssignment | None:
    """An assignment covering the user's own cell (what a member may confirm), or None."""
    member = member_of(user)
    if member is None:
        return None
    return (
        StudyAssignment.objects.filter(pk=pk, org_path__in=ancestors_and_self(member.org_path))
        .select_related("document", "organisation")
        .first()
    )


# --- An organisation's studies, reminders, review figures -----------------------------------------


@dataclass(frozen=True)
class StudyFigure:
    """One assignment's figures in one organisation (the organisation asked for when the assignment
    covers it, else the assignment's own organisation below it)."""

    assignment: StudyAssignment
    organisation: Organisation
    members: int
    confirmed: int
    on_time: int | None = None  # counted by `study_summary` only

    @property
    def share(self) -> float:
        return share_of(self.confirmed, self.members)

    @property
    def percent(self) -> int:
        return percent_of(self.confirmed, self.members)

    @property
    def left(self) -> int:
        return max(0, self.members - self.confirmed)


def in_or_above(organisation: Organisation) -> Q:
    """Assignments covering the organisation or placed inside its subtree."""
    return Q(org_path__in=ancestors_and_self(organisation.path)) | Q(org_path__within=organisation.path)


def _figures(
    assignments: list[StudyAssignment], organisation: Organisation, *, on_time: bool = False
) -> list[StudyFigure]:
    """Each assignment's members and confirmations within `organisation`: two queries for the list."""
    if not assignments:
        return []

    def region(a: StudyAssignment) -> Organisation:
        return organisation if organisation.path.startswith(a.org_path) else a.organisation

    members = kept_members(region(a).pk for a in assignments)
    aggregates: dict[str, Any] = {"confirmed": Count("*")}
    if on_time:
        aggregates["on_time"] = Count("studied_on", filter=Q(studied_on__lte=F("assignment__due_on")))
    counted = {
        row["assignment_id"]: row
        for row in StudyConfirmation.objects.filter(
            assignment__in=[a.pk for a in assignments], org_path__within=organisation.path
        )
        .values("assignment_id")
        .annotate(**aggregates)
        .order_by()
    }
    figures = []
    for a in assignments:
        row = counted.get(a.pk, {})
        figures.append(
            StudyFigure(
                a,
                region(a),
                members.get(region(a).pk, 0),
                int(row.get("confirmed", 0)),
                int(row.get("on_time", 0)) if on_time else None,
            )
        )
    return figures


def _require_view(user: Any, organisation: Organisation) -> None:
    if not allowed(user, Perm.PERSON_VIEW, organisation):
        raise PermissionDenied


def open_studies(user: Any, organisation: Organisation, today: dt.date | None = None) -> list[StudyFigure]:
    """The assignments open on `today` (started, deadline not passed, not cancelled) covering the
    organisation or placed inside it, deadline first, with their figures in the organisation."""
    _require_view(user, organisation)
    today = today or timezone.localdate()
    assignments = list(
        assignments_visible(user)
        .filter(in_or_above(organisation), cancelled_on__isnull=True, start_on__lte=today, due_on__gte=today)
        .order_by("due_on", "pk")
    )
    return _figures(assignments, organisation)


def needs_reminder(figure: StudyFigure, today: dt.date, days: int = DUE_SOON_DAYS) -> bool:
    """Due within `days` and below 100 % in the organisation."""
    return 0 <= (figure.assignment.due_on - today).days <= days and figure.left > 0


def due_soon(
    user: Any, organisation: Organisation, today: dt.date | None = None, days: int = DUE_SOON_DAYS
) -> list[StudyFigure]:
    """Reminders: open assignments due within `days` whose completion in the organisation is below
    100 %."""
    today = today or timezone.localdate()
    return [f for f in open_studies(user, organisation, today) if needs_reminder(f, today, days)]


@dataclass(frozen=True)
class StudySummary:
    organisation: Organisation
    start: dt.date
    end: dt.date
    rows: list[StudyFigure]

    @property
    def members(self) -> int:
        return sum(r.members for r in self.rows)

    @property
    def confirmed(self) -> int:
        return sum(r.confirmed for r in self.rows)

    @property
    def on_time(self) -> int:
        return sum(r.on_time or 0 for r in self.rows)

    @property
    def share(self) -> float:
        """Confirmations per member to study, over every assignment of the period."""
        return share_of(self.confirmed, self.members)

    @property
    def percent(self) -> int:
        return percent_of(self.confirmed, self.members)


def study_summary(user: Any, organisation: Organisation, start: dt.date, end: dt.date) -> StudySummary:
    """Review figures ("study completion") for `organisation` over a period: every assignment the user
    sees that covers the organisation or lies inside it, not cancelled, whose study time overlaps
    [start, end], with members in activity now, confirmations in the organisation, confirmations on
    or before the deadline, and the share. Three queries. Raises PermissionDenied without
    PERSON_VIEW over the organisation."""
    _require_view(user, organisation)
    assignments = list(
        assignments_visible(user)
        .filter(in_or_above(organisation), cancelled_on__isnull=True, start_on__lte=end, due_on__gte=start)
        .order_by("start_on", "pk")
    )
    return StudySummary(organisation, start, end, _figures(assignments, organisation, on_time=True))


# --- Reminders for the command ----------------------------------------------------------------------


@dataclass(frozen=True)
class CellReminder:
    organisation: Organisation
    members: int
    confirmed: int

    @property
    def left(self) -> int:
        return max(0, self.members - self.confirmed)


def cells_behind(assignment: StudyAssignment, within: Organisation | None = None) -> list[CellReminder]:
    """The cells of the assignment's subtree (or of `within`, inside it) where members in activity
    have not all confirmed, in path order: the cells' kept counts and the confirmations grouped by
    cell path — two queries whatever the size of the subtree."""
    root = within or assignment.organisation
    in_subtree = Organisation.objects.filter(path__within=root.path, kind__in=CELL_KINDS_FOR_MEMBERS)
    members = kept_members(in_subtree.values("pk"))
    cells = {
        c.pk: c
        for c in in_subtree.select_related("parent").only(
            "id", "path", "name", "short_name", "kind", "parent__name", "parent__short_name"
        )
        if members.get(c.pk)
    }
    confirmed = dict(
        StudyConfirmation.objects.filter(assignment=assignment, org_path__within=root.path)
        .values("org_path")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("org_path", "n")
    )
    behind = [
        CellReminder(cell, members.get(pk, 0), confirmed.get(cell.path, 0))
        for pk, cell in cells.items()
        if members.get(pk, 0) > confirmed.get(cell.path, 0)
    ]
    return sorted(behind, key=lambda r: r.organisation.path)


def reminders_due(
    today: dt.date, days: int = DUE_SOON_DAYS, within: Organisation | None = None
) -> list[StudyAssignment]:
    """Open assignments (started, not cancelled) whose deadline falls within `days` of `today`,
    covering `within` or inside it (everything when None)."""
    qs = StudyAssignment.objects.filter(
        cancelled_on__isnull=True,
        start_on__lte=today,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=days),
    )
    if within is not None:
        qs = qs.filter(in_or_above(within))
    return list(qs.select_related("document", "organisation").order_by("due_on", "org_path", "pk"))
