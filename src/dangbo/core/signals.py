"""Sign-ins and sign-outs are events of the audit chain too (who used the system, when, from where)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from dangbo.core import audit


def _address(request: Any) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(
        actor=user,
        action="auth.login",
        object_type="auth.user",
        object_id=str(user.pk),
        after={"address": _address(request)},
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(
            actor=user,
            action="auth.logout",
            object_type="auth.user",
            object_id=str(user.pk),
            after={"address": _address(request)},
        )
