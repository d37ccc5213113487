#!/usr/bin/env bash
# Type-checks and unit-tests the web UI (vue-tsc + Vitest) once it has sources.
set -euo pipefail
cd "$(dirname "$0")/../ui"
[ -f package.json ] || exit 0
npm run --silent check
