// Requirement coverage (issue 11 item 6): which test files cite which requirement id of
// test/requirements/ids.json. Shared by test/requirements/coverage.test.ts (the gate) and
// scripts/requirements.mjs (the table in the README). A citation is the id written anywhere in a
// `*.test.ts` file under packages/*/test or test/ (titles, comments, scenario tables), except the
// manifest's own tests in test/requirements/; RMOS ids are cited as "RMOS S1" or "RMOS-S1".
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const CITATION =
  /\b(?:(GEN|ENG|ORCH|ART|PT|PRE|APR|GW|MCP|LLM|AUD|WAL|SEC|SCH|S)-(\d+)|RMOS[ -]S([1-8]))(?![\d])/g;

/** Every requirement id cited in `text`. */
export function citedIds(text) {
  const ids = new Set();
  for (const m of text.matchAll(CITATION)) {
    ids.add(m[3] === undefined ? `${m[1]}-${m[2]}` : `RMOS-S${m[3]}`);
  }
  return ids;
}

function testFiles(dir) {
  let out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out = out.concat(testFiles(path));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The test files of the repository, relative to {@link ROOT}, sorted. */
export function listTestFiles(root = ROOT) {
  const dirs = [join(root, 'test')];
  for (const pkg of readdirSync(join(root, 'packages')))
    dirs.push(join(root, 'packages', pkg, 'test'));
  const files = [];
  for (const dir of dirs) {
    try {
      files.push(...testFiles(dir));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
  }
  // The manifest's own tests name ids as data, not as citations.
  return files
    .map((f) => relative(root, f))
    .filter((f) => !f.startsWith('test/requirements/'))
    .sort();
}

/** The committed requirement list (test/requirements/ids.json). */
export function loadRequirements(root = ROOT) {
  const doc = JSON.parse(readFileSync(join(root, 'test/requirements/ids.json'), 'utf8'));
  return doc.requirements;
}

/** The committed "not yet covered" list (test/requirements/uncovered.json): id → reason. */
export function loadUncovered(root = ROOT) {
  const doc = JSON.parse(readFileSync(join(root, 'test/requirements/uncovered.json'), 'utf8'));
  return doc.uncovered;
}

/** One row per requirement: the test files citing it, in path order. */
export function coverage(root = ROOT) {
  const byId = new Map();
  for (const file of listTestFiles(root)) {
    for (const id of citedIds(readFileSync(join(root, file), 'utf8'))) {
      byId.set(id, [...(byId.get(id) ?? []), file]);
    }
  }
  return loadRequirements(root).map((r) => ({ ...r, files: byId.get(r.id) ?? [] }));
}
