#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages: the run-time system libraries,
# poppler (PDF checks), a headless Chromium and Java for the HTML checks, and the pinned Node
# tools (Nu HTML checker, axe-core, playwright-core) under tests/browser.  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=(poppler-utils chromium)
command -v java >/dev/null 2>&1 || extra+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || extra+=(nodejs npm)
bash scripts/install-system-deps.sh "${extra[@]}"
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
fi
