"""Register of members of a subtree and the member card with the timeline of their Party life."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from dangbo.core import audit
from dangbo.core.scoping import allowed, require, scope
from dangbo.core.uploads import refused_upload
from dangbo.members import export as export_file
from dangbo.members import jobs, selectors, services
from dangbo.members.forms import (
    PERSON_PART,
    AdmitForm,
    BadgeAwardForm,
    EventCorrectionForm,
    EventForm,
    EventRemovalForm,
    ImportForm,
    RecordForm,
)
from dangbo.members.importer import template_headers
from dangbo.members.labels import STATUS_LABELS
from dangbo.members.models import ImportJob, MemberEvent, PartyMember
from dangbo.orgs import selectors as org_selectors
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation, Person
from dangbo.orgs.views import TREES, apply_service, form_page
from dangbo.reports.lists import badge_layout, register_layout
from dangbo.reports.render import PdfUnavailable
from dangbo.reports.services import list_pdf
from dangbo.reports.views import export_response
from dangbo.reports.xlsx import exporter_name
from dangbo.rules import membership
from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS
from dangbo.rules.roles import Perm


def register(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    query, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    if status not in {s.value for s in STATUS_LABELS}:
        status = ""
    rows = selectors.register_for_page(request.user, organisation, query=query, status=status)
    page = Paginator(cast(Any, rows), 50).get_page(request.GET.get("page"))
    ancestors, _children = org_selectors.tree_neighbourhood(Organisation, request.user, organisation)
    return render(
        request,
        "members/register.html",
        {
            "node": organisation,
            "ancestors": ancestors,
            "conf": TREES["org"],
            "tree": "org",
            "page": page,
            "capped": rows.capped,
            "query": query,
            "status": status,
            "statuses": [(k.value, v) for k, v in STATUS_LABELS.items()],
            "can_import": allowed(request.user, Perm.PERSON_CHANGE, organisation),
            "can_admit": organisation.kind in CELL_KINDS_FOR_MEMBERS
            and allowed(request.user, Perm.PERSON_CHANGE, organisation),
        },
    )


def member_card(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = selectors.members_visible(request.user).get(pk=pk)
    except PartyMember.DoesNotExist as exc:
        raise Http404 from exc
    show_identity = request.method == "POST" and "show_identity" in request.POST
    identity = services.identity_number(actor=request.user, member=member, reveal=show_identity)
    today = timezone.localdate()
    events = selectors.timeline(member)
    state = membership.replay(
        membership.Event(membership.EventKind(e.kind), e.on, e.official) for e in events
    )
    age = membership.current_party_age(state, today)
    milestone = membership.next_milestone(age) if age else None
    badge_due = (
        membership.badge_date(state.admitted_on, milestone, state.gaps)
        if milestone and state.admitted_on
        else None
    )
    return render(
        request,
        "members/card.html",
        {
            "member": member,
            "person": member.person,
            "events": events,
            "party_age": age,
            "milestone": milestone,
            "badge_due": badge_due,
            "badges": list(member.badges.order_by("years")),
            "show_identity": show_identity,
            "identity": identity,
            "can_see_identity": allowed(request.user, Perm.IDENTITY_VIEW, member),
            "can_change": allowed(request.user, Perm.PERSON_CHANGE, member),
            "removable": services.removable_event(events),
        },
    )


def _organisation_for(request: HttpRequest, pk: int) -> Organisation:
    try:
        organisation = org_selectors.tree_visible(Organisation, request.user).get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    if not allowed(request.user, Perm.PERSON_VIEW, organisation):
        raise PermissionDenied
    return organisation


def _upcoming_ceremonies() -> list[dt.date]:
    """The ceremonies offered on the badge page: the two last ones (to record the badges given there) and
    the next four (to prepare the list); the next one comes first in the list of choices' default."""
    upcoming = [membership.next_ceremony(timezone.localdate())]
    while len(upcoming) < 4:
        upcoming.append(membership.next_ceremony(upcoming[-1] + dt.timedelta(days=1)))
    last = membership.previous_ceremony(upcoming[0])
    return [membership.previous_ceremony(last), last, *upcoming]


def _ceremony(request: HttpRequest) -> tuple[dt.date, list[dt.date]]:
    """The ceremony asked for (?ngay=yyyy-mm-dd, else the next one) and the next four."""
    offered = _upcoming_ceremonies()
    coming = offered[2]  # the next ceremony
    try:
        ceremony = dt.date.fromisoformat(request.GET.get("ngay", "")) if request.GET.get("ngay") else coming
    except ValueError:
        ceremony = coming
    return ceremony, offered


