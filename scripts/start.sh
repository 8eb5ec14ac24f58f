#!/usr/bin/env bash
# Command 1 of the README: install what is missing, then start Clearance on its embedded default:
# a home under $CLEARANCE_HOME (default ./.clearance) and the HTTP API on 127.0.0.1.
#
# On first run it creates the home (keys, audit log, admin user — the admin token is printed once
# and kept in $CLEARANCE_HOME/secrets/admin.token, mode 0600), a demo workspace the sandboxed
# engines may read and (in take-off) write, a config that registers the built-in patch and cnc
# engines with a default policy, and the demo (users operator/approver/agent/supervisor and a few
# workflows). Then it serves the API and the web console until Ctrl-C (the audit log gets a signed
# checkpoint on shutdown); the console URL is printed. Idempotent: later runs reuse the home.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
home="${CLEARANCE_HOME:-$PWD/.clearance}"
workspace="${CLEARANCE_WORKSPACE:-$PWD/.clearance-workspace}"
port="${CLEARANCE_PORT:-8787}"
cnc_workspace="${CLEARANCE_CNC_WORKSPACE:-$PWD/.clearance-cnc}"
if [ ! -f "$home/clearance.json" ]; then
  # Engines run as uid 65534 (nobody): it must be able to read a workspace in flight-plan and
  # write it in take-off. CNC jobs get a workspace of their own: every plan binds its workspace's
  # hash, so a patch applied to a shared folder would invalidate pending CNC plans.
  for dir in "$workspace" "$cnc_workspace"; do
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown -R 65534:65534 "$dir"; fi
    chmod 0755 "$dir"
  done
  node packages/cli/bin/clearance.mjs init --home "$home" --workspace "demo=$workspace" \
    --workspace "cnc=$cnc_workspace"
  # Demo users (tokens printed once and kept in $home/secrets/<name>.token, 0600) and workflows in
  # interesting states, created through the real authority. CLEARANCE_DEMO=0 skips it.
  if [ "${CLEARANCE_DEMO:-1}" != "0" ]; then
    node packages/cli/bin/clearance.mjs demo --home "$home"
  fi
fi
exec node packages/cli/bin/clearance.mjs serve --home "$home" --port "$port"
