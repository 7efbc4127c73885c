#!/usr/bin/env bash
# notebook.sh — open the course notebooks in JupyterLab 4 (from .venv/) with the GoNB kernel.
#
#   scripts/notebook.sh [--no-setup] [--exercises | --edit | --dir DIR] [-- JUPYTER-ARGS...]
#
#   (default)    serve workspace/: your own copies of the course notebooks, made on first
#                use. Run, change and save them freely: workspace/ is not tracked by git,
#                so your work survives git pull. When a course notebook changes upstream,
#                the new version is put beside your copy as NAME.new.ipynb.
#   --exercises  the same, with the exercises to solve: in the copies every answer is
#                replaced by "// ここにコードを書く" (dlnb exercises). The check cell after
#                each says 正解, 未回答 or 不正解; dlnb check workspace/NAME.ipynb counts them.
#                A copy made without --exercises (or with it, then without) is kept; the
#                other version comes as NAME.new.ipynb.
#   --edit       serve notebooks/ itself, to change the course: saved notebooks lose their
#                outputs, so what you save is what you commit
#   --dir DIR    serve DIR
#   --no-setup   skip scripts/setup.sh (already run)
#   -- ARGS      passed to jupyter lab (e.g. -- --no-browser --port 8890)
#
# It prints the address to open, with its token.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
setup=1 dir=workspace mode=student exercises=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-setup) setup=0 ;;
    --exercises) exercises=1 ;;
    --edit) dir=notebooks mode=edit ;;
    --dir) dir=$2 mode=dir; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "notebook.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$setup" = 0 ] || scripts/setup.sh
if [ ! -x "$ROOT/.venv/bin/jupyter" ]; then
  echo "notebook.sh: JupyterLab is not installed in .venv: run scripts/setup.sh" >&2
  exit 1
fi
export PATH=$ROOT/.venv/bin:$(go env GOPATH | cut -d: -f1)/bin:$(dirname "$(command -v go)"):$PATH

[ "$exercises" = 1 ] && [ "$mode" != student ] && { echo "notebook.sh: --exercises makes the copies in workspace/; it does not go with --edit or --dir" >&2; exit 2; }
if [ "$mode" = student ]; then
  # The student's workspace: a copy of each course notebook, never overwritten.
  # workspace/.course/NAME.sha256 remembers which version a copy came from: the
  # course notebook's, or with --exercises the student's copy that dlnb exercises
  # made from it (so that switching modes, too, brings NAME.new.ipynb).
  mkdir -p workspace/.course
  from=notebooks
  if [ "$exercises" = 1 ]; then
    from=$(mktemp -d)
    go run ./dlnb/cmd/dlnb exercises -out "$from" notebooks >/dev/null ||
      { rm -rf "$from"; echo "notebook.sh: dlnb exercises could not make the student's copies (above)" >&2; exit 1; }
  fi
  for src in "$from"/*.ipynb; do
    name=$(basename "$src")
    sum=$(sha256sum "$src" | cut -d' ' -f1)
    if [ ! -e "workspace/$name" ]; then
      cp "$src" "workspace/$name"
      echo "$sum" >"workspace/.course/$name.sha256"
      echo "notebook.sh: copied notebooks/$name to workspace/$name$([ "$exercises" = 1 ] && echo ' (exercises to solve)')"
    elif [ "$(cat "workspace/.course/$name.sha256" 2>/dev/null)" != "$sum" ]; then
      cp "$src" "workspace/${name%.ipynb}.new.ipynb"
      echo "$sum" >"workspace/.course/$name.sha256"
      echo "notebook.sh: notebooks/$name changed upstream (or --exercises was switched); your workspace/$name is kept, the new version is workspace/${name%.ipynb}.new.ipynb"
    fi
  done
  [ "$from" = notebooks ] || rm -rf "$from"
fi
[ "$mode" = edit ] && export DLNB_STRIP_ON_SAVE=1

# Our own defaults come first, so that arguments after -- override them.
args=(--config="$ROOT/scripts/jupyter/jupyter_server_config.py" --ServerApp.root_dir="$dir"
      --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate)
# Jupyter refuses to run as root (containers, CI) without --allow-root.
if [ "$(id -u)" = 0 ]; then args+=(--allow-root); fi

# Unless the caller chose a port or a token, pick both here so that the
# address can be printed plainly (JupyterLab's own log has it too).
own=1
for a in "$@"; do
  case "$a" in --port*|--ServerApp.port*|*token*) own=0 ;; esac
done
if [ $own = 1 ]; then
  port=$("$ROOT/.venv/bin/python" - <<'PY'
import socket
for p in range(8888, 8988):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
PY
)
  token=$("$ROOT/.venv/bin/python" -c 'import secrets; print(secrets.token_hex(24))')
  args+=(--port="$port" --ServerApp.port_retries=0 --IdentityProvider.token="$token")
  printf '\n  JupyterLab %s serving %s\n  open: http://localhost:%s/lab?token=%s\n\n' \
    "$(jupyter lab --version)" "$dir" "$port" "$token"
fi
exec jupyter lab "${args[@]}" "$@"
