"""Settings for the Security in Public Spaces portal, read from the environment.

With no configuration the site runs on SQLite with DEBUG on, ready for `make run`.
Production sets DJANGO_ENV=production, the one switch that turns DEBUG off and hardens the
site (HTTPS redirect, HSTS, secure cookies), plus SECRET_KEY, ALLOWED_HOSTS and usually
DATABASE_URL; see README.md. DEBUG=0 alone would serve an unhardened site, so it refuses to
start unless DJANGO_ENV says which is meant: production, or development (DEBUG off without
hardening, for benchmarks and load tests on plain HTTP).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "").strip().lower()
if DJANGO_ENV not in {"", "development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} is not known: use production or development."
    )
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if not DEBUG and not DJANGO_ENV:
    raise ImproperlyConfigured(
        "DEBUG=0 alone does not make the site safe to serve: set DJANGO_ENV=production, which "
        "turns DEBUG off and hardens cookies, HSTS and HTTPS, or DJANGO_ENV=development to run "
        "without DEBUG and without that hardening (benchmarks, load tests)."
    )

# A development key is fine only while DEBUG is on; production must supply its own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "partnership",
    "actions",
    "assessment",
    "feedback",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The saved preference before the cookie and Accept-Language (LocaleMiddleware's order).
    "portal.middleware.UserLanguageMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.HtmxMiddleware",
    "portal.middleware.RefuseUndecodableInputMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.context_processors.language_review",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE avoids "database is locked" when two saves race; WAL lets
                # readers go on while one writer works.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home_for_user"
LOGOUT_REDIRECT_URL = "portal:home"

# Failed logins (partnership/login_limits.py): 5 failures of one username from one address,
# or 20 from one address over all usernames, pause logging in there for 15 minutes, counted
# from the last failure before the pause; attempts during the pause do not prolong it.
AXES_FAILURE_LIMIT = "partnership.login_limits.failure_limit"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Reverse proxies in front of the site that append to X-Forwarded-For. 0 (the default): the
# address is REMOTE_ADDR and X-Forwarded-For is ignored; behind one nginx, TRUSTED_PROXIES=1.
# One rule reads it for logins, comments and open data: portal/client_address.py.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Open data: a cycle (calendar year) is published once closed, counting only the approvals made
# before its cut-off, this many months into the following year (see portal/opendata/DISCLOSURE.md).
OPENDATA_GRACE_MONTHS = int(os.environ.get("OPENDATA_GRACE_MONTHS", "3"))
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True  # this username from this address only (LoginLimitsHandler)
AXES_HANDLER = "partnership.login_limits.LoginLimitsHandler"
AXES_VERBOSE = False

# Sessions end after 2 hours without activity (refreshed on every request).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
# The EU's 24 official languages. A language is offered once its interface catalogue
# locale/<code>/LC_MESSAGES/django.po exists (README: adding a language is adding files);
# English is the source of every text.
EU_OFFICIAL_LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
]
LANGUAGES = [("en", _("English"))] + [
    (code, name)
    for code, name in EU_OFFICIAL_LANGUAGES
    if code != "en" and (BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po").exists()
]
# Where each kind of content keeps its translations (portal/content_translations.py); the
# questionnaire's have one folder per questionnaire version.
CONTENT_TRANSLATION_ROOTS = {
    "questionnaire": BASE_DIR / "assessment" / "questionnaires" / "i18n",
    "actions": BASE_DIR / "actions" / "data" / "i18n",
    "partnership": BASE_DIR / "partnership" / "data" / "i18n",
}
# The switcher's choice is kept a year (a logged-in person's saved preference comes first).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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
# Outside production, serve straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = BASE_DIR / "media"

# One cache shared by every process and node: rate limits, peer tables and report
# fingerprints live there. Redis when REDIS_URL is set; otherwise the database (run
# `manage.py createcachetable`, as `make migrate` does). Never a per-process cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.shared_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sps"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sps"),
        }
    }

# Background work (report rendering, peer tables) runs in `manage.py run_worker` processes
# reading one queue in the database: no server beyond the database is needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker that has not beaten for this long is taken as dead: its render is started again.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_DEAD_AFTER_SECONDS = float(os.environ.get("WORKER_DEAD_AFTER_SECONDS", "30"))
REPORT_RENDER_ATTEMPTS = 3
# The workers' sweep (`assessment.report_store.sweep`): reports per pass, and how long a report
# may stay queued before its task is taken as lost.
REPORT_SWEEP_LIMIT = int(os.environ.get("REPORT_SWEEP_LIMIT", "5"))
REPORT_STUCK_AFTER_SECONDS = float(os.environ.get("REPORT_STUCK_AFTER_SECONDS", "300"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail goes to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Used to build links in e-mails, which are sent outside any request.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# Content-Security-Policy: only our own scripts, styles and images; nothing inline for scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Browser features no page of the site uses, refused for the site and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint 70 logs every rendering step at INFO: one line per step and report.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Portal rules that coordinators may want to tune, kept out of code paths.
FEEDBACK_EMAIL_RETENTION_MONTHS = int(os.environ.get("FEEDBACK_EMAIL_RETENTION_MONTHS", "6"))
