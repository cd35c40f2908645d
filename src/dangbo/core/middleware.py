"""Vietnamese first: the interface language is Vietnamese unless the user chose another one.

Django's LocaleMiddleware would follow the browser's Accept-Language header, and many office PCs
in Vietnam run an English browser; the product must still open in Vietnamese. The choice made
with the language switch is kept in the language cookie, which LocaleMiddleware honours.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
