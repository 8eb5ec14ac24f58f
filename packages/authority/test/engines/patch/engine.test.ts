import { ERROR_CODES, validate } from '@clearance/protocol';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DEFAULT_OUTPUT_DIR, runEngine } from '../../../src/engines/patch/engine.js';
import { PATCH_ERROR_CODES } from '../../../src/engines/patch/errors.js';
import { HARD_MAX_PATCH_BYTES } from '../../../src/engines/patch/input.js';
import { ENGINE_ID, receiptId } from '../../../src/engines/patch/receipt.js';
import { gitModify, snapshot, tempDir, writeTree } from './helpers.js';

type Mode = 'flight-plan' | 'take-off';

function dirs(mode: Mode): Record<string, string> {
  const ws = tempDir();
  writeTree(ws, { 'a.txt': 'one\n' });
  return {
    CABINCREW_WORKSPACE: ws,
    CABINCREW_ARTIFACTS_DIR: tempDir(),
    CABINCREW_TEMP_DIR: tempDir(),
    CABINCREW_MODE: mode,
    PATH: '/usr/bin',
  };
}

function input(mode: Mode, config: unknown, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      protocol_version: '0.1.0',
      mode,
      meta: { workflow_id: 'w', step_id: 's' },
      config,
      ...extra,
    }),
  );
}

const PATCH = gitModify('a.txt', '@@ -1 +1 @@', '-one', '+1');

function receiptOf(stdout: string): Record<string, unknown> {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.slice(0, -1)).not.toContain('\n');
  const receipt: unknown = JSON.parse(stdout);
  expect(validate('EngineOutput', receipt)).toEqual({ ok: true });
  return receipt as Record<string, unknown>;
}

