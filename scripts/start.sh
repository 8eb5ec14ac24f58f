#!/usr/bin/env bash
# Command 1 of the README: install what is missing, then start Clearance on its embedded default
# (a home under $CLEARANCE_HOME, default ./.clearance). Until the server exists, that means: create
# the home on first run (printing the admin token once) and show its status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
home="${CLEARANCE_HOME:-$PWD/.clearance}"
if [ ! -f "$home/clearance.json" ]; then
  node packages/cli/bin/clearance.mjs init --home "$home"
fi
exec node packages/cli/bin/clearance.mjs status --home "$home"
