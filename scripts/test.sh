#!/usr/bin/env bash
# Command 2 of the README: install what is missing, then run the whole test suite: typecheck,
# lint, format, trust-boundary rules and every test. Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
stage() { printf '\n== %s\n' "$1"; }
stage typecheck;        npm run --silent typecheck
stage lint;             npm run --silent lint
stage format;           npm run --silent format:check
stage boundaries;       npm run --silent lint:boundaries
stage tests
mkdir -p test-output
status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile=test-output/vitest.json || status=$?
# One plain closing line that any CI reader understands.
node -e '
  const r = require("./test-output/vitest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
