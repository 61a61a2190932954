"""CBEC Academy site settings, read from the environment.

The embedded default needs nothing installed: SQLite under var/, in-process
tasks, local-memory cache. Production names its services by environment
variables (DATABASE_URL, CELERY_BROKER_URL, REDIS_URL); see the README.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development key: `manage.py check --deploy` flags it (it is short and
# marked insecure), so production must set SECRET_KEY.
DEV_SECRET_KEY = "django-insecure-cbec-academy-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", default="SECRET_KEY" not in os.environ)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
# System checks to skip (e.g. lms.E004 for a local trial of the production stack).
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "organizations",
    "courses",
    "exams",
    "certificates",
    "reports",
    "gradebook",
    "privacy",
    "lti",
    "lms",
    # Accounts: sign-up, login by username or email, email verification, password reset and
    # change, second factors (TOTP, WebAuthn/passkeys, recovery codes), sessions (lms/adapters.py).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (SECURE_CSP) and Permissions-Policy on every response.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "lms.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Near the top, to see every error below it: JSON under /api/, the site's pages elsewhere.
    "lms.middleware.ErrorPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which may read a form: a too large body is refused unread.
    "lms.middleware.RequestBodyLimitMiddleware",
    # A locked login (or one over the password checks in flight) answers 429 before the page.
    "lms.throttles.RefuseLockedLoginsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor reach only the enrolment pages (lms/mfa.py).
    "lms.mfa.StaffMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.navigation",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded default keeps its SQLite file under var/, which a fresh clone lacks.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an in-process task share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions read from Redis and written through to the database: a signed-in
    # request (every autosave from the exam page) costs no session query.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Login lands on a role-aware page (regulators: the standards workspace) unless ?next= says.
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "courses:catalogue"
# One password hash per attempt (lms/auth_backends.py); the other two stay listed for the
# sessions signed in through them, and lti.views signs in with ModelBackend.
AUTHENTICATION_BACKENDS = [
    "lms.auth_backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth (lms/adapters.py): people sign up with a username and an email they verify
# before their first login, and log in with either. Accounts an organisation vouches for
# (its members, Django staff) log in as before. The site's own throttles (lms/throttles.py,
# per account and address with expiring backoff) guard every password check; allauth's limits
# add per-client ceilings. Its "login_failed" limit counts second-factor codes only (5 wrong
# codes in 5 minutes per person): for passwords its per-account lock could be renewed by any
# stranger every five minutes and keep the owner out for good, so lms.throttles count those.
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "lms.adapters.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Subjects name the site themselves (lms/templates/account/email/*_subject.txt).
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# A reset asked for an address no account uses mails nobody (the page answers the same).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SIGNUP_ENABLED = env_bool("ACCOUNT_SIGNUP_ENABLED", True)
# A whole class behind one school address logs in (or signs up) at the start of a session:
# the per-address ceilings leave room for it; failures are what lms.throttles count.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip,200/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
}
# Second factors: an authenticator app, security keys and passkeys, recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "CBEC Academy"
MFA_ADAPTER = "lms.adapters.MfaAdapter"
# Plain http://localhost for `make run`; production is HTTPS.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Teachers, mentors, verifiers, regulators, administrators and Django staff must enrol a
# second factor before any other page (lms.mfa.StaffMfaMiddleware). Production refuses to
# start with it off (lms/checks.py); `STAFF_MFA_REQUIRED=0 make run` is for development.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)
# Sessions are recorded at login and listed with "sign out everywhere else"; no write per
# request (their last-seen time is not tracked).
USERSESSIONS_TRACK_ACTIVITY = False

# Mail (password reset, notifications) through Django's MAILERS: the console unless
# EMAIL_BACKEND names another backend. Production must name one that delivers, e.g.
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL (a system check, lms/checks.py).
_email_backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS = {"default": {"BACKEND": _email_backend}}
if _email_backend == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ["EMAIL_PORT"]) if os.environ.get("EMAIL_PORT") else None,
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CBEC Academy <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies larger than these are refused with 413 before they are read
# (lms.middleware.RequestBodyLimitMiddleware); upload endpoints take their own upload limits
# (lms/conf.py). The proxy in front must limit bodies too (README, Production).
REQUEST_BODY_API_MAX_BYTES = int(os.environ.get("REQUEST_BODY_API_MAX_BYTES", 1024 * 1024))
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", 2_621_440))
REQUEST_BODY_ADMIN_MAX_BYTES = int(os.environ.get("REQUEST_BODY_ADMIN_MAX_BYTES", 20 * 1024 * 1024))
# What Django itself reads into memory from a body other than files (a form, JSON).
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

# Celery: without a broker, tasks run in the calling process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "lms.api_errors.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Hashed tokens that expire (DRF's authtoken kept them in plain text for ever).
        "organizations.tokens.TokenAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "organizations.throttles.AnonThrottle",
        "organizations.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "2400/minute"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CBEC Academy API",
    "DESCRIPTION": "Courses, skill-level exams and verifiable certificates for cross-border "
    "e-commerce training.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One clear name per choice set (several fields are called "status", "kind", "language").
    "ENUM_NAME_OVERRIDES": {
        "VerificationStatusEnum": "certificates.api.serializers.STATUSES",
        "EnrollmentStatusEnum": "courses.models.Enrollment.Status",
        "AttemptStatusEnum": "exams.models.Attempt.Status",
        "ImportJobStatusEnum": "exams.models.ImportJob.Status",
        "QuestionKindEnum": "exams.grading.KINDS",
        "CourseLanguageEnum": "courses.models.Course.Language",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The errors DRF answers around a view (400, 401, 403, 404, 429), documented.
        "lms.schema.document_error_responses",
    ],
}

SESSION_COOKIE_HTTPONLY = True
# Lax is enough for LTI in an LMS frame: a framed launch opens the activity in a window of
# its own, and the deep-linking picker carries its own token (lti/services.py).
SESSION_COOKIE_SAMESITE = os.environ.get("SESSION_COOKIE_SAMESITE", "Lax")
CSRF_COOKIE_SAMESITE = os.environ.get("CSRF_COOKIE_SAMESITE", "Lax")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Enforced on every page, DEBUG on or off: no inline script or style anywhere (JS and CSS
# are static files; tests/site/test_security_headers.py reads every page). The LTI form
# that posts back to a platform adds that platform to form-action (lti/views.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Browser features no page uses (lms.security.PermissionsPolicyMiddleware); WebAuthn and
# the clipboard keep their default, this site only.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CELERY_BEAT_SCHEDULE = {
    "exams-expire-overdue-attempts": {
        "task": "exams.tasks.expire_overdue_attempts",
        "schedule": 60.0,
    },
    # Results held until an exam closes: their students are told once it has (notifications).
    "exams-announce-held-results": {
        "task": "exams.tasks.announce_held_results",
        "schedule": 300.0,
    },
    "certificates-sweep-pending-renders": {
        "task": "certificates.tasks.sweep_pending_renders",
        "schedule": 60.0,
    },
    "certificates-roll-up-verifications": {
        "task": "certificates.tasks.roll_up_verifications",
        "schedule": 24 * 3600.0,
    },
    "lti-release-held-grades": {"task": "lti.tasks.grades_release_held", "schedule": 300.0},
    "lti-sweep-grades": {"task": "lti.tasks.grades_sweep", "schedule": 60.0},
    "lti-purge-expired": {"task": "lti.tasks.purge_expired", "schedule": 3600.0},
    # The statistics' precomputed facts (reports.rollups), every six hours.
    "reports-refresh-statistics": {
        "task": "reports.tasks.refresh_statistics",
        "schedule": 6 * 3600.0,
    },
    # Learning records (xAPI) to the configured LRS; failed ones wait out their back-off.
    "reports-forward-statements": {"task": "reports.tasks.forward_statements", "schedule": 60.0},
    # Replaced answer files and finished imports' files past their retention (privacy.retention).
    "privacy-delete-expired-uploads": {
        "task": "privacy.tasks.delete_expired_uploads",
        "schedule": 24 * 3600.0,
    },
}
EXAMS_DEADLINE_GRACE_SECONDS = int(os.environ.get("EXAMS_DEADLINE_GRACE_SECONDS", "30"))
# The invigilator console shows "connection lost" for a started candidate whose attempt page
# has not been heard from (heartbeat every 15 s, or a save) for longer than this.
EXAMS_CONNECTION_LOST_SECONDS = int(os.environ.get("EXAMS_CONNECTION_LOST_SECONDS", "45"))
EXAMS_UPLOAD_QUOTA_PER_ATTEMPT_MB = int(os.environ.get("EXAMS_UPLOAD_QUOTA_PER_ATTEMPT_MB", "50"))
EXAMS_UPLOAD_QUOTA_PER_USER_HOUR_MB = int(
    os.environ.get("EXAMS_UPLOAD_QUOTA_PER_USER_HOUR_MB", "100")
)
# Question imports: what an Excel workbook may unpack to (zip bombs), and question images.
EXAMS_IMPORT_XLSX_MAX_PART_MB = int(os.environ.get("EXAMS_IMPORT_XLSX_MAX_PART_MB", "20"))
EXAMS_IMPORT_XLSX_MAX_TOTAL_MB = int(os.environ.get("EXAMS_IMPORT_XLSX_MAX_TOTAL_MB", "50"))
EXAMS_IMPORT_XLSX_MAX_RATIO = int(os.environ.get("EXAMS_IMPORT_XLSX_MAX_RATIO", "100"))
EXAMS_MEDIA_MAX_MB = float(os.environ.get("EXAMS_MEDIA_MAX_MB", "2"))
CERTIFICATES_BASE_URL = os.environ.get("CERTIFICATES_BASE_URL", "http://127.0.0.1:8000")
CERTIFICATES_SWEEP_AFTER_SECONDS = int(os.environ.get("CERTIFICATES_SWEEP_AFTER_SECONDS", "120"))
# An uploaded PDF whose embedded credential unpacks to more is refused unchecked.
CERTIFICATES_MAX_EMBEDDED_BYTES = int(os.environ.get("CERTIFICATES_MAX_EMBEDDED_BYTES", "262144"))
# Anonymous verification rows older than this become daily counts (a nightly beat task).
CERTIFICATES_VERIFICATION_RETENTION_DAYS = int(
    os.environ.get("CERTIFICATES_VERIFICATION_RETENTION_DAYS", "90")
)
# Learning records (xAPI 2.0) forwarded to a Learning Record Store: off unless an endpoint is
# set (its xAPI base; statements go to <endpoint>/statements with basic authentication).
XAPI_LRS_ENDPOINT = os.environ.get("XAPI_LRS_ENDPOINT", "")
XAPI_LRS_USERNAME = os.environ.get("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = os.environ.get("XAPI_LRS_PASSWORD", "")
# Days a replaced answer file, and a finished question import's file, are kept (privacy.conf).
PRIVACY_ANSWER_FILE_RETENTION_DAYS = int(os.environ.get("PRIVACY_ANSWER_FILE_RETENTION_DAYS", "30"))
PRIVACY_IMPORT_UPLOAD_RETENTION_DAYS = int(
    os.environ.get("PRIVACY_IMPORT_UPLOAD_RETENTION_DAYS", "30")
)
# Fernet keys encrypting issuer private keys and second-factor secrets (lms/mfa_secrets.py) at
# rest: comma-separated, the first encrypts (`manage.py rotate_key_encryption` and
# `rotate_mfa_encryption` after adding one). Production must set it (a system check
# refuses to start without it); with DEBUG on, a key derived from SECRET_KEY stands in, fixed
# here because tests run with DEBUG turned off.
CERTIFICATES_KEY_ENCRYPTION_KEY = os.environ.get("CERTIFICATES_KEY_ENCRYPTION_KEY", "")
if DEBUG and not CERTIFICATES_KEY_ENCRYPTION_KEY:
    from certificates.conf import development_key_encryption_key

    CERTIFICATES_KEY_ENCRYPTION_KEY = development_key_encryption_key(SECRET_KEY)
