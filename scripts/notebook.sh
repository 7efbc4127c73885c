#!/usr/bin/env bash
# notebook.sh — open notebooks/ in JupyterLab when it is installed, else in the
# classic Jupyter Notebook, with the GoNB kernel's tools on PATH.
#
#   scripts/notebook.sh [--no-setup] [--classic] [--dir DIR] [-- JUPYTER-ARGS...]
#
#   --no-setup   skip scripts/setup.sh (already run)
#   --classic    use the classic Notebook UI even when JupyterLab is installed
#   --dir DIR    serve DIR instead of notebooks/
#   -- ARGS      passed to jupyter (e.g. -- --no-browser --port 8890)
set -euo pipefail
cd "$(dirname "$0")/.."
setup=1 classic=0 dir=notebooks
while [ $# -gt 0 ]; do
  case "$1" in
    --no-setup) setup=0 ;;
    --classic) classic=1 ;;
    --dir) dir=$2; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "notebook.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$setup" = 0 ] || scripts/setup.sh
export PATH=$(go env GOPATH | cut -d: -f1)/bin:$(dirname "$(command -v go)"):$PATH
# Jupyter refuses to run as root (containers, CI) without --allow-root.
if [ "$(id -u)" = 0 ]; then set -- --allow-root "$@"; fi
if [ "$classic" = 0 ] && jupyter lab --version >/dev/null 2>&1; then
  exec jupyter lab --notebook-dir="$dir" "$@"
fi
if ! jupyter notebook --version >/dev/null 2>&1; then
  echo "notebook.sh: neither JupyterLab nor the classic Notebook is installed: run scripts/setup.sh" >&2
  exit 1
fi
exec jupyter notebook --notebook-dir="$dir" "$@"
