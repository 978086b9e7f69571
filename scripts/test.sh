#!/usr/bin/env bash
# Install what the tests need, then run them: the package and its test extras into .venv,
# Debian's chromium and Virtuoso for the browser and remote-engine tests, and the JavaScript
# SPARQL clients (Comunica, YASGUI) from the npm registry into .cache/js-clients. Safe to run
# again; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian packages: chromium for the browser tests, Virtuoso for the remote-engine tests,
# Node.js and npm for the JavaScript clients.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo_cmd=""
        [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        # Virtuoso's package tries to start its system service: policy-rc.d may refuse, fine.
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    else
        # Not Debian: those tests skip themselves and say why.
        echo "test.sh: no apt-get here to install ${missing[*]}: their tests will be skipped" >&2
    fi
fi

# The JavaScript clients, at the versions of tests/e2e/js-clients/package-lock.json (every
# package pinned, installed again only when that file changes). On failure the tests that
# need them fail and say so: the run goes on.
js_lock=tests/e2e/js-clients/package-lock.json
js_dir=.cache/js-clients
if ! cmp -s "$js_lock" "$js_dir/package-lock.json" || [ ! -d "$js_dir/node_modules" ]; then
    mkdir -p "$js_dir"
    cp tests/e2e/js-clients/package.json "$js_lock" "$js_dir/"
    if ! (cd "$js_dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null); then
        rm -f "$js_dir/package-lock.json"  # try again next time
        echo "test.sh: could not install the JavaScript clients with npm: their tests will fail" >&2
    fi
fi

exec .venv/bin/python -m pytest "$@"
