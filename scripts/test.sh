#!/usr/bin/env bash
# Install what the tests need, then run them: the package and its test extras into .venv,
# and Debian's chromium for the browser tests. Safe to run again; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo_cmd=""
        [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
            chromium fonts-dejavu-core >/dev/null
    else
        # Not Debian: the browser tests skip themselves (tests/e2e/test_browser.py says why).
        echo "test.sh: no apt-get here to install chromium: the browser tests will be skipped" >&2
    fi
fi

exec .venv/bin/python -m pytest "$@"
