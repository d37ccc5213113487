#!/usr/bin/env bash
# Writes the native API's OpenAPI document to ui/src/api/openapi.json and generates the UI's
# TypeScript types from it (ui/src/api/schema.d.ts). Both are checked in; tests fail when
# either is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" - <<'PY'
import json
import tempfile
from pathlib import Path

from app.core.openapi import document_of
from app.server import create_app
from app.settings import Settings

with tempfile.TemporaryDirectory() as tmp:
    folder = Path(tmp)
    app = create_app(Settings(config_path=folder, download_path=folder, temp_path=folder))
    text = json.dumps(document_of(app), indent=2, ensure_ascii=False) + "\n"
Path("ui/src/api/openapi.json").write_text(text)
PY
cd ui
npm run --silent api:types
