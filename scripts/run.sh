#!/usr/bin/env bash
# run.sh — the main job: set up, execute every course notebook headless through
# the GoNB kernel, and write an HTML report per notebook to reports/.
#
#   scripts/run.sh                 all notebooks, the course's full settings
#   scripts/run.sh --quick         all notebooks with few iterations (minutes)
#   scripts/run.sh --full          also the long all-data runs (2_8: 20 epochs)
#   scripts/run.sh 2_6_simple_convolution_network   only the named notebooks
set -euo pipefail
cd "$(dirname "$0")/.."
quick=()
names=()
for a in "$@"; do
  case "$a" in
    --quick) quick=(-quick) ;;
    --full) quick=(-full) ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $a (see scripts/run.sh --help)" >&2; exit 2 ;;
    *) [ -f "notebooks/${a%.ipynb}.ipynb" ] || { echo "run.sh: no notebook notebooks/${a%.ipynb}.ipynb (ls notebooks/ lists them)" >&2; exit 2; }
       names+=("$a") ;;
  esac
done
scripts/setup.sh
export PATH=$PWD/.venv/bin:$(go env GOPATH | cut -d: -f1)/bin:$PATH
# Two notebooks at a time: one compiles its cells and loads data on one core while the other trains.
go run ./dlnb/cmd/dlnb notebooks -jobs 2 "${quick[@]}" -out build/executed -html reports "${names[@]}"
