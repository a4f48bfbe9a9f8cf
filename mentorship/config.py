"""Settings read from environment variables (documented in docs/configuration.md)."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

Environment = Literal["development", "production"]

SECRET_KEY_FILE_NAME = "secret_key"  # noqa: S105 (a file name)
AUDIT_KEY_FILE_NAME = "audit_key"
NOTES_KEY_FILE_NAME = "notes_key"
NOTES_PREVIOUS_KEY_FILE_NAME = "notes_key.previous"
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""


@dataclass(frozen=True)
class DatabaseLocation:
    """Where the database lives, parsed from MENTORSHIP_DATABASE_URL."""

    engine: Literal["sqlite", "postgres"]
    url: str
    sqlite_path: Path | None = None

    @property
    def display(self) -> str:
        """The location without any password, safe to print or log."""
        if self.engine == "sqlite":
            return f"SQLite file {self.sqlite_path}"
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"PostgreSQL {user}{host}{port}{parts.path}"


@dataclass(frozen=True)
class Settings:
    """Every runtime setting of the service, validated once at start-up."""

    environment: Environment
    data_dir: Path
    database: DatabaseLocation
    secret_key: str = field(repr=False)
    audit_key: str = field(repr=False)
    notes_key: str = field(repr=False)
    notes_previous_key: str | None = field(repr=False)
    # Set when the notes key was generated into the data folder (development), so
    # `mentorship keys rotate` may replace it there; None when the operator supplies it.
    notes_key_file: Path | None
    cookie_secure: bool
    allowed_hosts: tuple[str, ...]
    session_idle_minutes: int
    session_absolute_hours: int
    login_max_failures_per_account: int
    login_max_failures_per_address: int
    login_failure_window_minutes: int
    login_lockout_minutes: int
    password_hash_concurrency: int
    # "test": argon2id at its cheapest, so browser tests against a live server do not spend
    # most of their time hashing; refused in production.
    password_hash_profile: Literal["standard", "test"]
    sqlite_busy_timeout_seconds: float
    log_level: str
    timezone: str
    # Mail and links in it (the notices domain); the defaults keep mail in the outbox.
    mail: MailSettings = field(default_factory=lambda: MailSettings())

    @property
    def is_production(self) -> bool:
        """True when running with production safeguards."""
        return self.environment == "production"

    @property
    def session_cookie_name(self) -> str:
        """The session cookie's name; `__Host-` binds it to this exact origin when Secure."""
        return "__Host-mentorship_session" if self.cookie_secure else "mentorship_session"

    @property
    def csrf_cookie_name(self) -> str:
        """The CSRF cookie's name, prefixed like the session cookie."""
        return "__Host-csrftoken" if self.cookie_secure else "csrftoken"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables, raising ConfigError on bad values."""
        env = os.environ if env is None else env
        environment = _choice(env, "MENTORSHIP_ENV", ("development", "production"), "development")
        production = environment == "production"
        data_dir = Path(env.get("MENTORSHIP_DATA_DIR") or ".mentorship").expanduser().resolve()
        default_db = f"sqlite:///{data_dir / 'mentorship.sqlite'}"
        database = parse_database_url(env.get("MENTORSHIP_DATABASE_URL") or default_db)
        hosts = _allowed_hosts(env, production)
        return cls(
            environment=environment,  # type: ignore[arg-type]
            data_dir=data_dir,
            database=database,
            secret_key=_key(
                env, "MENTORSHIP_SECRET_KEY", SECRET_KEY_FILE_NAME, data_dir, production
            ),
            # Its own key, so rotating the session secret never breaks the audit chain.
            audit_key=_key(env, "MENTORSHIP_AUDIT_KEY", AUDIT_KEY_FILE_NAME, data_dir, production),
            # The master key wrapping every case's note key; never stored in the database.
            notes_key=_key(env, "MENTORSHIP_NOTES_KEY", NOTES_KEY_FILE_NAME, data_dir, production),
            notes_previous_key=_previous_notes_key(env, data_dir),
            notes_key_file=_notes_key_file(env, data_dir),
            cookie_secure=_boolean(env, "MENTORSHIP_COOKIE_SECURE", default=production),
            allowed_hosts=hosts,
            **_limits(env),
            password_hash_profile=_hash_profile(env, production),
            sqlite_busy_timeout_seconds=float(
                _integer(env, "MENTORSHIP_SQLITE_BUSY_TIMEOUT_SECONDS", 30, 1, 600)
            ),
            log_level=_choice(
                env, "MENTORSHIP_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"
            ),
            timezone=_timezone(env),
            mail=mail_settings(env, production),
        )


# The whole-number settings: (setting, variable, default, lowest, highest).
LIMITS: tuple[tuple[str, str, int, int, int], ...] = (
    ("session_idle_minutes", "MENTORSHIP_SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
    ("session_absolute_hours", "MENTORSHIP_SESSION_ABSOLUTE_HOURS", 12, 1, 24 * 7),
    ("login_max_failures_per_account", "MENTORSHIP_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, 1, 100),
    ("login_max_failures_per_address", "MENTORSHIP_LOGIN_MAX_FAILURES_PER_ADDRESS", 50, 1, 10_000),
    ("login_failure_window_minutes", "MENTORSHIP_LOGIN_FAILURE_WINDOW_MINUTES", 15, 1, 24 * 60),
    ("login_lockout_minutes", "MENTORSHIP_LOGIN_LOCKOUT_MINUTES", 15, 1, 24 * 60),
    ("password_hash_concurrency", "MENTORSHIP_PASSWORD_HASH_CONCURRENCY", 2, 1, 64),
)


def _limits(env: Mapping[str, str]) -> dict[str, int]:
    """The whole-number settings, each within its range."""
    return {
        name: _integer(env, variable, default, low, high)
        for name, variable, default, low, high in LIMITS
    }


def _allowed_hosts(env: Mapping[str, str], production: bool) -> tuple[str, ...]:
    """The host names the service answers to; never '*' in production."""
    hosts = tuple(
        h.strip()
        for h in (env.get("MENTORSHIP_ALLOWED_HOSTS") or "localhost,127.0.0.1").split(",")
        if h.strip()
    )
    if production and "*" in hosts:
        raise ConfigError(
            "MENTORSHIP_ALLOWED_HOSTS may not be '*' in production: list the host names"
            " this service answers to"
        )
    return hosts


def _notes_key_file(env: Mapping[str, str], data_dir: Path) -> Path | None:
    """The notes key's file in the data folder when the service generated it there (so
    `mentorship keys rotate` may replace it); None when the operator supplies the key."""
    if env.get("MENTORSHIP_NOTES_KEY") or env.get("MENTORSHIP_NOTES_KEY_FILE"):
        return None
    return data_dir / NOTES_KEY_FILE_NAME


def _hash_profile(env: Mapping[str, str], production: bool) -> Literal["standard", "test"]:
    """Which argon2id parameters hash passwords; the cheap test ones never in production."""
    profile = _choice(env, "MENTORSHIP_PASSWORD_HASH_PROFILE", ("standard", "test"), "standard")
    if production and profile == "test":
        raise ConfigError(
            "MENTORSHIP_PASSWORD_HASH_PROFILE=test is for test servers only and is refused in"
            " production: remove it"
        )
    return profile  # type: ignore[return-value]


def _timezone(env: Mapping[str, str]) -> str:
    """The district's time zone (an IANA name): pages show times in it."""
    name = (env.get("MENTORSHIP_TIMEZONE") or "America/New_York").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"MENTORSHIP_TIMEZONE {name!r} is not a known time zone: use a name such as"
            " America/Chicago or Europe/London"
        ) from None
    return name


