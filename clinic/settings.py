"""Settings for the Westside Sports Chiro website.

One module for every environment: everything that differs between a laptop and production comes
from environment variables (all listed in README.md). The defaults are safe and work locally with
nothing set: SQLite, a file cache, email printed to the console, DEBUG off.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# "production" switches on the HTTPS-only settings and makes the variables below required.
ENVIRONMENT = env("DJANGO_ENV", "local")
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"


def required(name):
    """A variable production cannot run without: refuse to start, naming it."""
    value = env(name)
    if PRODUCTION and not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required when DJANGO_ENV=production "
            "(see README.md, 'Configuration')."
        )
    return value


SECRET_KEY = required("DJANGO_SECRET_KEY") or "local-only-insecure-key-never-used-in-production"
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    required("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Where the site lives, for links in emails sent from background tasks (no request there).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "axes",
    # Two-factor sign-in for staff (clinic/two_factor.py): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    # The blog's rich-text editor: its static files (admin only) and system checks.
    "django_prose_editor",
    # Versions of content saved in the admin: history, differences, restore.
    "reversion",
    "clinic",
    "blog",
    "testimonials",
    "booking",
]

MIDDLEWARE = [
    # Anonymous visitors' public pages from the shared cache, stored with every header the
    # middleware below adds: a hit skips all of it, the URL resolver and the view.
    "clinic.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.middleware.CrossOriginResourcePolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's gzip adds random padding against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    # ETags (of the uncompressed page, so they stay the same) and 304s for every GET.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside CommonMiddleware: an old address's 301 comes before APPEND_SLASH's guess.
    "clinic.redirect_middleware.RedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end when idle or old, then owe the second factor (clinic/staff_sessions.py).
    "clinic.staff_sessions.StaffSessionExpiryMiddleware",
    "clinic.staff_sessions.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "clinic.context_processors.clinic",
                # A placeholder for the CSRF token while a cached form page is rendered.
                "clinic.page_cache.csrf_placeholder",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands through DATABASE_URL.
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var")))
SQLITE_OPTIONS = {
    # BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on the busy
    # timeout instead of failing with "database is locked" when a read transaction upgrades.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    try:
        _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        # The message never repeats the URL itself: it may hold a password.
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
    if not _database.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL names a database engine this site does not know.")
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["OPTIONS"] = {**SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
        _database["CONN_MAX_AGE"] = 0
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every worker process. Files on local disk by default; Redis via CACHE_URL.
# The page cache's content version has an alias of its own that holds nothing else, so pages
# filling the default cache can never evict it (clinic/page_cache/store.py). With Redis both are
# the same server: give it a `maxmemory-policy` of `volatile-lru` (or `noeviction`): pages expire,
# the version (no expiry) is then never evicted.
CACHE_URL = env("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Django's RedisCache, but an unreachable Redis is an empty cache instead of an error.
    _redis = {"BACKEND": "clinic.resilient_cache.ResilientRedisCache", "LOCATION": CACHE_URL}
    CACHES = {"default": _redis, "page_cache_version": _redis}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// URL.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
            # Room for every page of a site with 10,000 articles, each stored gzipped and plain
            # (bench/cache_hits.py measures it); past this, a third of the files go at random.
            "OPTIONS": {"MAX_ENTRIES": 60_000},
        },
        "page_cache_version": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache" / "page-cache-version",
        },
    }

# Page cache (clinic/page_cache/): anonymous visitors' public pages, rendered once per content
# version and kept in the shared cache for PAGE_CACHE_SECONDS (0 turns it off); a committed change
# to content shown on a page invalidates every page at once. Browsers revalidate every time
# (304s); a CDN may keep a page PAGE_CACHE_CDN_MAX_AGE seconds.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_CDN_MAX_AGE = env_int("PAGE_CACHE_CDN_MAX_AGE", 60)
# With Redis, each process keeps the content version it read until Redis announces a new one
# (clinic/page_cache/version.py), and reads it again after this many seconds in any case.
PAGE_CACHE_VERSION_RECHECK_SECONDS = env_int("PAGE_CACHE_VERSION_RECHECK_SECONDS", 1)
PAGE_CACHE_APPS = ["clinic", "blog", "testimonials"]
# Models of those apps that no page shows: writing them must not empty the page cache.
PAGE_CACHE_IGNORE = ["clinic.RateLimitHit", "clinic.ImportedItem", "testimonials.Decision"]
# X-Page-Cache: hit/miss on responses, for tests and benchmarks; never in production, where it
# would tell an attacker whether an attack on the cache works.
PAGE_CACHE_STATUS_HEADER = not PRODUCTION

# Backups (clinic/backups/, `manage.py backup` / `restore`, README "Backups"): one archive of the
# database and every upload per run, the newest BACKUP_KEEP kept (0 keeps all). BACKUP_KEY is an
# age key: the secret key (AGE-SECRET-KEY-1…) encrypts and decrypts; a public key (age1…) only
# encrypts, so a server holding it cannot read its own backups. Production refuses to back up
# without one: the archive holds health information.
BACKUP_DIR = Path(env("BACKUP_DIR", str(DATA_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
if BACKUP_KEEP < 0:
    raise ImproperlyConfigured(f"BACKUP_KEEP must be 0 (keep all) or more, not {BACKUP_KEEP}.")
BACKUP_KEY = env("BACKUP_KEY").strip()

# Background tasks (email notifications) are rows in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# django-axes: five wrong passwords for one username from one address lock that pair out for an
# hour. The database handler keeps the count where every worker sees it.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind reverse proxies, TRUSTED_PROXY_COUNT says how many, so the client address is read from
# X-Forwarded-For (for the admin lockout and the public forms' rate limit) and cannot be forged.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Axes counts failures per client address: the same one the forms' rate limits use.
AXES_CLIENT_IP_CALLABLE = "clinic.spam.client_ip"

# Staff sign-in: a code from an authenticator app after the password, required of every staff
# account in production (clinic/two_factor.py); sessions end when idle or old (staff_sessions.py).
STAFF_TWO_FACTOR_REQUIRED = PRODUCTION
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 60)
if not 1 <= STAFF_SESSION_IDLE_MINUTES <= 12 * 60:
    raise ImproperlyConfigured("STAFF_SESSION_IDLE_MINUTES must be between 1 and 720.")
STAFF_SESSION_MAX_HOURS = 12
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600
OTP_TOTP_ISSUER = "Westside Sports Chiro"
# The public forms' time trap (clinic.spam): a form sent sooner than this many seconds after it
# was shown was sent by a script, and is kept marked as spam. 0 turns the trap off.
FORM_MIN_SECONDS_TO_FILL = env_int("FORM_MIN_SECONDS_TO_FILL", 3)

# Sydney clinic, Australian English; dates read "17 February 2026" (clinic/formats/en_AU).
LANGUAGE_CODE = "en-au"
TIME_ZONE = "Australia/Sydney"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["clinic.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# Without an S3-style storage or a web server in front, Django serves uploads itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Fingerprinted files (every {% static %} URL) get "max-age=315360000, public, immutable" from
# whitenoise whatever this says. This is for files under their plain names, which can change in
# place: the icons site.webmanifest lists, for one. An hour, so a new icon shows the same day.
WHITENOISE_MAX_AGE = 60 * 60
# Whitenoise does not know .webmanifest; browsers and validators expect this type.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# Request limits: a visitor's form is a few KB; uploads happen only in the admin.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Email through Django 6.1's MAILERS. Console locally; SMTP from EMAIL_HOST etc. in production.
_email_host = required("EMAIL_HOST")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Westside Sports Chiro <hello@westsidesportschiro.com.au>"
)
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where new-enquiry notices go (comma-separated); empty means the clinic record's email.
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS")

# The site's own crispy template pack (templates/clinic_forms/): markup for site.css, no Bootstrap.
CRISPY_ALLOWED_TEMPLATE_PACKS = ("clinic_forms",)
CRISPY_TEMPLATE_PACK = "clinic_forms"

# Content-Security-Policy: nothing inline anywhere, so no nonce, and cached pages stay valid.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "frame-src": ["https://www.youtube-nocookie.com"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Uploads in an S3-compatible object store when AWS_STORAGE_BUCKET_NAME is set, shared by every app
# server (clinic/object_storage.py, README "Running several servers"). Public images are linked
# from the store, or from the CDN at MEDIA_URL, which the CSP lets pages load images from.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    from clinic.object_storage import s3_storages

    _object_storages, _media_origin = s3_storages(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=env("AWS_S3_ENDPOINT_URL"),
        region=env("AWS_S3_REGION_NAME"),
        access_key=env("AWS_ACCESS_KEY_ID"),
        secret_key=env("AWS_SECRET_ACCESS_KEY"),
        media_url=env("MEDIA_URL"),
    )
    # A "private" storage (originals nobody may link to) only where the code above declares one.
    STORAGES |= {
        alias: storage
        for alias, storage in _object_storages.items()
        if alias == "default" or alias in STORAGES
    }
    MEDIA_URL = env("MEDIA_URL", MEDIA_URL)
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], _media_origin]
    SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No other site may load the clinic's pages, images or files into its own (clinic.middleware).
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        USE_X_FORWARDED_HOST = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs can carry form fields in error reports: keep them to warnings and up.
        "django.request": {"level": "WARNING"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

# Admins get 500 reports by email in production (no request bodies are included by Django).
ADMINS = env_list("DJANGO_ADMINS")
DEFAULT_EXCEPTION_REPORTER_FILTER = "clinic.reporting.PatientDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "clinic.reporting.PatientDataReporter"

# ---------------------------------------------------------------------------------------------
# Testimonials (patient stories; testimonials/, README "Patient stories")
# ---------------------------------------------------------------------------------------------
# Which approved, consented stories the public pages may show:
#   "ahpra"    (default) only non-clinical ones, about service: section 133 of the Health
#              Practitioner Regulation National Law forbids clinical testimonials in Australia;
#   "standard" clinical ones too, for clinics outside Australia.
# Checked by the system check in testimonials/checks.py.
TESTIMONIALS_POLICY = env("TESTIMONIALS_POLICY", "ahpra").strip().lower()
# Stories one client may send through the "share your experience" form: "count/seconds", or 0.
# Checked by the system check in testimonials/checks.py (clinic.spam.RateLimit.parse).
TESTIMONIALS_RATE_LIMIT = env("TESTIMONIALS_RATE_LIMIT", "3/3600")

# ---------------------------------------------------------------------------------------------
# Booking (booking app: enquiry form, notifications, retention)
# ---------------------------------------------------------------------------------------------
# Enquiries per client address: "5/600" is 5 per 600 seconds; "0" turns the limit off (benchmarks).
BOOKING_RATE_LIMIT = env("BOOKING_RATE_LIMIT", "5/600")
# Confirmation emails to one address, and sent for one client, in a window: past either the
# enquiry is still taken and staff told, but the address gets no more mail from the clinic's name.
BOOKING_CONFIRMATIONS_PER_ADDRESS = env("BOOKING_CONFIRMATIONS_PER_ADDRESS", "3/86400")
BOOKING_CONFIRMATIONS_PER_CLIENT = env("BOOKING_CONFIRMATIONS_PER_CLIENT", "10/86400")
# Closed and spam enquiries older than this many days are deleted by `manage.py purge_enquiries`.
BOOKING_RETENTION_DAYS = env_int("BOOKING_RETENTION_DAYS", 365)
# A failed notification email is retried after 1, 2, 4 … minutes (capped), this many attempts in all.
BOOKING_NOTIFICATION_MAX_ATTEMPTS = env_int("BOOKING_NOTIFICATION_MAX_ATTEMPTS", 8)
BOOKING_NOTIFICATION_RETRY_SECONDS = env_int("BOOKING_NOTIFICATION_RETRY_SECONDS", 60)
BOOKING_NOTIFICATION_RETRY_MAX_SECONDS = env_int("BOOKING_NOTIFICATION_RETRY_MAX_SECONDS", 6 * 3600)

# Articles whose clinical review is older than this many months are listed as due for review
# (the admin's front page and the article list's filter).
CLINICAL_REVIEW_MONTHS = env_int("CLINICAL_REVIEW_MONTHS", 12)
if CLINICAL_REVIEW_MONTHS < 1:
    raise ImproperlyConfigured("CLINICAL_REVIEW_MONTHS must be 1 or more.")
