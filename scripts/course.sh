#!/usr/bin/env bash
# Set up everything and open the course in JupyterLab with the Russian interface.
#   bash scripts/course.sh               set up, then start JupyterLab on http://127.0.0.1:8888
#   bash scripts/course.sh --setup-only  set up and stop (used by the tests)
# Environment: CXLAB_PORT (default 8888), PYTHON (default python3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_setup.sh
cxlab_setup

if [ "${1:-}" = "--setup-only" ]; then
    echo "cxlab: set-up complete."
    exit 0
fi

# Learners see the lectures only: exercises/ holds solutions and hidden tests (instructors
# release it through nbgrader), so it stays outside JupyterLab's root folder.
args=(--ServerApp.root_dir="$PWD/course" --ServerApp.ip=127.0.0.1
      --ServerApp.port="${CXLAB_PORT:-8888}" --LabApp.default_url=/lab/tree/00_start.ipynb)
[ "$(id -u)" -eq 0 ] && args+=(--allow-root)
# nbgrader's instructor tools (English, meaningless to learners) are switched off here.
export JUPYTER_CONFIG_PATH="$PWD/scripts/learner-jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
echo "cxlab: starting JupyterLab; open the address with the token printed below. Ctrl+C stops it."
exec .venv/bin/jupyter lab "${args[@]}"
