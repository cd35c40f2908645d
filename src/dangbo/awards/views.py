"""Award pages: the awards and a search for whose history to open, the catalogue, statistics by year
and level (with an Excel export), proposals and their workflow, decisions, the history of a person,
a party organisation or a unit, and the Giấy khen as PDF."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangbo.awards import certificate, selectors, services
from dangbo.awards.forms import DecisionForm, ProposalForm, TransitionForm
from dangbo.awards.labels import AWARDED_BY, FLAG_LABELS, LEVEL_LABELS, TASK_RATING_LABELS
from dangbo.awards.models import Proposal
from dangbo.core.scoping import allowed, has_any, scope
from dangbo.orgs.choices import organisation_label, with_parents
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.orgs.views import apply_service
from dangbo.reports.render import PdfUnavailable
from dangbo.reports.xlsx import Column, ExportSheet, Heading, exporter_name
from dangbo.rules import emulation as rules
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold

Status = Proposal.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_LIMIT = 200


def _viewer(request: HttpRequest) -> None:
    if not has_any(request.user, Perm.EMULATION_VIEW):
        raise PermissionDenied


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) == 4 else None


def award_list(request: HttpRequest) -> HttpResponse:
    """The awards one may see (by year and title), and people, organisations and units to open."""
    _viewer(request)
    user = request.user
    awards = selectors.awards(user)
    year, code = _year(request.GET.get("year")), request.GET.get("kind", "")
    if year:
        awards = awards.filter(year=year)
    if code:
        awards = awards.filter(award_type__code=code)
    words = fold(request.GET.get("q", ""))[:100]
    found: list[tuple[str, Any]] = []
    if words:
        awards = awards.filter(subject_name__icontains=request.GET.get("q", "").strip()[:100])
        found = [("person", p) for p in selectors.people(user).filter(search_text__contains=words)[:10]]
        found += [
            ("organisation", o)
            for o in selectors.organisations(user).filter(search_text__contains=words)[:10]
        ]
        found += [("unit", u) for u in selectors.units(user).filter(search_text__contains=words)[:10]]
    return render(
        request,
        "awards/list.html",
        {
            "awards": awards.order_by("-year", "award_type__position", "subject_name")[:LIST_LIMIT],
            "limit": LIST_LIMIT,
            "kinds": selectors.award_types(),
            "year": year,
            "kind": code,
            "q": request.GET.get("q", ""),
            "found": found,
            "can_manage": has_any(user, Perm.EMULATION_MANAGE),
        },
    )


def catalogue(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    return render(
        request, "awards/catalogue.html", {"kinds": selectors.award_types(), "awarded_by": AWARDED_BY}
    )


def statistics(request: HttpRequest) -> HttpResponse:
    """Awards per title or form and year, within one's scope; `?format=xlsx` downloads it."""
    _viewer(request)
    this_year = timezone.localdate().year
    last = _year(request.GET.get("to")) or this_year
    scoped = selectors.awards(request.user)
    # By default from the first year on record (seed 002's 2020 list shows), at most 30 years back.
    earliest = scoped.filter(year__gte=last - 30, year__lte=last).aggregate(first=Min("year"))["first"]
    first = _year(request.GET.get("from")) or min(earliest or last - 5, last - 5)
    if first > last or last - first > 30:
        first = last - 5
    awards = scoped.filter(year__gte=first, year__lte=last)
    unit_id = request.GET.get("unit", "")
    unit = None
    if unit_id.isdigit():
        unit = get_object_or_404(selectors.units(request.user), pk=int(unit_id))
        awards = awards.filter(Q(unit_path__within=unit.path))
    table = selectors.statistics(awards, range(first, last + 1))
    if request.GET.get("format") == "xlsx":
        return _xlsx(table, first, last, unit, exporter_name(request.user))
    return render(
        request, "awards/statistics.html", {"table": table, "first": first, "last": last, "unit": unit}
    )


def _xlsx(
    table: selectors.Statistics, first: int, last: int, unit: Unit | None, exported_by: str
) -> HttpResponse:
    buffer = io.BytesIO()
    heading = Heading(
        title=_("Awards by year, %(first)s–%(last)s") % {"first": first, "last": last},
        organisation=unit.name if unit else "",
        exported_on=timezone.localdate(),
        exported_by=exported_by,
    )
    columns = [
        Column(_("Title or form of award")),
        Column(pgettext("award", "Level")),
        *(Column(str(y), kind="number") for y in table.years),
        Column(_("Total"), kind="number"),
    ]
    sheet = ExportSheet(buffer, sheet_name=_("Awards"), columns=columns, heading=heading)
    for kind, cells, total in table.rows:
        sheet.row([kind.name, str(kind.get_level_display()), *cells, total])
    sheet.row([_("Total"), "", *table.totals, table.total], bold=True)
    sheet.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="khen-thuong-{first}-{last}.xlsx"'
    return response


