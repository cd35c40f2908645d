"""HTTP glue of the exports: the response that carries a rendered document."""

from __future__ import annotations

from django.http import HttpResponse

from dangbo.reports.services import Export


def export_response(export: Export) -> HttpResponse:
    """The file as an attachment, with an ASCII name and the exact UTF-8 one (RFC 6266)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = export.content_disposition()
    response["Cache-Control"] = "private, no-store"  # confidential documents are exported too
    return response
