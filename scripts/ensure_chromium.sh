#!/usr/bin/env bash
# Debian's chromium and the fonts its screenshots need (Japanese, emoji), for the web widget's browser tests.
# Nothing downloads a browser at test time; Playwright drives this one (/usr/bin/chromium).
# Idempotent: installs only what is missing. Runs as root (CI) or through sudo.
set -euo pipefail

PACKAGES=(chromium fonts-noto-cjk fonts-noto-color-emoji)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ] && [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "[setup] the browser tests need: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "[setup] installing for the browser tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt run (a second `make test`, unattended upgrades) may hold dpkg's lock: wait for it.
apt_options=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
"${sudo[@]}" apt-get "${apt_options[@]}" update -qq >/dev/null
"${sudo[@]}" apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/chromium --version