# --- mail (the notices domain; docs/notifications.md) ------------------------------------------


@dataclass(frozen=True)
class SmtpServer:
    """Where mail is handed over, parsed from MENTORSHIP_SMTP_URL."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    # smtps://: TLS from the first byte; smtp://…?starttls=1: upgrade after connecting.
    use_tls: bool = False
    start_tls: bool = False

    @property
    def display(self) -> str:
        """The server without its password, safe to print or log."""
        user = f"{self.username}@" if self.username else ""
        scheme = "smtps" if self.use_tls else "smtp"
        return f"{scheme}://{user}{self.host}:{self.port}" + ("?starttls=1" * self.start_tls)


@dataclass(frozen=True)
class MailSettings:
    """Mail delivery: the SMTP server (None: mail waits in the outbox), the sender, the
    address links in mail point to, and the name mail is signed with."""

    smtp: SmtpServer | None = None
    mail_from: str = "Peer assistance program <no-reply@localhost>"
    base_url: str = "http://localhost:8000"
    district_name: str = "Peer assistance program"


def mail_settings(env: Mapping[str, str], production: bool = False) -> MailSettings:
    """MENTORSHIP_SMTP_URL, MENTORSHIP_MAIL_FROM, MENTORSHIP_BASE_URL and
    MENTORSHIP_DISTRICT_NAME, each checked."""
    default = MailSettings()
    raw_url = (env.get("MENTORSHIP_SMTP_URL") or "").strip()
    mail_from = (env.get("MENTORSHIP_MAIL_FROM") or "").strip() or default.mail_from
    _, address = parseaddr(mail_from)
    if "@" not in address or any(c in mail_from for c in "\r\n"):
        raise ConfigError(
            f"MENTORSHIP_MAIL_FROM {mail_from!r} is not an address: use"
            " peer-assistance@district.example.org or 'Name <address>'"
        )
    base_url = (env.get("MENTORSHIP_BASE_URL") or "").strip().rstrip("/") or default.base_url
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"MENTORSHIP_BASE_URL {base_url!r} is not a web address: use the address people"
            " open the service at, such as https://peer.district.example.org"
        )
    if production and raw_url and not env.get("MENTORSHIP_BASE_URL"):
        raise ConfigError("MENTORSHIP_BASE_URL is needed in production so links in mail work")
    district = " ".join((env.get("MENTORSHIP_DISTRICT_NAME") or "").split())
    return MailSettings(
        smtp=parse_smtp_url(raw_url) if raw_url else None,
        mail_from=mail_from,
        base_url=base_url,
        district_name=district[:200] or default.district_name,
    )


def parse_smtp_url(url: str) -> SmtpServer:
    """Parse `smtp://user:pass@host:port?starttls=1` or `smtps://user:pass@host:port`."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            "MENTORSHIP_SMTP_URL must look like smtp://user:password@host:587?starttls=1 or"
            " smtps://user:password@host:465"
        )
    options = parse_qs(parts.query)
    unknown = set(options) - {"starttls"}
    if unknown:
        raise ConfigError(f"MENTORSHIP_SMTP_URL has an unknown option: {sorted(unknown)[0]}")
    start_tls = options.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes", "on")
    use_tls = parts.scheme == "smtps"
    if use_tls and start_tls:
        raise ConfigError("MENTORSHIP_SMTP_URL: smtps:// is TLS already; drop ?starttls=1")
    try:
        port = parts.port or (465 if use_tls else 587 if start_tls else 25)
    except ValueError:
        raise ConfigError("MENTORSHIP_SMTP_URL has a port that is not a number") from None
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=start_tls,
    )


