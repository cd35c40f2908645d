"""Pages of meeting quality: the figures of every cell and the roll-ups above them for a period
(also as an Excel file), and one cell's members with their attendance and absence flags. Thin:
parse the period, call `meetings.quality`, render."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.api.base import query_id
from dangbo.core.scoping import has_any
from dangbo.meetings import quality
from dangbo.meetings.labels import SHORTFALL_LABELS
from dangbo.reports.xlsx import Column, ExportSheet, Heading, exporter_name
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
        return _xlsx(table, within, exporter_name(request.user))
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


def _xlsx(table: quality.QualityTable, within: Any, exported_by: str) -> HttpResponse:
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
    top = within or (table.rows[0].organisation if table.rows else None)
    heading = Heading(
        title=str(_("Meeting quality")),
        organisation=top.name if top else "",
        subtitle=_("Meeting quality, %(period)s (figures up to %(date)s)")
        % {"period": period_title(table.period), "date": format_date(table.until)},
        exported_on=timezone.localdate(),
        exported_by=exported_by,
    )
    buffer = io.BytesIO()
    sheet = ExportSheet(
        buffer,
        sheet_name=str(_("Meeting quality")),
        columns=[
            Column(
                str(label), kind="text" if number_format is None else "number", num_format=number_format or ""
            )
            for label, _value, number_format in columns
        ],
        heading=heading,
    )
    for row in table.rows:
        values = [value(row) for _label, value, _format in columns]
        sheet.row(
            [
                v if f is None or v is None else float(v)
                for v, (_l, _v, f) in zip(values, columns, strict=True)
            ],
            bold=not row.is_cell,
            indent=min(row.depth, 15),
        )
    sheet.close()
    period = table.period
    suffix = f"-{period.month:02d}" if period.month else (f"-q{period.quarter}" if period.quarter else "")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="chat-luong-sinh-hoat-{period.year}{suffix}.xlsx"'
    )
    return response
