"""The management commands the README names run as written (`python manage.py audit_verify`)
in a checkout where `make run` generated var/secret_key, with none of make's variables; a
production process with no key anywhere still refuses to start.

Each runs manage.py in a child process with a clean environment (no LANTERN_TESTING, no
LANTERN_DEBUG, no LANTERN_SECURE_COOKIES): only the var directory is named, because the
checkout's own var/ may hold a developer's data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-generated-key-" + "x" * 50


def manage(var_dir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LANTERN_VAR_DIR": str(var_dir), **extra_env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180, check=False)


@pytest.fixture
def made_run(tmp_path):
    """A var directory as `make run` leaves it: a generated key, keys, a migrated database."""
    (tmp_path / "secret_key").write_text(KEY + "\n")
    for step in (["init_keys"], ["migrate", "--noinput", "-v0"]):
        done = manage(tmp_path, *step)
        assert done.returncode == 0, done.stderr
    return tmp_path


def test_the_readmes_commands_run_with_the_key_make_run_generated(made_run):
    for command in (["audit_verify"], ["audit_checkpoint"], ["audit_seal"], ["run_jobs"],
                    ["snooping_report", "--days", "7"]):
        done = manage(made_run, *command)
        assert done.returncode == 0, (command, done.stderr)
        assert "LANTERN_SECRET_KEY" not in done.stderr


def secret_key_seen(var_dir: Path, **extra_env: str) -> str:
    shown = manage(var_dir, "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
                   **extra_env)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip().splitlines()[-1]


def test_the_generated_key_is_the_one_used_and_the_environment_still_wins(tmp_path):
    (tmp_path / "secret_key").write_text(KEY + "\n")
    assert secret_key_seen(tmp_path) == KEY
    assert secret_key_seen(tmp_path, LANTERN_SECRET_KEY="from-the-env") == "from-the-env"
    named = tmp_path / "elsewhere"
    named.write_text("from-the-named-file\n")
    assert secret_key_seen(tmp_path, LANTERN_SECRET_KEY_FILE=str(named)) == "from-the-named-file"


def test_without_any_key_a_production_process_refuses_to_start(tmp_path):
    refused = manage(tmp_path, "check")
    assert refused.returncode != 0
    assert "LANTERN_SECRET_KEY is not set" in refused.stderr
    empty = tmp_path / "secret_key"
    empty.write_text("\n")  # an empty generated file is no key either
    assert "LANTERN_SECRET_KEY is not set" in manage(tmp_path, "check").stderr


def test_a_named_key_file_that_is_missing_is_an_error_not_a_fallback(tmp_path):
    (tmp_path / "secret_key").write_text(KEY)
    refused = manage(tmp_path, "check", LANTERN_SECRET_KEY_FILE=str(tmp_path / "no-such-file"))
    assert refused.returncode != 0 and "no-such-file" in refused.stderr
