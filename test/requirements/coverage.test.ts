/**
 * I11-6: the requirements manifest. Every MUST id of spec/cabincrew.md (§2 tables, §6 scenarios)
 * and of the RMOS compliance matrix S1–S8 (extracted into test/requirements/ids.json) is cited by
 * at least one test file, or is listed in test/requirements/uncovered.json with the issue that
 * will cover it. `node scripts/requirements.mjs` prints the table.
 */
import { describe, expect, it } from 'vitest';
import {
  citedIds,
  coverage,
  listTestFiles,
  loadRequirements,
  loadUncovered,
} from './coverage-lib.mjs';

const requirements = loadRequirements();
const uncovered = loadUncovered();
const rows = coverage();

describe('I11-6: requirements manifest', () => {
  it('the committed id list is whole: unique ids, the 14 requirement families, S-1..S-30 and RMOS S1–S8', () => {
    const ids = requirements.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const families = new Set(ids.map((id) => id.replace(/-\w+$/, '')));
    for (const f of ['GEN', 'ENG', 'ORCH', 'ART', 'PT', 'PRE', 'APR', 'GW', 'MCP', 'LLM', 'AUD']) {
      expect(families.has(f), f).toBe(true);
    }
    for (const f of ['WAL', 'SEC', 'SCH', 'S', 'RMOS']) expect(families.has(f), f).toBe(true);
    for (let n = 1; n <= 30; n++) expect(ids).toContain(`S-${n}`);
    for (let n = 1; n <= 8; n++) expect(ids).toContain(`RMOS-S${n}`);
    for (const r of requirements) expect(['MUST', 'SHOULD', 'MAY']).toContain(r.level);
  });

  it('the scanner finds citations in titles and comments, and nothing inside longer ids', () => {
    expect([...citedIds("it('S-15d / ORCH-8: x', ...) // WAL-9, RMOS S1 and RMOS-S8")]).toEqual([
      'S-15',
      'ORCH-8',
      'WAL-9',
      'RMOS-S1',
      'RMOS-S8',
    ]);
    expect([...citedIds('PT-10 S-230 XS-1 FOO-1 I11-6 G-3')]).toEqual(['PT-10', 'S-230']);
    expect(listTestFiles()).toContain('packages/authority/test/scenarios/flight-plan.test.ts');
    expect(listTestFiles()).not.toContain('test/requirements/coverage.test.ts');
  });

  it('every MUST id is cited by a test, or listed as not yet covered with its issue', () => {
    const missing = rows
      .filter((r) => r.level === 'MUST' && r.files.length === 0 && uncovered[r.id] === undefined)
      .map((r) => r.id);
    expect(
      missing,
      'MUST ids without a citing test (cite them, or list them with an issue)',
    ).toEqual([]);
  });

  it('the not-yet-covered list only shrinks: no listed id is cited, each is a known MUST id with an issue', () => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [id, entry] of Object.entries(uncovered)) {
      const row = byId.get(id);
      expect(row, `${id} is not a requirement id`).toBeDefined();
      expect(row?.level, id).toBe('MUST');
      expect(row?.files, `${id} is cited now: remove it from uncovered.json`).toEqual([]);
      expect(entry.issue.length, id).toBeGreaterThan(0);
    }
  });
});
