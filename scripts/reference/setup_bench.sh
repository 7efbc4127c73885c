#!/usr/bin/env bash
# setup_bench.sh — the benchmark's PyTorch environment: .venv-bench/ (git-ignored) with the
# packages pinned in scripts/reference/requirements-bench.txt (torch, NumPy 2.4.6), from PyPI.
# Only bench_torch.py uses it; the tests never do (they use .venv/, made by scripts/setup.sh).
#
#   scripts/reference/setup_bench.sh          make .venv-bench, or say it is there
#   scripts/reference/setup_bench.sh --print  also print its Python's path on stdout (for scripts)
#
# Safe to run again: it reinstalls only when requirements-bench.txt or the Python version changed
# (a stamp file holds their hash). About 4 GB on disk and two to three minutes: PyPI's torch is the
# CUDA build, whose CUDA libraries must be present for `import torch` even on the CPU (see the
# requirements file); it is installed with --no-deps, without triton and the other GPU-only extras.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
print=0
for a in "$@"; do
  case "$a" in
    --print) print=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup_bench: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[setup_bench]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup_bench] error:\033[0m %s\n' "$*" >&2; exit 1; }

req=scripts/reference/requirements-bench.txt
venv=$ROOT/.venv-bench
PY=${DLNB_PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || die "no $PY on PATH: install Python 3.11 or newer (or set DLNB_PYTHON), then run this again."
"$PY" -c 'import ensurepip, venv' 2>/dev/null || die "$PY cannot make virtual environments: install python3-venv (Debian: apt-get install python3-venv)."
pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
stamp="$(sha256sum "$req" | cut -d' ' -f1) python$pyver"
check='import numpy, torch; assert float((torch.ones(2) * 2).sum()) == 4.0; print("torch", torch.__version__, "numpy", numpy.__version__)'

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.dlnb-installed" 2>/dev/null)" = "$stamp" ]; then
  say "benchmark environment present: .venv-bench ($("$venv/bin/python" -c "$check" 2>/dev/null || echo 'torch does not import: delete .venv-bench and run this again'))"
else
  # Ask the package index first: a machine without PyPI gets one clear line and no half-made environment.
  if ! timeout 60 "$PY" -m pip index versions torch >/dev/null 2>&1; then
    die "PyPI cannot be reached (pip index versions torch failed): torch and NumPy for the benchmark come from PyPI; check the network or set PIP_INDEX_URL to a PyPI mirror, then run scripts/reference/setup_bench.sh again (or leave PyTorch out of the benchmark)."
  fi
  say "installing PyTorch and NumPy into .venv-bench from PyPI ($(grep -c '==' "$req") pinned packages, about 4 GB, two to three minutes)"
  t0=$(date +%s)
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  log=$(mktemp)
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q --no-deps -r "$req" >"$log" 2>&1 ||
     ! "$venv/bin/python" -c "$check" >>"$log" 2>&1; then
    rm -rf "$venv"
    tail -15 "$log" >&2
    rm -f "$log"
    die "could not install $req (above); nothing was kept. Fix the cause and run scripts/reference/setup_bench.sh again."
  fi
  rm -f "$log"
  echo "$stamp" >"$venv/.dlnb-installed"
  say "$("$venv/bin/python" -c "$check") installed in .venv-bench ($(du -sh "$venv" | cut -f1), $(( $(date +%s) - t0 ))s)"
fi
[ $print = 1 ] && echo "$venv/bin/python"
exit 0
