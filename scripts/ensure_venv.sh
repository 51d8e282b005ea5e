#!/usr/bin/env bash
# Create (once) the virtualenv for one of the two environments and link it at .venv/<name>.
#
# A venv is keyed by the content of its lock files and the interpreter version, and lives in
# $JOSO_CACHE_DIR/venvs/<name>-<hash>. A fresh clone on the same machine reuses it; a changed lock
# file makes a new one. Venvs are not relocatable, so each is built in place and marked complete
# only at the end: an interrupted install is detected and redone.
#
# usage: scripts/ensure_venv.sh engine|app
set -euo pipefail

name=${1:?usage: ensure_venv.sh engine|app}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3.11}
cache=${JOSO_CACHE_DIR:-$HOME/.cache/joso-chatbot}

lock="$root/requirements/$name.txt"
nodeps="$root/requirements/$name-nodeps.txt"   # installed without dependency resolution (engine only)
[ -f "$lock" ] || { echo "ensure_venv: no lock file $lock" >&2; exit 2; }
command -v "$python" >/dev/null || { echo "ensure_venv: $python not found (set PYTHON=...)" >&2; exit 2; }

key=$( { "$python" -c 'import sys; print(sys.version)'; cat "$lock"; [ -f "$nodeps" ] && cat "$nodeps"; cat "$0"; } \
      | sha256sum | cut -c1-16)
venv="$cache/venvs/$name-$key"
mkdir -p "$cache/venvs" "$root/.venv"

link_venv() { ln -sfn "$venv" "$root/.venv/$name"; }

if [ -f "$venv/.complete" ]; then
  link_venv
  exit 0
fi

exec 9>"$cache/venvs/.$name-$key.lock"
flock 9
if [ -f "$venv/.complete" ]; then   # another run finished it while we waited
  link_venv
  exit 0
fi

log="$cache/venvs/$name-$key.log"
echo "[setup] installing the $name environment into $venv (log: $log)"
start=$(date +%s)
rm -rf "$venv"
"$python" -m venv "$venv"
{
  "$venv/bin/pip" install --no-input -r "$lock"
  if [ -f "$nodeps" ]; then
    # Rasa 3.6 declares Python < 3.11 but runs on 3.11 with the pinned dependencies above;
    # --ignore-requires-python must only be used here, never while resolving dependencies.
    "$venv/bin/pip" install --no-input --no-deps --ignore-requires-python -r "$nodeps"
  fi
} >"$log" 2>&1 || {
  echo "[setup] installing the $name environment failed; last lines of $log:" >&2
  grep -v "^WARNING: Location" "$log" | tail -n 30 >&2
  exit 1
}
touch "$venv/.complete"
link_venv
echo "[setup] $name environment ready in $(( $(date +%s) - start )) s"
