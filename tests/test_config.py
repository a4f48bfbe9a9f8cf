"""Settings parsing from the environment."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from mentorship.config import ConfigError, Settings, parse_database_url

KEY = "k" * 40


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"MENTORSHIP_DATA_DIR": str(tmp_path), **values}


def test_defaults_use_sqlite_in_the_data_folder(tmp_path):
    settings = Settings.from_env(env(tmp_path, MENTORSHIP_SECRET_KEY=KEY))
    assert settings.database.engine == "sqlite"
    assert settings.database.sqlite_path == tmp_path / "mentorship.sqlite"
    assert settings.environment == "development"
    assert settings.cookie_secure is False
    assert settings.session_cookie_name == "mentorship_session"
    assert settings.allowed_hosts == ("localhost", "127.0.0.1")


def test_database_urls():
    relative = parse_database_url("sqlite:///data/app.sqlite")
    assert relative.sqlite_path == Path.cwd() / "data" / "app.sqlite"
    absolute = parse_database_url("sqlite:////var/lib/app.sqlite")
    assert absolute.sqlite_path == Path("/var/lib/app.sqlite")
    pg = parse_database_url("postgresql://app:s3cret@db.internal:5433/mentorship")
    assert pg.engine == "postgres"
    assert "s3cret" not in pg.display and "db.internal:5433/mentorship" in pg.display


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://x/y", "not supported"),
        ("just-a-path.sqlite", "not a URL"),
        ("sqlite:///", "names no SQLite file"),
        ("postgresql://host-only", "database name"),
    ],
)
def test_bad_database_urls_say_what_is_wrong(url, words):
    with pytest.raises(ConfigError, match=words):
        parse_database_url(url)


def test_development_key_is_generated_once_and_kept_private(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    first = Settings.from_env(env(tmp_path))
    assert "generated a development key" in caplog.text
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    caplog.clear()
    second = Settings.from_env(env(tmp_path))
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    assert "generated" not in caplog.text


def test_production_refuses_to_start_without_a_key(tmp_path):
    with pytest.raises(ConfigError, match="production mode needs MENTORSHIP_SECRET_KEY"):
        Settings.from_env(env(tmp_path, MENTORSHIP_ENV="production"))
    assert not (tmp_path / "secret_key").exists()


def test_production_needs_its_own_audit_key(tmp_path):
    with pytest.raises(ConfigError, match="production mode needs MENTORSHIP_AUDIT_KEY"):
        Settings.from_env(env(tmp_path, MENTORSHIP_ENV="production", MENTORSHIP_SECRET_KEY=KEY))


def test_production_needs_a_notes_key(tmp_path):
    with pytest.raises(ConfigError, match="production mode needs MENTORSHIP_NOTES_KEY"):
        Settings.from_env(
            env(
                tmp_path,
                MENTORSHIP_ENV="production",
                MENTORSHIP_SECRET_KEY=KEY,
                MENTORSHIP_AUDIT_KEY="audit-" + KEY,
            )
        )
    assert not (tmp_path / "notes_key").exists()


def test_notes_keys_configured_or_generated(tmp_path):
    generated = Settings.from_env(env(tmp_path))
    assert generated.notes_key_file == tmp_path / "notes_key"
    assert generated.notes_key == (tmp_path / "notes_key").read_text().strip()
    assert generated.notes_previous_key is None
    assert len({generated.notes_key, generated.audit_key, generated.secret_key}) == 3
    configured = Settings.from_env(
        env(tmp_path, MENTORSHIP_NOTES_KEY="n" * 40, MENTORSHIP_NOTES_PREVIOUS_KEY="p" * 40)
    )
    assert configured.notes_key_file is None
    assert (configured.notes_key, configured.notes_previous_key) == ("n" * 40, "p" * 40)
    with pytest.raises(ConfigError, match="MENTORSHIP_NOTES_PREVIOUS_KEY must be at least 32"):
        Settings.from_env(env(tmp_path, MENTORSHIP_NOTES_PREVIOUS_KEY="short"))
    assert "n" * 40 not in repr(configured)  # keys never appear in logs of the settings


def test_development_generates_an_audit_key_apart_from_the_secret_key(tmp_path):
    first = Settings.from_env(env(tmp_path))
    again = Settings.from_env(env(tmp_path))
    assert first.audit_key == again.audit_key
    assert len(first.audit_key) >= 32 and first.audit_key != first.secret_key
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600


def test_production_defaults_are_strict(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    settings = Settings.from_env(
        env(
            tmp_path,
            MENTORSHIP_ENV="production",
            MENTORSHIP_SECRET_KEY_FILE=str(key_file),
            MENTORSHIP_AUDIT_KEY="audit-" + KEY,
            MENTORSHIP_NOTES_KEY="notes-" + KEY,
        )
    )
    assert settings.secret_key == KEY
    assert settings.audit_key == "audit-" + KEY
    assert settings.cookie_secure is True
    assert settings.session_cookie_name == "__Host-mentorship_session"
    with pytest.raises(ConfigError, match="may not be"):
        Settings.from_env(
            env(
                tmp_path,
                MENTORSHIP_ENV="production",
                MENTORSHIP_SECRET_KEY=KEY,
                MENTORSHIP_AUDIT_KEY="audit-" + KEY,
                MENTORSHIP_NOTES_KEY="notes-" + KEY,
                MENTORSHIP_ALLOWED_HOSTS="*",
            )
        )


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("MENTORSHIP_SESSION_IDLE_MINUTES", "soon", "whole number"),
        ("MENTORSHIP_SESSION_IDLE_MINUTES", "0", "between"),
        ("MENTORSHIP_COOKIE_SECURE", "maybe", "true or false"),
        ("MENTORSHIP_ENV", "staging", "one of"),
        ("MENTORSHIP_SECRET_KEY", "short", "at least 32"),
        ("MENTORSHIP_SECRET_KEY_FILE", "/no/such/file", "cannot be read"),
    ],
)
def test_bad_settings_name_the_variable(tmp_path, name, value, words):
    values = {"MENTORSHIP_SECRET_KEY": KEY} if name != "MENTORSHIP_SECRET_KEY_FILE" else {}
    values[name] = value
    with pytest.raises(ConfigError, match=words) as error:
        Settings.from_env(env(tmp_path, **values))
    assert name in str(error.value) or "secret key" in str(error.value)


def test_the_district_time_zone_is_checked_at_start_up(tmp_path):
    env = {"MENTORSHIP_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(env).timezone == "America/New_York"
    assert Settings.from_env({**env, "MENTORSHIP_TIMEZONE": "America/Chicago"}).timezone == (
        "America/Chicago"
    )
    with pytest.raises(ConfigError, match="'Mars/Olympus' is not a known time zone"):
        Settings.from_env({**env, "MENTORSHIP_TIMEZONE": "Mars/Olympus"})


def test_the_cheap_password_hashing_of_test_servers_is_refused_in_production(tmp_path):
    env = {"MENTORSHIP_DATA_DIR": str(tmp_path), "MENTORSHIP_PASSWORD_HASH_PROFILE": "test"}
    assert Settings.from_env(env).password_hash_profile == "test"
    assert Settings.from_env({"MENTORSHIP_DATA_DIR": str(tmp_path)}).password_hash_profile == (
        "standard"
    )
    production = {
        **env,
        "MENTORSHIP_ENV": "production",
        "MENTORSHIP_SECRET_KEY": KEY,
        "MENTORSHIP_AUDIT_KEY": KEY + "a",
        "MENTORSHIP_NOTES_KEY": KEY + "n",
    }
    with pytest.raises(ConfigError, match="PASSWORD_HASH_PROFILE=test is for test servers"):
        Settings.from_env(production)
