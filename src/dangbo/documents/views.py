"""Pages of the register of documents. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import allowed, has_any, scope
from dangbo.core.uploads import refused_upload
from dangbo.documents import selectors, services, views_study
from dangbo.documents.forms import CorrectForm, DocumentForm, FilterForm, LinkForm, WithdrawForm
from dangbo.documents.models import Document, DocumentLink
from dangbo.documents.selectors import Filters
from dangbo.orgs.models import Organisation
from dangbo.orgs.views import apply_service
from dangbo.reports import services as report_services
from dangbo.reports.render import PdfUnavailable
from dangbo.reports.views import export_response
from dangbo.rules import documents as rules
from dangbo.rules.roles import Perm

PAGE_SIZE = 30


def _visible(request: HttpRequest, pk: int) -> Document:
    document = (
        selectors.documents_visible(request.user).select_related("organisation", "term").filter(pk=pk).first()
    )
    if document is None:
        raise Http404
    return document


def _to_change(request: HttpRequest, pk: int) -> Document:
    document = _visible(request, pk)
    if not allowed(request.user, Perm.DOCUMENT_CHANGE, document):
        raise PermissionDenied
    return document


def document_list(request: HttpRequest) -> HttpResponse:
    """The register: filters by type, issuer, system, year and period; accent-insensitive search."""
    if not has_any(request.user, Perm.DOCUMENT_VIEW):
        raise PermissionDenied
    form = FilterForm(request.GET or None, issuers=selectors.issuer_codes(request.user))
    organisation = None
    if request.GET.get("to-chuc", "").isdigit() and len(request.GET["to-chuc"]) <= 18:
        organisation = (
            scope(Organisation.objects.all(), request.user, Perm.ORG_VIEW, upward=True)
            .filter(pk=int(request.GET["to-chuc"]))
            .first()
        )
    filters = Filters(
        type_code=form.value("loai") or "",
        issuer=form.value("co_quan") or "",
        system=form.value("he") or "",
        year=form.value("nam"),
        date_from=form.value("tu"),
        date_to=form.value("den"),
        query=form.value("q") or "",
        organisation=organisation,
    )
    page = Paginator(selectors.register(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/list.html",
        {
            "form": form,
            "page": page,
            "organisation": organisation,
            "filtered": any(v for k, v in vars(filters).items()),
            "can_register": has_any(request.user, Perm.DOCUMENT_CHANGE),
        },
    )


def _initial_from_placeholder(request: HttpRequest, organisations: Any) -> dict[str, Any]:
    """Prefill the form from ?van-ban=<placeholder id>: completing a document known from a reference."""
    pk = request.GET.get("van-ban", "")
    if not pk.isdigit() or len(pk) > 18:
        return {}
    placeholder = selectors.documents_visible(request.user).filter(pk=int(pk), registered=False).first()
    if placeholder is None:
        return {}
    organisation = organisations.filter(pk=placeholder.organisation_id).first()
    ours = (
        organisation is not None
        and placeholder.system == "party"
        and placeholder.issuer_code == organisation.code
        and placeholder.type_code in rules.DOC_TYPES["party"]
    )
    initial: dict[str, Any] = {
        "organisation": placeholder.organisation_id,
        "issued_on": placeholder.issued_on,
    }
    if ours:
        initial.update({"own": "1", "type_code": placeholder.type_code, "number": str(placeholder.number)})
    else:
        initial.update({"own": "0", "symbol": placeholder.symbol})
    return initial


def document_create(request: HttpRequest) -> HttpResponse:
    """Register a document: the next number of its type is proposed (and given when it is saved)."""
    if not has_any(request.user, Perm.DOCUMENT_CHANGE):
        raise PermissionDenied
    organisations = scope(
        Organisation.objects.filter(dissolved_on__isnull=True), request.user, Perm.DOCUMENT_CHANGE
    ).order_by("depth", "sort_key")
    posted = request.method == "POST"
    initial = _initial_from_placeholder(request, organisations) if not posted else {}
    form = DocumentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organisations=organisations,
        initial=initial,
    )
    if posted:
        if refusal := refused_upload(request):
            form.is_valid()
            form.add_error("file", refusal)
        elif form.is_valid():
            data = dict(form.cleaned_data)
            document = apply_service(form, lambda: services.document_register(actor=request.user, **data))
            if document:
                messages.success(request, _("Registered %(symbol)s.") % {"symbol": document.symbol})
                return redirect("documents:detail", pk=document.pk)
    chosen = form["organisation"].value()
    organisation = (
        organisations.filter(pk=chosen).first() if str(chosen or "").isdigit() else organisations.first()
    )
    try:
        day = form.fields["issued_on"].clean(form["issued_on"].value()) or timezone.localdate()
    except ValidationError:  # an unreadable date: propose for today
        day = timezone.localdate()
    proposals = selectors.proposals(organisation, day) if organisation else None
    symbols = (
        {code: proposals.symbol(organisation, code) for code in rules.DOC_TYPES["party"]}
        if proposals and organisation
        else {}
    )
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "organisation": organisation,
            "proposals": proposals,
            "proposed": symbols.get(str(form["type_code"].value() or "NQ"), ""),
            "proposals_map": symbols,
            "day": day,
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from dangbo.documents.views_tasks import document_tasks_context

    document = _visible(request, pk)
    out, into = selectors.links_of(request.user, document)
    can_change = allowed(request.user, Perm.DOCUMENT_CHANGE, document)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "chain": selectors.chain(request.user, document),
            "links_out": out,
            "links_in": into,
            "can_change": can_change,
            "can_audit": allowed(request.user, Perm.AUDIT_VIEW, document),
            "link_form": LinkForm() if can_change else None,
            **document_tasks_context(request, document),
            **views_study.document_section(request, document),
        },
    )


def document_chain(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole chain of a document, up and down, with each document's issuer, date and summary."""
    document = _visible(request, pk)
    return render(
        request,
        "documents/chain.html",
        {"document": document, "chain": selectors.chain(request.user, document)},
    )


