#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (e2e/), if it is not there yet. Needs root (apt).
# Playwright's own browser download is not used: this machine reaches only Debian's and npm's registries.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium present: $(command -v chromium)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "installed chromium: $(command -v chromium)"
