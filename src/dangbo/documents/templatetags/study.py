"""Display helpers of the study pages."""

from __future__ import annotations

from typing import Any

from django import template

from dangbo.documents.study import percent_of

register = template.Library()


@register.filter
def percent(confirmed: Any, members: Any) -> int:
    """Whole percentage of members who confirmed, rounded down (100 only when nobody is left)."""
    return percent_of(int(confirmed or 0), int(members or 0))


@register.filter
def days_left(day: Any, today: Any) -> int:
    return int((day - today).days)


@register.filter
def study_channel(code: str) -> str:
    """How a confirmation was made, in words."""
    from dangbo.documents.models import StudyConfirmation

    return str(dict(StudyConfirmation.Channel.choices).get(code, code))