# --- History -------------------------------------------------------------------------------------


def _history(request: HttpRequest, subject: Organisation | Unit | Person, kind: str) -> HttpResponse:
    user = request.user
    return render(
        request,
        "awards/history.html",
        {
            "subject": subject,
            "kind": kind,
            "name": subject.full_name if isinstance(subject, Person) else subject.name,
            "awards": selectors.history(subject),
            "proposals": selectors.subject_proposals(subject).exclude(status=Status.DECIDED),
            "can_propose": allowed(user, Perm.EMULATION_ENTRY, subject),
        },
    )


def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(selectors.people(request.user).select_related("organisation", "unit"), pk=pk)
    return _history(request, person, "person")


def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, get_object_or_404(selectors.organisations(request.user), pk=pk), "organisation")


def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, get_object_or_404(selectors.units(request.user), pk=pk), "unit")


# --- Proposals -----------------------------------------------------------------------------------


def proposal_list(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    proposals = selectors.proposals(request.user)
    wanted = request.GET.get("status", "")
    if wanted in Status.values:
        proposals = proposals.filter(status=wanted)
    year = _year(request.GET.get("year"))
    if year:
        proposals = proposals.filter(year=year)
    return render(
        request,
        "awards/proposals.html",
        {
            "proposals": proposals.order_by("-year", "status", "subject_name")[:LIST_LIMIT],
            "statuses": Status.choices,
            "status": wanted,
            "year": year,
        },
    )


def _subject_from(request: HttpRequest, kind: str, pk: int) -> Organisation | Unit | Person:
    user = request.user
    queries: dict[str, QuerySet[Any]] = {
        "person": selectors.people(user).select_related("organisation", "unit"),
        "organisation": selectors.organisations(user),
        "unit": selectors.units(user),
    }
    if kind not in queries:
        raise Http404
    subject: Organisation | Unit | Person = get_object_or_404(queries[kind], pk=pk)
    return subject


def _proposers(user: Any, subject: Organisation | Unit | Person) -> list[tuple[str, str]]:
    """Who may propose the subject: the organisations and units this user enters proposals for that
    hold it (its own organisation, unit, or one above)."""
    org_path = subject.organisation.path if isinstance(subject, Person) and subject.organisation else ""
    unit_path = subject.unit.path if isinstance(subject, Person) and subject.unit else ""
    if isinstance(subject, Organisation):
        org_path = subject.path
    if isinstance(subject, Unit):
        unit_path = subject.path
    choices: list[tuple[str, str]] = []
    if org_path:
        orgs = scope(Organisation.objects.filter(path__in=_prefixes(org_path)), user, Perm.EMULATION_ENTRY)
        choices += [(f"o{o.pk}", organisation_label(o)) for o in with_parents(orgs).order_by("-depth")]
    if unit_path:
        units = scope(Unit.objects.filter(path__in=_prefixes(unit_path)), user, Perm.EMULATION_ENTRY)
        choices += [(f"u{u.pk}", u.name) for u in units.order_by("-depth")]
    return choices


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def _proposer_of(value: str) -> Organisation | Unit:
    if value[:1] not in ("o", "u") or not value[1:].isdigit():
        raise Http404
    if value[0] == "o":
        return get_object_or_404(Organisation, pk=int(value[1:]))
    return get_object_or_404(Unit, pk=int(value[1:]))


def proposal_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _subject_from(request, kind, pk)
    proposers = _proposers(request.user, subject)
    if not proposers or not allowed(request.user, Perm.EMULATION_ENTRY, subject):
        raise PermissionDenied
    individual = isinstance(subject, Person)
    initial = {"year": timezone.localdate().year}
    form = ProposalForm(request.POST or None, proposers=proposers, individual=individual, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ProposalInput(
            award_type=form.cleaned_data["award_type"],
            year=form.cleaned_data["year"],
            achievements=form.cleaned_data["achievements"],
            facts=form.entered(),
            override=form.cleaned_data["override"],
            override_reason=form.cleaned_data["override_reason"],
        )
        proposal = apply_service(
            form,
            lambda: services.proposal_create(
                actor=request.user,
                proposer=_proposer_of(form.cleaned_data["proposer"]),
                subject=subject,
                data=data,
            ),
        )
        if proposal is not None:
            messages.success(request, _("Proposal saved."))
            return redirect("awards:proposal", pk=proposal.pk)
    name = subject.full_name if isinstance(subject, Person) else subject.name
    return render(
        request,
        "awards/proposal_form.html",
        {"form": form, "subject": subject, "kind": kind, "name": name},
        status=400 if form.is_bound and form.errors else 200,
    )


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(
        selectors.proposals(request.user).select_related(
            "person", "organisation", "unit", "decision", "override_by", "created_by"
        ),
        pk=pk,
    )


def _proposal_page(
    request: HttpRequest, proposal: Proposal, form: Any = None, status: int = 200
) -> HttpResponse:
    manage = allowed(request.user, Perm.EMULATION_MANAGE, proposal)
    entered = services.EnteredFacts.from_json(proposal.facts)
    now = None
    if proposal.open:
        now = services.check(
            proposal.award_type,
            proposal.year,
            services.gather_facts(proposal.subject, proposal.year, entered),
        )
    nexts = [Status(s) for s in services.next_statuses(proposal)] if manage else []
    return render(
        request,
        "awards/proposal.html",
        {
            "proposal": proposal,
            "steps": proposal.steps.select_related("actor"),
            "facts": _facts_shown(entered),
            "now": now,
            "nexts": nexts,
            "form": form or (TransitionForm() if nexts else None),
        },
        status=status,
    )


def _facts_shown(entered: services.EnteredFacts) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    if entered.task_rating:
        shown.append(
            (_("Task rating of the year"), str(TASK_RATING_LABELS[rules.TaskRating(entered.task_rating)]))
        )
    if entered.months_employed is not None:
        shown.append((_("Months since recruitment"), str(entered.months_employed)))
    for year, scope_ in entered.initiatives:
        shown.append((_("Recognised initiative"), f"{year} — {LEVEL_LABELS[rules.Level(scope_)]}"))
    for flag, met in entered.flags.items():
        shown.append((str(FLAG_LABELS[rules.Flag(flag)]), _("yes") if met else _("no")))
    for label, value in (
        (_("Members of the collective"), entered.members),
        (_("Members who completed their tasks"), entered.members_completed),
        (_("Members rated Lao động tiên tiến"), entered.members_ldtt),
        (_("Members rated Chiến sĩ thi đua cơ sở"), entered.members_cstd_cs),
        (_("Members disciplined at warning level or above"), entered.members_disciplined),
    ):
        if value is not None:
            shown.append((label, str(value)))
    return shown


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, _proposal(request, pk))


def proposal_transition(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    if request.method != "POST" or not allowed(request.user, Perm.EMULATION_MANAGE, proposal):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.proposal_transition(
            actor=request.user,
            proposal=proposal,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
            raised_to=form.cleaned_data["raised_to"],
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("awards:proposal", pk=proposal.pk)
    return _proposal_page(request, proposal, form, 400)


# --- Decisions -----------------------------------------------------------------------------------


def decision_list(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    return render(
        request,
        "awards/decisions.html",
        {
            "decisions": selectors.decisions(request.user)[:LIST_LIMIT],
            "can_manage": has_any(request.user, Perm.EMULATION_MANAGE),
        },
    )


def decision_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisers = scope(Organisation.objects.filter(dissolved_on__isnull=True), user, Perm.EMULATION_MANAGE)
    if not organisers.exists():
        raise PermissionDenied
    decidable = scope(
        Proposal.objects.filter(status__in=[Status.REVIEWED, Status.RAISED]), user, Perm.EMULATION_MANAGE
    ).select_related("award_type")
    form = DecisionForm(
        request.POST or None,
        organisers=organisers.order_by("path"),
        proposals=decidable.order_by("-year", "subject_name"),
        people=selectors.people(user),
        units=selectors.units(user, Perm.EMULATION_MANAGE),
        initial={"year": timezone.localdate().year - 1},
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = services.DecisionInput(
            number=values["number"],
            signed_on=values["signed_on"],
            issuer=values["issuer"],
            issuer_level=values["issuer_level"],
            year=values["year"],
            signer_name=values["signer_name"],
            signer_post=values["signer_post"],
            place=values["place"],
            note=values["note"],
        )
        decision = apply_service(
            form,
            lambda: services.decision_register(
                actor=user,
                organisation=values["organisation"],
                data=data,
                proposals=list(values["proposals"]),
                entries=values["entries"],
            ),
        )
        if decision is not None:
            messages.success(request, _("Decision registered."))
            return redirect("awards:decision", pk=decision.pk)
    return render(
        request,
        "awards/decision_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions(request.user), pk=pk)
    return render(
        request,
        "awards/decision.html",
        {
            "decision": decision,
            "awards": selectors.awards(request.user)
            .filter(decision=decision)
            .order_by("award_type__position", "subject_name"),
            "quota": services.quota_warning(year=decision.year, path=decision.org_path),
        },
    )


def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A Giấy khen as PDF (A4 landscape); other awards have no certificate here."""
    award = get_object_or_404(selectors.awards(request.user).filter(award_type__code=certificate.CODE), pk=pk)
    try:
        content = certificate.to_pdf(award)
    except PdfUnavailable:
        context = {
            "back_url": reverse("awards:decision", args=[award.decision_id]),
            "back_label": award.decision.number,
        }
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-khen-{award.pk}.pdf"'
    return response
