#!/usr/bin/env bash
# The browser test's system packages, from Debian when missing: Chromium (driven by Playwright) and
# Graphviz (`dot`, which draws the graph view). Needs root; without it, says what is missing and
# leaves the failure to the test, which fails loudly rather than skipping.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "tests/browser: ${missing[*]} missing and not root: run 'apt-get install -y ${missing[*]}' as root," \
         "or the browser test fails" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
