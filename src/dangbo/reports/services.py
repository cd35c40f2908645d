"""Exports of documents and of meetings' minutes as Word and PDF. Reading a confidential document
this way is recorded in the audit chain, as downloading its attached file is
(documents.views.document_file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from django.utils import timezone

from dangbo.core import audit
from dangbo.documents.models import Document
from dangbo.meetings import services as meeting_services
from dangbo.meetings.models import SIGNATORIES, Meeting, Minutes
from dangbo.orgs.models import Organisation
from dangbo.reports import render
from dangbo.reports.layouts import layout_of_document
from dangbo.reports.minutes import layout_of_minutes
from dangbo.rules.vietnamese import ascii_text

Format = Literal["docx", "pdf"]
CONTENT_TYPES: dict[Format, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str  # "70-NQ-ĐU_2023-10-11.docx"

    @property
    def ascii_filename(self) -> str:
        """The same name in ASCII ("70-NQ-DU_2023-10-11.docx") for clients that ignore filename*."""
        kept = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in ascii_text(self.filename))
        return kept.strip("-") or "van-ban"

    def content_disposition(self) -> str:
        return f"attachment; filename=\"{self.ascii_filename}\"; filename*=UTF-8''{quote(self.filename)}"


def file_name(document: Document, fmt: Format) -> str:
    """ "70-NQ-ĐU_2023-10-11.docx": the symbol with "/" as "-", then the issue date."""
    stem = "-".join(document.symbol.replace("/", "-").split()) or "van-ban"
    if document.issued_on is not None:
        stem += f"_{document.issued_on.isoformat()}"
    return f"{stem}.{fmt}"


def document_export(*, actor: Any, document: Document, fmt: Format) -> Export:
    """The document in the Party's format as Word or PDF, for a reader the caller has checked.

    Raises render.PdfUnavailable for PDF on a machine without WeasyPrint/Pango (nothing recorded).
    Rendering happens outside any transaction (on SQLite a write transaction holds the database's
    one write lock); the audit event is then appended in its own."""
    layout = layout_of_document(document)
    content = render.to_docx(layout) if fmt == "docx" else render.to_pdf(layout)
    if document.is_secret:
        audit.record(actor=actor, action="document.export", instance=document, after={"format": fmt})
    return Export(content=content, content_type=CONTENT_TYPES[fmt], filename=file_name(document, fmt))


def draft_export(
    *, organisation: Organisation, type_code: str, values: dict[str, Any], fmt: Format
) -> Export:
    """A draft not yet numbered (a review being written): laid out as the organisation would issue it,
    marked "DỰ THẢO", the number left blank ("Số    -BC/ĐU") and the day and month blank."""
    document = Document(
        organisation=organisation,
        issuer_org=organisation,
        org_path=organisation.path,
        system="party",
        type_code=type_code,
        symbol=f"-{type_code}/{organisation.code}" if organisation.code else "",
        summary=values.get("summary", ""),
        body=values.get("body", ""),
        signer_name=values.get("signer_name", ""),
        signer_post=values.get("signer_post", ""),
        recipients=values.get("recipients", ""),
    )
    layout = layout_of_document(document)
    layout.draft = True
    layout.symbol = f"\u00a0\u00a0\u00a0\u00a0{layout.symbol}" if layout.symbol else ""
    content = render.to_docx(layout) if fmt == "docx" else render.to_pdf(layout)
    stem = "-".join(ascii_text(values.get("summary", "du-thao")).split()[:8]) or "du-thao"
    return Export(content=content, content_type=CONTENT_TYPES[fmt], filename=f"Du-thao_{stem}.{fmt}")


def _file_part(text: str) -> str:
    """A piece of a file name: words joined by "-", only letters, digits, "-", "_" and "."."""
    kept = "".join(ch if ch.isalnum() or ch in "-_." else " " for ch in text)
    return "-".join(kept.split())


def minutes_file_name(meeting: Meeting, fmt: Format) -> str:
    """ "Biên-bản_CB-VP_2026-10-20.docx": the organisation's code (else its name), the meeting's day."""
    organisation = meeting.organisation
    who = _file_part(organisation.code or organisation.name) or "to-chuc"
    day = timezone.localtime(meeting.starts_at, timezone.get_default_timezone()).date()
    return f"Biên-bản_{who}_{day.isoformat()}.{fmt}"


def may_read_minutes(actor: Any, meeting: Meeting, minutes: Minutes) -> bool:
    """Sealed minutes are read by whoever sees the meeting (the caller scoped it); a draft only by
    those who write or sign it, as on the meeting's page."""
    return (
        minutes.sealed
        or meeting_services.can_write_minutes(actor, meeting)
        or meeting_services.signing_capacity(actor, meeting) is not None
    )


def minutes_export(*, actor: Any, meeting: Meeting, fmt: Format) -> Export:
    """The minutes of `meeting` (already scoped to `actor`'s view) in the Party's format as Word or
    PDF: "DỰ THẢO" until sealed, the content hash once sealed, the signed corrections appended.

    Raises Minutes.DoesNotExist when there are no minutes, or only a draft `actor` may not read;
    render.PdfUnavailable for PDF on a machine without WeasyPrint/Pango. Reads a fixed number of
    queries (reports.minutes.MinutesRecord) and writes nothing: minutes are not confidential
    documents, so reading them is not audited."""
    minutes = Minutes.objects.select_related(*SIGNATORIES).filter(meeting=meeting).first()
    if minutes is None or not may_read_minutes(actor, meeting, minutes):
        raise Minutes.DoesNotExist
    layout = layout_of_minutes(meeting, minutes)
    content = render.to_docx(layout) if fmt == "docx" else render.to_pdf(layout)
    return Export(content=content, content_type=CONTENT_TYPES[fmt], filename=minutes_file_name(meeting, fmt))


def list_pdf(layout: render.PartyLayout, stem: str) -> Export:
    """A printed list (reports.lists) as PDF, named "<stem>.pdf" (letters, digits and "-" kept).
    Raises render.PdfUnavailable on a machine without WeasyPrint/Pango."""
    return Export(
        content=render.to_pdf(layout), content_type=CONTENT_TYPES["pdf"], filename=f"{_file_part(stem)}.pdf"
    )
