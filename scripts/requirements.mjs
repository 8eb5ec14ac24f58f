#!/usr/bin/env node
// Print the requirements coverage table (issue 11 item 6): every id of test/requirements/ids.json
// with its level, the number of test files citing it and the first of them.
//   node scripts/requirements.mjs            the full table (markdown)
//   node scripts/requirements.mjs --summary  per family: MUST ids cited / listed as not yet covered
// The gate is test/requirements/coverage.test.ts; this script only reports.
import { coverage, loadUncovered } from '../test/requirements/coverage-lib.mjs';

const rows = coverage();
const uncovered = loadUncovered();
const family = (id) => id.replace(/-\w+$/, '');
const out = [];

if (process.argv.includes('--summary')) {
  out.push('| family | MUST ids | cited by a test | not yet covered |', '|---|---|---|---|');
  const families = [...new Set(rows.map((r) => family(r.id)))];
  for (const f of families) {
    const must = rows.filter((r) => family(r.id) === f && r.level === 'MUST');
    const cited = must.filter((r) => r.files.length > 0).length;
    const open = must.filter((r) => uncovered[r.id] !== undefined).map((r) => r.id);
    out.push(`| ${f} | ${must.length} | ${cited} | ${open.length === 0 ? '—' : open.join(', ')} |`);
  }
  const must = rows.filter((r) => r.level === 'MUST');
  const cited = must.filter((r) => r.files.length > 0).length;
  out.push('', `${cited} of ${must.length} MUST ids are cited by at least one test.`);
} else {
  out.push('| id | level | test files | first test file |', '|---|---|---|---|');
  for (const r of rows) {
    const first = r.files[0] ?? (uncovered[r.id] ? `not yet: ${uncovered[r.id].issue}` : '—');
    out.push(`| ${r.id} | ${r.level} | ${r.files.length} | ${first} |`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
