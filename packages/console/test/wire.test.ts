/**
 * I11-3: the console checks what it sends by the one CNC wire contract (through the client): an
 * override reason exactly as the authority judges it (trimmed length 10–2000), and a job the
 * contract refuses is not sent (the server test proves the server refuses the same).
 */
import { OVERRIDE_REASON } from '@clearance/client';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, jobFromForm } from '../src/logic/job-form.js';
import { overrideReasonProblem } from '../src/logic/override.js';

describe('I11-3: console validation is the wire contract', () => {
  it('I11-3: override reasons: accepted iff the trimmed length is within 10–2000', () => {
    expect(OVERRIDE_REASON).toEqual({ min: 10, max: 2000 });
    const samples = [
      'r'.repeat(9),
      'r'.repeat(10),
      ` ${'r'.repeat(9)} `,
      `  ${'r'.repeat(10)}\n`,
      ' '.repeat(50),
      'r'.repeat(2000),
      ` ${'r'.repeat(2000)} `,
      'r'.repeat(2001),
      'r'.repeat(4000),
    ];
    for (const reason of samples) {
      const n = reason.trim().length;
      expect(overrideReasonProblem(reason) === undefined, JSON.stringify(reason.length)).toBe(
        n >= 10 && n <= 2000,
      );
    }
  });

  it('I11-3: a job outside the contract is not sent; the default job is', () => {
    expect('job' in jobFromForm(DEFAULT_FORM)).toBe(true);
    const steep = jobFromForm({
      ...DEFAULT_FORM,
      cutting: { ...DEFAULT_FORM.cutting, stepover: '1.5' },
    });
    expect('problems' in steep && steep.problems[0]).toMatch(/^\/cutting\/stepover:/);
    const flutes = jobFromForm({ ...DEFAULT_FORM, tool: { ...DEFAULT_FORM.tool, flutes: '2.5' } });
    expect('problems' in flutes && flutes.problems[0]).toMatch(/^\/tool\/flutes:/);
  });
});
