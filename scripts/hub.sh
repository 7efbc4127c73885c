#!/usr/bin/env bash
# hub.sh — a whole class on JupyterHub, on this machine (docs/class.md is the teacher's guide).
#
#   scripts/hub.sh start CLASS_LIST   install (once), make a Unix user for each student of the list
#                                     (new passwords go to STATE/passwords.txt), start the hub in the
#                                     foreground on port 8000. Ctrl-C stops the hub only: students'
#                                     servers keep running and a new start finds them again
#   scripts/hub.sh add CLASS_LIST     make the students of the list that are missing (hub running or not)
#   scripts/hub.sh passwd NAME        a new password for one student
#   scripts/hub.sh update             after git pull: refresh the shared copy of the course and its
#                                     build cache; changed notebooks reach each student as NAME.new.ipynb
#   scripts/hub.sh collect DIR        copy every student's workspace into DIR/NAME/
#   scripts/hub.sh status             the students, their servers and the memory each uses now
#   scripts/hub.sh stop               stop every student's server, then the hub
#   scripts/hub.sh remove CLASS_LIST  end of term: delete those students' users, homes and caches
#   scripts/hub.sh install            only install or refresh the shared installation
#   scripts/hub.sh install --image    the same without the proxy: the single-user side, for the
#                                     container image of scripts/hub/cluster/Dockerfile
#
# CLASS_LIST: one student's user name a line (lower case letters, digits, - and _; what follows
# the name on the line is ignored, and so are # comments and empty lines).
# Options (before or after the command; the DLNB_HUB_* variable of the same name works too):
#   --port N (8000)  --ip ADDR (0.0.0.0)  --mem SIZE per student (3G)  --cpu CORES per student (1)
#   --cull SECONDS idle before a server is stopped (3600)  --admin NAME (a teacher's hub account)
#   --ssl-cert FILE --ssl-key FILE   serve HTTPS (do, when students log in over a network)
#   --prefix DIR (/opt/dlnb)  --state DIR (/var/lib/dlnb-hub)  --group NAME (dlnb-class)
#   --cgroup NAME (dlnb-hub)  --cache DIR (/var/cache/dlnb-hub)  --no-install (start without checking)
# Needs root (users, cgroups), Go, Python 3.11+ with venv, Node.js 20+ with npm; installs JupyterHub
# 6.1.1 from PyPI and configurable-http-proxy 5.3.0 from npm into --prefix, only when used.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

say()  { printf '\033[1;36m[hub]\033[0m %s\n' "$*"; }
die()  { printf '\033[1;31m[hub] error:\033[0m %s\n' "$*" >&2; exit 1; }

PREFIX=${DLNB_HUB_PREFIX:-/opt/dlnb}
STATE=${DLNB_HUB_STATE:-/var/lib/dlnb-hub}
GROUP=${DLNB_HUB_GROUP:-dlnb-class}
CGROUP=${DLNB_HUB_CGROUP:-dlnb-hub}
CACHE=${DLNB_HUB_CACHE:-/var/cache/dlnb-hub}
PORT=${DLNB_HUB_PORT:-8000}
IP=${DLNB_HUB_IP:-0.0.0.0}
MEM=${DLNB_HUB_MEM:-3G}
CPU=${DLNB_HUB_CPU:-1}
CULL=${DLNB_HUB_CULL:-3600}
ADMINS=${DLNB_HUB_ADMINS:-}
SSL_CERT=${DLNB_HUB_SSL_CERT:-} SSL_KEY=${DLNB_HUB_SSL_KEY:-}
install=1 image=0
cmd="" args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift ;;
    --ip) IP=$2; shift ;;
    --mem) MEM=$2; shift ;;
    --cpu) CPU=$2; shift ;;
    --cull) CULL=$2; shift ;;
    --admin) ADMINS=${ADMINS:+$ADMINS,}$2; shift ;;
    --ssl-cert) SSL_CERT=$2; shift ;;
    --ssl-key) SSL_KEY=$2; shift ;;
    --prefix) PREFIX=$2; shift ;;
    --state) STATE=$2; shift ;;
    --group) GROUP=$2; shift ;;
    --cgroup) CGROUP=$2; shift ;;
    --cache) CACHE=$2; shift ;;
    --no-install) install=0 ;;
    --image) image=1 ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see scripts/hub.sh --help)" ;;
    *) if [ -z "$cmd" ]; then cmd=$1; else args+=("$1"); fi ;;
  esac
  shift
