"""Pages of meetings: the list, planning, one meeting (agenda, attendance and validity, votes,
minutes, signatures, corrections). Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangbo.core.scoping import allowed, has_any, scope
from dangbo.documents.selectors import documents_visible
from dangbo.meetings import services
from dangbo.meetings.forms import (
    AddendumForm,
    AgendaForm,
    AttendanceForm,
    CancelForm,
    GuestForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    VoteForm,
)
from dangbo.meetings.models import SIGNATORIES, Meeting, Minutes, RollChange
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Organisation, Person
from dangbo.orgs.views import apply_service
from dangbo.rules.membership import Status
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold

ROWS_PER_PAGE = 30
PEOPLE_LIMIT = 500


def meetings_visible(user: Any) -> QuerySet[Meeting]:
    return scope(Meeting.objects.select_related("organisation"), user, Perm.MEETING_VIEW)


def managed_organisations(user: Any) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(dissolved_on__isnull=True)
    return scope(organisations, user, Perm.MEETING_MANAGE).order_by("path")


def meeting_list(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Perm.MEETING_VIEW):
        raise PermissionDenied
    meetings = meetings_visible(request.user)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        for word in fold(q).split():
            meetings = meetings.filter(search_text__contains=word)
    now = timezone.now()
    upcoming = list(
        meetings.filter(starts_at__gte=now, status=Meeting.Status.PLANNED).order_by("starts_at")[:20]
    )
    past = meetings.exclude(pk__in=[m.pk for m in upcoming]).order_by("-starts_at", "-pk")
    page = Paginator(past, ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": upcoming,
            "page": page,
            "q": q,
            "can_plan": has_any(request.user, Perm.MEETING_MANAGE),
            "can_report": has_any(request.user, Perm.MEETING_REPORT),
        },
    )


def people_for(organisation: Organisation) -> QuerySet[Person]:
    """Who may chair or keep the minutes: members in activity of the organisation's subtree and the
    holders of its posts (the pages and the API offer and accept only these)."""
    members = PartyMember.objects.filter(
        org_path__within=organisation.path, status__in=(Status.PROBATIONARY, Status.FULL)
    ).values("person_id")
    return Person.objects.filter(Q(pk__in=members) | Q(appointments__organisation=organisation)).distinct()


def _people_for(organisation: Organisation) -> QuerySet[Person]:
    return people_for(organisation).order_by("sort_key")[:PEOPLE_LIMIT]


def meeting_create(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    raw = request.POST.get("organisation") or request.GET.get("to-chuc", "")
    chosen = organisations.filter(pk=raw).first() if raw.isdigit() and len(raw) <= 18 else None
    if chosen is None and organisations.count() == 1:
        chosen = organisations.first()
    if chosen is None:
        return render(request, "meetings/choose_org.html", {"organisations": organisations[:300]})
    people = Person.objects.filter(pk__in=[p.pk for p in _people_for(chosen)]).order_by("sort_key")
    form = MeetingForm(
        request.POST or None,
        organisations=organisations.filter(pk=chosen.pk),
        people=people,
        initial={"organisation": chosen.pk, "start": "14:00", "end": "16:00"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting_input = services.MeetingInput(
            kind=data["kind"],
            starts_at=form.starts_at(),
            ends_at=form.ends_at(),
            title=data["title"],
            topic=data["topic"],
            place=data["place"],
            online_url=data["online_url"],
            chair=data["chair"],
            secretary=data["secretary"],
            notes=data["notes"],
        )
        if (data["months"] or 1) > 1 and not data["held"]:
            series = apply_service(
                form,
                lambda: services.meeting_series(
                    actor=request.user,
                    organisation=data["organisation"],
                    data=meeting_input,
                    months=data["months"],
                ),
            )
            if series is not None:
                messages.success(
                    request, _("%(n)s regular meetings planned, one a month.") % {"n": len(series)}
                )
                return redirect("meetings:list")
            return render(request, "meetings/form.html", {"form": form, "organisation": chosen}, status=400)
        meeting = apply_service(
            form,
            lambda: services.meeting_plan(
                actor=request.user, organisation=data["organisation"], held=data["held"], data=meeting_input
            ),
        )
        if meeting:
            messages.success(
                request,
                _("%(title)s: %(n)s people summoned.")
                % {"title": meeting.title, "n": meeting.attendees.count()},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "organisation": chosen})


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(meetings_visible(request.user).select_related("chair", "secretary"), pk=pk)


def _detail_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = request.user
    attendees = list(meeting.attendees.all())
    planned = meeting.status == Meeting.Status.PLANNED
    # The changes the cell's membership made to the roll matter while the meeting is ahead; a
    # planned meeting has no votes yet (a vote needs the attendance, which makes it held).
    roll_changes = list(meeting.roll_changes.all()) if planned else []
    minutes = Minutes.objects.select_related(*SIGNATORIES).filter(meeting=meeting).first()
    can_manage = allowed(user, Perm.MEETING_MANAGE, meeting)
    sealed = minutes is not None and minutes.sealed
    capacity = services.signing_capacity(user, meeting)
    can_write = services.can_write_minutes(user, meeting) and not sealed
    show_minutes = minutes is not None and (sealed or can_write or capacity is not None)
    editable = can_manage and not sealed and meeting.status != Meeting.Status.CANCELLED
    begun = meeting.starts_at <= timezone.now()
    signatures = services.signature_state(meeting, minutes) if show_minutes and minutes else None
    context: dict[str, Any] = {
        "meeting": meeting,
        "attendees": attendees,
        "members": [a for a in attendees if a.counted],
        "guests": [a for a in attendees if not a.counted],
        "validity": services.validity(meeting, attendees),
        "voters_text": services.voters_explanation(meeting, services.voting_members(meeting, attendees)),
        "roll_notes": [(c.at, services.roll_note(c)) for c in roll_changes],
        "roll_uninvited": meeting.invited_at is not None
        and any(c.change == RollChange.Change.ADDED and not c.invited for c in roll_changes),
        "agenda": list(meeting.agenda.prefetch_related("documents")),
        "votes": [] if planned else list(meeting.votes.select_related("agenda_item")),
        "minutes": minutes if show_minutes else None,
        "sealed": sealed,
        "signatures": signatures,
        # the signer's own signature stands on the text as it is: no button to sign it again
        "signed_by_me": bool(signatures and capacity and getattr(signatures, capacity)),
        "addenda": list(minutes.addenda.all()) if sealed and minutes else [],
        "capacity": capacity,
        "can_manage": can_manage,
        "editable": editable,
        "can_write": can_write and begun,
        "begun": begun,
    }
    on_the_day = timezone.localtime(meeting.starts_at).date() <= timezone.localdate()
    if editable and (on_the_day or "attendance_form" in forms):  # recorded on the day (attendance_record)
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(attendees=attendees)
    if editable:
        context["vote_form"] = forms.get("vote_form") or VoteForm()
        context["guest_form"] = forms.get("guest_form") or GuestForm()
        context["agenda_form"] = forms.get("agenda_form") or AgendaForm()
        if forms.get("invite_form") is not None:  # refused (e.g. the meeting began meanwhile): say why
            context["invite_form"] = forms["invite_form"]
        elif meeting.status == Meeting.Status.PLANNED and not begun:
            context["invite_form"] = InviteForm()
    if sealed and capacity:
        context["addendum_form"] = forms.get("addendum_form") or AddendumForm()
    return context


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


def _manager(request: HttpRequest, meeting: Meeting) -> None:
    if not allowed(request.user, Perm.MEETING_MANAGE, meeting):
        raise PermissionDenied


def _signatory(request: HttpRequest, meeting: Meeting) -> None:
    if services.signing_capacity(request.user, meeting) is None:
        raise PermissionDenied


def _post_to_detail(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    name: str,
    action: Any,
    done: str,
    check: Any = _manager,
    **form_kwargs: Any,
) -> HttpResponse:
    meeting = _meeting(request, pk)
    check(request, meeting)
    if request.method != "POST":
        return redirect("meetings:detail", pk=meeting.pk)
    form = form_class(request.POST, **{k: (v(meeting) if callable(v) else v) for k, v in form_kwargs.items()})
    if form.is_valid() and apply_service(form, lambda: action(meeting, form)) is not None:
        messages.success(request, done)
        return redirect("meetings:detail", pk=meeting.pk)
    context = _detail_context(request, meeting, **{name: form})
    return render(request, "meetings/detail.html", context, status=400)


def invite(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_detail(
        request,
        pk,
        InviteForm,
        "invite_form",
        lambda m, f: services.meeting_invite(actor=request.user, meeting=m, email=f.cleaned_data["email"])
        + 1,  # zero people told is still a success
        _("Invitation sent to those summoned who have a login (in their handbook)."),
    )


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_detail(
        request,
        pk,
        AttendanceForm,
        "attendance_form",
        lambda m, f: services.attendance_record(actor=request.user, meeting=m, marks=f.marks()),
        _("Attendance recorded."),
        attendees=lambda m: list(m.attendees.all()),
    )


def vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_detail(
        request,
        pk,
        VoteForm,
        "vote_form",
        lambda m, f: services.vote_record(actor=request.user, meeting=m, **f.cleaned_data),
        _("Vote recorded."),
    )


def guest(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_detail(
        request,
        pk,
        GuestForm,
        "guest_form",
        lambda m, f: services.attendee_add(actor=request.user, meeting=m, **f.cleaned_data),
        _("Guest invited."),
    )


def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_detail(
        request,
        pk,
        AgendaForm,
        "agenda_form",
        lambda m, f: services.agenda_add(actor=request.user, meeting=m, **f.cleaned_data),
        _("Agenda item added."),
        readable=documents_visible(request.user),
    )


def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_detail(
        request,
        pk,
        AddendumForm,
        "addendum_form",
        lambda m, f: services.addendum_add(actor=request.user, meeting=m, **f.cleaned_data),
        _("The correction has been appended to the minutes and sealed."),
        check=_signatory,
    )


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not services.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.sealed:
        messages.error(request, _("The minutes are sealed: append a signed correction instead."))
        return redirect("meetings:detail", pk=meeting.pk)
    start = timezone.localtime(meeting.starts_at)
    initial: dict[str, Any] = {"opened_day": start.date(), "opened": start.time(), "place": meeting.place}
    if meeting.ends_at:
        initial["closed"] = timezone.localtime(meeting.ends_at).time()
    if minutes is not None:
        opened = timezone.localtime(minutes.opened_at) if minutes.opened_at else start
        initial |= {
            "opened_day": opened.date(),
            "opened": opened.time(),
            "closed": timezone.localtime(minutes.closed_at).time() if minutes.closed_at else None,
            "place": minutes.place,
            "proceedings": minutes.proceedings,
            "discussion": minutes.discussion,
            "conclusions": minutes.conclusions,
        }
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply_service(
            form,
            lambda: services.minutes_save(
                actor=request.user,
                meeting=meeting,
                data=services.MinutesInput(
                    opened_at=form.opened_at(),
                    closed_at=form.closed_at(),
                    place=data["place"],
                    proceedings=data["proceedings"],
                    discussion=data["discussion"],
                    conclusions=data["conclusions"],
                ),
            ),
        )
        if saved:
            messages.success(
                request, _("Minutes saved. The chair and the secretary sign them on the meeting's page.")
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/minutes_form.html", {"form": form, "meeting": meeting})


@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _signatory(request, meeting)
    try:
        minutes = services.minutes_sign(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("meetings:detail", pk=meeting.pk)
    if minutes.sealed:
        messages.success(request, _("Signed. Both signatures are in: the minutes are sealed."))
    else:
        messages.success(
            request, _("Signed. The minutes are sealed when the other signatory signs the same text.")
        )
    return redirect("meetings:detail", pk=meeting.pk)


def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _manager(request, meeting)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(
            form, lambda: services.meeting_cancel(actor=request.user, meeting=meeting, reason=reason)
        ):
            messages.success(request, _("The meeting has been cancelled."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/cancel.html", {"form": form, "meeting": meeting})
