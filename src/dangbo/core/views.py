from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from dangbo.core import audit, names, throttle
from dangbo.core.forms import AuditFilterForm
from dangbo.core.models import AuditEvent
from dangbo.core.scoping import has_any, scope
from dangbo.rules import vietnamese
from dangbo.rules.roles import Perm


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ThrottledAuthenticationForm(AuthenticationForm):
    """Same generic message for a wrong user name or a wrong password; refuses while throttled."""

    error_messages = {
        "invalid_login": _("The user name or password is not correct."),
        "inactive": _("The user name or password is not correct."),
        "throttled": _("Too many failed attempts. Please wait a few minutes and try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        ip = client_ip(self.request) if self.request else None
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.note_failure(username, ip)
            raise
        throttle.clear(username)
        return cleaned


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


def _object_types() -> list[tuple[str, str]]:
    """Every model an event can be about, by its Vietnamese name: a fixed list, no query."""
    from django.apps import apps
    from django.utils.text import capfirst

    types = [
        (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
        for model in apps.get_models()
        if model.__module__.startswith("dangbo.") and model._meta.app_label != "core"
    ]
    return sorted(types, key=lambda t: vietnamese.collation_key(t[1]))


def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Perm.AUDIT_VIEW):
        raise PermissionDenied
    events = scope(AuditEvent.objects.all(), request.user, Perm.AUDIT_VIEW)
    actors = [
        (str(user.pk), names.user_name(user))
        for user in get_user_model()
        .objects.filter(pk__in=events.filter(actor__isnull=False).values("actor_id"))
        .select_related("person")
    ]
    actors.sort(key=lambda a: vietnamese.collation_key(a[1]))
    form = AuditFilterForm(request.GET or None, types=_object_types(), actors=actors)
    if form.is_bound:
        form.is_valid()
    if form.value("loai"):
        events = events.filter(object_type=form.value("loai"))
    if form.value("nguoi"):
        events = events.filter(actor_id=int(form.value("nguoi")))
    if form.value("thao_tac"):
        events = events.filter(action=form.value("thao_tac"))
    start, end = form.value("tu"), form.value("den")
    zone = timezone.get_current_timezone()
    if start:
        events = events.filter(occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone))
    if end:
        after_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        events = events.filter(occurred_at__lt=after_end)
    events = events.select_related("actor__person").order_by("-seq")
    events = audit.with_access(events, request.user)  # an opinion, a confidential document: restricted
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    filtered = any(form.value(name) for name in form.fields)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "form": form, "problems": form.problems(), "filtered": filtered},
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
