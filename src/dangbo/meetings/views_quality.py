"""Pages of meeting quality: the figures of every cell and the roll-ups above them for a period
(also as an Excel file), and one cell's members with their attendance and absence flags. Thin:
parse the period, call `meetings.quality`, render."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.api.base import query_id
from dangbo.core.scoping import has_any
from dangbo.meetings import quality
from dangbo.meetings.labels import SHORTFALL_LABELS
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_date, format_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARAMS = ("nam", "quy", "thang")  # year, quarter, month in the page's query string
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_title(period: quality.Period) -> str:
    if period.month:
        return _("Month %(month)02d/%(year)s") % {"month": period.month, "year": period.year}
    if period.quarter:
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[period.quarter], "year": period.year}
    return _("Year %(year)s") % {"year": period.year}


def _period(request: HttpRequest, today: dt.date) -> tuple[quality.Period, list[str]]:
    """The period asked for, or the current year and the messages saying what was wrong."""
    try:
        return quality.parse_period(
            *(request.GET.get(name) for name in PARAMS), today=today, names=PARAMS
        ), []
    except ValidationError as exc:
        return quality.Period(today.year), exc.messages


def _require_reporter(request: HttpRequest) -> None:
    if not has_any(request.user, Perm.MEETING_REPORT):
        raise PermissionDenied


def period_query(period: quality.Period) -> str:
    """The page's query string for a period: its links keep the period chosen."""
    values = {"nam": period.year, "quy": period.quarter, "thang": period.month}
    return urlencode({name: value for name, value in values.items() if value})


def _target(table: quality.QualityTable) -> str:
    """The attendance target as a percentage to print ("85 %")."""
    share = table.rules.attendance_target.share * 100
    figure = format_number(share.numerator) if share.denominator == 1 else format_number(float(share), 1)
    return f"{figure} %"


def _context(
    period: quality.Period, errors: list[str], today: dt.date, table: quality.QualityTable
) -> dict[str, Any]:
    return {
        "table": table,
        "target": _target(table),
        "period_query": period_query(period),
        "romans": ROMAN,
        "period": period,
        "period_title": period_title(period),
        "errors": errors,
        "years": list(range(today.year, quality.FIRST_YEAR - 1, -1)),
        "quarters": [(n, ROMAN[n]) for n in range(1, 5)],
        "months": list(range(1, 13)),
        "shortfall_labels": {k.value: v for k, v in SHORTFALL_LABELS.items()},
    }


def quality_page(request: HttpRequest) -> HttpResponse:
    """Each cell's figures and each committee's roll-up for a year, a quarter or a month."""
    _require_reporter(request)
    today = timezone.localdate()
    period, errors = _period(request, today)
    pk = query_id(request.GET.get("to-chuc"))
    within = quality.organisations_visible(request.user).filter(pk=pk).first() if pk else None
    table = quality.quality_table(request.user, period, today, within)
    if request.GET.get("tai") == "xlsx" and not errors:
        return _xlsx(table)
    context = _context(period, errors, today, table) | {"within": within}
    return render(request, "meetings/quality.html", context, status=400 if errors else 200)


def quality_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """One cell: its figures, and each member summoned with attendance and absence flags."""
    _require_reporter(request)
    cell = get_object_or_404(quality.cells_visible(request.user), pk=pk)
    today = timezone.localdate()
    period, errors = _period(request, today)
    table = quality.quality_table(request.user, period, today, within=cell)
    attendance = quality.member_attendance(request.user, cell, period, today)
    context = _context(period, errors, today, table) | {
        "cell": cell,
        "row": table.rows[0] if table.rows else None,
        "attendance": attendance,
    }
    return render(request, "meetings/quality_cell.html", context, status=400 if errors else 200)


# --- Excel ---------------------------------------------------------------------------------------


def _verdict(row: quality.QualityRow) -> str:
    if not row.judged:
        return _("Nothing to judge yet")
    if not row.is_cell:
        return _("Cells meeting the standard: %(n)s/%(total)s") % {
            "n": row.cells_up_to_standard,
            "total": row.cells,
        }
    if row.up_to_standard:
        return _("Meets the standard")
    return "; ".join(str(SHORTFALL_LABELS[s]) for s in row.ordered_shortfalls)


def _xlsx(table: quality.QualityTable) -> HttpResponse:
    """The table as one sheet: figures as numbers, each committee in bold, the cells indented."""
    # (heading, value, number format: None for text, "0" for a count, "0.0" for a percentage)
    columns: list[tuple[str, Any, str | None]] = [
        (_("Organisation"), lambda r: r.organisation.name, None),
        (_("Cells"), lambda r: r.cells, "0"),
        (_("Months judged"), lambda r: r.figures.months, "0"),
        (_("Months with a valid meeting"), lambda r: r.figures.months_with_regular, "0"),
        (_("Regular meetings held"), lambda r: r.regular, "0"),
        (_("Thematic meetings held"), lambda r: r.figures.thematic, "0"),
        (_("Quarters"), lambda r: r.figures.quarters, "0"),
        (_("Quarters with a thematic meeting"), lambda r: r.figures.quarters_with_thematic, "0"),
        (_("Cancelled"), lambda r: r.cancelled, "0"),
        (_("Summoned"), lambda r: r.figures.summoned, "#,##0"),
        (_("Present"), lambda r: r.figures.present, "#,##0"),
        (_("Attendance (%)"), lambda r: r.attendance_percent, "0.0"),
        (_("Meetings below the attendance target"), lambda r: r.figures.meetings_below_target, "0"),
        (_("Meetings with documents sent"), lambda r: r.figures.documents_sent, "0"),
        (_("Documents sent on time"), lambda r: r.figures.documents_on_time, "0"),
        (_("Sealed minutes"), lambda r: r.sealed, "0"),
        (_("Verdict"), _verdict, None),
    ]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Meeting quality")[:31])
    title = workbook.add_format({"bold": True, "font_size": 13})
    head = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2DCDB"})
    formats: dict[tuple[str | None, int, bool], Any] = {}

    def style(number_format: str | None, indent: int, bold: bool) -> Any:
        key = (number_format, indent, bold)
        if key not in formats:
            options: dict[str, Any] = {"bold": bold, "indent": indent}
            if number_format:
                options["num_format"] = number_format
            formats[key] = workbook.add_format(options)
        return formats[key]

    sheet.write_string(
        0,
        0,
        _("Meeting quality, %(period)s (figures up to %(date)s)")
        % {"period": period_title(table.period), "date": format_date(table.until)},
        title,
    )
    for col, (label, _value, _format) in enumerate(columns):
        sheet.write_string(1, col, label, head)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, len(columns) - 2, 11)
    sheet.set_column(len(columns) - 1, len(columns) - 1, 40)
    sheet.freeze_panes(2, 1)
    for r, row in enumerate(table.rows, start=2):
        bold = not row.is_cell
        for col, (_label, value, number_format) in enumerate(columns):
            data = value(row)
            if data is None:
                continue
            if number_format is None:
                sheet.write_string(
                    r, col, str(data), style(None, min(row.depth, 15) if col == 0 else 0, bold)
                )
            else:
                sheet.write_number(r, col, float(data), style(number_format, 0, bold))
    workbook.close()
    period = table.period
    suffix = f"-{period.month:02d}" if period.month else (f"-q{period.quarter}" if period.quarter else "")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="chat-luong-sinh-hoat-{period.year}{suffix}.xlsx"'
    )
    return response
