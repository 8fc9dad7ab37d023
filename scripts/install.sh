#!/usr/bin/env bash
# Install Sayso and everything it needs into .venv (idempotent; quick when done before).
# torch is installed first, pinned, from constraints.txt: 2.13.0 is the CPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
EXTRAS=${1:-}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.sayso-installed$EXTRAS"
if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ] && [ "$stamp" -nt constraints.txt ]; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt torch==2.13.0
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".${EXTRAS:+[$EXTRAS]}"
touch "$stamp"
