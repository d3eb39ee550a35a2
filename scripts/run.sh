#!/usr/bin/env bash
# One command for a fresh machine: install what is missing, then run the app
# (server and web UI on http://127.0.0.1:8000, embedded default, no keys needed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
exec .venv/bin/mockroom serve "$@"
