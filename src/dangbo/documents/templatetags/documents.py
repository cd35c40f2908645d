"""Display helpers of the document pages."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template

from dangbo.documents.labels import LINK_LABELS
from dangbo.rules.documents import type_name
from dangbo.rules.vietnamese import format_points

register = template.Library()


@register.filter
def link_label(kind: str, side: str) -> str:
    """The relation as read from the "up" or "down" side: "implements" / "is implemented by"."""
    return str(LINK_LABELS[side].get(kind, kind))  # type: ignore[call-overload]


@register.filter
def doc_type(document: object) -> str:
    """The document's type in words ("Nghị quyết"), or "" when the type code is unknown."""
    code, system = getattr(document, "type_code", ""), getattr(document, "system", "party")
    return (type_name(code, system) or "") if code else ""  # type: ignore[arg-type]


@register.filter
def summary_type(document: object) -> str:
    """The type to print before the summary, or "" when the summary already opens with it: "Kế hoạch thực
    hiện…" is not shown as "Kế hoạch Kế hoạch thực hiện…"."""
    name = doc_type(document)
    summary = unicodedata.normalize("NFC", str(getattr(document, "summary", "") or "")).casefold()
    return "" if name and summary.startswith(unicodedata.normalize("NFC", name).casefold()) else name


@register.filter
def task_progress(task: Any) -> str:
    """A task's progress as its list shows it: "40 %", or for a target the counts too, "2/5 thỏa thuận
    (40 %)" — a count is never written "5,00"."""
    if getattr(task, "kind", "") == "target" and task.target_value:
        done = format_points(task.value if task.value is not None else 0)
        measure = f" {task.measure}" if task.measure else ""
        return f"{done}/{format_points(task.target_value)}{measure} ({task.percent} %)"
    return f"{task.percent} %"


@register.filter
def task_status(status: str) -> str:
    """A task's status in words."""
    from dangbo.documents.forms_tasks import STATUS_LABELS

    return str(STATUS_LABELS.get(status, status))  # type: ignore[call-overload]


STATUS_STYLES = {
    "not_started": "text-bg-light border",
    "on_track": "text-bg-info",
    "at_risk": "text-bg-warning",
    "late": "text-bg-danger",
    "done": "text-bg-success",
    "done_late": "text-bg-success bg-opacity-75",
    "cancelled": "text-bg-secondary",
}


@register.inclusion_tag("documents/_task_status.html")
def status_badge(status: str) -> dict[str, str]:
    return {"status": status, "label": task_status(status), "style": STATUS_STYLES.get(status, "")}
