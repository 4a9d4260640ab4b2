#!/usr/bin/env bash
# Step 2 of action.yml: install pytest-schemafed from the action's own checkout into a
# private virtual environment, so the action's version is the code's version and the
# job's own Python packages are left alone. Writes `python=<venv python>` to $GITHUB_OUTPUT.
set -euo pipefail

action_path="${SCHEMAFED_ACTION_PATH:?SCHEMAFED_ACTION_PATH is not set}"
python_bin="${SCHEMAFED_PYTHON:-}"
if [ -z "$python_bin" ]; then
  python_bin="$(command -v python3 || command -v python)"
fi
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/schemafed-venv"
target="$action_path"
if [ -n "${SCHEMAFED_EXTRAS:-}" ]; then
  target="$action_path[${SCHEMAFED_EXTRAS}]"
fi

"$python_bin" -m venv "$venv"
if [ -x "$venv/bin/python" ]; then
  venv_python="$venv/bin/python"
else
  venv_python="$venv/Scripts/python.exe"  # Windows runners
fi
"$venv_python" -m pip install --quiet --disable-pip-version-check "$target"
echo "python=$venv_python" >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
echo "schemafed: installed $("$venv_python" -c 'from importlib.metadata import version; print(version("pytest-schemafed"))') from $action_path"
