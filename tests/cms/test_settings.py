"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing, message",
    [
        ({"ALLOWED_HOSTS": "board.example.gov.uk"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "Set ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_key_or_hosts(missing, message):
    result = manage("check", DJANGO_SETTINGS_MODULE="cms.settings.production", **missing)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="k" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="board.example.gov.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_dev_settings_default_to_sqlite_and_debug():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert "True django.db.backends.sqlite3" in result.stdout


def test_debug_is_off_outside_dev_settings():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print('DEBUG', settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="board.example.gov.uk",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_database_url_selects_postgresql():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'])",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL="postgres://postgres@db.example:5432/boardpapers",
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql boardpapers db.example" in result.stdout


def test_postgresql_connections_compile_no_jit_and_production_adds_a_statement_timeout():
    """JIT compiling chosen by a search's priced cost took longer than the query it
    compiled; production keeps that and adds its statement timeout. Index lookups are priced
    for data in memory unless DATABASE_RANDOM_PAGE_COST says otherwise, and no query takes
    parallel workers unless DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER says otherwise."""
    show = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW jit'); print('jit', c.fetchone()[0]); "
        "c.execute('SHOW statement_timeout'); print('timeout', c.fetchone()[0]); "
        "c.execute('SHOW work_mem'); print('work_mem', c.fetchone()[0]); "
        "c.execute('SHOW random_page_cost'); print('random_page_cost', c.fetchone()[0]); "
        "c.execute('SHOW max_parallel_workers_per_gather'); print('workers', c.fetchone()[0])"
    )
    # Options given in DATABASE_URL are kept beside the site's own.
    database = "postgres://postgres@127.0.0.1:5432/postgres?options=-c%20work_mem%3D8MB"
    dev = manage("shell", "-c", show, DJANGO_SETTINGS_MODULE="cms.settings.dev",
                 DATABASE_URL=database)  # fmt: skip
    production = manage(
        "shell", "-c", show, DJANGO_SETTINGS_MODULE="cms.settings.production",
        DATABASE_URL=database, SECRET_KEY="x" * 60, ALLOWED_HOSTS="board.example.gov.uk",
        DATABASE_STATEMENT_TIMEOUT="12", DATABASE_RANDOM_PAGE_COST="4",
        DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER="2",
    )  # fmt: skip
    if "connection" in dev.stderr and "refused" in dev.stderr:
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432")
    assert dev.returncode == 0, dev.stderr
    assert "jit off" in dev.stdout and "timeout 0" in dev.stdout, dev.stdout
    assert "work_mem 8MB" in dev.stdout and "random_page_cost 1.1" in dev.stdout, dev.stdout
    assert "workers 0\n" in dev.stdout, dev.stdout
    assert production.returncode == 0, production.stderr
    assert "jit off" in production.stdout and "timeout 12s" in production.stdout
    assert "work_mem 8MB" in production.stdout, production.stdout
    assert "random_page_cost 4\n" in production.stdout, production.stdout
    assert "workers 2\n" in production.stdout, production.stdout


def test_passwords_are_hashed_with_argon2id_and_older_hashes_still_sign_in_and_are_upgraded():
    """Signing in was the slowest request under load (PBKDF2's 1,000,000 iterations); the site
    hashes with Argon2id at OWASP's parameters, and a password hashed before still works."""
    script = (
        "from django.contrib.auth.hashers import check_password, make_password; "
        "from django.contrib.auth.hashers import PBKDF2PasswordHasher; "
        "print('new', make_password('correct horse battery')); "
        "old = PBKDF2PasswordHasher().encode('correct horse battery', 'somesalt'); "
        "upgraded = []; "
        "print('old signs in', check_password('correct horse battery', old, upgraded.append)); "
        "print('wrong refused', not check_password('wrong', old)); "
        "print('rehashed', upgraded == ['correct horse battery'])"
    )
    for settings_module, extra in (
        ("cms.settings.dev", {}),
        ("cms.settings.production",
         {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "board.example.gov.uk"}),
    ):  # fmt: skip
        result = manage("shell", "-c", script, DJANGO_SETTINGS_MODULE=settings_module, **extra)
        assert result.returncode == 0, result.stderr
        assert "new argon2$argon2id$v=19$m=19456,t=2,p=1$" in result.stdout, result.stdout
        for line in ("old signs in True", "wrong refused True", "rehashed True"):
            assert line in result.stdout, (settings_module, result.stdout)
