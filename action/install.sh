#!/usr/bin/env bash
# The install steps of action.yml.
#
#   install.sh key   writes `venv=<folder>` and `key=<cache key>` to $GITHUB_OUTPUT: the key names
#                    the action's own code (a hash of what pip builds), the exact Python version,
#                    the extras and the extra pip packages, so a cached venv is reused only for the
#                    very same install (actions/cache restores it between the two steps).
#   install.sh       installs pytest-schemafed from the action's own checkout into that private
#                    venv (the action's version is the code's version; the job's packages are left
#                    alone), unless the venv restored from the cache carries the same key. Writes
#                    `python=<venv python>` and `cache-hit=true|false` to $GITHUB_OUTPUT.
set -euo pipefail

action_path="${SCHEMAFED_ACTION_PATH:?SCHEMAFED_ACTION_PATH is not set}"
python_bin="${SCHEMAFED_PYTHON:-}"
if [ -z "$python_bin" ]; then
  python_bin="$(command -v python3 || command -v python)"
fi
output="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
extras="${SCHEMAFED_EXTRAS:-}"
extras="${extras#[}"
extras="${extras%]}"
packages="${SCHEMAFED_PIP_PACKAGES:-}"

if [ "${1:-}" = "key" ]; then
  key="$("$python_bin" - "$action_path" "$extras" "$packages" <<'PY'
import hashlib, platform, sys
from pathlib import Path

root, extras, packages = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
digest = hashlib.sha256(f"{extras}\0{packages}\0".encode())
files = [root / "pyproject.toml", root / "setup.py"]
for folder in ("pytest_schemafed", "build_backend"):
    files += sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
for path in files:
    if path.is_file():
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
print(f"schemafed-venv-{sys.platform}-{platform.machine()}-py{platform.python_version()}-{digest.hexdigest()[:20]}")
PY
)"
  echo "venv=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/schemafed-venv" >> "$output"
  echo "key=$key" >> "$output"
  echo "schemafed: install cache key $key"
  exit 0
fi

venv="${SCHEMAFED_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/schemafed-venv}"
key="${SCHEMAFED_KEY:-}"
if [ -x "$venv/bin/python" ]; then
  venv_python="$venv/bin/python"
else
  venv_python="$venv/Scripts/python.exe"  # Windows runners
fi

if [ -n "$key" ] && [ -f "$venv/.schemafed-key" ] && [ "$(cat "$venv/.schemafed-key")" = "$key" ] \
    && "$venv_python" -c "import pytest_schemafed" 2>/dev/null; then
  echo "python=$venv_python" >> "$output"
  echo "cache-hit=true" >> "$output"
  echo "schemafed: reusing the cached install ($key)"
  exit 0
fi

rm -rf "$venv"
target="$action_path"
if [ -n "$extras" ]; then
  target="$action_path[$extras]"
fi
"$python_bin" -m venv "$venv"
if [ -x "$venv/bin/python" ]; then
  venv_python="$venv/bin/python"
else
  venv_python="$venv/Scripts/python.exe"
fi
# shellcheck disable=SC2086  # the extra packages are a space-separated list on purpose
"$venv_python" -m pip install --quiet --disable-pip-version-check "$target" $packages
if [ -n "$key" ]; then
  echo "$key" > "$venv/.schemafed-key"
fi
echo "python=$venv_python" >> "$output"
echo "cache-hit=false" >> "$output"
echo "schemafed: installed $("$venv_python" -c 'from importlib.metadata import version; print(version("pytest-schemafed"))') from $action_path"
