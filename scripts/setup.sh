#!/usr/bin/env bash
# Install everything Clearance needs, on a fresh Debian 12 machine with Node 20 (run as root), or
# do nothing if it is already there. Idempotent: safe to run before every start and every test run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[setup] %s\n' "$*"; }

# --- Node.js -----------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then
  echo "[setup] Node.js 20 or newer is required (not found on PATH)" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "[setup] Node.js 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

# --- Debian packages ---------------------------------------------------------------------------
# Packages the product and its tests need. chromium drives the console tests (playwright-core).
# bubblewrap is the engine sandbox; util-linux provides prlimit (resource limits for engines).
DEBIAN_PACKAGES=(ca-certificates bubblewrap util-linux chromium fonts-liberation)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[setup] missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- npm packages ------------------------------------------------------------------------------
# npm ci only when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- build -------------------------------------------------------------------------------------
log "building (tsc -b, incremental; engine bundles; console)"
npx --no-install tsc -b tsconfig.build.json
node scripts/build-engines.mjs
node scripts/build-console.mjs
