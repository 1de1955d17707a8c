#!/usr/bin/env bash
# Shared set-up for scripts/course.sh and scripts/test.sh (sourced, not run):
# a virtual environment in .venv with cxlab and grader installed from this checkout.
# Usage: cxlab_setup [pip extra]   e.g. cxlab_setup test

cxlab_apt_install() {
    # Install Debian packages: directly as root, through sudo otherwise.
    local runner=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            runner=(sudo -n)
        else
            echo "cxlab: need the Debian packages '$*' but I am not root and have no sudo." >&2
            echo "cxlab: ask an administrator to run: apt-get install -y $*" >&2
            return 1
        fi
    fi
    echo "cxlab: installing Debian packages: $*"
    "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${runner[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@"
}

cxlab_setup() {
    local extra="${1:-}"
    local py="${PYTHON:-python3}"
    if ! command -v "$py" >/dev/null 2>&1; then
        cxlab_apt_install python3 python3-venv
    fi
    if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "cxlab: Python 3.11 or newer is needed; '$py' is $("$py" --version 2>&1)." >&2
        return 1
    fi
    if [ ! -x .venv/bin/python ]; then
        if ! "$py" -m venv .venv >/dev/null 2>&1; then
            # Debian's python3 has no ensurepip until python3-venv is installed.
            rm -rf .venv
            cxlab_apt_install python3-venv
            "$py" -m venv .venv
        fi
    fi
    # Reinstall only when pyproject.toml (the dependencies) or the extra changed since the last
    # successful install: the stamp holds their hash and is written after pip succeeds. An
    # environment set up for the tests ("test" extra) has all a plain start needs, and keeps it.
    local stamp=.venv/.cxlab-installed want
    if [ -z "$extra" ] && [ -f "$stamp" ] && grep -q ' test$' "$stamp"; then
        extra=test
    fi
    local target="."
    [ -n "$extra" ] && target=".[$extra]"
    want="$(sha256sum pyproject.toml | cut -d' ' -f1) ${extra:-none}"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && .venv/bin/python -c 'import cxlab, grader' >/dev/null 2>&1; then
        echo "cxlab: Python packages are up to date (pyproject.toml unchanged)"
    else
        echo "cxlab: installing Python packages into .venv (about a minute the first time)"
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e "$target"
        printf '%s\n' "$want" > "$stamp"
    fi
    cxlab_lab_settings .venv
    export PATH="$PWD/.venv/bin:$PATH"
}

cxlab_lab_settings() {
    # The Russian JupyterLab interface for the environment at prefix $1 (the language pack is
    # installed with cxlab), and no English pop-up asking about Jupyter news. Also used by
    # binder/postBuild with the Binder image's environment.
    local prefix="$1"
    mkdir -p "$prefix/share/jupyter/lab/settings"
    cat > "$prefix/share/jupyter/lab/settings/overrides.json" <<'JSON'
{
  "@jupyterlab/translation-extension:plugin": {
    "locale": "ru_RU"
  },
  "@jupyterlab/apputils-extension:notification": {
    "fetchNews": "false"
  }
}
JSON
}
