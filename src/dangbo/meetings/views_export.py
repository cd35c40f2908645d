"""The minutes of a meeting as Word and PDF (reports.services.minutes_export). Whoever may open the
meeting's page downloads its sealed minutes; a draft only those who write or sign it, as the page
shows it; no minutes (or a draft hidden from the reader) is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from dangbo.meetings.models import Minutes
from dangbo.meetings.views import meetings_visible
from dangbo.reports import lists
from dangbo.reports.render import PdfUnavailable
from dangbo.reports.services import Format, list_pdf, minutes_export
from dangbo.reports.views import export_response


def _export(request: HttpRequest, pk: int, fmt: Format) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible(request.user), pk=pk)
    try:
        export = minutes_export(actor=request.user, meeting=meeting, fmt=fmt)
    except Minutes.DoesNotExist as exc:
        raise Http404 from exc
    except PdfUnavailable:
        context = {
            "back_url": reverse("meetings:detail", args=[meeting.pk]),
            "back_label": meeting.title,
            "word_url": reverse("meetings:minutes_word", args=[meeting.pk]),
        }
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    return export_response(export)


def minutes_word(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")


def _paper(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """A meeting's paper as PDF for whoever sees its page: the sign-in sheet or the invitation."""
    meeting = get_object_or_404(meetings_visible(request.user).select_related("organisation"), pk=pk)
    day = timezone.localtime(meeting.starts_at, timezone.get_default_timezone()).date()
    who = meeting.organisation.code or meeting.organisation.name
    try:
        if what == "sign_in":
            layout = lists.sign_in_layout(meeting, list(meeting.attendees.all()))
            export = list_pdf(layout, f"Danh-sách-ký-dự-họp {who} {day.isoformat()}")
        else:
            agenda = list(meeting.agenda.select_related("presenter").order_by("position"))
            export = list_pdf(lists.invitation_layout(meeting, agenda), f"Giấy-mời {who} {day.isoformat()}")
    except PdfUnavailable:
        context = {"back_url": reverse("meetings:detail", args=[meeting.pk]), "back_label": meeting.title}
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    return export_response(export)


def sign_in_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Danh sách đảng viên ký dự họp": STT, họ và tên, chức vụ, ký tên."""
    return _paper(request, pk, "sign_in")


def invitation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Giấy mời": who is invited, to what, when and where, with the agenda."""
    return _paper(request, pk, "invitation")