done
[ -n "$cmd" ] || { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ "$(id -u)" = 0 ] || die "the hub makes Unix users and control groups, so it needs root: run sudo scripts/hub.sh $cmd ${args[*]:-}"
case "$PREFIX$STATE$CACHE" in *[[:space:],]*) die "--prefix, --state and --cache must be paths without spaces or commas" ;; esac
VENV=$PREFIX/venv
API=http://127.0.0.1:${DLNB_HUB_API_PORT:-8081}/hub/api

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH=/usr/local/go/bin:$PATH; fi

# configurable-http-proxy, the closure pinned in scripts/hub/proxy/package-lock.json.
install_proxy() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "configurable-http-proxy needs Node.js 20 or newer with npm: apt-get install nodejs npm (Debian 13), or see https://nodejs.org"
  nodever=$(node -p 'process.versions.node.split(".")[0]')
  [ "$nodever" -ge 20 ] || die "Node.js $(node --version) is too old: configurable-http-proxy 5.3.0 needs Node.js 20 or newer (https://nodejs.org)"
  lock=$(sha256sum scripts/hub/proxy/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$PREFIX/proxy/.dlnb-installed" 2>/dev/null)" != "$lock" ]; then
    say "installing configurable-http-proxy 5.3.0 into $PREFIX/proxy from npm"
    rm -rf "$PREFIX/proxy"; mkdir -p "$PREFIX/proxy"
    cp scripts/hub/proxy/package.json scripts/hub/proxy/package-lock.json "$PREFIX/proxy/"
    (cd "$PREFIX/proxy" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
      die "npm could not install configurable-http-proxy (above): check that the npm registry can be reached, then run this again"
    echo "$lock" >"$PREFIX/proxy/.dlnb-installed"
  fi
}

