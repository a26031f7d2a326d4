"""Settings for the parent liaison case system, read from the environment.

Development defaults are safe to run locally on SQLite. Set ``DJANGO_ENV=production``
for the production mode, in which ``manage.py check --deploy`` reports nothing and a
missing ``SECRET_KEY`` is an error.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key-not-for-production-use")

# Keys for the encrypted fields (liaison/encryption.py): comma-separated Fernet keys; the
# first encrypts, all decrypt. Required in production; development derives one fixed
# key from the development secret so that `make run` needs no set-up.
if PRODUCTION:
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")
    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys) in production.")
else:
    FIELD_ENCRYPTION_KEYS = env_list(
        "FIELD_ENCRYPTION_KEYS",
        base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode(),
    )

# The key of the blind index of contexts (liaison/context_keys.py): a plate, phone number,
# handle, place or name is matched across families by a keyed hash, never stored plain.
# Required in production; development derives one from the development secret. Keep it
# for good: after a change no stored context matches a new one.
if PRODUCTION:
    CONTEXT_MATCH_KEY = os.environ.get("CONTEXT_MATCH_KEY", "")
    if len(CONTEXT_MATCH_KEY) < 32:
        raise ImproperlyConfigured("Set CONTEXT_MATCH_KEY (at least 32 random characters) in production.")
else:
    CONTEXT_MATCH_KEY = os.environ.get(
        "CONTEXT_MATCH_KEY", hashlib.sha256(b"context-match:" + SECRET_KEY.encode()).hexdigest()
    )

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "liaison.apps.LiaisonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "allauth",
    "allauth.account",
    "axes",
    "liaison",
    "liaison.accounts",
    "liaison.audit",
    "liaison.privacy",
    "families",
    "safety_plans",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "liaison.query_parameters.ControlCharacterQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liaison.accounts.authentication.OTPMiddleware",
    "liaison.access.people.ShutOutPerRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "liaison.audit.middleware.AuditContextMiddleware",
    "liaison.accounts.middleware.SessionTimeoutMiddleware",
    # Deny by default: sign-in on every view not marked login_not_required, then the
    # second factor on every view not marked second_factor_not_required (nor public).
    "liaison.accounts.middleware.LoginRequiredMiddleware",
    "liaison.accounts.middleware.SecondFactorMiddleware",
    "liaison.accounts.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Django's date filter and url tag, with what they wrote remembered (the same output).
            "builtins": ["liaison.templatetags.remembered_dates", "liaison.templatetags.remembered_urls"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_liaison")}
    # Parameters bound by the server, and a statement run a few times on a connection
    # prepared there: PostgreSQL then plans it once per connection instead of on every
    # request (planning cost more than running most of the pages' queries), and keeps
    # its generic plan (``liaison.compiled.keep_generic_plans``). Behind a pooler in
    # transaction mode that cannot keep prepared statements (PgBouncer before 1.21), set
    # DATABASE_PREPARED_STATEMENTS=off.
    if os.environ.get("DATABASE_PREPARED_STATEMENTS", "on") != "off":
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# On PostgreSQL the app connects as a role that owns nothing, and migrations run as the
# owner of the tables. Set DATABASE_APP_ROLE (the app's role name) where migrations run:
# after every migrate the owner grants it what the app needs, and on the audit trail no
# more than reading and appending (liaison/audit/privileges.py, docs/deployment.md).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")

# Several app servers share nothing but the database: sessions live in it (below), and so
# does the cache in production (rate limits of sign-in and password reset must count across
# servers). Run `manage.py createcachetable` once per database. CACHE_BACKEND=locmem keeps
# the cache inside each process (one server only).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "database" if PRODUCTION else "locmem")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "liaison_cache"}
        if CACHE_BACKEND == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Rendered parts of heavy staff pages (liaison/fragments.py): in the memory of each
    # app process only, never in a table, and at most this many (each a few hundred kB).
    # FRAGMENTS=off keeps none (``make bench`` measures the pages made anew that way).
    "fragments": {
        "BACKEND": (
            "django.core.cache.backends.dummy.DummyCache"
            if os.environ.get("FRAGMENTS") == "off"
            else "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": "liaison-fragments",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "liaison.accounts.authentication.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail and password, no public sign-up (see liaison.sign_in).
ACCOUNT_ADAPTER = "liaison.sign_in.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# django-axes is the one lockout (per user and address); allauth's own per-e-mail
# limit would lock a person out from every address.
ACCOUNT_RATE_LIMITS = {"login_failed": None}

# django-axes: five failures lock that account from that address for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "liaison.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "liaison.client_address.client_ip"

# The number of reverse proxies in front of the app servers that append the address they
# saw to X-Forwarded-For: 0 without a proxy (the header is then never read), 1 with nginx
# alone, 2 with a load balancer before nginx. The lockout, allauth's rate limits and the
# audit trail all take the client address from liaison.client_address.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT is the number of proxies in front: 0 or more.")

# Refused reads of case files (liaison.audit.refusals): this many refusals of one person
# within an hour tell the administrators.
REFUSED_READS_ALERT_AT = 20

# Second factor.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Liaison")
OTP_TOTP_THROTTLE_FACTOR = 1
# No one, not even an administrator, reads another person's authenticator secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
BACKUP_CODE_COUNT = 10

# Sessions: idle limits per kind of user, and an absolute limit.
SESSION_ENGINE = "liaison.accounts.sessions"
SESSION_IDLE_MINUTES_STAFF = 15
SESSION_IDLE_MINUTES_PARENT = 10
SESSION_ABSOLUTE_HOURS = 12
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

INVITATION_VALID_HOURS = 72

# The key that signs checkpoints of the audit chain's head (manage.py seal_audit) and
# checks them (manage.py verify_audit). It is never stored in the database; the web
# process does not need it, only the jobs that seal and verify.
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")
# The sealer (manage.py seal_audit --follow) seals new audit events within seconds;
# manage.py verify_audit reports every event that waited longer than this for its seal.
AUDIT_SEAL_GRACE_SECONDS = int(os.environ.get("AUDIT_SEAL_GRACE_SECONDS", "60"))

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English reads day-month dates and 24-hour times, as in the Netherlands and the UK.
FORMAT_MODULE_PATH = ["liaison.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos live outside every public URL and are served only through views
# that pass the access policy.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
MAX_IMAGE_UPLOAD_BYTES = int(os.environ.get("MAX_IMAGE_UPLOAD_MB", "8")) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "liaison.uploads.PrivateStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: console in development, SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
# Links in e-mails are built from this address (no request is at hand when a mail goes out).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The neutral page a parent lands on after the quick exit, and how the parents' side
# names itself in the browser (tab titles, header): nothing that gives the portal away.
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.buienradar.nl/")
PORTAL_PRODUCT_NAME = os.environ.get("PORTAL_PRODUCT_NAME", "Mijn overzicht")
# The language that name is in, so a screen reader says it right on pages in the other language.
PORTAL_PRODUCT_LANGUAGE = os.environ.get("PORTAL_PRODUCT_LANGUAGE", "nl")
_quick_exit_origin = "{0.scheme}://{0.netloc}".format(urlsplit(QUICK_EXIT_URL))

# Security headers. The CSP allows no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The quick exit's form may end on the neutral site.
        "form-action": [SELF, _quick_exit_origin],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "liaison.views.csrf_failure"
ACCOUNT_FORMS = {
    "login": "liaison.accounts.forms.LoginForm",
    "reset_password": "liaison.accounts.forms.ResetPasswordForm",  # nosec B105 - a form class path
    "reset_password_from_key": "liaison.accounts.forms.ResetPasswordKeyForm",  # nosec B105 - a form class path
    "change_password": "liaison.accounts.forms.ChangePasswordForm",  # nosec B105 - a form class path
}
