#!/usr/bin/env bash
# The editor page's browser test (tests/service/test_editor_page.py): headless Chromium
# and its driver from Debian. Playwright for Python comes with the `test` extra; its own
# browser download is never used. Idempotent: quick when both are installed.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "browser.sh: not root, cannot apt-get install chromium; the browser tests will skip (fail under CI=true)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver  # with its fonts (a recommends)
