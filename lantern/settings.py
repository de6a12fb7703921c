"""Settings, read from the environment. Nothing secret is committed here.

Environment variables (see README, "Configuration"):
  LANTERN_SECRET_KEY   required unless LANTERN_DEBUG=1 (development gets a throwaway key);
                       or LANTERN_SECRET_KEY_FILE naming a file that holds it; without
                       either, var/secret_key (under LANTERN_VAR_DIR) if make run made it
  LANTERN_DEBUG        "1" turns on debug pages; off by default
  DATABASE_URL         postgres://user:pass@host:port/name selects PostgreSQL;
                       unset means the embedded SQLite database at var/lantern.sqlite3
  LANTERN_ALLOWED_HOSTS comma-separated host names (default: localhost names)
  LANTERN_IDLE_MINUTES  idle sign-out (default 30)
  LANTERN_BEHIND_TLS_PROXY "1" behind a proxy that ends TLS and sets X-Forwarded-Proto:
                       trusts that header, redirects http, sends HSTS
  LANTERN_HSTS_SECONDS, LANTERN_HSTS_INCLUDE_SUBDOMAINS, LANTERN_SSL_REDIRECT  their tuning
  LANTERN_STATIC_BY_PROXY "1" when the proxy serves STATIC_ROOT (hashed names, no compressed copies)
  LANTERN_EMAIL_*       SMTP settings (host, port, from address)
  LANTERN_SMS_BACKEND   class that sends SMS to families (default: a file, for development)
  LANTERN_SMS_FILE      where the file backend writes (default var/sms/outbox.jsonl)
  LANTERN_PORTAL_CODES_PER_HOUR one-time portal codes sent per case per hour (default 3)
  LANTERN_PUBLIC_URL    the address families reach Lantern at (default http://127.0.0.1:8000)
  LANTERN_STAFF_URL     the address staff reach Lantern at, in e-mailed links (default LANTERN_PUBLIC_URL)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LANTERN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("LANTERN_DEBUG")
TESTING = env_bool("LANTERN_TESTING")

# The secret key: the environment, else the file it names, else the key `make run`
# generates into the var directory (so `python manage.py ...` works in that checkout
# without repeating make's variables). With none of them, only development and tests get
# a throwaway key; a production process refuses to start rather than run on a guess.
GENERATED_SECRET_KEY_FILE = VAR_DIR / "secret_key"


def _secret_key() -> str:
    if os.environ.get("LANTERN_SECRET_KEY"):
        return os.environ["LANTERN_SECRET_KEY"]
    if os.environ.get("LANTERN_SECRET_KEY_FILE"):
        # Named explicitly: a missing or empty file is an error, never a fallback.
        named = Path(os.environ["LANTERN_SECRET_KEY_FILE"]).read_text().strip()
        if not named:
            raise RuntimeError(f"LANTERN_SECRET_KEY_FILE ({os.environ['LANTERN_SECRET_KEY_FILE']}) is empty.")
        return named
    if GENERATED_SECRET_KEY_FILE.is_file():
        generated = GENERATED_SECRET_KEY_FILE.read_text().strip()
        if generated:
            return generated
    if DEBUG or TESTING:
        # A throwaway key per process: sessions do not survive a restart in development.
        return secrets.token_urlsafe(50)
    raise RuntimeError(
        "LANTERN_SECRET_KEY is not set. Set it to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or LANTERN_SECRET_KEY_FILE "
        f"to a file holding one, or put one in {GENERATED_SECRET_KEY_FILE} (make run does); "
        "or set LANTERN_DEBUG=1 for a development server."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("LANTERN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "lantern.site.apps.LanternAdminConfig",  # Django's admin, with Lantern's site as the default
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "lantern.core",
    "lantern.accounts",
    "lantern.access",
    "lantern.audit",
    "lantern.cases",
    "lantern.standards",
    "lantern.intake",
    "lantern.deadlines",
    "lantern.notifications",
    "lantern.people",
    "lantern.evidence",
    "lantern.linkage",
    "lantern.oversight",
    "lantern.discipline",
    "lantern.campaigns",
    "lantern.referrals",
    "lantern.institutions",
    "lantern.portal",
    "lantern.search",
    "lantern.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lantern.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lantern.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lantern.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lantern.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lantern.core.middleware.RequestLimitsMiddleware",  # 413/414/bad multipart before any view reads
    "lantern.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

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
                "lantern.site.context_processors.lantern",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Covering indexes (INCLUDE: the case list by number, the campaign cells) are PostgreSQL's;
# SQLite builds the same index without the extra columns, which is all it needs. Without
# this every `migrate` on SQLite (`make run`) warned about it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# SQLite is the embedded default; DATABASE_URL selects PostgreSQL for real deployments.
# SQLite transactions start IMMEDIATE so concurrent writers queue instead of forking the
# audit chain (a deferred transaction would read the chain head before taking the lock).
VAR_DIR.mkdir(parents=True, exist_ok=True)
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("LANTERN_SQLITE_PATH", str(VAR_DIR / "lantern.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANTERN_IDLE_MINUTES = int(os.environ.get("LANTERN_IDLE_MINUTES", "30"))
LANTERN_LOCKOUT_FAILURES = 5  # failed sign-ins ...
LANTERN_LOCKOUT_WINDOW_MINUTES = 15  # ... within this window lock the account
LANTERN_PENDING_LOGIN_SECONDS = 300  # between the password and the second factor
LANTERN_API_TOKEN_HOURS = int(os.environ.get("LANTERN_API_TOKEN_HOURS", "8"))
LANTERN_TOTP_ISSUER = os.environ.get("LANTERN_TOTP_ISSUER", "Lantern")

SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute cap; idle sign-out is the middleware's job
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("LANTERN_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Pages hand the token to htmx in the page itself (base.html), so no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
# The language switch's cookie (Django's set_language) is sent like the session's.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "lantern.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Behind a TLS proxy ---------------------------------------------------------------
# The proxy ends TLS and forwards plain http, saying "https" in X-Forwarded-Proto. Only
# then may Django believe that header (a client could send it itself), and only then does
# it see a request as secure: for HSTS, which it sends on secure requests only, and for
# the CSRF origin check of https pages. The proxy must overwrite the client's header.
BEHIND_TLS_PROXY = env_bool("LANTERN_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain http that reaches Lantern through the proxy is sent to https (off for a health
# check that calls the application directly: LANTERN_SSL_REDIRECT=0).
SECURE_SSL_REDIRECT = env_bool("LANTERN_SSL_REDIRECT", BEHIND_TLS_PROXY)
# A year of HSTS behind the proxy; 0 sends none. Subdomains only on request: an intranet
# domain may hold other services that do not speak https. Never preloaded (no public name).
SECURE_HSTS_SECONDS = int(os.environ.get("LANTERN_HSTS_SECONDS", "31536000" if BEHIND_TLS_PROXY else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LANTERN_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = False

# --- Languages --------------------------------------------------------------------------
# Simplified Chinese is the default; English is the second language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lantern_language"
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"  # display; storage is UTC
USE_TZ = True

# --- Static files: all served locally, never from a CDN -------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Behind nginx (deploy/production.sh) the proxy serves STATIC_ROOT itself and the script
# gzips it for nginx in seconds: WhiteNoise's brotli and gzip copies, which nginx cannot read
# and which take collectstatic over a minute on two cores, are skipped.
STATIC_BY_PROXY = env_bool("LANTERN_STATIC_BY_PROXY")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG or TESTING
                    else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage" if STATIC_BY_PROXY
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and development serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- E-mail -----------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("LANTERN_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("LANTERN_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("LANTERN_EMAIL_FROM", "lantern@localhost")

# --- Audit ------------------------------------------------------------------------------
# Ed25519 key that signs audit checkpoints; generated on first use if missing.
LANTERN_AUDIT_SIGNING_KEY = Path(
    os.environ.get("LANTERN_AUDIT_SIGNING_KEY", VAR_DIR / "keys" / "audit-signing.pem")
)

# --- Keys for the encrypted identity fields (people.keys) -----------------------------
# Master keys and the blind-index key, in a file outside the database, generated on first
# use. Back it up apart from the database: without it no identity can be read.
LANTERN_KEY_FILE = Path(os.environ.get("LANTERN_KEY_FILE", VAR_DIR / "keys" / "master-keys.json"))
# A KMS or HSM adapter implements people.keys.KeyProvider and is named here.
LANTERN_KEY_PROVIDER = os.environ.get("LANTERN_KEY_PROVIDER", "lantern.core.vault.keys.LocalKeyFile")

# --- Evidence files (evidence.storage): encrypted, outside any public path ---------------
LANTERN_EVIDENCE_DIR = Path(os.environ.get("LANTERN_EVIDENCE_DIR", VAR_DIR / "evidence"))
LANTERN_EVIDENCE_MAX_MB = int(os.environ.get("LANTERN_EVIDENCE_MAX_MB", "50"))

# SMS to families: a class with send(*, to, text); the default writes to a file (development).
# "Report at once" (立即报告) has no hours: a mandatory report filed more than this long after
# the observation counts as late in the reporting-duty figures (policy).
LANTERN_MANDATORY_REPORT_LATE_HOURS = int(os.environ.get("LANTERN_MANDATORY_REPORT_LATE_HOURS", "24"))
# Offence-record checks before hiring, per institution and day (policy; 429 past them), and
# whether records sealed under CPL art. 286 answer "hit" (policy: not, by default).
LANTERN_REGISTRY_CHECKS_PER_DAY = int(os.environ.get("LANTERN_REGISTRY_CHECKS_PER_DAY", "100"))
LANTERN_REGISTRY_BULK_ROWS_PER_DAY = int(os.environ.get("LANTERN_REGISTRY_BULK_ROWS_PER_DAY", "3000"))
LANTERN_REGISTRY_REPORT_SEALED = os.environ.get("LANTERN_REGISTRY_REPORT_SEALED", "0") == "1"
LANTERN_SMS_BACKEND = os.environ.get("LANTERN_SMS_BACKEND", "lantern.portal.gateway.FileGateway")
LANTERN_SMS_FILE = Path(os.environ.get("LANTERN_SMS_FILE", VAR_DIR / "sms" / "outbox.jsonl"))
# One-time portal sign-in codes per case per hour; past it nothing is sent (portal.signin).
LANTERN_PORTAL_CODES_PER_HOUR = int(os.environ.get("LANTERN_PORTAL_CODES_PER_HOUR", "3"))
# Searches per user per minute (search.services); past it the answer is 429.
LANTERN_SEARCHES_PER_MINUTE = int(os.environ.get("LANTERN_SEARCHES_PER_MINUTE", "30"))
# Person matching (linkage.matching.scoring.thresholds): a match at or above AUTO_LINK links
# two cases at once; from REVIEW up it waits for an investigator's review (chosen on synthetic
# data: bench/match_dedupe.py). DuckDB's memory limit and threads for the matching jobs.
LANTERN_MATCH_AUTO_LINK = float(os.environ.get("LANTERN_MATCH_AUTO_LINK", "0.99"))
LANTERN_MATCH_REVIEW = float(os.environ.get("LANTERN_MATCH_REVIEW", "0.5"))
LANTERN_MATCH_MEMORY_LIMIT = os.environ.get("LANTERN_MATCH_MEMORY_LIMIT", "6GB")
LANTERN_MATCH_THREADS = int(os.environ.get("LANTERN_MATCH_THREADS", "0"))  # 0: one per core
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads spool to a temporary file

# --- Public address: where families reach the portal (printed on receipts with a QR code,
# named in their SMS). The address alone: never a tracking code or a secret in it.
LANTERN_PUBLIC_URL = os.environ.get("LANTERN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
if not LANTERN_PUBLIC_URL.startswith(("https://", "http://")):
    raise RuntimeError("LANTERN_PUBLIC_URL must be an http(s) address, e.g. https://lantern.example.gov.cn")
# Where the links in staff e-mails point (often an internal address apart from the portal's).
LANTERN_STAFF_URL = os.environ.get("LANTERN_STAFF_URL", LANTERN_PUBLIC_URL).rstrip("/")
if not LANTERN_STAFF_URL.startswith(("https://", "http://")):
    raise RuntimeError("LANTERN_STAFF_URL must be an http(s) address, e.g. https://lantern.police.example")

# --- Logging: never personal data ------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every handler filters identities out (people.redaction); add the filter to any new one.
    "filters": {"redact": {"()": "lantern.core.vault.redaction.RedactIdentities"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LANTERN_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers get Lantern's filtered handler and nothing else: its default
        # mail_admins handler would e-mail request data, victims' names included.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django logs request lines with full paths; Lantern URLs carry ids only.
        "django.request": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The worker logs each job's summary itself (lantern.jobs); APScheduler's own lines
        # on every pass would drown it.
        "apscheduler": {"level": "WARNING"},
    },
}

# --- Backups (lantern.site.backup; `manage.py backup`, `manage.py restore`) --------------
# The key that encrypts data backups: 32 random bytes made by `backup --init-key`, kept on
# this server for the nightly job and, sealed in the keys backup, offline. Never in a backup.
LANTERN_BACKUP_KEY_FILE = Path(os.environ.get("LANTERN_BACKUP_KEY_FILE", VAR_DIR / "keys" / "backup.key"))
# What `backup --prune` keeps: the newest backup of each of the last N days, weeks, months.
LANTERN_BACKUP_KEEP_DAILY = int(os.environ.get("LANTERN_BACKUP_KEEP_DAILY", "7"))
LANTERN_BACKUP_KEEP_WEEKLY = int(os.environ.get("LANTERN_BACKUP_KEEP_WEEKLY", "5"))
LANTERN_BACKUP_KEEP_MONTHLY = int(os.environ.get("LANTERN_BACKUP_KEEP_MONTHLY", "12"))