def badges(request: HttpRequest, pk: int) -> HttpResponse:
    """Members due a Party badge at a ceremony (3/2, 19/5, 2/9, 7/11) — the list printed before it."""
    organisation = _organisation_for(request, pk)
    ceremony, upcoming = _ceremony(request)
    return _badges_page(request, organisation, ceremony, upcoming)


def _badges_page(
    request: HttpRequest,
    organisation: Organisation,
    ceremony: dt.date,
    upcoming: list[dt.date],
    form: BadgeAwardForm | None = None,
    chosen: frozenset[str] = frozenset(),
    status: int = 200,
) -> HttpResponse:
    candidates = selectors.badge_candidates(request.user, organisation, ceremony)
    page = Paginator(cast(Any, candidates), 200).get_page(request.GET.get("page"))
    may_record = allowed(request.user, Perm.PERSON_CHANGE, organisation)
    previous = membership.previous_ceremony(ceremony)
    if may_record and form is None and ceremony <= timezone.localdate():
        form = BadgeAwardForm(initial={"awarded_on": ceremony})
    return render(
        request,
        "members/badges.html",
        {
            "node": organisation,
            "ceremony": ceremony,
            "upcoming": upcoming if ceremony in upcoming else [ceremony, *upcoming],
            "previous": previous,
            "page": page,
            "may_record": may_record,
            "form": form if may_record else None,
            "chosen": chosen,
            "awarded": list(selectors.badges_awarded(request.user, organisation, ceremony)[:500]),
        },
        status=status,
    )


