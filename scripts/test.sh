#!/usr/bin/env bash
# Install (if needed) and run the test suite with the real models, on SQLite and,
# where the server answers, on PostgreSQL (SAYSO_TEST_POSTGRES_URL; default: the local `test` database).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
exec .venv/bin/python -m pytest "$@"
