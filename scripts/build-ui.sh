#!/usr/bin/env bash
# Builds the web UI into ui/dist (npm ci only when the lock file changed).
set -euo pipefail
cd "$(dirname "$0")/../ui"
if [ ! -f package.json ]; then
  mkdir -p dist && cp placeholder.html dist/index.html
  exit 0
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
