#!/usr/bin/env bash
# Debian's chromium, for the web widget's browser tests (nothing downloads a browser at test time).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "[setup] installing Debian's chromium for the browser tests"
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
command -v chromium
