"""Periodic reviews (sơ kết, tổng kết): every figure computed from the register, the tasks and study.

`figures()` reads what happened in a period for one organisation — documents it issued, by type; the
tasks it set (or, for the review of one resolution, the tasks of that resolution and of every document
implementing it, at any depth), with their status on the last day of the period; study completion —
and `draft_text()` writes them as the body of a review in the Party's style, which the office edits
before it issues the review as a report (BC) in the register. Figures, never typed by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangbo.documents import selectors, study, tasks
from dangbo.documents.models import Document, Task
from dangbo.orgs.models import Appointment, Organisation
from dangbo.rules import documents as doc_rules
from dangbo.rules import tasks as task_rules
from dangbo.rules.vietnamese import format_date

SECRETARY_POST = "bi-thu"  # PositionType code of the Bí thư (orgs/catalog.py)


@dataclass(frozen=True)
class IssuedCount:
    type_code: str
    type_name: str
    count: int


@dataclass(frozen=True)
class StudyRow:
    label: str
    members: int
    confirmed: int

    @property
    def share(self) -> float | None:
        return round(100 * self.confirmed / self.members, 1) if self.members else None


@dataclass
class Figures:
    organisation: Organisation
    start: dt.date
    end: dt.date
    on: dt.date  # the day statuses are judged: the period's end, or today if it is not over
    document: Document | None = None  # the resolution under review, if any
    issued: list[IssuedCount] = field(default_factory=list)
    tally: task_rules.Tally = field(default_factory=task_rules.Tally)
    by_assignee: list[tasks.AssigneeRow] = field(default_factory=list)
    late: list[Task] = field(default_factory=list)
    study: list[StudyRow] = field(default_factory=list)

    @property
    def issued_total(self) -> int:
        return sum(row.count for row in self.issued)


def _implementing(document: Document) -> list[int]:
    """The document and every document implementing it, at any depth (one recursive query)."""
    _up, down = selectors.chain_edges(document.pk)
    return [document.pk, *{edge.from_id for edge in down}]


def period_tasks(
    user: Any,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    document: Document | None,
    implementing: list[int] | None = None,
) -> QuerySet[Task]:
    """The tasks a review covers: of the resolution and what implements it, or else those the
    organisation's subtree set; in both cases started by the end of the period and not finished
    before it began."""
    qs = tasks.tasks_visible(user).filter(start_on__lte=end)
    qs = qs.filter(Q(done_on__isnull=True) | Q(done_on__gte=start)).filter(
        Q(cancelled_on__isnull=True) | Q(cancelled_on__gte=start)
    )
    if document is not None:
        return qs.filter(document_id__in=implementing or _implementing(document))
    return qs.filter(assigner_path__within=organisation.path)


def figures(
    user: Any,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    document: Document | None = None,
) -> Figures:
    """What happened in the period, computed (a handful of queries whatever the size)."""
    on = min(end, timezone.localdate())
    result = Figures(organisation, start, end, on, document)
    issued = (
        selectors.documents_visible(user)
        .filter(issuer_org=organisation, registered=True, issued_on__gte=start, issued_on__lte=end)
        .values("type_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    order = list(doc_rules.DOC_TYPES["party"])
    result.issued = sorted(
        (
            IssuedCount(
                row["type_code"], doc_rules.type_name(row["type_code"], "party") or row["type_code"], row["n"]
            )
            for row in issued
        ),
        key=lambda r: order.index(r.type_code) if r.type_code in order else len(order),
    )
    implementing = _implementing(document) if document is not None else None  # one chain query
    covered = period_tasks(user, organisation, start, end, document, implementing)
    result.tally = tasks.tally(covered, on)
    result.by_assignee = tasks.by_assignee(covered, on)
    result.late = list(
        tasks.with_status(covered.filter(tasks.status_condition(task_rules.TaskStatus.LATE, on)), on)
        .select_related("assignee_org", "assignee_unit")
        .order_by("due_on", "pk")[:50]
    )
    result.study = study_rows(user, organisation, start, end, implementing)
    return result


def study_rows(
    user: Any, organisation: Organisation, start: dt.date, end: dt.date, implementing: list[int] | None
) -> list[StudyRow]:
    """Completion of the study assignments of the period in the organisation (study.study_summary);
    for the review of a resolution, only those of `implementing` (the resolution and what implements it)."""
    summary = study.study_summary(user, organisation, start, end)
    wanted = set(implementing) if implementing is not None else None
    rows = []
    for figure in summary.rows:
        assignment = figure.assignment
        if wanted is not None and assignment.document_id not in wanted:
            continue
        label = f"{assignment.document.symbol} ({format_date(assignment.start_on)}–{format_date(assignment.due_on)})"
        rows.append(StudyRow(label, figure.members, figure.confirmed))
    return rows


# --- The draft ------------------------------------------------------------------------------------


def count_words(n: int) -> str:
    """Counts as Party reports write them: below ten with a leading zero ("07 chương trình")."""
    return f"{n:02d}" if 0 < n < 10 else f"{n:,}".replace(",", ".")


def _share(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%"


def draft_text(f: Figures) -> str:
    """The review's body as plain text the office edits; "| … |" lines are tables, "I." headings."""
    period = f"từ ngày {format_date(f.start)} đến ngày {format_date(f.end)}"
    lines: list[str] = []
    if f.document is not None:
        lines.append(
            f"Thực hiện {doc_rules.type_name(f.document.type_code, f.document.system) or 'văn bản'} "  # type: ignore[arg-type]
            f"số {f.document.symbol}"
            + (f" ngày {format_date(f.document.issued_on)}" if f.document.issued_on else "")
            + f" ({f.document.summary}), {f.organisation.name} báo cáo kết quả thực hiện {period} như sau:"
        )
    else:
        lines.append(f"{f.organisation.name} báo cáo kết quả công tác {period} như sau:")
    lines += ["", "I. KẾT QUẢ THỰC HIỆN", "", "1. Ban hành văn bản"]
    if f.issued:
        parts = ", ".join(f"{count_words(r.count)} {r.type_name.lower()}" for r in f.issued)
        lines.append(
            f"Trong kỳ, {f.organisation.name} đã ban hành {count_words(f.issued_total)} văn bản, gồm: {parts}."
        )
        lines.append("| Loại văn bản | Số lượng |")
        lines += [f"| {r.type_name} | {r.count} |" for r in f.issued]
        lines.append(f"| Tổng cộng | {f.issued_total} |")
    else:
        lines.append("Trong kỳ không ban hành văn bản nào.")
    t = f.tally
    lines += ["", "2. Thực hiện nhiệm vụ, chỉ tiêu"]
    if t.total:
        lines.append(
            f"Tổng số {count_words(t.total)} nhiệm vụ, chỉ tiêu; đã hoàn thành {count_words(t.finished)} "
            f"(đúng hạn {count_words(t.done)}, chậm {count_words(t.done_late)}; tỷ lệ hoàn thành đúng hạn "
            f"{_share(t.done, t.finished)}); đang thực hiện {count_words(t.on_track + t.at_risk)} "
            f"(có nguy cơ chậm {count_words(t.at_risk)}); quá hạn chưa hoàn thành {count_words(t.late)}; "
            f"chưa bắt đầu {count_words(t.not_started)}; đã hủy {count_words(t.cancelled)}. "
            f"Tình trạng tính đến ngày {format_date(f.on)}."
        )
        lines.append(
            "| Nơi thực hiện | Tổng số | Hoàn thành đúng hạn | Hoàn thành chậm | Đang thực hiện | Quá hạn |"
        )
        for row in f.by_assignee:
            r = row.tally
            lines.append(
                f"| {row.name} | {r.total} | {r.done} | {r.done_late} | {r.on_track + r.at_risk + r.not_started} | {r.late} |"
            )
        lines.append(
            f"| Tổng cộng | {t.total} | {t.done} | {t.done_late} | {t.on_track + t.at_risk + t.not_started} | {t.late} |"
        )
        if f.late:
            lines.append("Các nhiệm vụ quá hạn chưa hoàn thành:")
            lines += [
                f"- {task.title} ({task.assignee.name}, hạn {format_date(task.due_on)}, đạt {task.percent}%)."
                for task in f.late
            ]
    else:
        lines.append("Trong kỳ không có nhiệm vụ, chỉ tiêu nào được theo dõi.")
    lines += ["", "3. Học tập, quán triệt"]
    if f.study:
        lines.append("| Nội dung học tập | Số đảng viên | Đã học tập | Tỷ lệ |")
        lines += [
            f"| {r.label} | {r.members} | {r.confirmed} | {_share(r.confirmed, r.members)} |" for r in f.study
        ]
    else:
        lines.append("Trong kỳ không có đợt học tập, quán triệt nào được giao.")
    lines += [
        "",
        "II. HẠN CHẾ, NGUYÊN NHÂN",
        "(Văn phòng bổ sung đánh giá.)",
        "",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "(Văn phòng bổ sung.)",
    ]
    return "\n".join(lines)


