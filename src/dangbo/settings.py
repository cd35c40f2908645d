"""The one settings file. Everything that differs between machines comes from the environment.

Development (the default) runs on SQLite with a generated local secret key so that `make run`
works on a fresh clone. Production is switched on with DANGBO_PRODUCTION=1 and then requires
DANGBO_SECRET_KEY, DANGBO_ALLOWED_HOSTS and (usually) DATABASE_URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("DANGBO_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _dev_secret_key() -> str:
    """A per-checkout random key kept in var/ (git-ignored); never used in production."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


PRODUCTION = env_bool("DANGBO_PRODUCTION")
# Off unless asked for (DANGBO_DEBUG=1): `make run` is the demo users try, and Django's technical pages (an
# English 404 listing every URL, tracebacks on a 500) are for developers, not for a cell secretary.
DEBUG = env_bool("DANGBO_DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = os.environ.get("DANGBO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DANGBO_SECRET_KEY must be set (at least 50 characters) in production.")
    ALLOWED_HOSTS = env_list("DANGBO_ALLOWED_HOSTS")
else:
    SECRET_KEY = os.environ.get("DANGBO_SECRET_KEY") or _dev_secret_key()
    ALLOWED_HOSTS = env_list("DANGBO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "bootstrap",
    "dangbo.core",
    "dangbo.orgs",
    "dangbo.members",
    "dangbo.documents",
    "dangbo.meetings",
    "dangbo.handbook",
    "dangbo.emulation",
    "dangbo.evaluation",
    "dangbo.awards",
    "dangbo.reports",
    "dangbo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangbo.core.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "dangbo.urls"
WSGI_APPLICATION = "dangbo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangbo.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default; DATABASE_URL=sqlite:///path or postgres://user@host:port/name selects another.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "dangbo.sqlite3")}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN
        # so two writers queue instead of failing with "database is locked" half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    _db.setdefault("TEST", {})
elif _db["ENGINE"] in {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}:
    _db["ENGINE"] = "django.db.backends.postgresql"
    _db.setdefault("OPTIONS", {})
    if env_bool("DANGBO_DB_POOL"):
        _db["OPTIONS"]["pool"] = True
DATABASES = {"default": _db}
# Covering indexes (Index.include) serve PostgreSQL; SQLite builds them without the extra column.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------------
# Django's ModelBackend, loading the header bell's unread count with the user (one query, not two).
AUTHENTICATION_BACKENDS = ["dangbo.core.auth.Backend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins per (username) and per (client address) within the window before refusing.
LOGIN_THROTTLE_LIMIT = int(os.environ.get("DANGBO_LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("DANGBO_LOGIN_THROTTLE_WINDOW", "900"))

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "dangbo_language"

# --- Static files -----------------------------------------------------------------------------
# Uploads: files above the cap are dropped while the body is read (dangbo.core.uploads), never
# spooled; member imports run in the background from IMPORT_DIR ("thread"; "inline" in tests).
UPLOAD_MAX_BYTES = int(os.environ.get("DANGBO_UPLOAD_MAX_MB", "200")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "dangbo.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
IMPORT_DIR = Path(os.environ.get("DANGBO_IMPORT_DIR", VAR_DIR / "imports"))
# Files attached to documents. Never served as static files: a view checks who may read each one
# (confidential documents), so there is no MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("DANGBO_MEDIA_DIR", VAR_DIR / "media"))
IMPORT_RUNNER = os.environ.get("DANGBO_IMPORT_RUNNER", "thread")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "dangbo.api.base.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "dangbo.api.base.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "dangbo.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đảng bộ số API",
    "DESCRIPTION": "API v1: tổ chức đảng, đơn vị, chức vụ, đảng viên, văn bản, cuộc họp — trong phạm vi quyền của người gọi.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentSecrecyEnum": "dangbo.documents.models.Document.Secrecy",
        "DocumentSystemEnum": "dangbo.documents.models.Document.System",
        "DocumentLinkKindEnum": "dangbo.documents.models.DocumentLink.Kind",
        "TaskKindEnum": "dangbo.documents.models.Task.Kind",
        "PositionSystemEnum": "dangbo.orgs.models.PositionType.System",
        "MeetingKindEnum": "dangbo.meetings.api.KIND_CHOICES",
        "AwardLevelEnum": "dangbo.awards.models.LEVEL_CHOICES",
        "EvaluationLevelEnum": "dangbo.evaluation.models.LEVEL_CHOICES",
    },
}

# --- Security (production) --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DANGBO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DANGBO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("DANGBO_CSRF_TRUSTED_ORIGINS")

EMAIL_BACKEND = os.environ.get("DANGBO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DANGBO_FROM_EMAIL", "dangbo-so@localhost")
# The address users reach the site at, for links in e-mails sent by commands (no request to read it from).
SITE_URL = os.environ.get("DANGBO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGBO_LOG_LEVEL", "WARNING")},
}
