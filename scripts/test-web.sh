#!/usr/bin/env bash
# The web app's tests: API contract check, Vitest unit tests, then Playwright end-to-end tests
# in headless Debian Chromium against the real server (installed from apt when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-web.sh
cd web

npm run check:api --silent
npx vitest run
npm run bundle-size --silent

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian chromium for the browser tests ..."
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

if [ ! -x "$ROOT/.venv/bin/mockroom" ]; then
    echo "The end-to-end tests need the server: run scripts/setup.sh first." >&2
    exit 1
fi
npm run test:e2e --silent
