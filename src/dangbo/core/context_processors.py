from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dangbo.core.menu import menu_for
from dangbo.core.scoping import has_any
from dangbo.rules.roles import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    # Each language named in itself, untranslated and in NFC (Django's own name_local is NFD).
    context: dict[str, Any] = {"language_endonyms": settings.LANGUAGES, "display": _display(request)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    from dangbo.handbook.selectors import header_unread_count

    return {
        **context,
        "menu": menu_for(user, getattr(request, "resolver_match", None)),
        # The header's bell: the user's unread notifications, counted with the user (core.auth).
        "unread_notifications": header_unread_count(user),
        "nav": {
            "orgs": has_any(user, Perm.ORG_VIEW),
            "units": has_any(user, Perm.UNIT_VIEW),
            "audit": has_any(user, Perm.AUDIT_VIEW),
            "documents": has_any(user, Perm.DOCUMENT_VIEW),
            "meetings": has_any(user, Perm.MEETING_VIEW),
            "emulation": has_any(user, Perm.EMULATION_VIEW),
            "evaluation": has_any(user, Perm.EVALUATION_VIEW),
        },
    }


def _display(request: HttpRequest) -> dict[str, str]:
    """Text size and contrast chosen on this device (handbook.views.display)."""
    from dangbo.handbook.views import display_of

    return display_of(request)
