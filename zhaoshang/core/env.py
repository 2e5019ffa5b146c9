"""Typed readers of environment variables that fail loudly.

Settings are read once at start-up. A bad value raises ``ConfigError`` with one
line naming the variable and what was expected; ``manage.py``, ``wsgi.py`` and
``celery.py`` print that line and exit instead of showing a traceback.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A setting taken from the environment is missing or malformed."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ConfigError(f"{name} is required but not set")
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: list[str], default: str) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def database_config(name: str, default: str, *, lock_timeout: int = 20) -> dict:
    """Parse a database URL (sqlite:///path or postgres://user@host/db).

    ``lock_timeout``: the seconds a write waits for another to release its lock before it is refused (and the
    user told that someone else is changing the record, see core/conflicts.py).
    """
    import dj_database_url

    url = env_str(name, default)
    if "://" not in url:
        raise ConfigError(
            f"{name} is not a database URL (expected e.g. postgres://user:pass@host:5432/db), got {url!r}"
        )
    scheme = url.split("://", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql", "postgis"}:
        raise ConfigError(f"{name} must use sqlite:// or postgres://, got {scheme}://")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several kinds
        raise ConfigError(f"{name} is malformed: {exc}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ConfigError(f"{name} names no database (expected postgres://user@host:5432/dbname)")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config.pop("CONN_HEALTH_CHECKS", None)
        # A page cache of 64 MB (the default is 2 MB): a table of 200,000 projects has some twenty indexes, and
        # writing thousands of rows at once otherwise reads their pages again and again.
        pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        # Writers queue instead of failing: a transaction takes the write lock when it begins (IMMEDIATE), waiting
        # for it up to the timeout. A deferred one reads first and, when another has written meanwhile, cannot
        # take the lock at all ("database is locked" at once, whatever the timeout). Reads take no transaction
        # (no ATOMIC_REQUESTS) and, in WAL mode, never wait for a writer.
        config["OPTIONS"] = {"init_command": pragmas, "timeout": lock_timeout, "transaction_mode": "IMMEDIATE"}
    else:
        # A row lock waited for longer than this is refused (55P03) rather than holding the request until the
        # server kills it; a statement waiting for no lock is not limited.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c lock_timeout={lock_timeout * 1000}".strip()
    return config


def secret_key(name: str, *, production: bool, key_file: Path) -> str:
    """The secret key: required in production; generated into var/ otherwise."""
    value = env_str(name)
    if value:
        if production and (len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure")):
            raise ConfigError(f"{name} must be at least 50 random characters in production")
        return value
    if production:
        raise ConfigError(f"{name} is required in production mode (ZHAOSHANG_MODE=production)")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    try:  # created exclusively and private from the start; a concurrent start reads the winner's key
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(60)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