def document_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The attached file, to those who may read the document; each download of a confidential one is logged."""
    document = _visible(request, pk)
    if not document.file:
        raise Http404
    if document.is_secret:
        audit.record(actor=request.user, action="document.download", instance=document)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name or "van-ban"
    )


def _export(request: HttpRequest, pk: int, fmt: report_services.Format) -> HttpResponse:
    """The document in the Party's format, to those who may read it (as its page and its file)."""
    document = _visible(request, pk)
    try:
        export = report_services.document_export(actor=request.user, document=document, fmt=fmt)
    except PdfUnavailable:
        return render(request, "reports/pdf_unavailable.html", {"document": document}, status=503)
    return export_response(export)


def document_word(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")


def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")


def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _to_change(request, pk)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = selectors.find_by_symbol(request.user, data["target"], data["target_date"])
        except ValueError as exc:
            form.add_error("target", str(exc))
            found = []
        if not form.errors:
            if not found:
                form.add_error(
                    "target",
                    _("No document %(symbol)s in the registers you can see: register it first.")
                    % {"symbol": data["target"]},
                )
            elif len(found) > 1:
                dates = ", ".join(f"{d.issued_on:%d/%m/%Y}" for d in found if d.issued_on)
                form.add_error(
                    "target_date",
                    _("Several documents bear this number (%(dates)s): give the issue date.")
                    % {"dates": dates},
                )
            elif apply_service(
                form,
                lambda: services.document_link(
                    actor=request.user, source=document, target=found[0], kind=data["kind"]
                ),
            ):
                messages.success(request, _("Link saved."))
                return redirect("documents:detail", pk=document.pk)
    return render(
        request,
        "documents/action.html",
        {
            "document": document,
            "form": form,
            "title": _("Link %(symbol)s to another document") % {"symbol": document.symbol},
        },
    )


def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    links = scope(DocumentLink.objects.all(), request.user, Perm.DOCUMENT_CHANGE)
    link = get_object_or_404(
        links.filter(from_doc__in=selectors.documents_visible(request.user).values("pk")), pk=pk
    )
    if request.method != "POST" or request.POST.get("confirm") != "1":
        return redirect("documents:detail", pk=link.from_doc_id)
    services.document_unlink(actor=request.user, link=link)
    messages.success(request, _("Link removed."))
    return redirect("documents:detail", pk=link.from_doc_id)


def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = _to_change(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: services.document_withdraw(
                actor=request.user, document=document, reason=data["reason"], on=data["on"]
            ),
        ):
            messages.success(request, _("Document withdrawn; its number stays given."))
            return redirect("documents:detail", pk=document.pk)
    return render(
        request,
        "documents/action.html",
        {"document": document, "form": form, "title": _("Withdraw %(symbol)s") % {"symbol": document.symbol}},
    )


def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a registered document's entry (not its number, type, issuer or date), with a reason."""
    document = _to_change(request, pk)  # a confidential one is visible only to who may read it
    posted = request.method == "POST"
    form = CorrectForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={name: getattr(document, name) for name in services.CORRECTABLE},
    )
    if posted:
        if refusal := refused_upload(request):
            form.is_valid()
            form.add_error("file", refusal)
        elif form.is_valid():
            data = form.cleaned_data
            if apply_service(
                form, lambda: services.document_correct(actor=request.user, document=document, **data)
            ):
                messages.success(
                    request, _("The entry of %(symbol)s was corrected.") % {"symbol": document.symbol}
                )
                return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/correct.html", {"document": document, "form": form})


def history(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible(request, pk)
    if not allowed(request.user, Perm.AUDIT_VIEW, document):
        raise PermissionDenied
    page = Paginator(audit.with_access(audit.history(document), request.user).order_by("-seq"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "core/history.html", {"object": document, "page": page, "detail_url": "documents:detail"}
    )
