#!/usr/bin/env bash
# Installs what the browser tests need, and only what is missing: Debian's chromium (and
# node and npm) with apt, then, from the npm registry, playwright-core (pinned in
# package-lock.json; it downloads no browser of its own). Safe to run again: apt is not
# touched when /usr/bin/chromium (or $CHROMIUM), node and npm are there, and `npm ci`
# installs the pinned version afresh.
# Then `cargo test --workspace` runs them (crates/annals-cli/tests/browser.rs).
set -euo pipefail
cd "$(dirname "$0")"
need=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    echo "e2e/setup.sh: installing ${need[*]} with apt"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
npm ci --no-audit --no-fund
