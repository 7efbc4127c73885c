#!/usr/bin/env bash
# fresh.sh — a new user's machine, here: the README's set-up and a quick run from nothing, then again
# with no network at all. scripts/test.sh runs it first, so that a missing install step fails CI on
# the machine where it was written.
#
#   scripts/fresh.sh [--keep]
#
# 1. Clones this checkout (HEAD with the uncommitted changes to tracked files) into a temporary folder.
# 2. With empty HOME, GOPATH, GOMODCACHE and GOCACHE there (no pip cache, no Go module or build cache,
#    no checksum look-ups, no dataset cache), and Debian's own python3 when the machine has it (the
#    oldest Python the README promises), runs
#      scripts/run.sh --quick 0_setup_check 2_1_network_modified
#    which installs everything first, as a new user's first command does.
# 3. In a network namespace with only the loopback (unshare -n; needs root), runs
#      scripts/run.sh --quick 2_1_network_modified     and     scripts/check_kernel.py
#    (a cell, Tab completion and Shift+Tab help through the kernel): nothing may need the network now.
#
# --keep leaves the folder (its path is printed) for a look; otherwise it is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
keep=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
say() { printf '\033[1;35m[fresh]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[fresh] error:\033[0m %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null ||
  die "the no-network stage needs root, unshare (util-linux) and ip (iproute2)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dlnb-fresh.XXXXXX")
cleanup() {
  if [ $keep = 1 ]; then say "kept $tmp"; return; fi
  cd / && go clean -modcache 2>/dev/null # the module cache is read-only
  rm -rf "$tmp" || say "could not remove all of $tmp"
}
trap cleanup EXIT

rev=$(git stash create)
[ -n "$rev" ] || rev=HEAD
git clone -q --no-checkout "$ROOT" "$tmp/dlnb"
git -C "$tmp/dlnb" checkout -q --detach "$rev"
say "clone of $(git rev-parse --short HEAD)$([ "$rev" = HEAD ] || echo ' with the uncommitted changes') in $tmp/dlnb"

# A new user: nothing in HOME, no Go caches, none of this machine's own settings for pip, Jupyter,
# the XDG folders or dlnb. Go, Python and Debian's packages stay, as on a new machine.
old_gobin=$(go env GOBIN); [ -n "$old_gobin" ] || old_gobin=$(go env GOPATH | cut -d: -f1)/bin
mkdir -p "$tmp/home"
export HOME=$tmp/home GOPATH=$tmp/go GOMODCACHE=$tmp/go/pkg/mod GOCACHE=$tmp/gocache
unset GOBIN GOENV XDG_CACHE_HOME XDG_CONFIG_HOME XDG_DATA_HOME PIP_FIND_LINKS PIP_NO_INDEX \
  JUPYTER_PATH JUPYTER_DATA_DIR JUPYTER_CONFIG_DIR JUPYTER_RUNTIME_DIR VIRTUAL_ENV \
  DLNB_CACHE_DIR DLNB_MNIST_DIR DLNB_FASHION_MNIST_DIR DLNB_RUNS_DIR DLNB_BLAS DLNB_QUICK DLNB_FULL
if [ -z "${DLNB_PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then
  export DLNB_PYTHON=/usr/bin/python3
fi
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -x -F -e "$old_gobin" -e "$ROOT/.venv/bin" | paste -sd:)
export PATH
say "HOME, GOPATH, GOMODCACHE and GOCACHE empty under $tmp; Python: ${DLNB_PYTHON:-python3} ($("${DLNB_PYTHON:-python3}" --version 2>&1))"

cd "$tmp/dlnb"
t0=$(date +%s)
say "1/3 scripts/run.sh --quick 0_setup_check 2_1_network_modified (set-up from nothing)"
scripts/run.sh --quick 0_setup_check 2_1_network_modified
t1=$(date +%s)

say "2/3 no network: scripts/run.sh --quick 2_1_network_modified"
# The kernel talks to Jupyter over 127.0.0.1: bring the loopback up first, or it hangs silently.
unshare -n bash -c 'ip link set lo up && exec scripts/run.sh --quick 2_1_network_modified'
say "3/3 no network: a cell, Tab completion and Shift+Tab help through the kernel (scripts/check_kernel.py)"
unshare -n bash -c 'ip link set lo up && exec .venv/bin/python scripts/check_kernel.py' 2>"$tmp/check_kernel.log" ||
  { tail -40 "$tmp/check_kernel.log" >&2; die "the kernel check failed with no network (above: the end of its log)"; }
t2=$(date +%s)
say "passed: set-up and the first run $((t1 - t0)) s, with no network $((t2 - t1)) s; the module cache holds $(du -sh "$GOMODCACHE" | cut -f1), the build cache $(du -sh "$GOCACHE" | cut -f1)"
