"""Django settings, read from the environment only.

Every value has a safe embedded default: SQLite under ``var/``, immediate background
tasks, DEBUG off. A bad value fails loudly at start-up.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LOA_VAR_DIR", BASE_DIR / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def _secret_key() -> str:
    key = os.environ.get("LOA_SECRET_KEY")
    if key:
        return key
    # No secret in the repository: generate one per installation, kept under var/.
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LOA_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("LOA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LOA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
    "loa.core",
    "loa.audit",
    "loa.org",
    "loa.plans",
    "loa.accounts",
    "loa.activities",
    "loa.reports",
    "loa.listening",
    "loa.feedback",
    "loa.materials",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "loa.urls"
WSGI_APPLICATION = "loa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "loa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "loa.accounts.context.roles",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'loa.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    # Reuse connections between requests (a new PostgreSQL connection costs ~8 ms of server CPU);
    # checked before reuse, so a restarted database costs one failed check, not an error page.
    DATABASES["default"]["CONN_MAX_AGE"] = _env_int("LOA_DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "loa" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "loa" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Largest plan file accepted, in megabytes (upload and command line alike).
LOA_MAX_UPLOAD_MB = _env_int("LOA_MAX_UPLOAD_MB", 20)
LOA_LISTENING_RETENTION_DAYS = _env_int("LOA_LISTENING_RETENTION_DAYS", 365)
LOA_FEEDS_ALLOW_PRIVATE = os.environ.get("LOA_FEEDS_ALLOW_PRIVATE", "") == "1"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

_tasks_backend = os.environ.get("LOA_TASKS_BACKEND", "immediate")
if _tasks_backend == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif _tasks_backend == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("LOA_TASKS_BACKEND must be 'immediate' or 'database'")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOA_LOG_LEVEL", "WARNING")},
}

# The province whose units `make run` loads and where a plan without a commune in its header belongs.
LOA_HOME_PROVINCE = os.environ.get("LOA_HOME_PROVINCE", "Hà Nội")

# Mail: console by default (reminders are printed); LOA_SMTP_HOST switches to SMTP.
if os.environ.get("LOA_SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["LOA_SMTP_HOST"],
                "port": _env_int("LOA_SMTP_PORT", 587),
                "username": os.environ.get("LOA_SMTP_USER", ""),
                "password": os.environ.get("LOA_SMTP_PASSWORD", ""),
                "use_tls": _env_bool("LOA_SMTP_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("LOA_FROM_EMAIL", "loa@localhost")
# The address links in reminders and calendar feeds point to.
LOA_BASE_URL = os.environ.get("LOA_BASE_URL", "http://127.0.0.1:8000")

# Working time for citizen-feedback deadlines (loa/core/worktime.py): office hours, and days off the
# government announces beyond the holidays package (ISO dates, comma-separated).
LOA_OFFICE_HOURS = os.environ.get("LOA_OFFICE_HOURS", "08:00-12:00,13:00-17:00")
LOA_EXTRA_DAYS_OFF = [d.strip() for d in os.environ.get("LOA_EXTRA_DAYS_OFF", "").split(",") if d.strip()]


def _field_keys() -> list[str]:
    """Keys for personal data encrypted at rest (Fernet, newest first). LOA_FIELD_KEYS overrides the
    per-installation key file under var/; rotation: put a new key first, run `loa feedback
    rotate-keys`, then drop the old one (README, "Personal data")."""
    raw = os.environ.get("LOA_FIELD_KEYS", "")
    if raw.strip():
        return [k.strip() for k in raw.split(",") if k.strip()]
    path = VAR_DIR / "field_keys"
    try:
        return [k for k in path.read_text().split() if k]
    except FileNotFoundError:
        import base64

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        path.write_text(key + "\n")
        path.chmod(0o600)
        return [key]


LOA_FIELD_KEYS = _field_keys()
# Personal contact data is erased this many days after a submission is closed (default 12 months).
LOA_FEEDBACK_RETENTION_DAYS = _env_int("LOA_FEEDBACK_RETENTION_DAYS", 365)
# Largest attachment a citizen may send, in megabytes.
LOA_FEEDBACK_MAX_ATTACHMENT_MB = _env_int("LOA_FEEDBACK_MAX_ATTACHMENT_MB", 5)
# Public side rate limits (per requester address, per hour): submissions and receipt-code look-ups.
LOA_FEEDBACK_PER_HOUR = _env_int("LOA_FEEDBACK_PER_HOUR", 10)
LOA_FEEDBACK_LOOKUPS_PER_HOUR = _env_int("LOA_FEEDBACK_LOOKUPS_PER_HOUR", 30)
# The public API with an API key (a city portal, a Zalo mini-app): submissions per key and hour.
LOA_FEEDBACK_API_PER_HOUR = _env_int("LOA_FEEDBACK_API_PER_HOUR", 20000)
# Quiz attempts started per address and hour (a school's NAT puts a whole class behind one address).
LOA_CONTEST_PER_HOUR = _env_int("LOA_CONTEST_PER_HOUR", 300)
# Threads of the e5 embedder per process (read by loa.nlp.embed itself; checked here so a bad value
# stops start-up). Scale by adding worker processes.
LOA_NLP_THREADS = _env_int("LOA_NLP_THREADS", 1)
if LOA_NLP_THREADS < 1:
    raise ImproperlyConfigured("LOA_NLP_THREADS must be 1 or more")
# Proof of work on the start form: the browser hashes about half this many times (ALTCHA protocol).
LOA_CONTEST_POW_MAX = _env_int("LOA_CONTEST_POW_MAX", 50000)
if not 1 <= LOA_CONTEST_POW_MAX <= 10_000_000:
    raise ImproperlyConfigured("LOA_CONTEST_POW_MAX must be between 1 and 10000000")
