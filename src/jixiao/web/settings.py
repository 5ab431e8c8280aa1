"""Django settings, driven by environment variables so one file serves a laptop and a city.

- DATABASE_URL: `sqlite:///path` (default: var/jixiao.sqlite3 under JIXIAO_HOME or the current
  directory) or `postgresql://user@host:port/name`.
- JIXIAO_SECRET_KEY: the signing key; when unset, one is generated once and kept in var/secret_key.
- JIXIAO_DEBUG=1: debug pages (never in production). JIXIAO_HTTPS=1: secure cookies and HSTS.
- JIXIAO_ALLOWED_HOSTS: comma-separated host names (default 127.0.0.1,localhost).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("JIXIAO_HOME") or Path.cwd()).resolve()
VAR_DIR = HOME / "var"


def _secret_key() -> str:
    key = os.environ.get("JIXIAO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text("utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, "utf-8")
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JIXIAO_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
if os.environ.get("JIXIAO_ALLOWED_HOSTS") is None:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "jixiao.web.orgs",
    "jixiao.web.evaluations",
    "jixiao.web.desk",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web.planning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jixiao.web.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jixiao.web.refusals.UnreadableDataMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.context.navigation",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jixiao.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers go on while one writer saves; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Connections are kept (as for PostgreSQL): opening one costs ~0.5 ms of CPU per request (Django
    # registers its SQL functions and runs the init command on every connect).

# Background jobs (the desk's exports, batch audits, summary reports): Django's tasks API through the
# django-tasks backport, queued in the database (SQLite or PostgreSQL); `jixiao serve` starts a worker,
# and more workers on other machines may share the same database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Where job result files are written (atomically: a temporary name, then renamed).
JOBS_DIR = Path(os.environ.get("JIXIAO_JOBS_DIR") or VAR_DIR / "jobs")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve the package's static files without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "evaluations:list"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 8 working hours or when the browser closes.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the page's meta tag, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

HTTPS = os.environ.get("JIXIAO_HTTPS") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 3600

# Every password check goes through the login throttle (jixiao.web.orgs.throttle).
AUTHENTICATION_BACKENDS = ["jixiao.web.orgs.throttle.ThrottledBackend"]


def _env_int(name: str, default: int, low: int, high: int) -> int:
    """An integer setting from the environment; a wrong one stops start-up with a Chinese message (exit 2)."""
    from jixiao.core.numbers import NumberError, parse_int

    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse_int(raw, low, high)
    except NumberError:
        print(f"jixiao：环境变量 {name} 应为 {low}—{high} 之间的整数，实际为“{raw[:40]}”；请改正后再启动。", file=sys.stderr)
        raise SystemExit(2) from None


# Behind reverse proxies: how many of them append to X-Forwarded-For (0: use the socket's address).
JIXIAO_PROXY_COUNT = _env_int("JIXIAO_PROXY_COUNT", 0, 0, 10)

# Login throttling (jixiao.web.orgs.throttle): this many failures per user name or address ...
LOGIN_FAILURE_LIMIT = 5
# ... within this many seconds lock further attempts for the rest of the window.
LOGIN_FAILURE_WINDOW = 15 * 60

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# The edit form at its largest (MAX_INDICATORS indicators and MAX_PROJECTS projects, about 22 and 9
# inputs a row) stays under this, so it always saves; tests/web/test_large_tables.py keeps it so.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "jixiao.web.logs.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# E-mail for notifications (tasks, returns, approvals) only where configured: JIXIAO_EMAIL_HOST set.
JIXIAO_MAIL = bool(os.environ.get("JIXIAO_EMAIL_HOST"))
if JIXIAO_MAIL:
    EMAIL_HOST = os.environ["JIXIAO_EMAIL_HOST"]
    EMAIL_PORT = _env_int("JIXIAO_EMAIL_PORT", 25, 1, 65535)
    EMAIL_HOST_USER = os.environ.get("JIXIAO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("JIXIAO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("JIXIAO_EMAIL_TLS", "") == "1"
    DEFAULT_FROM_EMAIL = os.environ.get("JIXIAO_EMAIL_FROM", "jixiao@localhost")

# `jixiao backup` writes times to the microsecond (Django's own JSON stops at the millisecond).
SERIALIZATION_MODULES = {"jixiao-json": "jixiao.web.exact_json"}
