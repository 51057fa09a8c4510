#!/usr/bin/env bash
# Installs Debian's redis-server (7.0.x) for the cluster tests, if it is not there yet. Needs root (apt).
# The tests start their own instances on free loopback ports and stop them by PID; the service this
# package may start is not used (and is stopped, so it holds no port a test could want).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server present: $(redis-server --version | head -c 60)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq redis-server >/dev/null
if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
echo "installed redis-server: $(redis-server --version | head -c 60)"
