"""Settings of the CTG conventions application, read from the environment.

Every variable is listed with a comment in `.env.example`.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.contrib.messages import constants as messages
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default):
    """A boolean is `True` or `False`; anything else stops start-up rather than guessing."""
    value = env_str(name)
    if value is None:
        return default
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}.")
    return value == "True"


def env_int(name, default):
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default):
    value = env_str(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is not True.")
    # Development only: DEBUG is on, so this key never signs anything that matters.
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_htmx",
    "simple_history",
    "csp",
    "axes",
    # Before django_tasks_db: conventions' `db_worker` (the library's, with the renderer set up
    # before the first task) takes the place of the library's command of the same name.
    "conventions",
    "plans",
    "administration",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ctg.middleware.LoginRequiredReturningToThePage",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ctg.unsent_forms.GiveBackUnsentForm",
    "ctg.middleware.FormAddressOpenedPage",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctg.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "ctg.wsgi.application"

# Bootstrap names the error alert "danger"; Django's "error" tag would print unstyled.
MESSAGE_TAGS = {messages.ERROR: "danger"}

# SQLite in a git-ignored folder unless DATABASE_URL points elsewhere (postgres://… through psycopg 3).
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded demo database lives there
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
# Persistent connections are checked before each request reuses them, so a restarted PostgreSQL
# costs the requests in flight, not the ones after.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer (restarting, unreachable) fails the request within seconds
    # instead of holding a web worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the PDF worker write to the same file: write-ahead logging lets readers
    # go on during a write, and IMMEDIATE transactions queue writers instead of failing them.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "conventions.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "staticfiles")))

# Uploaded and archived files (délibérations, signed PDFs) go through the storage API and are
# served only by views that check permissions: there is no public MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production (deploy/ctg.env) sets STATIC_MANIFEST=True: collectstatic then writes hashed,
    # compressed files that whitenoise serves with long cache lifetimes.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if env_str("STORAGE_BUCKET"):
    # An S3-compatible object store (django-storages) instead of the local folder.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("STORAGE_BUCKET"),
            "endpoint_url": env_str("STORAGE_ENDPOINT_URL"),
            "access_key": env_str("STORAGE_ACCESS_KEY"),
            "secret_key": env_str("STORAGE_SECRET_KEY"),
            "region_name": env_str("STORAGE_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (PDF pre-rendering) through django-tasks: its database backend works on SQLite
# and PostgreSQL and needs one `manage.py db_worker` process (`make run` starts it; deploy/ has
# its systemd unit). Without a worker nothing is lost: downloads render synchronously.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Helper processes that lay a PDF's parts out beside the worker, on other cores
# (conventions/rendering/helpers.py). None by default: on 2 cores one helper made whole renders
# 1.2-1.8x faster, an edit's render hardly faster (it lays out one part), for 140-160 MiB more
# memory, over the worker's 250 MiB budget (bench/README.md).
PDF_LAYOUT_HELPERS = env_int("PDF_LAYOUT_HELPERS", 0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A whole file is imported or nothing of it is.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

FIXTURES_DIR = BASE_DIR / "fixtures"

# Sealing of signed PDFs: one PKCS#12 file per Caf, caf-<code>.p12, in this folder.
SEAL_CERTIFICATES_DIR = Path(env_str("SEAL_CERTIFICATES_DIR", str(DATA_DIR / "seal")))
SEAL_PASSPHRASE = env_str("SEAL_PASSPHRASE")
if SEAL_PASSPHRASE is None:
    if not DEBUG:
        raise ImproperlyConfigured("SEAL_PASSPHRASE is required when DEBUG is not True.")
    SEAL_PASSPHRASE = "dev-only-seal-passphrase"

# Hardening (DESIGN §5; `python manage.py check --deploy` is clean with DEBUG=False).
# HTTPS is normally enforced by the web server; production also sets SECURE_SSL_REDIRECT=True.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Cookies only over HTTPS; the loopback load test (bench/run_load.sh, plain HTTP) turns this off.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Scripts only from our own static files: no inline script, no eval (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# Login throttling (django-axes): after 5 failures for a user name from an address, 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