def duration_words(start: dt.date, end: dt.date) -> str:
    """The period as reviews name it: "9 tháng", "1 năm", "2,5 năm" (full months from the first day
    to the day after the last)."""
    from dangbo.rules.membership import full_months_between

    months = full_months_between(start, end + dt.timedelta(days=1))
    if months >= 12 and months % 12 == 0:
        return f"{months // 12} năm"
    if months >= 18 and months % 6 == 0:
        return f"{months // 12},5 năm"
    return f"{max(months, 1)} tháng"


def default_summary(f: Figures) -> str:
    """ "Sơ kết 2,5 năm thực hiện Nghị quyết số 69-NQ/ĐU ngày 27/03/2021 …" or "Sơ kết công tác 9 tháng …"."""
    duration = duration_words(f.start, f.end)
    if f.document is not None:
        kind = doc_rules.type_name(f.document.type_code, f.document.system) or "văn bản"  # type: ignore[arg-type]
        date = f" ngày {format_date(f.document.issued_on)}" if f.document.issued_on else ""
        return f"Sơ kết {duration} thực hiện {kind} số {f.document.symbol}{date}"
    return f"Sơ kết công tác {duration} (từ {format_date(f.start)} đến {format_date(f.end)})"


def default_signer(organisation: Organisation, on: dt.date) -> tuple[str, str]:
    """(name, post) of who signs the review by default: the organisation's Bí thư in office on `on`,
    signing on behalf of its committee ("T/M BAN THƯỜNG VỤ, BÍ THƯ"); no name when the post is empty."""
    capacity, post = doc_rules.signature_lines("Bí thư", organisation.kind)
    holder = (
        Appointment.objects.current(on)
        .filter(organisation=organisation, position__code=SECRETARY_POST)
        .select_related("person")
        .order_by("-starts_on")
        .first()
    )
    return (holder.person.full_name if holder else ""), ", ".join(p for p in (capacity, post) if p)
