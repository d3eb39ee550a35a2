"""`mockroom serve --workers N`: several processes need PostgreSQL, and SQLite is refused with the fix named.
(Workers serving on PostgreSQL are tested in tests/scale/test_processes.py.)"""

import os
import subprocess
import sys


def _serve(tmp_path, *options):
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(tmp_path)}
    env.pop("MOCKROOM_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "mockroom", "serve", "--port", "1", *options],
                          capture_output=True, text=True, env=env, timeout=120)


def test_more_than_one_worker_on_sqlite_is_refused_with_the_fix(tmp_path):
    result = _serve(tmp_path, "--workers", "3")
    assert result.returncode == 2
    assert "Refusing to start 3 workers on SQLite" in result.stderr
    assert "MOCKROOM_DATABASE_URL=postgresql+psycopg://" in result.stderr


def test_no_workers_is_refused(tmp_path):
    result = _serve(tmp_path, "--workers", "0")
    assert result.returncode == 2
    assert "--workers must be at least 1" in result.stderr
