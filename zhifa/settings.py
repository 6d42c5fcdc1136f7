"""One settings module, driven by environment variables (see .env.example)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from zhifa.env import envbool, envint, envlist, envstr, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("ZHIFA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
# The key: SECRET_KEY, or the file SECRET_KEY_FILE names, or var/secret_key (a random key that
# scripts/bootstrap.sh writes once per machine, mode 600). With DEBUG on a development key will
# do; with DEBUG off and none of these the platform refuses to start rather than sign sessions
# with a key everyone can read in the source.
SECRET_KEY = secret_key(VAR_DIR / "secret_key", debug=DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Transport security, all off by default for the local run over plain HTTP; production behind
# TLS turns them on (README, "Production"). SECURE_PROXY_SSL_HEADER is "HEADER,VALUE", e.g.
# "HTTP_X_FORWARDED_PROTO,https", and only for a proxy that always sets that header itself.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", False)
_proxy_header = envlist("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER 应为“请求头,值”，例如 HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # its bundled Swagger UI is served locally instead of from a CDN
    "orgs",
    "catalog",
    "ledger",
    "personal",
    "cases",
    "deadlines",
    "coercion",
    "enforcement",
    "outbox",
    "notices",
    "jobs",
    "documents",
    "disclosure",
    "complaints",
    "inspections",
    "supervision",
    "joint",
    "nonsite",
    "exchange",
    "administration",
    "web",
    "api",
    "demo",
    "backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: every answer but a static file. Pages and API answers carry personal data
    # (parties, ID numbers, evidence): no cache keeps them (Cache-Control: no-store).
    "web.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL character in any field is refused (422, by field) before anything reads it.
    "web.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout (SESSION_COOKIE_AGE) without writing the session on every request.
    "web.middleware.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # The roles that need it, and the enrolled, reach nothing but enrolment before it.
    "web.middleware.TwoFactorMiddleware",
    # An API POST with an Idempotency-Key runs in one transaction with its stored answer.
    "api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused by the lockout into its Chinese answer (orgs/identity.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

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
                "web.nav.nav_items",
            ],
        },
    },
]

# SQLite (WAL) is the embedded default; DATABASE_URL selects PostgreSQL in production.
_default_sqlite = f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", _default_sqlite),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
        # A kept connection is checked before a request reuses it (a restarted server).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not shared-cache memory: tests run several workers at once against it, and
    # shared-cache memory databases lock whole tables where a file database does not.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-zhifa.sqlite3")}
# PostgreSQL: the step path's statements (zhifa.rows.cursor) are bound on the server and prepared
# on a connection once they have run this many times; the ORM's stay bound on the client and are
# never prepared. 0 turns preparing off (e.g. behind a pooler that cannot keep prepared
# statements: PgBouncer before 1.21, or without max_prepared_statements).
DB_PREPARE_THRESHOLD = envint("DB_PREPARE_THRESHOLD", 1)
_postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if _postgres and DB_PREPARE_THRESHOLD > 0:
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = DB_PREPARE_THRESHOLD

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
# The lockout check first (django-axes), then the password.
AUTHENTICATION_BACKENDS = [
    "orgs.identity.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 等保 三级 登录失败处理: LOGIN_FAILURE_LIMIT failed logins (a wrong password or a wrong second
# factor, by the web form or the API) lock the account, and separately the address, for
# LOGIN_LOCKOUT_MINUTES. Every attempt, success or failure, is kept with who, address, when and
# channel (the path): axes' AccessLog and AccessFailureLog.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 30)
# The public 陈述申辩 page and API: a 告知书's code with a wrong ID-number tail, this many times
# in an hour, closes the code for the rest of that hour (the tail is six characters: a million
# tries would find it).
RESPONSE_TRIES_PER_HOUR = envint("RESPONSE_TRIES_PER_HOUR", 10)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A try during the lock is refused and recorded, but does not restart the LOGIN_LOCKOUT_MINUTES.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10000
AXES_LOCKOUT_CALLABLE = "web.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "orgs.identity.client_ip"
AXES_TRUSTED_PROXIES = envint("AXES_TRUSTED_PROXIES", 0)
AXES_VERBOSE = False
# The TOTP second factor: the issuer an authenticator app shows.
OTP_TOTP_ISSUER = "执法办案与监督平台"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# 等保 三级 身份鉴别: not like the account's own names, at least 8 characters, not a common
# password, not all digits, and three of upper case, lower case, digits and symbols.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {
        "NAME": "orgs.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "orgs.passwords.ComplexityValidator", "OPTIONS": {"min_kinds": 3}},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Seconds of inactivity after which a user is logged out (any request counts as activity). A
# read writes nothing: the session row is written at login with an absolute lifetime, and the
# time of the last request travels in a signed cookie (web/middleware.py).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# Hours a login lasts at most, however active its user: then the user logs in again.
SESSION_LIFETIME_HOURS = envint("SESSION_LIFETIME_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every answer (django-csp): scripts, styles, fonts and images from
# the platform's own static files only, no inline script or style, no frames, no plugins. The QR
# code of the two-factor enrolment is inline SVG markup; "data:" is the empty favicon and the
# images Swagger UI draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Messages ride in a signed cookie, not in the session, so the page that shows one writes nothing.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# The address the public reaches the platform at: printed in every document's QR code and in the
# links sent by SMS (owners of parked cars, parties of non-site cases).
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The case list's spreadsheet export: more cases than this, and the officer narrows the filters.
CASE_EXPORT_MAX_ROWS = envint("CASE_EXPORT_MAX_ROWS", 20000)
# An optional directory of replacement DOCX templates (documents/README.md).
DOCUMENT_TEMPLATE_DIR = envstr("DOCUMENT_TEMPLATE_DIR", "")
# The 保管期限 printed on a case's 卷宗 cover. No rule in the texts the platform encodes fixes it
# for penalty case files; 长期 is the default, the archive office may set 永久 or 30年.
DOSSIER_RETENTION = envstr("DOSSIER_RETENTION", "长期")
# 城警联动 (seed 002): the owner's window to drive away, and how far back a first offence looks.
JOINT_WINDOW_MINUTES = envint("JOINT_WINDOW_MINUTES", 10)
JOINT_FIRST_OFFENCE_DAYS = envint("JOINT_FIRST_OFFENCE_DAYS", 365)

# How long `import_cases --bulk` waits for the case tables before it gives up (users still in them).
IMPORT_BULK_LOCK_SECONDS = envint("IMPORT_BULK_LOCK_SECONDS", 15)

# API bearer tokens live this long.
API_TOKEN_TTL_HOURS = envint("API_TOKEN_TTL_HOURS", 12)
# A fine on a matter whose catalogue entry has no legal band (multiples of 违法所得, say) is
# refused above this many yuan: a plausibility ceiling of the platform's, not a rule of law.
FINE_CEILING_WITHOUT_BAND = Decimal(envstr("FINE_CEILING_WITHOUT_BAND", "100000000"))
# How long an API POST's Idempotency-Key is remembered (api/idempotency.py).
IDEMPOTENCY_KEY_HOURS = envint("IDEMPOTENCY_KEY_HOURS", 24)
# Deadlines are marked "approaching" this many days before they fall due.
DEADLINE_WARN_DAYS = envint("DEADLINE_WARN_DAYS", 3)
# Notices by SMS (notices/): while an officer gets no more than NOTICE_DIGEST_THRESHOLD of them in
# NOTICE_DIGEST_MINUTES each goes as its own message; beyond, one digest ("您有 N 条待办提醒…").
NOTICE_DIGEST_THRESHOLD = envint("NOTICE_DIGEST_THRESHOLD", 3)
NOTICE_DIGEST_MINUTES = envint("NOTICE_DIGEST_MINUTES", 30)
# The administrators and the supervisors are warned this many days before a working-day limit can
# reach a year whose holiday arrangement is not loaded (law.calendar.calendar_cliff): the State
# Council publishes the next year's notice in autumn, and a 10-working-day limit started in mid
# December already ends in January.
CALENDAR_WARN_DAYS = envint("CALENDAR_WARN_DAYS", 60)

# 案卷评查 (行政执法监督条例 Arts. 18-19): the standard new rounds are drawn under (a version of
# supervision.standards) and the grade bands, inclusive: 优秀 from EXCELLENT, 合格 from PASS points.
FILE_REVIEW_STANDARD = envstr("FILE_REVIEW_STANDARD", "2026-1")
FILE_REVIEW_GRADE_EXCELLENT = envint("FILE_REVIEW_GRADE_EXCELLENT", 90)
FILE_REVIEW_GRADE_PASS = envint("FILE_REVIEW_GRADE_PASS", 60)
# The nightly export of supervision data to the province (监督条例 Art. 37 ¶2): where the worker
# writes it, and the hour (Asia/Shanghai) it runs for the day before.
SUPERVISION_EXPORT_DIR = Path(envstr("SUPERVISION_EXPORT_DIR", str(VAR_DIR / "exports")))
# 数据备份恢复: where `manage.py backup` writes its archives (README, Production).
ZHIFA_BACKUP_DIR = Path(envstr("ZHIFA_BACKUP_DIR", str(VAR_DIR / "backups")))
SUPERVISION_EXPORT_HOUR = envint("SUPERVISION_EXPORT_HOUR", 3)
# 强制执行 (law/enforcement.py), each a per-jurisdiction setting where law.md says so.
# An approved 延期/分期 (行政处罚法第六十六条) moves the due date, so the surcharge that had run
# before the approval is not charged; False keeps it (law.md: unconfirmed, default True).
ENFORCEMENT_DEFERRAL_MOVES_DUE = envbool("ENFORCEMENT_DEFERRAL_MOVES_DUE", True)
# 复议前置 (当场) decisions: the 法定期限 that opens the court window of 行政强制法第五十三条 is the
# 复议 period (复议法第二十条, 60 days) by default.
ENFORCEMENT_REVIEW_FIRST_DAYS = envint("ENFORCEMENT_REVIEW_FIRST_DAYS", 60)
# 行政强制法第四十三条 "夜间": undefined; default 22:00–06:00 (by analogy with 噪声法第八十八条).
# "法定节假日": every non-working day of the State Council calendar (law/calendar.py).
ENFORCEMENT_NIGHT_FROM = envstr("ENFORCEMENT_NIGHT_FROM", "22:00")
ENFORCEMENT_NIGHT_UNTIL = envstr("ENFORCEMENT_NIGHT_UNTIL", "06:00")
# The court window's alarm: this many days before the three months of 第五十三条 close.
ENFORCEMENT_COURT_WARN_DAYS = envint("ENFORCEMENT_COURT_WARN_DAYS", 30)
# 强制执行 under supervision (supervision/rules.py). 行政强制法第三十五条、第五十四条 fix no day by
# which the 催告 must be served once the party's term has passed: the platform's default is 30
# days, the surcharge's 30 days after which 第四十六条 lets the agency enforce or apply to the
# court once a 催告 went unheeded. Past it, the irregularity scan raises an item.
ENFORCEMENT_NOTICE_SERVE_DAYS = envint("ENFORCEMENT_NOTICE_SERVE_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each rendering stage at INFO: keep its warnings only.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# 行政执法监督条例 (2026) reply periods (law/oversight.py): the platform defaults, used where no
# region has its own row (supervision.OversightPeriods, set per jurisdiction with its source).
# 意见书 and 决定书 from 山东省行政执法监督条例 Arts. 28-29; the 督办函 period is unconfirmed.
SUPERVISION_URGE_REPLY_DAYS = envint("SUPERVISION_URGE_REPLY_DAYS", 30)
SUPERVISION_OPINION_REPLY_DAYS = envint("SUPERVISION_OPINION_REPLY_DAYS", 30)
SUPERVISION_DECISION_REPORT_DAYS = envint("SUPERVISION_DECISION_REPORT_DAYS", 30)
SUPERVISION_EVIDENCE_MAX_BYTES = envint("SUPERVISION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# 执法证 (law.md "执法证"): the supervisor's view lists certificates expiring within this many days;
# the exam score a certificate needs (no national figure: unconfirmed, keep as a setting).
CERTIFICATE_EXPIRY_WARN_DAYS = envint("CERTIFICATE_EXPIRY_WARN_DAYS", 60)
CERTIFICATE_PASS_SCORE = envint("CERTIFICATE_PASS_SCORE", 60)
# The issuer printed on new certificates by default (山东监督条例 Art. 10: province-issued).
CERTIFICATE_ISSUER = envstr("CERTIFICATE_ISSUER", "山东省人民政府")

# 执法公示门户 (disclosure/portal.py): the public site's URL prefix, its name, and how long a
# browser or proxy may keep one of its pages (they show only what is published).
PUBLIC_SITE_PREFIX = envstr("PUBLIC_SITE_PREFIX", "gs/").strip("/") + "/"
PUBLIC_SITE_NAME = envstr("PUBLIC_SITE_NAME", "行政执法公示平台")
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 300)

# 事后公示 (disclosure): publication and withdrawal limits, masking and retention.
# Shandong's scope, limit and retention are unconfirmed (law.md "执法公示 and 双随机"): the defaults
# are the 市场监督管理行政处罚信息公示规定 model. Only 普通程序 penalties are published (简易程序
# never); a decision that is only a 警告 is left out unless DISCLOSURE_INCLUDE_WARNING_ONLY.
DISCLOSURE_INCLUDE_WARNING_ONLY = envbool("DISCLOSURE_INCLUDE_WARNING_ONLY", False)
# Working days from the decision to its publication (国办发〔2018〕118号: 7).
DISCLOSURE_PENALTY_WORKING_DAYS = envint("DISCLOSURE_PENALTY_WORKING_DAYS", 7)
# Off the site after DISCLOSURE_RETENTION_SHORT_MONTHS (3) for 通报批评/警告 and fines of at most
# DISCLOSURE_LOW_FINE_YUAN (元; "较低数额罚款", a platform default), else after
# DISCLOSURE_RETENTION_YEARS (3).
DISCLOSURE_RETENTION_SHORT_MONTHS = envint("DISCLOSURE_RETENTION_SHORT_MONTHS", 3)
DISCLOSURE_RETENTION_YEARS = envint("DISCLOSURE_RETENTION_YEARS", 3)
DISCLOSURE_LOW_FINE_YUAN = envint("DISCLOSURE_LOW_FINE_YUAN", 1000)
# Rows per page of the public list and of the JSON feed.
DISCLOSURE_PAGE_SIZE = envint("DISCLOSURE_PAGE_SIZE", 20)

# 投诉举报 (complaints): intake limits.
# The days a unit has to decide 受理 or 不予受理: law.md has no national figure; 7 working days is
# the common practice of the rules on 投诉举报 (law/complaints.py) — keep as a setting.
COMPLAINT_ACCEPT_WORKING_DAYS = envint("COMPLAINT_ACCEPT_WORKING_DAYS", 7)
# How far back the act complained of may lie (days; default five years, the extended time bar of
# 行政处罚法第三十六条): an older date is refused as a typing error.
COMPLAINT_MAX_AGE_DAYS = envint("COMPLAINT_MAX_AGE_DAYS", 5 * 366)
# The unit (its code) that receives complaints whose complainant does not know the unit; empty:
# the city's justice bureau (the 司法局 under the top government of the tree).
COMPLAINT_DISPATCH_UNIT = envstr("COMPLAINT_DISPATCH_UNIT", "")
# Photos: how many, how large each; the whole request may not exceed the photos plus the text.
COMPLAINT_PHOTO_MAX_COUNT = envint("COMPLAINT_PHOTO_MAX_COUNT", 6)
COMPLAINT_PHOTO_MAX_BYTES = envint("COMPLAINT_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Filings accepted per sender address and per contact phone within the window (hours).
COMPLAINT_LIMIT_PER_IP = envint("COMPLAINT_LIMIT_PER_IP", 5)
COMPLAINT_LIMIT_PER_PHONE = envint("COMPLAINT_LIMIT_PER_PHONE", 3)
COMPLAINT_LIMIT_WINDOW_HOURS = envint("COMPLAINT_LIMIT_WINDOW_HOURS", 24)

# The statistics forms (supervision): an xlsx/csv export over a period longer than this many days
# is queued for the worker (the page shows its progress, then the download); shorter ones answer
# inline.
STATS_INLINE_MAX_DAYS = envint("STATS_INLINE_MAX_DAYS", 92)
# A file a job built (an export) is kept this many days after the run ended, then dropped from
# the run (its page says so; the run itself stays).
JOB_FILE_KEEP_DAYS = envint("JOB_FILE_KEEP_DAYS", 7)

# 双随机、一公开 (inspections): draw and publication.
# 抽查比例 per risk grade, in percent (law.md: no national figure, default 5 %, confirmed by the
# planner for each plan); results published within this many working days of the check's end
# (law.limits.RANDOM_INSPECTION_PUBLISH, unconfirmed: default 20); the largest 名录 file taken.
RANDOM_INSPECTION_RATIO_PERCENT = envstr("RANDOM_INSPECTION_RATIO_PERCENT", "5")
RANDOM_INSPECTION_PUBLISH_DAYS = envint("RANDOM_INSPECTION_PUBLISH_DAYS", 20)
RANDOM_IMPORT_MAX_ROWS = envint("RANDOM_IMPORT_MAX_ROWS", 20000)
RANDOM_IMPORT_MAX_BYTES = envint("RANDOM_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
RANDOM_PHOTO_MAX_BYTES = envint("RANDOM_PHOTO_MAX_BYTES", 10 * 1024 * 1024)

# 全过程记录 (ledger): the SM2 key that signs its checkpoints, in a file outside the database
# (made by scripts/bootstrap.sh through `manage.py ledger keygen`; its public half is published),
# and the minutes between the worker's checkpoints (one only when some stream moved).
LEDGER_SIGNING_KEY_FILE = Path(envstr("LEDGER_SIGNING_KEY_FILE", str(VAR_DIR / "ledger_sm2.key")))
LEDGER_CHECKPOINT_MINUTES = envint("LEDGER_CHECKPOINT_MINUTES", 10)

# 个人信息 (ID-card and phone numbers): the SM4 data keys and the SM3 index key, in a file outside
# the database (zhifa.crypto; made by scripts/bootstrap.sh through `manage.py data_key init`,
# rotated by `manage.py data_key rotate`).
ZHIFA_DATA_KEY_FILE = Path(envstr("ZHIFA_DATA_KEY_FILE", str(VAR_DIR / "sm4.key")))