# --- The shared installation: read-only for the students, once for all of them -------------------
#   PREFIX/course      a copy of this checkout (its tracked files) that every notebook's go.work uses
#   PREFIX/bin         gonb, goimports, gopls
#   PREFIX/gomodcache  GOMODCACHE: dlnb's modules and MNIST
#   PREFIX/gocache     the build cache, warmed: the seed of each student's own (scripts/hub/dlnbhub.py)
#   PREFIX/cache       DLNB_CACHE_DIR: MNIST and Fashion-MNIST decoded
#   PREFIX/venv        JupyterLab, JupyterHub, the idle culler; the GoNB kernel for all users
#   PREFIX/proxy       configurable-http-proxy
install_all() {
  umask 022
  t0=$(date +%s)
  scripts/setup.sh
  GOBIN=$(go env GOBIN); [ -n "$GOBIN" ] || GOBIN=$(go env GOPATH | cut -d: -f1)/bin
  GOROOT_BIN=$(dirname "$(command -v go)")
  mkdir -p "$PREFIX/bin"
  chmod 755 "$PREFIX"
  as_nobody() { runuser -u nobody -- "$@" >/dev/null 2>&1; }
  as_nobody "$GOROOT_BIN/go" version ||
    die "a student cannot run $GOROOT_BIN/go: install Go where every user can read it (the tarball into /usr/local/go, https://go.dev/dl/)"

  # Python: the students' servers run from PREFIX/venv, so its interpreter must be readable by all
  # (a pyenv Python under /root is not).
  py=""
  for cand in "${DLNB_PYTHON:-python3}" /usr/bin/python3; do
    real=$(command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null) || continue
    if as_nobody "$real" -c 'import venv, ensurepip, sys; assert sys.version_info >= (3, 11)'; then py=$real; break; fi
  done
  [ -n "$py" ] || die "no Python 3.11+ with venv that every user can run (${DLNB_PYTHON:-python3} and /usr/bin/python3 were tried): apt-get install python3 python3-venv"
  req=$(cat scripts/requirements.txt scripts/hub/requirements.txt | sha256sum | cut -d' ' -f1)
  stamp="$req $py"
  if [ "$(cat "$VENV/.dlnb-installed" 2>/dev/null)" != "$stamp" ]; then
    say "installing JupyterLab, JupyterHub 6.1.1 and the idle culler into $VENV from PyPI ($py)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
    log=$(mktemp)
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -r scripts/requirements.txt -r scripts/hub/requirements.txt >"$log" 2>&1; then
      tail -15 "$log" >&2; rm -rf "$VENV" "$log"
      die "pip could not install the hub's Python packages (above); nothing was kept. Check that PyPI can be reached (or set PIP_INDEX_URL), then run this again."
    fi
    rm -f "$log"
    echo "$stamp" >"$VENV/.dlnb-installed"
  else
    say "Python environment present: $VENV (JupyterHub $("$VENV/bin/jupyterhub" --version))"
  fi

  # configurable-http-proxy, the closure pinned in scripts/hub/proxy/package-lock.json.
  [ $image = 1 ] || install_proxy

  # The course: this checkout's files as they are now (tracked and new ones, not those git
  # ignores: no .venv, workspace or build), replaced whole when they changed.
  git rev-parse --git-dir >/dev/null 2>&1 || die "$ROOT is not a git checkout: the course copy is made from the files git knows"
  files() { git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ ! -f "$f" ] || printf '%s\0' "$f"; done; }
  tree=$(files | tar --null -T - --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$PREFIX/course.id" 2>/dev/null)" != "$tree" ]; then
    say "copying the course ($(git rev-parse --short HEAD)$([ -z "$(git status --porcelain)" ] || echo ' with local changes')) to $PREFIX/course"
    rm -rf "$PREFIX/course.new"; mkdir -p "$PREFIX/course.new"
    files | tar --null -T - -cf - | tar -xf - -C "$PREFIX/course.new" --no-same-owner
    chmod -R a+rX,go-w "$PREFIX/course.new"
    [ ! -e "$PREFIX/course" ] || mv "$PREFIX/course" "$PREFIX/course.old"
    mv "$PREFIX/course.new" "$PREFIX/course"
    rm -rf "$PREFIX/course.old"
    echo "$tree" >"$PREFIX/course.id"
  fi
  # The kernel's gonb is the one setup.sh built into .venv (it connects to gopls at once).
  for src in "$ROOT/.venv/bin/gonb" "$GOBIN/goimports" "$GOBIN/gopls"; do
    tool=$(basename "$src")
    cmp -s "$src" "$PREFIX/bin/$tool" || install -m 755 "$src" "$PREFIX/bin/$tool"
  done

  # Go modules from root's module cache (setup.sh filled it; go.sum vouches for each), into a
  # module cache every student reads. MNIST's files are checked by SHA-256 when loaded.
  local -a goenv=(GOENV=off GOTOOLCHAIN=local GOMODCACHE="$PREFIX/gomodcache" GOFLAGS=)
  env "${goenv[@]}" GOPROXY="file://$(go env GOMODCACHE)/cache/download" GOSUMDB=off \
    sh -c "cd '$PREFIX/course' && go mod download && go mod download $(sed -n 's/^const GoMNISTModule = "\(.*\)"$/\1/p' datasets/mnist.go)" ||
    die "could not copy the modules into $PREFIX/gomodcache (above): run scripts/setup.sh, then this again"

  # The GoNB kernel for every user, inside the hub's environment, with the checkout's GOFLAGS.
  goflags=$("$ROOT/.venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["env"]["GOFLAGS"])' \
    "$ROOT/.venv/share/jupyter/kernels/gonb/kernel.json")
  kdir=$VENV/share/jupyter/kernels/gonb
  JUPYTER_DATA_DIR=$VENV/share/jupyter "$PREFIX/bin/gonb" --install --go_work="$PREFIX/course" >/dev/null 2>&1 ||
    JUPYTER_DATA_DIR=$VENV/share/jupyter "$PREFIX/bin/gonb" --install --go_work="$PREFIX/course"
  "$VENV/bin/python" - "$kdir/kernel.json" "$PREFIX" "$GOROOT_BIN" "$goflags" <<'PY'
import json, os, sys
p, prefix, goroot_bin, goflags = sys.argv[1:5]
k = json.load(open(p))
k["env"] = {
    "PATH": prefix + "/bin:" + goroot_bin + ":${PATH}",
    "GOFLAGS": goflags,
    "GOMODCACHE": prefix + "/gomodcache",  # read-only: dlnb's modules, nothing else
    "GOPROXY": "off",  # the course needs no network; a missing module is a clear error
    "GOTOOLCHAIN": "local",
    "DLNB_CACHE_DIR": prefix + "/cache",  # the decoded datasets, read-only
}
json.dump(k, open(p, "w"), indent=2)
PY
  mkdir -p "$VENV/share/jupyter/lab/settings" "$VENV/etc/jupyter"
  cp scripts/jupyter/overrides.json "$VENV/share/jupyter/lab/settings/overrides.json"
  printf '# dlnb: the settings of scripts/notebook.sh for every student (written by scripts/hub.sh)\nload_subconfig(%s)\n' \
    "'$PREFIX/course/scripts/jupyter/jupyter_server_config.py'" >"$VENV/etc/jupyter/jupyter_server_config.py"

  # Warm the build cache every student's is seeded from, with the kernel's own environment, and
  # decode the datasets once for all.
  local -a kenv=("${goenv[@]}" GOFLAGS="$goflags" GOPROXY=off GOCACHE="$PREFIX/gocache" DLNB_CACHE_DIR="$PREFIX/cache")
  id="$tree $(go env GOVERSION) $goflags"
  if [ "$(cat "$PREFIX/gocache.id" 2>/dev/null)" != "$id" ]; then
    say "warming the shared build cache ($PREFIX/gocache) and the decoded datasets"
    # gopls, which GoNB starts in every kernel for Tab and Shift+Tab, loads the checkout with this
    # go list: with cgo and the tests' variants of each package it compiles dlnb's C kernels again,
    # minutes on 2 cores for each student, unless the seed holds what it makes.
    (cd "$PREFIX/course" && env "${kenv[@]}" go build ./... &&
      env "${kenv[@]}" go list -e -json=Name,ImportPath,Error,Dir,GoFiles,IgnoredGoFiles,IgnoredOtherFiles,CFiles,CgoFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,TestGoFiles,XTestGoFiles,CompiledGoFiles,Export,DepOnly,Imports,ImportMap,TestImports,XTestImports,ForTest,DepsErrors,Module,EmbedFiles \
        -compiled=true -test=true -export=false -deps=true -find=false -buildvcs=false -pgo=off -- "$PREFIX/course/..." builtin >/dev/null &&
      env "${kenv[@]}" go run ./dlnb/cmd/dlnb data >/dev/null) ||
      die "building dlnb in $PREFIX/course failed (above)"
    chmod -R a+rX,go-w "$PREFIX/gocache" "$PREFIX/cache"
    echo "$id" >"$PREFIX/gocache.id"
  fi
  chmod -R a+rX,go-w "$PREFIX/bin" "$VENV"
  [ $image = 1 ] || chmod -R a+rX,go-w "$PREFIX/proxy"
  say "shared installation ready in $PREFIX ($(( $(date +%s) - t0 )) s): course $(du -sh "$PREFIX/course" | cut -f1), modules $(du -sh "$PREFIX/gomodcache" | cut -f1), build cache $(du -sh "$PREFIX/gocache" | cut -f1)"
}

