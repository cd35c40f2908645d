from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from dangbo.core import views as core_views
from dangbo.core.converters import IdConverter
from dangbo.orgs import views as org_views

register_converter(IdConverter, "id")  # <id:pk>: at most 18 digits, for every app's URLs


@login_not_required
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on every page whatever the page links: send them to the static one."""
    return HttpResponsePermanentRedirect(static("core/favicon.ico"))


handler403 = "dangbo.core.views.forbidden"
handler404 = "dangbo.core.views.not_found"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon, name="favicon"),
    path("ngon-ngu/", login_not_required(set_language), name="set_language"),
    path("nhat-ky/", core_views.audit_log, name="audit_log"),
    path("", include("dangbo.orgs.urls")),
    path("", include("dangbo.members.urls")),
    path("", include("dangbo.documents.urls")),
    path("", include("dangbo.meetings.urls")),
    path("", include("dangbo.handbook.urls")),
    path("", include("dangbo.emulation.urls")),
    path("", include("dangbo.evaluation.urls")),
    path("", include("dangbo.awards.urls")),
    path("api/v1/", include("dangbo.api.urls")),
]
