#!/usr/bin/env bash
# Install what the tests need, then run them: the package and its test extras into .venv,
# and Debian's chromium and Virtuoso for the browser and remote-engine tests. Safe to run
# again; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian packages: chromium for the browser tests, Virtuoso for the remote-engine tests.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
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

exec .venv/bin/python -m pytest "$@"
