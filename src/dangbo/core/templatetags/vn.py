"""Vietnamese display: dd/mm/yyyy dates and "1.126" thousands, whatever the interface language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from dangbo.core import names
from dangbo.rules import vietnamese

register = template.Library()


@register.filter
def vn_date(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{vietnamese.format_date(value)} {value:%H:%M}"
    return vietnamese.format_date(value)


@register.filter
def vn_number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return vietnamese.format_number(value, int(decimals))


@register.filter
def user_name(user: Any) -> str:
    """A login's name as every page prints it (core.names.user_name)."""
    return names.user_name(user)


@register.filter
def vn_points(value: Any) -> str:
    return vietnamese.format_points(value)


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """The current page's query string with another page number: pages keep their filters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, ())


@register.filter
def action_label(code: str) -> str:
    from dangbo.core.labels import ACTION_LABELS

    return str(ACTION_LABELS.get(code, code))


@register.simple_tag
def audit_rows(page: Any) -> list[Any]:
    """A page of audit events as rows people read (core.audit_display), with one query for the names."""
    from dangbo.core.audit_display import rows

    return rows(page)