def badges_award(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the badges given at a ceremony to the members ticked in its list (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    organisation = _organisation_for(request, pk)
    if not allowed(request.user, Perm.PERSON_CHANGE, organisation):
        raise PermissionDenied
    form = BadgeAwardForm(request.POST)
    chosen = frozenset(request.POST.getlist("grant"))
    grants, unreadable = _grants(request.user, organisation, chosen)
    valid = form.is_valid()
    ceremony = (
        form.cleaned_data.get("awarded_on") or timezone.localdate()
    )  # the list the boxes were ticked in
    if valid and not unreadable:
        try:
            awards = services.badges_award(actor=request.user, grants=grants, **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                ngettext("%(n)s badge recorded as given.", "%(n)s badges recorded as given.", len(awards))
                % {"n": len(awards)},
            )
            return redirect(
                f"{reverse('members:badges', args=[organisation.pk])}?ngay={ceremony.isoformat()}"
            )
    if unreadable:
        form.add_error(None, _("Choose the members from the list."))
    return _badges_page(request, organisation, ceremony, _upcoming_ceremonies(), form, chosen, status=400)


def _grants(
    user: Any, organisation: Organisation, chosen: frozenset[str]
) -> tuple[list[services.BadgeGrant], bool]:
    """The ticked "member:years" values as grants over members within reach; unreadable ones flagged."""
    wanted: dict[int, int] = {}
    for value in chosen:
        member_id, _sep, years = value.partition(":")
        if not (member_id.isdigit() and years.isdigit()) or len(member_id) > 18:
            return [], True
        wanted[int(member_id)] = int(years)
    found = selectors.members_visible(user).filter(pk__in=wanted, org_path__within=organisation.path)
    members = {m.pk: m for m in found}
    if set(members) != set(wanted):
        return [], True
    return [services.BadgeGrant(members[pk], years) for pk, years in wanted.items()], False


def badges_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal to award Party badges at a ceremony with its list of the members due, as PDF."""
    organisation = _organisation_for(request, pk)
    ceremony, _upcoming = _ceremony(request)
    candidates = list(selectors.badge_candidates(request.user, organisation, ceremony))
    today = timezone.localdate()
    try:
        layout = badge_layout(organisation, candidates, ceremony, today)
        export = list_pdf(layout, f"huy-hieu-dang-{organisation.pk}-{ceremony:%Y%m%d}")
    except PdfUnavailable:
        context = {
            "back_url": reverse("members:badges", args=[organisation.pk]),
            "back_label": organisation.name,
        }
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    return export_response(export)


def probation(request: HttpRequest, pk: int) -> HttpResponse:
    """Probationary members whose 12 months end within 90 days, with the reminder stage reached."""
    organisation = _organisation_for(request, pk)
    due = selectors.probation_due(request.user, organisation, timezone.localdate())
    return render(request, "members/probation.html", {"node": organisation, "due": due})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DIMENSION_TITLES = {
    "status": _("Status"),
    "gender": _("Sex"),
    "age_band": _("Age"),
    "party_age_band": _("Party age"),
    "ethnicity": _("Ethnicity"),
    "religion": _("Religion"),
    "education": _("General education"),
    "political_theory": _("Political theory"),
}


def _band_label(low: int, bands: tuple[tuple[int, int], ...]) -> str:
    if low < 0:
        return str(pgettext_lazy("record field", "Not recorded"))
    high = dict(bands)[low]
    if low == 0:
        return str(_("Under %(n)s") % {"n": high})
    if high >= 200:
        return str(_("%(n)s and over") % {"n": low})
    return f"{low}–{high - 1}"


def _value_label(dimension: str, value: Any) -> str:
    if dimension == "status":
        return str(STATUS_LABELS.get(value, value))
    if dimension == "gender":
        return str(dict(Person.Gender.choices).get(value, pgettext_lazy("record field", "Not recorded")))
    if dimension == "age_band":
        return _band_label(value, selectors.AGE_BANDS)
    if dimension == "party_age_band":
        return _band_label(value, selectors.PARTY_AGE_BANDS)
    return str(value) if value else str(pgettext_lazy("record field", "Not recorded"))


def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    today = timezone.localdate()
    stats = selectors.statistics(request.user, organisation, today)
    tables = [
        (
            name,
            DIMENSION_TITLES[name],
            [
                (_value_label(name, value), count, 100 * count / stats.total if stats.total else 0)
                for value, count in rows
            ],
        )
        for name, rows in stats.by.items()
    ]
    return render(
        request,
        "members/statistics.html",
        {"node": organisation, "total": stats.total, "tables": tables, "on": today},
    )


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The register of a subtree as CSV (streamed) or XLSX; identity numbers stay masked; logged."""
    organisation = _organisation_for(request, pk)
    members = selectors.register(request.user, organisation)
    audit.record(
        actor=request.user,
        action="member.export",
        instance=organisation,
        after={"format": fmt, "rows": members.count()},
    )
    filename = f"dang-vien-{organisation.pk}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            export_file.csv_lines(export_file.rows(members)), content_type="text/csv; charset=utf-8"
        )
    else:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        export_file.write_xlsx(
            export_file.rows(members),
            spool,
            export_file.register_heading(organisation, exporter_name(request.user)),
        )
        spool.seek(0)
        response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def register_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of a subtree in the 7-HSĐV layout as PDF (A4 landscape); masked ids; logged."""
    organisation = _organisation_for(request, pk)
    members = selectors.register(request.user, organisation)
    today = timezone.localdate()
    try:
        export = list_pdf(
            register_layout(organisation, members, today), f"dang-vien-{organisation.pk}-{today:%Y%m%d}"
        )
    except PdfUnavailable:
        context = {
            "back_url": reverse("members:register", args=[organisation.pk]),
            "back_label": organisation.name,
        }
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    audit.record(actor=request.user, action="member.export", instance=organisation, after={"format": "pdf"})
    return export_response(export)


def admit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an admission in a party cell: the person becomes a probationary member."""
    organisation = _organisation_for(request, pk)
    require(request.user, Perm.PERSON_CHANGE, PartyMember(org_path=organisation.path))
    people = org_selectors.people_visible(request.user).filter(
        organisation=organisation, membership__isnull=True
    )
    form = AdmitForm(request.POST or None, people=people.order_by("sort_key"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member = apply_service(
            form, lambda: services.member_admit(actor=request.user, organisation=organisation, **data)
        )
        if member:
            messages.success(request, _("Admission recorded."))
            return redirect("members:card", pk=member.pk)
    return form_page(
        request, form, node=organisation, conf=TREES["org"], tree="org", title=_("Record an admission")
    )


def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a lifecycle event on the member card (full membership, transfer, removal …)."""
    try:
        member = selectors.members_visible(request.user).get(pk=pk)
    except PartyMember.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, Perm.PERSON_CHANGE, member)
    cells = scope(
        Organisation.objects.filter(kind__in=CELL_KINDS_FOR_MEMBERS, dissolved_on__isnull=True),
        request.user,
        Perm.PERSON_CHANGE,
    ).order_by("sort_key")
    form = EventForm(request.POST or None, cells=cells, initial={"official": True})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if apply_service(
            form, lambda: services.member_record_event(actor=request.user, member=member, **data)
        ):
            messages.success(request, _("Event recorded."))
            return redirect("members:card", pk=member.pk)
    title = _("Record an event: %(name)s") % {"name": member.person.full_name}
    return form_page(request, form, node=member.organisation, conf=TREES["org"], tree="org", title=title)


def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a register; the check (and import) runs as a job whose page shows the progress."""
    organisation = _organisation_for(request, pk)
    require(request.user, Perm.PERSON_CHANGE, PartyMember(org_path=organisation.path))
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, initial={"dry_run": True}
    )
    if posted:
        if refusal := refused_upload(request):
            form.is_valid()
            form.errors["file"] = form.error_class([refusal])
        elif form.is_valid():
            job = jobs.start(
                actor=request.user,
                organisation=organisation,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                skip_bad_rows=form.cleaned_data["skip_bad_rows"],
            )
            return redirect("members:import_job", pk=job.pk)
    recent = scope(
        ImportJob.objects.filter(organisation=organisation).select_related("created_by__person"),
        request.user,
        Perm.PERSON_CHANGE,
    )
    return render(
        request,
        "members/import.html",
        {
            "node": organisation,
            "form": form,
            "recent": recent.select_related("created_by")[:10],
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
    )


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    qs = scope(ImportJob.objects.select_related("organisation"), request.user, Perm.PERSON_CHANGE)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress while it runs, its report once it ends."""
    job = _job_for(request, pk)
    state = jobs.status(job)
    if state["finished"] and not job.finished:
        job.refresh_from_db()
    return render(
        request,
        "members/import_job.html",
        {"job": job, "node": job.organisation, "state": state, "report": jobs.report_of(job)},
    )


def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the job page every second or two while the job runs."""
    return JsonResponse(jobs.status(_job_for(request, pk)))


def import_template(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An empty register with the Vietnamese headers the import expects."""
    organisation = _organisation_for(request, pk)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    export_file.write_template(spool, template_headers(), organisation)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


def _member_to_change(request: HttpRequest, pk: int) -> PartyMember:
    try:
        member = selectors.members_visible(request.user).get(pk=pk)
    except PartyMember.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, Perm.PERSON_CHANGE, member)
    return member


def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the record: the person's name, sex and birth date, and the register columns."""
    member = _member_to_change(request, pk)
    person = member.person
    # The CCCD as the card shows it: in full (and logged) only with IDENTITY_VIEW; masked otherwise,
    # and a masked value sent back unchanged keeps the stored number (security test 2026-12, H2).
    full = allowed(request.user, Perm.IDENTITY_VIEW, member)
    initial = {name: getattr(member, name) or "" for name in PartyMember.RECORD_FIELDS}
    initial["national_id"] = services.identity_number(
        actor=request.user, member=member, reveal=full and request.method != "POST"
    )
    initial.update({name: getattr(person, name) for name in PERSON_PART})
    form = RecordForm(request.POST or None, initial=initial)
    if not full and member.national_id:
        form.fields["national_id"].help_text = _(
            "Shown masked. Leave it as it is to keep the number, or type the new 12-digit number."
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if member.national_id and data.get("national_id") == member.masked_national_id:
            del data["national_id"]  # left as shown: unchanged
        person_data = {name: data.pop(name) for name in PERSON_PART}
        person_data["gender"] = person_data["gender"] or ""
        changed = {name: value for name, value in person_data.items() if getattr(person, name) != value}

        def save() -> bool:
            with transaction.atomic():
                if changed:
                    org_services.person_update(actor=request.user, person=person, **changed)
                services.member_update(actor=request.user, member=member, **data)
            return True

        if apply_service(form, save):
            messages.success(request, _("Record saved."))
            return redirect("members:card", pk=member.pk)
    title = _("Correct the record: %(name)s") % {"name": person.full_name}
    return form_page(request, form, node=member.organisation, conf=TREES["org"], tree="org", title=title)


def _event_to_change(request: HttpRequest, pk: int) -> MemberEvent:
    try:
        event = scope(
            MemberEvent.objects.select_related("member__person"), request.user, Perm.PERSON_VIEW
        ).get(pk=pk)
    except MemberEvent.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, Perm.PERSON_CHANGE, event.member)
    return event


def event_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an event's date, decision or issuer, with the reason; the history must stay possible."""
    event = _event_to_change(request, pk)
    fields = ("on", "official", "decision_no", "issuer", "other_party", "note")
    form = EventCorrectionForm(request.POST or None, initial={name: getattr(event, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        if apply_service(
            form,
            lambda: services.member_correct_event(actor=request.user, event=event, reason=reason, **data),
        ):
            messages.success(request, _("Event corrected."))
            return redirect("members:card", pk=event.member_id)
    title = _("Correct an event: %(event)s, %(name)s") % {
        "event": event.get_kind_display(),
        "name": event.member.person.full_name,
    }
    return form_page(
        request, form, node=event.member.organisation, conf=TREES["org"], tree="org", title=title
    )


def event_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back the latest event, entered by mistake, with the reason."""
    event = _event_to_change(request, pk)
    form = EventRemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(
            form, lambda: services.member_remove_event(actor=request.user, event=event, reason=reason) or True
        ):
            messages.success(request, _("Event removed."))
            return redirect("members:card", pk=event.member_id)
    title = _("Remove an event entered by mistake: %(event)s %(on)s, %(name)s") % {
        "event": event.get_kind_display(),
        "on": f"{event.on:%d/%m/%Y}",
        "name": event.member.person.full_name,
    }
    return form_page(
        request, form, node=event.member.organisation, conf=TREES["org"], tree="org", title=title
    )