def parse_database_url(url: str) -> DatabaseLocation:
    """Parse `sqlite:///path` or `postgresql://user:pass@host:port/db` into a location."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError(
            f"MENTORSHIP_DATABASE_URL {url!r} is not a URL: use sqlite:///path/to/file.sqlite"
            " or postgresql://user:password@host:port/dbname"
        )
    if scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as in SQLAlchemy; a path that
        # is already absolute after the third slash is kept as it is.
        raw = rest[1:] if rest.startswith("/") else rest
        if not raw:
            raise ConfigError("MENTORSHIP_DATABASE_URL names no SQLite file after sqlite:///")
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = (Path.cwd() / path).resolve()
        return DatabaseLocation(engine="sqlite", url=url, sqlite_path=path)
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(url)
        if not parts.hostname or not parts.path.strip("/"):
            raise ConfigError(
                "MENTORSHIP_DATABASE_URL for PostgreSQL needs a host and a database name:"
                " postgresql://user:password@host:port/dbname"
            )
        return DatabaseLocation(engine="postgres", url=url)
    raise ConfigError(
        f"MENTORSHIP_DATABASE_URL scheme {scheme!r} is not supported: use sqlite or postgresql"
    )


def _key(
    env: Mapping[str, str], variable: str, file_name: str, data_dir: Path, production: bool
) -> str:
    """A secret from `variable` or the file `variable_FILE`; in development, generated once
    into the data folder."""
    key = env.get(variable)
    key_file = env.get(f"{variable}_FILE")
    if key and key_file:
        raise ConfigError(f"set {variable} or {variable}_FILE, not both")
    if key_file:
        try:
            key = Path(key_file).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"{variable}_FILE {key_file!r} cannot be read: {exc.strerror}"
            ) from exc
    what = "the secret key" if variable == "MENTORSHIP_SECRET_KEY" else f"{variable}"
    if key:
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"{what} must be at least {MIN_SECRET_KEY_LENGTH} characters;"
                " generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return key
    if production:
        raise ConfigError(
            f"production mode needs {variable} or {variable}_FILE;"
            " generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return _development_key(data_dir, file_name, variable)


def _previous_notes_key(env: Mapping[str, str], data_dir: Path) -> str | None:
    """The master key being rotated away from, if any: read-only until `keys rotate` ends."""
    variable = "MENTORSHIP_NOTES_PREVIOUS_KEY"
    if env.get(variable) or env.get(f"{variable}_FILE"):
        return _key(env, variable, "", data_dir, production=True)
    development_file = data_dir / NOTES_PREVIOUS_KEY_FILE_NAME
    if development_file.exists():
        return development_file.read_text(encoding="utf-8").strip()
    return None


def _development_key(data_dir: Path, file_name: str, variable: str) -> str:
    """Read a development key kept in the data folder, generating it on first use."""
    path = data_dir / file_name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    logger.warning(
        "No %s set: generated a development key in %s. Set %s or %s_FILE before real use.",
        variable,
        path,
        variable,
        variable,
    )
    return key


def _boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _choice(env: Mapping[str, str], name: str, options: tuple[str, ...], default: str) -> str:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw not in options:
        raise ConfigError(f"{name} must be one of {', '.join(options)}, not {raw!r}")
    return raw


_settings: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    global _settings
    if _settings is None:
        _settings = Settings.from_env()
    return _settings


def reset_settings() -> None:
    """Forget cached settings so the next call re-reads the environment (tests, CLI)."""
    global _settings
    _settings = None
