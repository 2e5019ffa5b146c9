"""Start-up configuration: typed environment readers (core.env), settings.py and manage.py.

The start-up tests run ``manage.py`` in a subprocess with a controlled environment whose var/ directory
is a temporary one, so nothing touches the project's own var/.
"""

import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

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

from .server import environment

BASE_DIR = Path(__file__).resolve().parents[1]


def start(var_dir: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    """Run ``manage.py *args`` with only ``variables`` (and ZHAOSHANG_VAR_DIR=var_dir) configured."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(var_dir, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def refused_with_one_line(result: subprocess.CompletedProcess) -> str:
    """The single ``configuration error:`` line a refused start-up prints (asserting there is exactly one)."""
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("configuration error:")
    assert "Traceback" not in result.stderr
    return lines[0]


def random_secret_key() -> str:
    key = secrets.token_urlsafe(45)
    assert len(key) == 60
    return key


# --- start-up through manage.py ------------------------------------------------------------------


def test_production_without_a_secret_key_refuses_to_start_with_one_line_naming_it(tmp_path):
    result = start(tmp_path, "check", ZHAOSHANG_MODE="production", ALLOWED_HOSTS="zhaoshang.example.cn")
    assert "SECRET_KEY" in refused_with_one_line(result)
    assert not (tmp_path / "secret_key").exists()  # production never falls back to a generated key


def test_production_with_a_short_secret_key_refuses_to_start(tmp_path):
    result = start(tmp_path, "check", ZHAOSHANG_MODE="production", SECRET_KEY="too-short", ALLOWED_HOSTS="x.cn")
    assert "SECRET_KEY" in refused_with_one_line(result)


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = start(tmp_path, "check", ZHAOSHANG_MODE="production", SECRET_KEY=random_secret_key())
    assert "ALLOWED_HOSTS" in refused_with_one_line(result)


@pytest.mark.parametrize("url", ["not-a-url", "mysql://x/y", "postgres://", "postgres://db.example.cn"])
def test_a_malformed_database_url_refuses_to_start_with_one_line_naming_it(tmp_path, url):
    result = start(tmp_path, "check", DATABASE_URL=url)
    assert "DATABASE_URL" in refused_with_one_line(result)


def test_an_unknown_mode_refuses_to_start(tmp_path):
    result = start(tmp_path, "check", ZHAOSHANG_MODE="staging")
    line = refused_with_one_line(result)
    assert "ZHAOSHANG_MODE" in line
    assert "staging" in line


def test_debug_must_be_true_or_false(tmp_path):
    line = refused_with_one_line(start(tmp_path, "check", DEBUG="maybe"))
    assert "DEBUG" in line
    assert "maybe" in line


def test_a_redis_url_of_another_scheme_refuses_to_start(tmp_path):
    line = refused_with_one_line(start(tmp_path, "check", REDIS_URL="http://localhost:6379"))
    assert "REDIS_URL" in line


def test_the_wsgi_entry_point_also_refuses_with_one_line(tmp_path):
    env = environment(tmp_path, ZHAOSHANG_MODE="production")
    result = subprocess.run(
        [sys.executable, "-c", "import zhaoshang.wsgi"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert "SECRET_KEY" in refused_with_one_line(result)


def test_a_configured_production_deployment_passes_djangos_deployment_checks_without_warnings(tmp_path):
    result = start(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZHAOSHANG_MODE="production",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="zhaoshang.example.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    assert "security." not in output  # no security.W0xx check id at any level


def test_production_with_debug_on_fails_the_deployment_checks(tmp_path):
    # The counterpart of the test above: the checks do run, and debug in production is caught.
    result = start(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZHAOSHANG_MODE="production",
        DEBUG="true",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="zhaoshang.example.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


PRINT_SECRET_KEY = ("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")


def test_development_generates_a_secret_key_once_and_reuses_it(tmp_path):
    var_dir = tmp_path / "var"
    first = start(var_dir, *PRINT_SECRET_KEY)
    assert first.returncode == 0, first.stderr
    key_file = var_dir / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert first.stdout.strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    second = start(var_dir, *PRINT_SECRET_KEY)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == key
    assert key_file.read_text().strip() == key


def test_development_keeps_its_database_in_the_var_directory(tmp_path):
    var_dir = tmp_path / "var"
    result = start(
        var_dir,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == var_dir / "zhaoshang.sqlite3"


def test_the_database_lock_timeout_is_read_from_the_environment(tmp_path):
    show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['timeout'])"
    result = start(tmp_path / "var", "shell", "--no-imports", "-c", show, DATABASE_LOCK_TIMEOUT="5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5"
    refused = start(tmp_path / "var", "shell", "--no-imports", "-c", show, DATABASE_LOCK_TIMEOUT="0")
    assert "DATABASE_LOCK_TIMEOUT" in refused_with_one_line(refused)


def test_a_secret_key_from_the_environment_wins_over_the_generated_one(tmp_path):
    key = random_secret_key()
    result = start(tmp_path, *PRINT_SECRET_KEY, SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
    assert not (tmp_path / "secret_key").exists()


def shell(var_dir: Path, code: str, **variables: str) -> str:
    result = start(var_dir, "shell", "--no-imports", "-c", code, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_redis_every_process_shares_the_cache_through_files_in_the_var_directory(tmp_path):
    shell(tmp_path, "from django.core.cache import cache; cache.set('shared', 42, None)")
    assert shell(tmp_path, "from django.core.cache import cache; print(cache.get('shared'))") == "42"
    assert list((tmp_path / "cache").iterdir())


IMAGE_SOURCES = "from django.conf import settings; print(*settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"


def test_the_content_security_policy_lets_images_come_from_the_online_tile_server_only_when_one_is_set(tmp_path):
    assert shell(tmp_path, IMAGE_SOURCES).split() == ["'self'", "data:", "blob:"]
    tiles = "https://{s}.tiles.example.cn/{z}/{x}/{y}.png"
    assert shell(tmp_path, IMAGE_SOURCES, ZHAOSHANG_ONLINE_TILES=tiles).split() == [
        "'self'",
        "data:",
        "blob:",
        "https://*.tiles.example.cn",
    ]


def test_an_online_tile_layer_that_is_not_a_web_address_refuses_to_start(tmp_path):
    line = refused_with_one_line(start(tmp_path, "check", ZHAOSHANG_ONLINE_TILES="tiles/{z}/{x}/{y}.png"))
    assert "ZHAOSHANG_ONLINE_TILES" in line


# --- the typed readers ---------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["1", "true", "True", "YES", "on", " yes "])
def test_env_bool_reads_the_words_for_true(monkeypatch, word):
    monkeypatch.setenv("FLAG", word)
    assert env_bool("FLAG", False) is True


@pytest.mark.parametrize("word", ["0", "false", "FALSE", "no", "off", ""])
def test_env_bool_reads_the_words_for_false(monkeypatch, word):
    monkeypatch.setenv("FLAG", word)
    assert env_bool("FLAG", True) is False


def test_env_bool_gives_the_default_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True
    assert env_bool("FLAG", False) is False


@pytest.mark.parametrize("word", ["maybe", "2", "y", "enabled"])
def test_env_bool_refuses_any_other_word_naming_the_variable(monkeypatch, word):
    monkeypatch.setenv("FLAG", word)
    with pytest.raises(ConfigError, match=r"^FLAG must be true or false") as refused:
        env_bool("FLAG", False)
    assert repr(word) in str(refused.value)


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("SECONDS", " 3600 ")
    assert env_int("SECONDS", 0) == 3600


def test_env_int_gives_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("SECONDS", raising=False)
    assert env_int("SECONDS", 7) == 7
    monkeypatch.setenv("SECONDS", "  ")
    assert env_int("SECONDS", 7) == 7


@pytest.mark.parametrize("value", ["1.5", "ten", "1e3"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, value):
    monkeypatch.setenv("SECONDS", value)
    with pytest.raises(ConfigError, match=r"^SECONDS must be a whole number"):
        env_int("SECONDS", 0)


def test_env_int_refuses_a_number_below_its_minimum(monkeypatch):
    monkeypatch.setenv("SECONDS", "-1")
    with pytest.raises(ConfigError, match=r"^SECONDS must be at least 0, got -1"):
        env_int("SECONDS", 0, minimum=0)
    monkeypatch.setenv("SECONDS", "0")
    assert env_int("SECONDS", 5, minimum=0) == 0


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.cn, b.example.cn ,,")
    assert env_list("HOSTS", ["default"]) == ["a.example.cn", "b.example.cn"]


def test_env_list_gives_a_copy_of_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("HOSTS", raising=False)
    default = ["localhost"]
    result = env_list("HOSTS", default)
    assert result == ["localhost"]
    result.append("other")
    assert default == ["localhost"]


def test_env_str_requires_a_required_variable(monkeypatch):
    monkeypatch.setenv("NAME", "   ")
    with pytest.raises(ConfigError, match=r"^NAME is required"):
        env_str("NAME", required=True)
    monkeypatch.setenv("NAME", " value ")
    assert env_str("NAME", required=True) == "value"


def test_env_choice_accepts_only_its_choices(monkeypatch):
    monkeypatch.setenv("LEVEL", "INFO")
    assert env_choice("LEVEL", ["INFO", "DEBUG"], "DEBUG") == "INFO"
    monkeypatch.setenv("LEVEL", "info")
    with pytest.raises(ConfigError, match=r"^LEVEL must be one of INFO, DEBUG, got 'info'"):
        env_choice("LEVEL", ["INFO", "DEBUG"], "DEBUG")


# --- database_config -----------------------------------------------------------------------------


def test_database_config_reads_a_sqlite_url_without_persistent_connections(monkeypatch, tmp_path):
    monkeypatch.setenv("DB_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    config = database_config("DB_URL", "sqlite:///unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["CONN_MAX_AGE"] == 0
    assert "CONN_HEALTH_CHECKS" not in config
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_config_makes_sqlite_writers_queue_for_the_lock_up_to_the_lock_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("DB_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    options = database_config("DB_URL", "sqlite:///unused.sqlite3", lock_timeout=7)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 7


def test_database_config_gives_postgres_a_lock_timeout_beside_the_options_of_the_url(monkeypatch):
    monkeypatch.setenv("DB_URL", "postgres://zs@db.example.cn/zhaoshang")
    assert database_config("DB_URL", "sqlite:///unused.sqlite3")["OPTIONS"]["options"] == "-c lock_timeout=20000"
    monkeypatch.setenv("DB_URL", "postgres://zs@db.example.cn/zhaoshang?options=-c%20search_path%3Dzs")
    options = database_config("DB_URL", "sqlite:///unused.sqlite3", lock_timeout=5)["OPTIONS"]["options"]
    assert options == "-c search_path=zs -c lock_timeout=5000"


def test_database_config_uses_the_default_url_when_unset(monkeypatch, tmp_path):
    monkeypatch.delenv("DB_URL", raising=False)
    config = database_config("DB_URL", f"sqlite:///{tmp_path / 'default.sqlite3'}")
    assert config["NAME"] == str(tmp_path / "default.sqlite3")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_database_config_reads_a_postgres_url(monkeypatch, scheme):
    monkeypatch.setenv("DB_URL", f"{scheme}://zs:pa%40ss@db.example.cn:6543/zhaoshang")
    config = database_config("DB_URL", "sqlite:///unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("zhaoshang", "zs", "pa@ss")
    assert (config["HOST"], config["PORT"]) == ("db.example.cn", 6543)
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not-a-url", r"^DB_URL is not a database URL"),
        ("mysql://x/y", r"^DB_URL must use sqlite:// or postgres://, got mysql://"),
        ("postgres://", r"^DB_URL names no database"),
        ("postgres://zs@db.example.cn:5432/", r"^DB_URL names no database"),
    ],
)
def test_database_config_refuses_a_malformed_url_naming_the_variable(monkeypatch, url, message):
    monkeypatch.setenv("DB_URL", url)
    with pytest.raises(ConfigError, match=message):
        database_config("DB_URL", "sqlite:///unused.sqlite3")


# --- secret_key ----------------------------------------------------------------------------------


def test_secret_key_is_read_from_the_environment(monkeypatch, tmp_path):
    key = random_secret_key()
    monkeypatch.setenv("KEY", key)
    assert secret_key("KEY", production=True, key_file=tmp_path / "secret_key") == key
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("weak", ["short", "a" * 60, "django-insecure-" + "x1y2z3w4" * 6])
def test_production_refuses_a_weak_secret_key(monkeypatch, tmp_path, weak):
    monkeypatch.setenv("KEY", weak)
    with pytest.raises(ConfigError, match=r"^KEY must be at least 50 random characters"):
        secret_key("KEY", production=True, key_file=tmp_path / "secret_key")
    # development accepts what it is given
    assert secret_key("KEY", production=False, key_file=tmp_path / "secret_key") == weak


def test_production_without_a_secret_key_never_generates_one(monkeypatch, tmp_path):
    monkeypatch.delenv("KEY", raising=False)
    with pytest.raises(ConfigError, match=r"^KEY is required in production"):
        secret_key("KEY", production=True, key_file=tmp_path / "secret_key")
    assert not (tmp_path / "secret_key").exists()


def test_development_generates_a_private_secret_key_file_and_reuses_it(monkeypatch, tmp_path):
    monkeypatch.delenv("KEY", raising=False)
    key_file = tmp_path / "nested" / "secret_key"
    key = secret_key("KEY", production=False, key_file=key_file)
    assert len(key) >= 50
    assert key_file.read_text() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_key("KEY", production=False, key_file=key_file) == key
    assert secret_key("KEY", production=False, key_file=tmp_path / "other") != key