describe('runEngine (in-process)', () => {
  it('uses only codes from the protocol error table', () => {
    for (const code of PATCH_ERROR_CODES) expect(ERROR_CODES).toContain(code);
  });

  it('flight-plan: success receipt, schema-valid, with artifacts and the files metric', () => {
    const env = dirs('flight-plan');
    const stdin = input('flight-plan', { patch: PATCH });
    const result = runEngine(stdin, ['--mode', 'flight-plan'], env);
    expect(result.exitCode).toBe(0);
    const receipt = receiptOf(result.stdout);
    expect(receipt).toMatchObject({
      protocol_version: '0.1.0',
      engine_id: ENGINE_ID,
      mode: 'flight-plan',
      receipt_id: receiptId(stdin, 'flight-plan'),
      status: 'success',
      metrics: [{ name: 'files', value: 1 }],
    });
    expect(receipt['artifacts']).toMatchObject([
      { name: 'change-0001', role: 'evidence', path: 'change-0001' },
    ]);
    expect(readdirSync(env['CABINCREW_ARTIFACTS_DIR'] ?? '')).toEqual(['change-0001']);
  });

  it('derives a UUID-shaped receipt id from input bytes and mode only', () => {
    const id = receiptId(Buffer.from('x'), 'flight-plan');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(receiptId(Buffer.from('x'), 'flight-plan')).toBe(id);
    expect(receiptId(Buffer.from('x'), 'take-off')).not.toBe(id);
    expect(receiptId(Buffer.from('y'), 'flight-plan')).not.toBe(id);
  });

  it('refused patch: exit 2, failure receipt naming path and reason, no artifacts', () => {
    const env = dirs('flight-plan');
    const result = runEngine(
      input('flight-plan', { patch: gitModify('../x', '@@ -1 +1 @@', '-a', '+b') }),
      ['--mode', 'flight-plan'],
      env,
    );
    expect(result.exitCode).toBe(2);
    const receipt = receiptOf(result.stdout);
    expect(receipt).toMatchObject({
      status: 'failure',
      diagnostics: { code: 'PATCH_ESCAPES_WORKSPACE', reason: 'dotdot-segment' },
    });
    expect(receipt['error']).toContain('../x');
    expect(receipt['artifacts']).toBeUndefined();
    expect(readdirSync(env['CABINCREW_ARTIFACTS_DIR'] ?? '')).toEqual([]);
  });

  const modeCases: [string, string[], Mode, Mode][] = [
    ['argv differs', ['--mode', 'take-off'], 'flight-plan', 'flight-plan'],
    ['env differs', ['--mode', 'flight-plan'], 'take-off', 'flight-plan'],
    ['input differs', ['--mode', 'flight-plan'], 'flight-plan', 'take-off'],
  ];
  it.each(modeCases)(
    'refuses disagreeing modes (%s) with exit 2',
    (_name, argv, envMode, inputMode) => {
      const env = dirs(envMode);
      const result = runEngine(input(inputMode, { patch: PATCH }), argv, env);
      expect(result.exitCode).toBe(2);
      expect(receiptOf(result.stdout)).toMatchObject({
        status: 'failure',
        diagnostics: { reason: 'mode-mismatch' },
      });
      expect(readdirSync(env['CABINCREW_ARTIFACTS_DIR'] ?? '')).toEqual([]);
    },
  );

  const badArgv: string[][] = [
    [],
    ['--mode'],
    ['--mode', 'land'],
    ['--mode=flight-plan'],
    ['--mode', 'flight-plan', '--x'],
  ];
  it.each(badArgv)('refuses argv %j', (...argv) => {
    const result = runEngine(input('flight-plan', { patch: PATCH }), argv, dirs('flight-plan'));
    expect(result.exitCode).toBe(2);
    expect(receiptOf(result.stdout)).toMatchObject({
      diagnostics: { code: 'VALIDATION_FAILED', reason: 'argv' },
    });
  });

  it('refuses a missing or relative CABINCREW_* directory', () => {
    const env = dirs('flight-plan');
    const stdin = input('flight-plan', { patch: PATCH });
    for (const broken of [
      { ...env, CABINCREW_WORKSPACE: undefined },
      { ...env, CABINCREW_TEMP_DIR: 'tmp' },
    ]) {
      const result = runEngine(stdin, ['--mode', 'flight-plan'], broken);
      expect(result.exitCode).toBe(2);
      expect(receiptOf(result.stdout)).toMatchObject({ diagnostics: { reason: 'env' } });
    }
  });

  it('refuses a workspace that does not exist or is not a directory', () => {
    const env = dirs('flight-plan');
    const stdin = input('flight-plan', { patch: PATCH });
    const file = join(env['CABINCREW_WORKSPACE'] ?? '', 'a.txt');
    for (const workspace of [join(tempDir(), 'missing'), file]) {
      const result = runEngine(stdin, ['--mode', 'flight-plan'], {
        ...env,
        CABINCREW_WORKSPACE: workspace,
      });
      expect(result.exitCode).toBe(2);
      expect(receiptOf(result.stdout)).toMatchObject({
        diagnostics: { code: 'VALIDATION_FAILED', reason: 'env' },
      });
    }
  });

  const badInputs: [string, Buffer, string][] = [
    ['not JSON', Buffer.from('nope'), 'input'],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'input'],
    [
      'no meta',
      Buffer.from(JSON.stringify({ protocol_version: '0.1.0', mode: 'flight-plan' })),
      'input',
    ],
    ['no patch', input('flight-plan', {}), 'config'],
    ['a non-string patch', input('flight-plan', { patch: 1 }), 'config'],
    [
      'a lone surrogate in the patch',
      input('flight-plan', { patch: 'diff --git a/x b/x\n\ud800\n' }),
      'config',
    ],
    ['an unknown config key', input('flight-plan', { patch: PATCH, fuzz: 3 }), 'config'],
    [
      'max_patch_bytes above the hard maximum',
      input('flight-plan', { patch: PATCH, max_patch_bytes: HARD_MAX_PATCH_BYTES + 1 }),
      'config',
    ],
    [
      'a fractional max_file_bytes',
      input('flight-plan', { patch: PATCH, max_file_bytes: 1.5 }),
      'config',
    ],
  ];
  it.each(badInputs)(
    'refuses input with %s (VALIDATION_FAILED, exit 2)',
    (_name, stdin, reason) => {
      const result = runEngine(stdin, ['--mode', 'flight-plan'], dirs('flight-plan'));
      expect(result.exitCode).toBe(2);
      expect(receiptOf(result.stdout)).toMatchObject({
        status: 'failure',
        diagnostics: { code: 'VALIDATION_FAILED', reason },
      });
    },
  );

  it('honours max_patch_bytes from config', () => {
    const result = runEngine(
      input('flight-plan', { patch: PATCH, max_patch_bytes: 10 }),
      ['--mode', 'flight-plan'],
      dirs('flight-plan'),
    );
    expect(result.exitCode).toBe(2);
    expect(receiptOf(result.stdout)).toMatchObject({ diagnostics: { code: 'PATCH_TOO_LARGE' } });
  });

  it('refuses an artifacts dir that is not empty or lies inside the workspace', () => {
    const env = dirs('flight-plan');
    writeTree(env['CABINCREW_ARTIFACTS_DIR'] ?? '', { stale: 'x' });
    const stdin = input('flight-plan', { patch: PATCH });
    expect(receiptOf(runEngine(stdin, ['--mode', 'flight-plan'], env).stdout)).toMatchObject({
      diagnostics: { reason: 'artifacts-dir' },
    });
    const inside = { ...dirs('flight-plan') };
    inside['CABINCREW_ARTIFACTS_DIR'] = inside['CABINCREW_WORKSPACE'] ?? '';
    const before = snapshot(inside['CABINCREW_WORKSPACE'] ?? '');
    expect(receiptOf(runEngine(stdin, ['--mode', 'flight-plan'], inside).stdout)).toMatchObject({
      diagnostics: { reason: 'artifacts-dir' },
    });
    expect(snapshot(inside['CABINCREW_WORKSPACE'] ?? '')).toBe(before);
  });

  it('reports an unexpected failure as exit 1 (engine failure)', () => {
    const env = {
      ...dirs('flight-plan'),
      CABINCREW_ARTIFACTS_DIR: join(tempDir(), 'does-not-exist'),
    };
    const result = runEngine(
      input('flight-plan', { patch: PATCH }),
      ['--mode', 'flight-plan'],
      env,
    );
    expect(result.exitCode).toBe(1);
    expect(receiptOf(result.stdout)).toMatchObject({
      status: 'failure',
      diagnostics: { code: 'INTERNAL' },
    });
  });

  it('take-off: applies the artifacts, reports files_changed and no artifacts', () => {
    const fp = dirs('flight-plan');
    expect(
      runEngine(input('flight-plan', { patch: PATCH }), ['--mode', 'flight-plan'], fp).exitCode,
    ).toBe(0);
    const to = { ...fp, CABINCREW_MODE: 'take-off' };
    const result = runEngine(
      input('take-off', {}),
      ['--mode', 'take-off'],
      to,
      join(tempDir(), 'out'),
    );
    expect(result.exitCode).toBe(0);
    expect(receiptOf(result.stdout)).toMatchObject({
      mode: 'take-off',
      status: 'success',
      artifacts: [],
      metrics: [{ name: 'files_changed', value: 1 }],
    });
    expect(DEFAULT_OUTPUT_DIR).toBe('/cabincrew/output');
  });
});
