#!/usr/bin/env bash
# setup.sh — nbgrader for the exercises: .venv-grader/ (git-ignored) with the packages pinned in
# scripts/nbgrader/requirements.txt (the Jupyter stack of scripts/requirements.txt plus nbgrader
# 0.9.6), from PyPI. The students never need it; a teacher does (docs/exercises.md), and so does the
# round-trip test (notebooks/exercises_test.go, run by scripts/test.sh).
#
#   scripts/nbgrader/setup.sh          make .venv-grader, or say it is there
#   scripts/nbgrader/setup.sh --print  also print its bin folder on stdout (for scripts)
#
# Safe to run again: it reinstalls only when the requirement files or the Python version changed (a
# stamp file holds their hash). One to three minutes. nbgrader runs the notebooks through the GoNB kernel that
# scripts/setup.sh installs in .venv/share/jupyter (JUPYTER_PATH, set by scripts/nbgrader/nbgrader.sh).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
print=0
for a in "$@"; do
  case "$a" in
    --print) print=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "nbgrader setup: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[nbgrader setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[nbgrader setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

req=scripts/nbgrader/requirements.txt
venv=$ROOT/.venv-grader
PY=${DLNB_PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || die "no $PY on PATH: install Python 3.11 or newer (or set DLNB_PYTHON), then run this again."
"$PY" -c 'import ensurepip, venv' 2>/dev/null || die "$PY cannot make virtual environments: install python3-venv (Debian: apt-get install python3-venv)."
pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
stamp="$(cat "$req" scripts/requirements.txt | sha256sum | cut -d' ' -f1) python$pyver"
check='import nbgrader; print("nbgrader", nbgrader.__version__)'

if [ -x "$venv/bin/nbgrader" ] && [ "$(cat "$venv/.dlnb-installed" 2>/dev/null)" = "$stamp" ]; then
  say "nbgrader environment present: .venv-grader ($("$venv/bin/python" -c "$check" 2>/dev/null || echo 'nbgrader does not import: delete .venv-grader and run this again'))"
else
  # Ask the package index first: a machine without PyPI gets one clear line and no half-made environment.
  if ! timeout 60 "$PY" -m pip index versions nbgrader >/dev/null 2>&1; then
    die "PyPI cannot be reached (pip index versions nbgrader failed): nbgrader comes from PyPI; check the network or set PIP_INDEX_URL to a PyPI mirror, then run scripts/nbgrader/setup.sh again."
  fi
  say "installing nbgrader into .venv-grader from PyPI ($(cat "$req" scripts/requirements.txt | grep -c '==') pinned packages, one to three minutes)"
  t0=$(date +%s)
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  log=$(mktemp)
  # --no-deps: the files pin the whole closure, so nothing unpinned comes in; pip check then
  # proves the closure complete.
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q --no-deps -r "$req" >"$log" 2>&1 ||
     ! "$venv/bin/python" -m pip check >>"$log" 2>&1 ||
     ! "$venv/bin/python" -c "$check" >>"$log" 2>&1; then
    rm -rf "$venv"
    tail -15 "$log" >&2
    rm -f "$log"
    die "could not install $req (above); nothing was kept. Fix the cause and run scripts/nbgrader/setup.sh again."
  fi
  rm -f "$log"
  echo "$stamp" >"$venv/.dlnb-installed"
  say "$("$venv/bin/python" -c "$check") installed in .venv-grader ($(( $(date +%s) - t0 ))s)"
fi
[ $print = 1 ] && echo "$venv/bin"
exit 0
