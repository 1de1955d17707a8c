#!/usr/bin/env bash
# Install what the tests need and run them: lint, format check, then pytest.
#   bash scripts/test.sh                 the whole suite
#   bash scripts/test.sh -m "not slow"   the fast tier (about a minute)
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_setup.sh

# Debian packages the tests use: Chromium drives the browser tests (Playwright cannot
# download its own browser here); hunspell with the Russian dictionary checks spelling.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v hunspell >/dev/null 2>&1 || missing+=(hunspell)
[ -f /usr/share/hunspell/ru_RU.dic ] || missing+=(hunspell-ru)
# bubblewrap is the grading sandbox (grader autograde refuses to grade without it).
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# A real PostgreSQL server backs the gradebook tests of cohorts that use one.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
    cxlab_apt_install "${missing[@]}"
fi
cxlab_setup test
# configurable-http-proxy (npm) for the real-hub test (tests/test_hub.py), in .node/.
if ! command -v configurable-http-proxy >/dev/null 2>&1 \
    && [ ! -x .node/node_modules/.bin/configurable-http-proxy ]; then
    command -v npm >/dev/null 2>&1 || cxlab_apt_install nodejs npm
    echo "cxlab: installing configurable-http-proxy into .node/"
    npm install --prefix .node --no-audit --no-fund --loglevel=error configurable-http-proxy@5
fi
# axe-core (npm) checks accessibility in the browser tests (tests/test_lectures_screen.py),
# injected from .node/node_modules/axe-core/axe.min.js.
if [ ! -f .node/node_modules/axe-core/axe.min.js ]; then
    command -v npm >/dev/null 2>&1 || cxlab_apt_install nodejs npm
    echo "cxlab: installing axe-core into .node/"
    npm install --prefix .node --no-audit --no-fund --loglevel=error axe-core@4
fi

echo "cxlab: ruff check"
ruff check .
echo "cxlab: ruff format --check"
ruff format --check .

echo "cxlab: pytest"
set +e
python -m pytest -n 2 --dist loadfile "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "cxlab: pytest collected no tests; that is a failure, not a pass." >&2
    exit 1
fi
exit "$status"
