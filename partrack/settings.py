"""PARtrack settings: one module, every knob from the environment.

A malformed value stops the process at start-up rather than running with a guess.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_positive_int(name, default):
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be 1 or more, not {value}")
    return value


def env_int_list(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return [int(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be whole numbers separated by commas") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("PARTRACK_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("PARTRACK_INSECURE_DEV_KEY", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (a long random string), or set DEBUG=1 for development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "PARtrack")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "partrack.org",
    "partrack.plans",
    "partrack.documents",
    "partrack.reporting",
    "partrack.inspections",
    "partrack.dashboards",
    "partrack.activities",
    # The REST API (django-ninja serves its Swagger UI files from its own static folder).
    "ninja",
    "partrack.api",
    "partrack.webhooks",
    "partrack.province",
    "partrack.indices",
    "partrack.cascade",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Database down, disk full, file gone: a Vietnamese page instead of a bare 500.
    "partrack.failures.FailureMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partrack.urls"
WSGI_APPLICATION = "partrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "partrack.reporting.notification_views.layout",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "partrack.templatetags.partrack",
            ],
        },
    },
]

# SQLite under var/ by default; DATABASE_URL (postgres://…) for production.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'partrack.sqlite3'}")
# A PostgreSQL connection costs 10–13 ms to open: keep it a minute by default (checked before
# each reuse, below). SQLite opens a file, nothing to keep.
DATABASE_CONN_MAX_AGE = env_int(
    "DATABASE_CONN_MAX_AGE", 60 if DATABASE_URL.startswith(("postgres", "pgsql")) else 0
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=DATABASE_CONN_MAX_AGE,
        # A kept connection that the server dropped is replaced before use, not failed on.
        conn_health_checks=DATABASE_CONN_MAX_AGE > 0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A writer waits this long (seconds) for another's transaction (a long import) to end,
    # rather than failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"]["timeout"] = env_int("PARTRACK_SQLITE_TIMEOUT", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The load balancer probes /healthz over plain HTTP behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Accounts (README, "Accounts and the Content-Security-Policy").
# django-axes checks a login before the password does, so it needs the request: sign-in pages
# pass it; tests sign in with force_login, or client.login(request=HttpRequest(), ...).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Counted per login name, not per address: an agency's staff share one address behind its NAT,
# and behind the reverse proxy every request would come from the proxy's address. Rotating
# user agents or cookies does not reset a per-name count, which is what axes.W006 warns about.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = env_positive_int("PARTRACK_LOGIN_FAILURE_LIMIT", 10)
_cool_off_minutes = env_int("PARTRACK_LOGIN_COOLOFF_MINUTES", 30)
# 0: the login stays locked until an administrator unlocks it.
AXES_COOLOFF_TIME = timedelta(minutes=_cool_off_minutes) if _cool_off_minutes > 0 else None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "partrack.org.account_views.locked_out"
SESSION_COOKIE_AGE = env_positive_int("PARTRACK_SESSION_HOURS", 12) * 3600
CSRF_FAILURE_VIEW = "partrack.org.account_views.csrf_failure"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # the reset e-mail tells "3 ngày"

# Scripts, styles and pictures come from PARtrack itself: no inline script, no style attribute,
# no eval (Chart.js and htmx run without it); nothing may frame the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its small icons (menu, select arrows) as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "vi"
# One language until a translation exists; templates already go through {% translate %}.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))


def s3_storage(
    *,
    bucket,
    endpoint_url=None,
    region=None,
    access_key=None,
    secret_key=None,
    path_style=False,
    prefix="",
    connect_timeout=5,
    attempts=3,
):
    """STORAGES["default"] for an S3-compatible object store (README, "Files on an object store").

    Private objects only (no ACL, no public URL): files are streamed by the app's own
    permission-checked views. Empty keys leave boto3 its usual sources (instance role, AWS_*).
    """
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix.strip("/"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # A download is read into memory up to this size, then into a temporary file.
            "max_memory_size": 5 * 1024 * 1024,
            "client_config": Config(
                s3={"addressing_style": "path" if path_style else "auto"},
                signature_version="s3v4",
                connect_timeout=connect_timeout,
                read_timeout=60,
                # A store that is down fails a save in seconds, not after minutes of retries.
                retries={"max_attempts": attempts, "mode": "standard"},
            ),
        },
    }


# Set PARTRACK_S3_BUCKET to keep media on an object store instead of MEDIA_ROOT.
PARTRACK_S3_BUCKET = env_str("PARTRACK_S3_BUCKET")
if PARTRACK_S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=PARTRACK_S3_BUCKET,
        endpoint_url=env_str("PARTRACK_S3_ENDPOINT_URL"),
        region=env_str("PARTRACK_S3_REGION"),
        access_key=env_str("PARTRACK_S3_ACCESS_KEY_ID"),
        secret_key=env_str("PARTRACK_S3_SECRET_ACCESS_KEY"),
        path_style=env_bool("PARTRACK_S3_PATH_STYLE", False),
        prefix=env_str("PARTRACK_S3_PREFIX"),
        connect_timeout=env_positive_int("PARTRACK_S3_CONNECT_TIMEOUT", 5),
    )

# Development prints e-mails on the console; production talks SMTP. Either way every e-mail but
# Django's password reset goes through the outbox (reporting/outbox.py) and `send_reminders`.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds before a silent mail server counts as down; far below the outbox's 10-minute lease.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PARtrack <partrack@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Tasks due within this many days are "due soon" (docs/domain.md: 14 by default).
PARTRACK_DUE_SOON_DAYS = env_int("PARTRACK_DUE_SOON_DAYS", 14)
PARTRACK_PAGE_SIZE = env_int("PARTRACK_PAGE_SIZE", 50)
# Reminders go to a unit this many days before a task or report is due.
PARTRACK_REMINDER_DAYS = tuple(env_int_list("PARTRACK_REMINDER_DAYS", [7, 1]))
# Where PARtrack is reached from outside, for the links in e-mails sent by background jobs.
PARTRACK_SITE_URL = env_str("PARTRACK_SITE_URL", "")
# The largest plan document accepted for import.
PARTRACK_MAX_UPLOAD_MB = env_int("PARTRACK_MAX_UPLOAD_MB", 20)
PARTRACK_MAX_EVIDENCE_MB = env_int("PARTRACK_MAX_EVIDENCE_MB", 20)
# The REST API (README, "REST API"): items per page, and requests per minute per token.
PARTRACK_API_PAGE_SIZE = env_positive_int("PARTRACK_API_PAGE_SIZE", 50)
PARTRACK_API_RATE_LIMIT = env_positive_int("PARTRACK_API_RATE_LIMIT", 120)
# Seconds a webhook receiver may take to answer before the delivery counts as failed.
PARTRACK_WEBHOOK_TIMEOUT = env_positive_int("PARTRACK_WEBHOOK_TIMEOUT", 10)
# Produced consolidated-report versions kept per period, besides every issued one
# (`partrack prune_reports` removes the older ones).
PARTRACK_KEEP_REPORT_VERSIONS = env_int("PARTRACK_KEEP_REPORT_VERSIONS", 5)
if PARTRACK_KEEP_REPORT_VERSIONS < 1:
    raise ImproperlyConfigured("PARTRACK_KEEP_REPORT_VERSIONS must be 1 or more")
# Certificates (PEM or DER; a file or a folder of them) whose chains PARtrack trusts when it
# checks a signed PDF: the government CA roots the administrator installs (README, "Signed PDFs").
PARTRACK_SIGNATURE_TRUST_ROOTS = env_str("PARTRACK_SIGNATURE_TRUST_ROOTS", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # a 150-row review form stays well under this

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # pyHanko logs a traceback for every untrusted chain: for PARtrack that is an answer to
    # show the person (partrack/signatures.py), not a fault of the server.
    "loggers": {"pyhanko": {"level": "ERROR"}},
}
