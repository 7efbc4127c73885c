#!/usr/bin/env bash
# nbgrader.sh — nbgrader for dlnb's Go notebooks: the pinned nbgrader of .venv-grader (made by
# scripts/nbgrader/setup.sh when missing), with scripts/nbgrader/nbgrader_config.py and the GoNB
# kernel of .venv (scripts/setup.sh). Run it in the course folder, as nbgrader itself:
#
#   scripts/nbgrader/nbgrader.sh generate_assignment ps1          source/ps1 → release/ps1
#   scripts/nbgrader/nbgrader.sh autograde ps1 --create           submitted/*/ps1 → autograded/, scores
#   scripts/nbgrader/nbgrader.sh export                           grades.csv
#
# The notebooks run in quick mode (DLNB_QUICK=1: the training cells do a fraction of their
# iterations; the exercise checks do not depend on them); DLNB_QUICK=0 runs the course's settings.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
case "${1:-}" in -h|--help|"") sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
"$here/setup.sh"
[ -d "$ROOT/.venv/share/jupyter/kernels/gonb" ] ||
  { echo "nbgrader.sh: the GoNB kernel is not installed in .venv: run scripts/setup.sh first" >&2; exit 1; }
export JUPYTER_PATH=$ROOT/.venv/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}
export JUPYTER_CONFIG_PATH=$here${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}
export DLNB_QUICK=${DLNB_QUICK-1}
export PATH=$ROOT/.venv-grader/bin:$PATH
exec nbgrader "$@"