# --- Students ----------------------------------------------------------------------------------
read_list() { # read_list FILE: the user names, checked
  [ -f "$1" ] || die "no class list $1: write one student's user name a line"
  local n
  sed 's/#.*//' "$1" | awk 'NF {print $1}' | while read -r n; do
    [[ "$n" =~ ^[a-z][a-z0-9_-]{0,30}$ ]] || die "'$n' in $1 is not a usable user name: lower case letters, digits, - and _, starting with a letter, at most 31 characters"
    echo "$n"
  done
}
members() { getent group "$GROUP" | cut -d: -f4 | tr ',' '\n' | grep . || true; }
new_password() { "$(command -v python3)" -c 'import secrets; print(secrets.token_urlsafe(9))'; }
set_password() { # set_password NAME: a new one, recorded for the teacher (root only)
  local pw; pw=$(new_password)
  umask 077
  echo "$1:$pw" | chpasswd
  mkdir -p -m 700 "$STATE"
  touch "$STATE/passwords.txt"; chmod 600 "$STATE/passwords.txt"
  { grep -v "^$1 " "$STATE/passwords.txt" || true; echo "$1 $pw"; } >"$STATE/passwords.txt.new"
  mv "$STATE/passwords.txt.new" "$STATE/passwords.txt"
  echo "  $1 $pw"
}
add_students() { # add_students FILE
  local names n made=0
  names=$(read_list "$1")
  getent group "$GROUP" >/dev/null || groupadd "$GROUP"
  for n in $names; do
    if id "$n" >/dev/null 2>&1; then
      id -nG "$n" | tr ' ' '\n' | grep -qx "$GROUP" ||
        die "user $n exists on this machine and is not a student of group $GROUP: give the student another name in $1"
      continue
    fi
    [ $made = 1 ] || say "new students and their passwords (also in $STATE/passwords.txt, root only):"
    made=1
    useradd --create-home --shell /usr/sbin/nologin --groups "$GROUP" "$n"
    chmod 700 "$(getent passwd "$n" | cut -d: -f6)"
    set_password "$n"
  done
  [ $made = 1 ] || say "all $(echo "$names" | wc -w) students of $1 exist"
}
api() { # api METHOD PATH: the hub's REST API with the teacher's token; prints the answer
  curl -fsS -X "$1" -H "Authorization: token $(cat "$STATE/teacher-token")" "$API$2"
}
hub_running() { [ -s "$STATE/jupyterhub.pid" ] && kill -0 "$(cat "$STATE/jupyterhub.pid")" 2>/dev/null; }
run_hub_python() { "$VENV/bin/python" "$@"; }
need_installed() { [ -x "$VENV/bin/jupyterhub" ] || die "the hub is not installed in $PREFIX: run scripts/hub.sh install"; }

