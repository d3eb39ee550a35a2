#!/usr/bin/env bash
# Installs the web app's npm dependencies and builds web/dist, each step only when its inputs
# are newer than its output. Prints nothing when there is nothing to do.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/web"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    echo "Installing web dependencies (npm ci) ..."
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules
fi

# Keep the typed client's generated schema in step with the server's code. A dump that fails
# (server code mid-change) only warns here; scripts/test-web.sh runs the strict check.
stamp="node_modules/.mockroom-schema-stamp"
if [ -x "$ROOT/.venv/bin/python" ] && [ -f "$ROOT/src/mockroom/api/openapi.py" ]; then
    if [ ! -f "$stamp" ] || [ -n "$(find "$ROOT/src/mockroom" -newer "$stamp" -name '*.py' -print -quit)" ]; then
        if node scripts/check-api.mjs --generate-only --quiet; then
            touch "$stamp"
        else
            echo "warning: could not regenerate web/src/api/schema.gen.ts from the server's schema" >&2
        fi
    fi
fi

if [ ! -f dist/index.html ] || [ -n "$(find src index.html package.json package-lock.json tsconfig.json \
        vite.config.ts -newer dist/index.html -print -quit)" ]; then
    echo "Building the web app (npm run build) ..."
    npm run build --silent
fi
