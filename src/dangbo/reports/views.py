"""HTTP glue of the exports: the response that carries a rendered document."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangbo.orgs.models import Organisation
from dangbo.reports.render import PdfUnavailable
from dangbo.reports.services import Export, Format, draft_export


def export_response(export: Export) -> HttpResponse:
    """The file as an attachment, with an ASCII name and the exact UTF-8 one (RFC 6266)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = export.content_disposition()
    response["Cache-Control"] = "private, no-store"  # confidential documents are exported too
    return response


def draft_download(
    request: HttpRequest, organisation: Organisation, values: dict[str, Any], action: str
) -> HttpResponse:
    """A review's draft as Word ("word") or PDF ("pdf"), or the page saying PDF is unavailable here."""
    fmt: Format = "docx" if action == "word" else "pdf"
    try:
        export = draft_export(organisation=organisation, type_code="BC", values=values, fmt=fmt)
    except PdfUnavailable:
        return render(request, "reports/pdf_unavailable.html", {}, status=503)
    return export_response(export)