export DLNB_HUB_PREFIX=$PREFIX DLNB_HUB_STATE=$STATE DLNB_HUB_GROUP=$GROUP DLNB_HUB_CGROUP=$CGROUP \
  DLNB_HUB_CACHE=$CACHE DLNB_HUB_PORT=$PORT DLNB_HUB_IP=$IP DLNB_HUB_MEM=$MEM DLNB_HUB_CPU=$CPU \
  DLNB_HUB_CULL=$CULL DLNB_HUB_ADMINS=$ADMINS DLNB_HUB_SSL_CERT=$SSL_CERT DLNB_HUB_SSL_KEY=$SSL_KEY

case "$cmd" in
  install)
    install_all ;;
  start)
    [ ${#args[@]} = 1 ] || die "usage: scripts/hub.sh start CLASS_LIST"
    read_list "${args[0]}" >/dev/null
    [ $install = 0 ] || install_all
    need_installed
    hub_running && die "a hub already runs with state $STATE (pid $(cat "$STATE/jupyterhub.pid")): scripts/hub.sh stop first"
    add_students "${args[0]}"
    mkdir -p -m 700 "$STATE"
    [ -s "$STATE/teacher-token" ] || (umask 077 && "$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))' >"$STATE/teacher-token")
    # All students together may use the machine's memory less 2 GiB for the hub and the system.
    if [ -z "${DLNB_HUB_MEM_TOTAL:-}" ]; then
      export DLNB_HUB_MEM_TOTAL=$(( ($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) - 2097152) * 1024 ))
    fi
    (cd "$PREFIX/course/scripts/hub" && "$VENV/bin/python" -c 'import dlnbhub; dlnbhub.Cgroups("x", "y")') ||
      die "the students' limits cannot be enforced here (above)"
    say "the class of group $GROUP ($(members | wc -l) students) on http://$IP:$PORT/ — limits per student: $MEM memory, $CPU core(s); idle servers stop after $CULL s"
    say "Ctrl-C stops the hub; students' servers keep running (scripts/hub.sh stop stops them too)"
    cd "$STATE"
    umask 077
    exec "$VENV/bin/jupyterhub" -f "$PREFIX/course/scripts/hub/jupyterhub_config.py" ;;
  add)
    [ ${#args[@]} = 1 ] || die "usage: scripts/hub.sh add CLASS_LIST"
    add_students "${args[0]}" ;;
  passwd)
    [ ${#args[@]} = 1 ] || die "usage: scripts/hub.sh passwd NAME"
    id -nG "${args[0]}" 2>/dev/null | tr ' ' '\n' | grep -qx "$GROUP" || die "${args[0]} is not a student of group $GROUP"
    set_password "${args[0]}" ;;
  update)
    install_all
    for n in $(members); do
      home=$(getent passwd "$n" | cut -d: -f6)
      runuser -u "$n" -- "$VENV/bin/python" "$PREFIX/course/scripts/hub/workspace.py" "$PREFIX/course/notebooks" "$home/workspace" |
        sed "s/^/  $n: /"
    done
    say "updated; kernels use the new course from their next cell, each student's build cache is renewed at their next server start" ;;
  collect)
    [ ${#args[@]} = 1 ] || die "usage: scripts/hub.sh collect DIR"
    mkdir -p "${args[0]}"
    for n in $(members); do
      home=$(getent passwd "$n" | cut -d: -f6)
      [ -d "$home/workspace" ] || continue
      mkdir -p "${args[0]}/$n"
      # Read as the student: a link in a workspace reaches nothing the student could not read.
      runuser -u "$n" -- tar -C "$home/workspace" --exclude=.ipynb_checkpoints -cf - . | tar -xf - -C "${args[0]}/$n" --no-same-owner
      echo "  $n: $(find "${args[0]}/$n" -name '*.ipynb' | wc -l) notebooks"
    done
    say "collected into ${args[0]}" ;;
  status)
    need_installed
    if hub_running; then say "hub running (pid $(cat "$STATE/jupyterhub.pid"))"; else say "hub not running"; fi
    (cd "$PREFIX/course/scripts/hub" && "$VENV/bin/python" - "$CGROUP" $(members) <<'PY'
import sys, dlnbhub
for name in sys.argv[2:]:
    cg = dlnbhub.Cgroups(sys.argv[1], name)
    pids, mem = cg.pids(), cg.memory()
    if not pids:
        print("  %-20s no server" % name)
        continue
    kinds = sorted(dlnbhub.comm(p) for p in pids)
    print("  %-20s %d processes (%s), memory %d MiB now, %s MiB at most" % (
        name, len(pids), ", ".join(kinds), mem[0] >> 20, mem[1] >> 20 if mem[1] else "?"))
PY
    ) ;;
  stop)
    need_installed
    if hub_running; then
      for n in $(members); do api DELETE "/users/$n/server" >/dev/null 2>&1 || true; done
      say "asked the hub to stop every student's server"
      for _ in $(seq 60); do
        busy=0
        for n in $(members); do [ ! -d "/sys/fs/cgroup/memory/$CGROUP/$n" ] && [ ! -d "/sys/fs/cgroup/$CGROUP/$n" ] || busy=1; done
        [ $busy = 0 ] && break
        sleep 1
      done
      pid=$(cat "$STATE/jupyterhub.pid")
      kill "$pid"
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      ! kill -0 "$pid" 2>/dev/null || die "the hub (pid $pid) did not stop within a minute of SIGTERM: kill -9 $pid"
      say "hub stopped"
    else
      say "hub not running; ending the students' servers left behind"
    fi
    (cd "$PREFIX/course/scripts/hub" && "$VENV/bin/python" - "$CGROUP" $(members) <<'PY'
import os, sys, dlnbhub
for name in sys.argv[2:]:
    n = dlnbhub.Cgroups(sys.argv[1], name).kill_all()
    if n:
        print("  %s: %d processes ended" % (name, n))
for d in dlnbhub.Cgroups(sys.argv[1], "").parent_dirs():
    try:
        os.rmdir(d)  # the class's parent group, when no student's is left in it
    except OSError:
        pass
PY
    ) ;;
  remove)
    [ ${#args[@]} = 1 ] || die "usage: scripts/hub.sh remove CLASS_LIST"
    for n in $(read_list "${args[0]}"); do
      id "$n" >/dev/null 2>&1 || continue
      id -nG "$n" | tr ' ' '\n' | grep -qx "$GROUP" || die "$n is not a student of group $GROUP: not removed"
      ! hub_running || api DELETE "/users/$n" >/dev/null 2>&1 || true
      if [ -x "$VENV/bin/python" ] && [ -d "$PREFIX/course/scripts/hub" ]; then
        (cd "$PREFIX/course/scripts/hub" && "$VENV/bin/python" -c 'import sys, dlnbhub; dlnbhub.Cgroups(sys.argv[1], sys.argv[2]).kill_all()' "$CGROUP" "$n")
      fi
      userdel --remove "$n" 2>/dev/null || userdel "$n" ||
        die "could not remove user $n (above): a process of $n outside the hub may still run (ps -u $n)"
      rm -rf "${CACHE:?}/$n"
      [ ! -f "$STATE/passwords.txt" ] || { grep -v "^$n " "$STATE/passwords.txt" >"$STATE/passwords.txt.new" || true; mv "$STATE/passwords.txt.new" "$STATE/passwords.txt"; }
      echo "  removed $n"
    done
    [ -n "$(members)" ] || groupdel "$GROUP" 2>/dev/null || true ;;
  *)
    die "unknown command $cmd (see scripts/hub.sh --help)" ;;
esac
