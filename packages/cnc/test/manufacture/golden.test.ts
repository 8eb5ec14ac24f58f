/**
 * Golden G-code for every operation kind and dialect, byte for byte. Regenerate deliberately with
 * `UPDATE_GOLDEN=1 npx vitest run packages/cnc/test/manufacture/golden.test.ts` and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { manufactureJob } from '../../src/manufacture/index.js';
import { CASES, MACHINES, normalized, stampFor } from './fixtures.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

describe('golden G-code', () => {
  for (const c of CASES) {
    for (const { dialect, machine } of MACHINES) {
      const result = (): ReturnType<typeof manufactureJob> =>
        manufactureJob(normalized(c, machine), stampFor(c, machine));
      const file = `${c.name}.${result().gcode_file.replace('program', dialect)}`;
      it(`${file} is byte-stable`, () => {
        const url = new URL(`./golden/${file}`, import.meta.url);
        const text = result().gcode;
        if (UPDATE) writeFileSync(url, text);
        expect(existsSync(url)).toBe(true);
        expect(text).toBe(readFileSync(url, 'utf8'));
      });
    }
  }
});
