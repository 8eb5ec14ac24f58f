/**
 * I11-3: the built-in engines share one engine kit (environment, modes, receipts, exit codes) and
 * the patch engine refuses with the protocol's ClearanceError, as the cnc engine does (ENG-6,
 * ENG-11, G-13).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ClearanceError } from '@clearance/protocol';
import { afterEach, describe, expect, it } from 'vitest';

import { runEngine as runCnc } from '../../src/engines/cnc/engine.js';
import { runEngine as runPatch } from '../../src/engines/patch/engine.js';
import { PatchError } from '../../src/engines/patch/errors.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dir(): string {
  const made = mkdtempSync(join(tmpdir(), 'engine-kit-'));
  created.push(made);
  return made;
}

function env(mode: string): Record<string, string> {
  return {
    CABINCREW_MODE: mode,
    CABINCREW_WORKSPACE: dir(),
    CABINCREW_ARTIFACTS_DIR: dir(),
    CABINCREW_TEMP_DIR: dir(),
  };
}

const input = (mode: string, config: unknown): Buffer =>
  Buffer.from(
    JSON.stringify({
      protocol_version: '0.1.0',
      mode,
      meta: { workflow_id: 'wf_kit', step_id: 'step_1' },
      config,
    }),
  );

/** Each engine with a config it accepts in take-off (so only the mode can be refused). */
const engines = [
  ['cnc', runCnc, { job: {} }],
  ['patch', runPatch, {}],
] as const;

describe('I11-3: one engine kit for cnc and patch', () => {
  it.each(engines)(
    '%s: argv, environment and input modes that differ are refused alike (G-13, exit 2)',
    (name, run, config) => {
      const result = run(input('take-off', config), ['--mode', 'flight-plan'], env('flight-plan'));
      expect(result.exitCode).toBe(2);
      const receipt: unknown = JSON.parse(result.stdout);
      expect(receipt).toMatchObject({
        engine_id: `clearance.${name}`,
        mode: 'flight-plan',
        status: 'failure',
        diagnostics: { code: 'VALIDATION_FAILED', reason: 'mode-mismatch' },
      });
      expect(result.stdout.endsWith('\n')).toBe(true);
      expect(result.stdout.indexOf('\n')).toBe(result.stdout.length - 1);
      // The code line the authority reads when the receipt is lost, the same for every engine.
      expect(result.log).toEqual([
        expect.stringMatching(
          new RegExp(`^${name}: refused: VALIDATION_FAILED \\(mode-mismatch\\): `),
        ),
      ]);
    },
  );

  it.each(engines)(
    '%s: a relative CABINCREW_WORKSPACE is refused (env, exit 2)',
    (_name, run, config) => {
      const result = run(input('flight-plan', config), ['--mode', 'flight-plan'], {
        ...env('flight-plan'),
        CABINCREW_WORKSPACE: 'relative/ws',
      });
      expect(result.exitCode).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({
        diagnostics: { code: 'VALIDATION_FAILED', reason: 'env' },
      });
    },
  );

  it('the patch engine refuses with ClearanceError codes (PatchError is one)', () => {
    const error = new PatchError('PATCH_INVALID', 'hunk', 'bad hunk', { path: 'a.txt' });
    expect(error).toBeInstanceOf(ClearanceError);
    expect(error.code).toBe('PATCH_INVALID');
    expect(error.detail).toEqual({ reason: 'hunk', path: 'a.txt' });
  });
});
