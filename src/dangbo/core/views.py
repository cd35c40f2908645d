from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from dangbo.core import audit, throttle
from dangbo.core.models import AuditEvent
from dangbo.core.scoping import has_any, scope
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


def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Perm.AUDIT_VIEW):
        raise PermissionDenied
    events = scope(AuditEvent.objects.select_related("actor"), request.user, Perm.AUDIT_VIEW).order_by("-seq")
    events = audit.with_access(events, request.user)  # an opinion, a confidential document: restricted
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
