"""Settings of Zhaoshang, read from the environment (see README, "Configuration").

ZHAOSHANG_MODE=development (default: embedded SQLite under var/, generated secret
key, demo logins allowed) or production (SECRET_KEY, ALLOWED_HOSTS and a
database URL required; secure cookies, HSTS, HTTPS redirect).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.env import (
    ConfigError,
    database_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHAOSHANG_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_choice("ZHAOSHANG_MODE", ["development", "production"], "development")
PRODUCTION = MODE == "production"

SECRET_KEY = secret_key("SECRET_KEY", production=PRODUCTION, key_file=VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS is required in production mode (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    # Own apps, in dependency order: an app imports only from those above it.
    "zhaoshang.core",
    "zhaoshang.accounts",
    "zhaoshang.geo",
    "zhaoshang.industry",
    "zhaoshang.projects",
    "zhaoshang.portal",
    "zhaoshang.review",  # after the portal (neither imports the other) so that its demo finds the map's parks and sites
    "zhaoshang.chains",
    "zhaoshang.stats",
    "zhaoshang.services",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Pages, API answers and (in development) static files go out compressed to clients that accept it:
    # a phone on a slow link loads the map in a fifth of the bytes. CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads the form): too large a body is refused unread, in the language.
    "zhaoshang.core.middleware.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle and too old sessions before the request's actor is recorded.
    "zhaoshang.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhaoshang.core.middleware.RequestContextMiddleware",
    # A page whose write met another answers with the conflict message (409), never a server error.
    "zhaoshang.core.middleware.ConflictMiddleware",
    # Last: turns a refused login (too many wrong passwords) into the login page that says so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

# django-filter's empty choice in the page's language (core.forms.ANY_CHOICE), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

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
                "zhaoshang.core.context_processors.shell",
            ],
            # One formatter of numbers, money, areas and dates on every page (core/formatting.py).
            "builtins": ["zhaoshang.core.templatetags.formatting"],
        },
    },
]

# Seconds a write waits for another one's lock before the user is told that someone else is changing the record.
DATABASE_LOCK_TIMEOUT = env_int("DATABASE_LOCK_TIMEOUT", 20, minimum=1)
DATABASES = {
    "default": database_config(
        "DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhaoshang.sqlite3'}", lock_timeout=DATABASE_LOCK_TIMEOUT
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Password guessing (django-axes): after this many wrong passwords for one account from one address, that
# account is refused from that address (even with the right password) for the cool-off. Counted in the database,
# so that every worker process agrees; the lockout is audited and logged (zhaoshang/accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZHAOSHANG_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhaoshang.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "zhaoshang.core.api.throttling.client_address"
AXES_VERBOSE = False  # the lockout is logged once, by zhaoshang.accounts.lockout
# Sessions end after this many minutes without a request, and in any case this many hours after logging in.
# The last activity is written to the session at most once a minute (zhaoshang/accounts/middleware.py).
ZHAOSHANG_SESSION_IDLE_MINUTES = env_int("ZHAOSHANG_SESSION_IDLE_MINUTES", 120, minimum=1)
ZHAOSHANG_SESSION_MAX_HOURS = env_int("ZHAOSHANG_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = ZHAOSHANG_SESSION_MAX_HOURS * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Simplified Chinese first, English complete beside it.
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LANGUAGE_CODE = env_choice("ZHAOSHANG_LANGUAGE", [code for code, _name in LANGUAGES], "zh-hans")
LOCALE_PATHS = [BASE_DIR / "zhaoshang" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Only the files the pages load (and the files those name) of each front-end package are published (no CDN):
# package → (its folder, glob patterns of the files to publish). See core/staticfiles.py.
VENDOR_FILES = {
    "vendor/tabler": (
        NODE_MODULES / "@tabler" / "core" / "dist",
        ["css/tabler.min.css", "css/tabler.min.css.map", "js/tabler.min.js", "js/tabler.min.js.map"],
    ),
    "vendor/htmx": (NODE_MODULES / "htmx.org" / "dist", ["htmx.min.js"]),
    "vendor/leaflet": (NODE_MODULES / "leaflet" / "dist", ["leaflet.css", "leaflet.js", "leaflet.js.map", "images/*"]),
    "vendor/echarts": (NODE_MODULES / "echarts" / "dist", ["echarts.min.js"]),
    "vendor/tom-select": (
        NODE_MODULES / "tom-select" / "dist",
        [
            "css/tom-select.bootstrap5.min.css",
            "css/tom-select.bootstrap5.min.css.map",
            "js/tom-select.complete.min.js",
            "js/tom-select.complete.min.js.map",
        ],
    ),
    "vendor/sortable": (NODE_MODULES / "sortablejs", ["Sortable.min.js"]),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "zhaoshang.core.staticfiles.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Uploaded files only some users may read (project documents): never published, served by checking views.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}")
# The cache holds what every process must agree on: rate-limit counts and the generation numbers of
# core/generations.py. Without Redis it is files under var/cache/, shared by every process of the machine
# (gunicorn's workers, Celery, management commands): a per-process memory cache would let each worker count
# its own rate limits. Files rather than a database table: a cache write never joins, waits for or locks
# the database's transactions. Several application machines need Redis.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "zhaoshang.core.filecache.FileCache", "LOCATION": VAR_DIR / "cache"}
    ),
    # Kept public pages (core/pagecache.py), apart from the rate-limit counts and generation numbers: the file cache
    # culls a third of its entries at random when full, and a page must never push a rate-limit count out.
    "pages": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "pages"}
        if REDIS_URL
        else {
            "BACKEND": "zhaoshang.core.filecache.FileCache",
            "LOCATION": VAR_DIR / "cache-pages",
            "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 5000, minimum=100)},
        }
    ),
}

# Public pages and answers kept whole for anonymous visitors (core/pagecache.py): found under the generations of
# the records they are built from, dropped after PAGE_CACHE_TIMEOUT seconds at the latest; each worker process keeps
# up to PAGE_CACHE_LOCAL_BYTES of them in memory in front of the shared cache. A release that changes the code,
# templates or translations finds none of the old copies (core.pagecache.code_version); PAGE_CACHE_VERSION, part of
# the key too, drops them by hand.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 3600, minimum=1)
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024, minimum=0)
PAGE_CACHE_VERSION = env_str("PAGE_CACHE_VERSION", "")

# Background jobs: Celery on Redis in production; in-process (eager) otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Periodic scans; each is also a management command for cron.
    "flag-overdue-inquiries": {"task": "portal.flag_overdue_inquiries", "schedule": 900},
    "scan-stalled-projects": {"task": "projects.scan_stalled_projects", "schedule": crontab(hour=6, minute=30)},
    "anonymise-inquiries": {"task": "portal.anonymise_inquiries", "schedule": crontab(hour=3, minute=15)},
    # Clocks' reminders and escalations (core.clocks.scan) and the e-mails and webhooks still to send, every minute.
    "scan-clocks": {"task": "core.scan_clocks", "schedule": 60},
    "send-notifications": {"task": "core.send_notifications", "schedule": 60},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "zhaoshang.core.api.schema.AutoSchema",
    # Bad input is 400, never a server error: strict JSON (finite numbers, bounded nesting); a write that met
    # another and a delete that other records refuse are 409 (core/api/errors.py).
    "DEFAULT_PARSER_CLASSES": [
        "zhaoshang.core.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "zhaoshang.core.api.errors.exception_handler",
    # Rate limits per client address (anonymous) or user; views name their scope (ScopedRateThrottle).
    "DEFAULT_THROTTLE_CLASSES": ["zhaoshang.core.api.throttling.LiveScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "portal": env_str("RATE_PORTAL", "600/min"),
        "matching": env_str("RATE_MATCHING", "60/min"),
        "inquiry": env_str("RATE_INQUIRY", "5/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhaoshang API",
    "DESCRIPTION": "Investment-promotion platform: reference data, enterprises, teams.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "zhaoshang.projects.choices.Stage",
        "ReachedStageEnum": "zhaoshang.projects.choices.FORWARD_CHOICES",
        "EventKindEnum": "zhaoshang.stats.event_choices.EventKind",
        "ReviewKindEnum": "zhaoshang.review.choices.ReviewKind",
    },
}

# Security: strict in production, so that `manage.py check --deploy` is clean.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
# Client addresses for rate limits: trust that many proxies' X-Forwarded-For entries, no more.
REST_FRAMEWORK["NUM_PROXIES"] = env_int("NUM_PROXIES", 1 if BEHIND_HTTPS_PROXY else 0, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Domain settings that are configuration, not data.
ZHAOSHANG_CITY_ADCODE = env_str("ZHAOSHANG_CITY_ADCODE", "440700")
# An online tile layer for the map, e.g. https://tiles.example.cn/{z}/{x}/{y}.png;
# empty: the map draws the city's own boundaries only (works on an intranet).
ZHAOSHANG_ONLINE_TILES = env_str("ZHAOSHANG_ONLINE_TILES", "")
ZHAOSHANG_ONLINE_TILES_ATTRIBUTION = env_str("ZHAOSHANG_ONLINE_TILES_ATTRIBUTION", "")
_tiles = urlsplit(ZHAOSHANG_ONLINE_TILES.replace("{s}", "*"))  # Leaflet's {s}: the tile server's subdomains
if ZHAOSHANG_ONLINE_TILES and (_tiles.scheme not in {"http", "https"} or not _tiles.netloc):
    raise ConfigError(f"ZHAOSHANG_ONLINE_TILES must be an http(s):// URL, got {ZHAOSHANG_ONLINE_TILES!r}")
TILE_ORIGINS = [f"{_tiles.scheme}://{_tiles.netloc}"] if ZHAOSHANG_ONLINE_TILES else []
# Content-Security-Policy (django-csp), in every mode so that development meets it first: scripts only from this
# site's files (no inline script, no eval: templates declare behaviours with data attributes, core/behaviours.js);
# nothing framed, embedded or posted elsewhere; images also from the online tile server when one is configured.
# Style sheets and <style> elements only from this site's files too; style *attributes* are allowed, because
# ECharts writes its tooltips as HTML with style attributes (Leaflet, Tabler and htmx set styles through the DOM,
# which the policy does not govern). An attribute styles one element and runs nothing. Browsers without
# style-src-elem/-attr (before CSP level 3) fall back to style-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *TILE_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# A listing not verified for this many days is stale: flagged to staff, hidden from the public.
ZHAOSHANG_LISTING_STALE_DAYS = env_int("ZHAOSHANG_LISTING_STALE_DAYS", 180, minimum=1)
# Working days within which an investor's inquiry must get its first response.
ZHAOSHANG_INQUIRY_RESPONSE_DAYS = env_int("ZHAOSHANG_INQUIRY_RESPONSE_DAYS", 1, minimum=1)
# Office hours of working days, in which working minutes are counted (core.workdays), e.g. a request's 60 minutes.
ZHAOSHANG_OFFICE_HOURS = env_str("ZHAOSHANG_OFFICE_HOURS", "08:30-12:00,14:30-17:30")
# Shares of a time limit (%) at which a clock reminds the people responsible; past 100% it escalates (core.clocks).
ZHAOSHANG_CLOCK_REMINDER_SHARES = [int(x) for x in env_list("ZHAOSHANG_CLOCK_REMINDER_SHARES", ["50", "80", "100"])]
# Days a closed (accepted or dismissed) inquiry keeps its personal data before they are anonymised
# (docs/privacy.md): two years cover a project's usual lead-to-signing time and the yearly statistics.
ZHAOSHANG_INQUIRY_RETENTION_DAYS = env_int("ZHAOSHANG_INQUIRY_RETENTION_DAYS", 730, minimum=1)
# Stalled projects (derived when read, Project.objects.stalled; the daily scan only notifies): signed without
# land supplied for more than this many days, construction started and not producing for more than this many
# days (548 ≈ 18 months), and no activity before signing for more than this many days (0: not checked).
ZHAOSHANG_STALL_SIGNED_NO_LAND_DAYS = env_int("ZHAOSHANG_STALL_SIGNED_NO_LAND_DAYS", 90, minimum=1)
ZHAOSHANG_STALL_STARTED_NO_PRODUCTION_DAYS = env_int("ZHAOSHANG_STALL_STARTED_NO_PRODUCTION_DAYS", 548, minimum=1)
ZHAOSHANG_STALL_IDLE_DAYS = env_int("ZHAOSHANG_STALL_IDLE_DAYS", 180, minimum=0)
# Chain maps (chains.services.figures): a node of a chain with no local enterprise is a gap; one with fewer than
# this many local enterprises, or whose local output is under this percentage of the average node's output of its
# chain, is weak; the others are strong. An enterprise of at least this estimated output (万元; 10000 = 1亿元 of
# revenue) counts as a large one.
ZHAOSHANG_CHAIN_WEAK_ENTERPRISES = env_int("ZHAOSHANG_CHAIN_WEAK_ENTERPRISES", 3, minimum=1)
ZHAOSHANG_CHAIN_WEAK_OUTPUT_SHARE = env_int("ZHAOSHANG_CHAIN_WEAK_OUTPUT_SHARE", 20, minimum=0)
ZHAOSHANG_CHAIN_LARGE_OUTPUT_WAN = env_int("ZHAOSHANG_CHAIN_LARGE_OUTPUT_WAN", 10000, minimum=1)
# The monthly report names the chains whose value added grew by more than this percentage (at most three).
ZHAOSHANG_CHAIN_GROWTH_NAMED = env_int("ZHAOSHANG_CHAIN_GROWTH_NAMED", 10, minimum=0)
# Admission reviews (review.services.workflow): a decision needs at least this many reviewers without a conflict of
# interest to have submitted their scores.
ZHAOSHANG_REVIEW_QUORUM = env_int("ZHAOSHANG_REVIEW_QUORUM", 1, minimum=1)
# The largest project document accepted for upload, in MB.
ZHAOSHANG_DOCUMENT_MAX_MB = env_int("ZHAOSHANG_DOCUMENT_MAX_MB", 20, minimum=1)
# The largest photo of a park or site staff may upload (MB); a thumbnail is made of each at upload.
ZHAOSHANG_PHOTO_MAX_MB = env_int("ZHAOSHANG_PHOTO_MAX_MB", 10, minimum=1)
# Request bodies are refused with 413 by their declared length before they are read (core.middleware.
# RequestSizeMiddleware): an upload (multipart) above ZHAOSHANG_REQUEST_MAX_MB, any other body above
# DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default, stated here). An uploaded file above FILE_UPLOAD_MAX_MEMORY_SIZE
# waits in a temporary file rather than in memory.
ZHAOSHANG_REQUEST_MAX_MB = env_int("ZHAOSHANG_REQUEST_MAX_MB", ZHAOSHANG_DOCUMENT_MAX_MB + 1, minimum=11)
if ZHAOSHANG_REQUEST_MAX_MB <= ZHAOSHANG_DOCUMENT_MAX_MB:
    raise ConfigError("ZHAOSHANG_REQUEST_MAX_MB must exceed ZHAOSHANG_DOCUMENT_MAX_MB (the form around the file)")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The TrueType font (.ttf or .ttc, glyf outlines: reportlab cannot embed CFF/.otf) in which every PDF is set, Chinese
# and Latin alike; each PDF embeds the glyphs it uses (core/pdf.py). Debian's fonts-wqy-microhei, installed by make.
ZHAOSHANG_PDF_FONT = Path(env_str("ZHAOSHANG_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
# Excel imports of more rows than this run in the background, with a page showing their progress.
ZHAOSHANG_IMPORT_INLINE_ROWS = env_int("ZHAOSHANG_IMPORT_INLINE_ROWS", 1000, minimum=0)

# Notifications leave the application by e-mail and by webhook (core.notifications), each retried until sent.
# The address of the site as its users reach it, for the links in e-mails and webhook messages; by default the first
# of ALLOWED_HOSTS over HTTPS in production, http://localhost:8000 (runserver) in development.
_first_host = next((host for host in ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"), "")
ZHAOSHANG_SITE_URL = env_str(
    "ZHAOSHANG_SITE_URL", f"https://{_first_host}" if PRODUCTION and _first_host else "http://localhost:8000"
).rstrip("/")
_site = urlsplit(ZHAOSHANG_SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.netloc:
    raise ConfigError(f"ZHAOSHANG_SITE_URL must be an http(s):// address, got {ZHAOSHANG_SITE_URL!r}")
# Whether a user with an e-mail address also gets each in-app notification by e-mail.
ZHAOSHANG_NOTIFY_EMAIL = env_bool("ZHAOSHANG_NOTIFY_EMAIL", True)
# Attempts to send one e-mail or webhook message before it is given up (failed, listed for administrators to retry);
# between attempts the sender waits 1, 5, 15, 60, then 240 minutes.
ZHAOSHANG_NOTIFY_MAX_ATTEMPTS = env_int("ZHAOSHANG_NOTIFY_MAX_ATTEMPTS", 6, minimum=1)
# The messaging a team's webhook speaks: wecom (WeCom group robot markdown: {"msgtype": "markdown", ...}) or json
# (plain {"text": ..., "url": ...}); and the seconds a webhook may take to answer.
ZHAOSHANG_WEBHOOK_FORMAT = env_choice("ZHAOSHANG_WEBHOOK_FORMAT", ["wecom", "json"], "wecom")
ZHAOSHANG_WEBHOOK_TIMEOUT = env_int("ZHAOSHANG_WEBHOOK_TIMEOUT", 5, minimum=1)
# E-mail (Django's backends). EMAIL_BACKEND: smtp, file, console, locmem or a backend's dotted path. By default, in
# production SMTP to EMAIL_HOST; in development each message is written as a file under var/mail/ (readable
# afterwards, nothing leaves the machine, the runserver console stays quiet).
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "smtp" if PRODUCTION else "file")
if _email_backend not in _EMAIL_BACKENDS and "." not in _email_backend:
    raise ConfigError(
        f"EMAIL_BACKEND must be one of {', '.join(_EMAIL_BACKENDS)} or a dotted path, got {_email_backend!r}"
    )
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true (STARTTLS or implicit TLS: choose one)")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"noreply@{_site.hostname or 'localhost'}")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR"], "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
