#!/usr/bin/env bash
# Install (if needed) and run Sayso under gunicorn on its embedded default:
# SQLite + FAISS files under $SAYSO_DATA_DIR (./data). Set SAYSO_DATABASE_URL for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export SAYSO_DATA_DIR=${SAYSO_DATA_DIR:-$PWD/data}
exec .venv/bin/sayso serve "$@"
