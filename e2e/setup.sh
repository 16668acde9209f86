#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium and, from the npm registry,
# playwright-core (pinned in package-lock.json; it downloads no browser of its own).
# Then `cargo test --workspace` runs them (crates/annals-cli/tests/browser.rs).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
npm ci --no-audit --no-fund
