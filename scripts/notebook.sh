#!/usr/bin/env bash
# notebook.sh — open notebooks/ in JupyterLab when it is installed, else in the
# classic Jupyter Notebook, with the GoNB kernel's tools on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--no-setup" ] || scripts/setup.sh
export PATH=$(go env GOPATH | cut -d: -f1)/bin:$(dirname "$(command -v go)"):$PATH
if jupyter lab --version >/dev/null 2>&1; then
  exec jupyter lab --notebook-dir=notebooks
fi
exec jupyter notebook --notebook-dir=notebooks
