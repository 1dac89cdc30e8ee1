#!/usr/bin/env bash
# Creates the virtual environment and installs the pinned packages; re-installs only when the
# requirement files change.
set -euo pipefail
venv="${1:-.venv}"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the Python environment in $venv ..."
  "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing Python packages (pinned in requirements*.txt) ..."
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi
