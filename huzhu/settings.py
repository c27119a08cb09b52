"""Huzhu's one settings module. Every knob is an environment variable; see README.md.

Zero configuration gives a working SQLite deployment under ./data. Importing it only reads:
the data directory, its modes and the secrets it generates are made when Django starts
(huzhu/datadir.py's `prepare`, from the web app's `ready`), in every process.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from huzhu.env import envbool, envfloat, envint, envlist, envstr, read_secret

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("HUZHU_DATA_DIR", "data")).resolve()
# The secrets the environment does not give, by setting: the file in the data directory
# they are read from, which `datadir.prepare` generates on first start if it is missing.
HUZHU_SECRET_FILES: dict[str, Path] = {}


def _secret(name: str, file_name: str) -> str:
    given = envstr(name)
    if given:
        return given
    HUZHU_SECRET_FILES[name] = DATA_DIR / file_name
    return read_secret(DATA_DIR / file_name)


DEBUG = envbool("HUZHU_DEBUG", default=False)
SECRET_KEY = _secret("SECRET_KEY", "secret_key")
HOST = envstr("HOST", "127.0.0.1")
PORT = envint("PORT", 8000)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = envstr("SITE_URL", f"http://{HOST}:{PORT}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",  # two-factor log-in for staff (accounts/two_factor.py)
    "django_otp.plugins.otp_totp",
    "ninja",  # serves the API docs' Swagger UI from local static files, not a CDN
    "huzhu.web",
    "huzhu.accounts",
    "huzhu.posts",
    "huzhu.exchanges",
    "huzhu.trust",
    "huzhu.safety",
    "huzhu.insights",
    "huzhu.demo",  # `huzhu demo`: the demo city, no models
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON; below whitenoise, which serves static files precompressed
    # (the storage below) and never reaches it, and above every middleware that reads or
    # writes the body. BREACH (guessing a secret in a compressed body from its length,
    # with attacker-chosen text reflected beside it): Django >= 4.2 pads every gzip answer
    # with 0-99 random bytes (Heal the Breach), the CSRF token in a page is masked afresh
    # on every response, and cookies travel in headers, which are never compressed. The
    # remaining secrets (contact details, shown only to an exchange's two parties) would
    # need thousands of victim requests, which padding and rate limits make impractical;
    # a page a third the size matters more on the phones Huzhu is used from.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "huzhu.web.timezones.TimeZoneMiddleware",  # pages in the reader's time zone
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads a form's), after what a page needs to render.
    "huzhu.web.body_size.BodyTooLargeMiddleware",
    "huzhu.web.cache_control.NoStoreMiddleware",  # private answers: Cache-Control: no-store
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "huzhu.safety.middleware.TooManyRequestsMiddleware",
    "huzhu.web.domain_errors.DomainErrorPagesMiddleware",  # NotFound -> 404, Forbidden -> 403
    # Innermost: a shared anonymous answer goes through every middleware above, as a fresh
    # one does (huzhu/public_cache.py).
    "huzhu.public_cache.PublicCacheMiddleware",
]

# Operators' /metrics (huzhu/metrics.py): off, with no middleware at all, unless a token is set.
METRICS_TOKEN = envstr("HUZHU_METRICS_TOKEN")
if METRICS_TOKEN:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "huzhu.metrics.MetricsMiddleware",
    )

ROOT_URLCONF = "huzhu.urls"
WSGI_APPLICATION = "huzhu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# Django's model backend, except that a suspended or banned person's session stops
# authenticating at their next request (huzhu/safety/backends.py).
AUTHENTICATION_BACKENDS = ["huzhu.safety.backends.SanctionAwareBackend"]
LOGIN_URL = "login"
OTP_TOTP_ISSUER = "Huzhu"  # the name authenticator apps show beside the code
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite by default: WAL so readers never block the writer, IMMEDIATE transactions so a
# writer takes the lock up front instead of failing on upgrade, and a busy timeout so
# concurrent writers queue rather than error.
DATABASE_URL = envstr("DATABASE_URL")
SQLITE_PATH = DATA_DIR / envstr("HUZHU_SQLITE_NAME", "huzhu.sqlite3")
# Test databases carry the process id so that several test runs on one machine never share one.
TEST_DB_SUFFIX = f"{os.getpid()}"
# PostgreSQL scale-out (docs/SCALING.md): read replicas behind a router that keeps a person
# on the primary right after they write, and a psycopg connection pool per process.
DATABASE_REPLICA_URLS = envlist("DATABASE_REPLICA_URLS") if DATABASE_URL else []
HUZHU_DB_POOL_SIZE = envint("HUZHU_DB_POOL_SIZE", 0)
HUZHU_REPLICA_PIN_SECONDS = envint("HUZHU_REPLICA_PIN_SECONDS", 10)


def _postgres(url: str) -> dict[str, Any]:
    database: dict[str, Any] = {**dj_database_url.parse(url, conn_max_age=60)}
    options = database.setdefault("OPTIONS", {})
    # JIT compiling a search plan costs ~120 ms, far more than the query it speeds up
    # (docs/BENCHMARKS.md); Huzhu's queries are all short.
    options["options"] = "-c jit=off"
    if HUZHU_DB_POOL_SIZE:
        # A pool replaces persistent connections (Django refuses both at once).
        database["CONN_MAX_AGE"] = 0
        options["pool"] = {"min_size": 1, "max_size": HUZHU_DB_POOL_SIZE, "timeout": 10}
    return database


if DATABASE_URL:
    DATABASES = {"default": _postgres(DATABASE_URL)}
    DATABASES["default"]["TEST"] = {"NAME": f"test_huzhu_{TEST_DB_SUFFIX}"}
    for number, replica_url in enumerate(DATABASE_REPLICA_URLS):
        DATABASES[f"replica{number}"] = {**_postgres(replica_url), "TEST": {"MIRROR": "default"}}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            # Each worker thread keeps its connection, and with it SQLite's page cache:
            # a connection per request would start every search from a cold cache.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-32000;"
                    "PRAGMA mmap_size=268435456;"
                    # Deleted and overwritten content is zeroed, not left in free space
                    # (erasure then checkpoints the WAL: huzhu/sqlite.py).
                    "PRAGMA secure_delete=ON;"
                ),
            },
            "TEST": {"NAME": str(DATA_DIR / f"test-huzhu-{TEST_DB_SUFFIX}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if not DATABASE_URL:
    # posts.Post's search indexes INCLUDE extra columns for PostgreSQL's index-only scans;
    # SQLite ignores `include` (its key columns already carry the filters), which is
    # intended, so its warning would only be noise on every `make run`.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["huzhu.replicas.ReplicaRouter"]
    # Outermost but for security headers, so that it governs every read of the request.
    MIDDLEWARE.insert(1, "huzhu.replicas.ReplicaMiddleware")

# --- Cache --------------------------------------------------------------------------------
# Per process by default; Redis when REDIS_URL is set, shared by every app server (several
# servers behind replicas need it to keep API callers on the primary after a write).
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# --- Background work ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": envstr("HUZHU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Passwords ----------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
# The zone pages show times in unless the reader's browser says otherwise
# (huzhu/web/timezones.py); the API and the database stay in UTC.
HUZHU_TIME_ZONE = envstr("HUZHU_TIME_ZONE", "Asia/Shanghai")

# --- Static files and uploads -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL = envbool("HUZHU_HTTPS", default=False)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL and envbool("HUZHU_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = SECURE_SSL and envbool("HUZHU_HSTS_PRELOAD", default=True)
SECURE_SSL_REDIRECT = SECURE_SSL
# A load balancer asks for the health check over plain HTTP, beside the TLS it terminates.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("HUZHU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Huzhu's own knobs --------------------------------------------------------------------
# Outbox adapters: the default writes SMS and e-mail to a table that `huzhu outbox` prints.
HUZHU_SMS_BACKEND = envstr("HUZHU_SMS_BACKEND", "huzhu.accounts.outbox.OutboxSMSBackend")
HUZHU_EMAIL_BACKEND = envstr("HUZHU_EMAIL_BACKEND", "huzhu.accounts.outbox.OutboxEmailBackend")
# The outbox is for development: `check --deploy` fails while it is configured, unless this says
# it is meant (a demo, a test server).
HUZHU_ALLOW_OUTBOX = envbool("HUZHU_ALLOW_OUTBOX", default=False)
# The real SMS and e-mail gateways' knobs and credentials (huzhu/accounts/gateways/).
from huzhu.settings_gateways import *  # noqa: E402, F403

# How long a post stays listed before the expiry task closes it.
HUZHU_POST_TTL_DAYS = envint("HUZHU_POST_TTL_DAYS", 30)
HUZHU_SEARCH_MAX_LIMIT = 100
# Rate limits (huzhu/safety/ratelimit.py): a factor on every limit, 0 turns them off; and
# the reverse proxies whose X-Forwarded-For is believed.
HUZHU_RATE_LIMIT_SCALE = envfloat("HUZHU_RATE_LIMIT_SCALE", 1.0)
HUZHU_TRUSTED_PROXIES = envlist("HUZHU_TRUSTED_PROXIES")
# Searches (the API's post list, the web feed) a minute, per address and per account: far
# above a person paging through a feed, far below a scraper's sweep (docs/ARCHITECTURE.md).
HUZHU_SEARCH_RATE_PER_MINUTE = envint("HUZHU_SEARCH_RATE_PER_MINUTE", 120)
# How long an anonymous feed or search answer is shared between visitors (seconds; 0: never).
# A withdrawn, fulfilled or expired post leaves every shared answer within it (public_cache.py).
HUZHU_PUBLIC_CACHE_SECONDS = envint("HUZHU_PUBLIC_CACHE_SECONDS", 10)
# Moderation (huzhu/safety): the summed weight of open reports that hides a post pending
# review; a second warning within this many days becomes a suspension of that many days.
HUZHU_REPORT_HIDE_WEIGHT = envfloat("HUZHU_REPORT_HIDE_WEIGHT", 5.0)
HUZHU_WARNING_WINDOW_DAYS = envint("HUZHU_WARNING_WINDOW_DAYS", 180)
HUZHU_SECOND_WARNING_SUSPENSION_DAYS = envint("HUZHU_SECOND_WARNING_SUSPENSION_DAYS", 7)
# Districts offered as a manual location: a JSON file (see huzhu/places.py); empty
# means the built-in Beijing districts when the centre is in Beijing.
HUZHU_PLACES_FILE = envstr("HUZHU_PLACES_FILE")
# Where the feed centres when a visitor has not shared a location (default: Beijing).
HUZHU_DEFAULT_CENTRE = (
    envfloat("HUZHU_DEFAULT_LAT", 39.9042),
    envfloat("HUZHU_DEFAULT_LNG", 116.4074),
)

# --- Verification and trust ----------------------------------------------------------------
# Keys for the keyed hashes of phone numbers (and the sealed contact phone), kept outside the
# database: `HUZHU_IDENTITY_KEYS` (or `_FILE`) as "1:secret,2:secret", else a file in the data
# directory created on first run with owner-only permissions. The highest version hashes
# new numbers; older versions are still checked, so adding a key rotates without a gap.
HUZHU_IDENTITY_KEYS = _secret("HUZHU_IDENTITY_KEYS", "identity_keys")
# Phone numbers written without a country code are read as numbers of this region.
HUZHU_PHONE_REGION = envstr("HUZHU_PHONE_REGION", "CN")
HUZHU_RESET_CODE_MINUTES = envint("HUZHU_RESET_CODE_MINUTES", 30)  # forgot-password codes
# An API token unused this long stops working (accounts/auth.py); its owner logs in again.
HUZHU_TOKEN_IDLE_DAYS = envint("HUZHU_TOKEN_IDLE_DAYS", 30)
HUZHU_VERIFY_CODE_MINUTES = envint("HUZHU_VERIFY_CODE_MINUTES", 10)
HUZHU_VERIFY_MAX_ATTEMPTS = envint("HUZHU_VERIFY_MAX_ATTEMPTS", 5)
HUZHU_VERIFY_RESEND_SECONDS = envint("HUZHU_VERIFY_RESEND_SECONDS", 60)
HUZHU_VERIFY_PER_HOUR = envint("HUZHU_VERIFY_PER_HOUR", 5)  # codes per person, and per address
# Trust levels, vouching, reviews and the posting rules (huzhu/settings_rules.py).
from huzhu.settings_rules import *  # noqa: E402, F403

# The feed's ranking (huzhu/posts/ranking.py): how many hours of waiting count towards a
# need's place; past them a need nobody confirmed sinks below fresh ones.
HUZHU_NEED_WAIT_CAP_HOURS = envint("HUZHU_NEED_WAIT_CAP_HOURS", 36)
# "Still needed?": an open need quiet this long is asked; unanswered this long, `unknown`.
HUZHU_CHECKIN_AFTER_DAYS = envint("HUZHU_CHECKIN_AFTER_DAYS", 3)
HUZHU_CHECKIN_WINDOW_DAYS = envint("HUZHU_CHECKIN_WINDOW_DAYS", 2)
# Saved alerts: how many a person may keep, and how many alert notifications a day they get.
HUZHU_ALERTS_PER_USER = envint("HUZHU_ALERTS_PER_USER", 10)
HUZHU_ALERT_NOTIFICATIONS_PER_DAY = envint("HUZHU_ALERT_NOTIFICATIONS_PER_DAY", 10)
# Web push (huzhu/exchanges/webpush.py): the VAPID key's secret, generated into the data
# directory on first run (back it up: a new key ends every browser's subscription), and the
# contact push services may write to.
HUZHU_VAPID_KEY = _secret("HUZHU_VAPID_KEY", "vapid_key")
HUZHU_VAPID_SUBJECT = envstr("HUZHU_VAPID_SUBJECT", "mailto:admin@localhost")
HUZHU_PUSH_ALLOW_HTTP = False  # tests talk to a local push service over plain HTTP
HUZHU_THEME_COLOUR = "#b42318"  # the web manifest's theme colour, as the icon's
# Notifications by SMS to phone-verified people (huzhu/exchanges/texting.py): at most this
# many a local day unless they choose fewer; a relay message is texted only when still
# unread this many minutes later.
HUZHU_SMS_PER_DAY = envint("HUZHU_SMS_PER_DAY", 10)
HUZHU_SMS_MESSAGE_DELAY_MINUTES = envint("HUZHU_SMS_MESSAGE_DELAY_MINUTES", 15)
# Matching: how far suggestions for a new post may be.
HUZHU_MATCH_RADIUS_KM = envfloat("HUZHU_MATCH_RADIUS_KM", 10.0)
# Transparency dashboard: how often the worker recomputes the statistics, and how many ISO
# weeks the weekly breakdown shows (older posts are one "earlier" row).
HUZHU_STATS_CACHE_SECONDS = envint("HUZHU_STATS_CACHE_SECONDS", 300)
HUZHU_STATS_WEEKS = envint("HUZHU_STATS_WEEKS", 12)
# Periodic transparency reports: "month" or "week"; the scheduler checks daily for the last
# complete period without a report.
HUZHU_TRANSPARENCY_REPORT_PERIOD = envstr("HUZHU_TRANSPARENCY_REPORT_PERIOD", "month")
# Maps: an operator's tile URL template ({z}/{x}/{y}), drawn by the browser under the
# members' map and the post form's picker, and linked from the organisers' heat map; empty
# (the default) draws the server's own SVG of the districts only. The server never fetches it.
HUZHU_MAP_TILES = envstr("HUZHU_MAP_TILES")
if urlsplit(HUZHU_MAP_TILES).netloc:
    # Another origin's tiles are images the pages may load (CSP img-src).
    _tiles = urlsplit(HUZHU_MAP_TILES)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
# "For you" feed: how far from the chosen district it looks for needs.
HUZHU_FOR_YOU_RADIUS_KM = envfloat("HUZHU_FOR_YOU_RADIUS_KM", 5.0)
