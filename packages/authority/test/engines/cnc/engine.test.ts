/**
 * The cnc engine in-process: flight-plan writes exactly the job artifact, take-off releases
 * exactly three validated files from the approved artifact, and every refusal writes nothing.
 */
import { readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  CNC_JOB_ARTIFACT_TYPE,
  cncRequestHash,
  jobHash,
  machineProfile,
  normalizeJob,
  parseJob,
  validateGcode,
} from '@clearance/cnc';
import { canonicalize, ERROR_CODES, Hb, validate } from '@clearance/protocol';
import type { JsonObject } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { runEngine } from '../../../src/engines/cnc/engine.js';
import { ENGINE_ID, receiptId } from '../../../src/engines/cnc/receipt.js';
import { clientJob, engineEnv, engineInput, receiptOf, restoredCopy, tempDir } from './helpers.js';

const FP = ['--mode', 'flight-plan'];
const TO = ['--mode', 'take-off'];

/** Flight-plan `job`, then a take-off environment on a read-only copy and an empty output dir. */
function planned(job: JsonObject = clientJob()): {
  env: Record<string, string>;
  output: string;
  artifacts: string;
} {
  const env = engineEnv('flight-plan');
  const result = runEngine(engineInput('flight-plan', { job }), FP, env);
  expect(result.exitCode).toBe(0);
  const artifacts = restoredCopy(env['CABINCREW_ARTIFACTS_DIR'] ?? '');
  return { env: engineEnv('take-off', artifacts), output: tempDir('cnc-out-'), artifacts };
}

describe('cnc engine: flight-plan', () => {
  it('writes one evidence artifact `job`: canonical normalized job, metadata, receipt hash', () => {
    const job = clientJob();
    const env = engineEnv('flight-plan');
    const stdin = engineInput('flight-plan', { job });
    const result = runEngine(stdin, FP, env);
    expect(result.exitCode).toBe(0);
    const receipt = receiptOf(result.stdout);
    const dir = env['CABINCREW_ARTIFACTS_DIR'] ?? '';
    const json = readFileSync(join(dir, 'job', 'artifact.json'));
    const body = readFileSync(join(dir, 'job', 'body.data'));
    const normalized = normalizeJob(parseJob(job));
    expect(body.toString('utf8')).toBe(canonicalize(normalized));
    expect(receipt).toMatchObject({
      engine_id: ENGINE_ID,
      mode: 'flight-plan',
      status: 'success',
      receipt_id: receiptId(stdin, 'flight-plan'),
      artifacts: [
        {
          name: 'job',
          role: 'evidence',
          path: 'job',
          hash: Hb(body),
          size: json.length + body.length,
        },
      ],
      metrics: [{ name: 'operations', value: 1 }],
    });
    const artifact: unknown = JSON.parse(json.toString('utf8'));
    expect(validate('Artifact', artifact)).toEqual({ ok: true });
    expect(artifact).toEqual({
      artifact_type: CNC_JOB_ARTIFACT_TYPE,
      action: 'manufacture',
      mime: 'application/json',
      body_file: 'body.data',
      metadata: {
        job_hash: jobHash(normalized),
        machine: 'grbl-desktop',
        dialect: 'grbl',
        operations: 1,
        request_hash: cncRequestHash(job),
      },
    });
    expect(readdirSync(dir)).toEqual(['job']);
    expect(readdirSync(env['CABINCREW_WORKSPACE'] ?? '')).toEqual([]);
  });

  it('refuses an invalid job with VALIDATION_FAILED, its pointer, exit 2 and no artifact', () => {
    const env = engineEnv('flight-plan');
    const job = clientJob('grbl-desktop', [{ kind: 'circular_pocket', cx: 1, cy: 1, radius: -2 }]);
    const result = runEngine(engineInput('flight-plan', { job }), FP, env);
    expect(result.exitCode).toBe(2);
    const receipt = receiptOf(result.stdout);
    expect(receipt['status']).toBe('failure');
    expect(receipt['error']).toMatch(/^VALIDATION_FAILED: /);
    expect(receipt['diagnostics']).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'job',
      pointer: '/operations/0/radius',
    });
    expect(readdirSync(env['CABINCREW_ARTIFACTS_DIR'] ?? '')).toEqual([]);
  });

  it('refuses a config other than exactly { job }', () => {
    for (const config of [{ job: clientJob(), extra: 1 }, {}, { job: 'x' }, null]) {
      const env = engineEnv('flight-plan');
      const result = runEngine(engineInput('flight-plan', config), FP, env);
      expect(result.exitCode).toBe(2);
      expect(receiptOf(result.stdout)['diagnostics']).toEqual({
        code: 'VALIDATION_FAILED',
        reason: 'config',
      });
      expect(readdirSync(env['CABINCREW_ARTIFACTS_DIR'] ?? '')).toEqual([]);
    }
  });

  it('refuses disagreeing modes and a non-empty ARTIFACTS_DIR', () => {
    const env = engineEnv('flight-plan');
    const stdin = engineInput('flight-plan', { job: clientJob() });
    expect(receiptOf(runEngine(stdin, TO, env).stdout)['diagnostics']).toMatchObject({
      reason: 'mode-mismatch',
    });
    writeFileSync(join(env['CABINCREW_ARTIFACTS_DIR'] ?? '', 'stale'), 'x');
    expect(receiptOf(runEngine(stdin, FP, env).stdout)['diagnostics']).toMatchObject({
      reason: 'artifacts-dir',
    });
  });

  it('uses only codes from the protocol error table', () => {
    const env = engineEnv('flight-plan');
    const result = runEngine(Buffer.from('{"dup":1,"dup":2}'), FP, env);
    const code = (receiptOf(result.stdout)['diagnostics'] as { code: string }).code;
    expect(ERROR_CODES).toContain(code);
  });
});

describe('cnc engine: take-off', () => {
  it('writes exactly the G-code, toolpaths.json and preview.svg, validated and stamped', () => {
    const job = clientJob();
    const { env, output } = planned(job);
    const result = runEngine(engineInput('take-off', { job }), TO, env, output);
    expect(result.exitCode).toBe(0);
    expect(receiptOf(result.stdout)).toMatchObject({
      mode: 'take-off',
      status: 'success',
      artifacts: [],
    });
    expect(readdirSync(output).sort()).toEqual(['preview.svg', 'program.gcode', 'toolpaths.json']);
    const gcode = readFileSync(join(output, 'program.gcode'), 'utf8');
    expect(validateGcode(gcode, machineProfile('grbl-desktop')).ok).toBe(true);
    expect(gcode).toContain('workflow_id: wf_cnc_test');
    expect(gcode).toContain(`request_hash: ${cncRequestHash(job)}`);
    expect(gcode).toContain(`job_hash: ${jobHash(normalizeJob(parseJob(job)))}`);
    expect(readdirSync(env['CABINCREW_WORKSPACE'] ?? '')).toEqual([]);
  });

  it('is deterministic: the same approved artifact gives the same bytes', () => {
    const job = clientJob('linuxcnc-router');
    const a = planned(job);
    const b = planned(job);
    runEngine(engineInput('take-off', { job }), TO, a.env, a.output);
    runEngine(engineInput('take-off', { job }), TO, b.env, b.output);
    for (const name of ['program.ngc', 'toolpaths.json', 'preview.svg']) {
      expect(readFileSync(join(b.output, name))).toEqual(readFileSync(join(a.output, name)));
    }
  });

  it('refuses a request other than the planned one (ARTIFACT_INTEGRITY), writing nothing', () => {
    const { env, output } = planned();
    const other = clientJob('grbl-desktop', [
      { kind: 'circular_pocket', cx: 150, cy: 100, radius: 25 },
    ]);
    const result = runEngine(engineInput('take-off', { job: other }), TO, env, output);
    expect(result.exitCode).toBe(2);
    expect(receiptOf(result.stdout)['diagnostics']).toEqual({
      code: 'ARTIFACT_INTEGRITY',
      reason: 'request-mismatch',
    });
    expect(readdirSync(output)).toEqual([]);
  });

  // Also proves ENG-18.
  it('refuses a tampered job body or metadata, writing nothing', () => {
    const job = clientJob();
    const cases: [string, (dir: string) => void, string][] = [
      [
        'body edited',
        (dir) => {
          const path = join(dir, 'job', 'body.data');
          const text = readFileSync(path, 'utf8').replace('"radius":20', '"radius":19');
          unlinkSync(path);
          writeFileSync(path, text);
        },
        'ARTIFACT_INTEGRITY',
      ],
      [
        'body not canonical',
        (dir) => {
          const path = join(dir, 'job', 'body.data');
          const text = `${readFileSync(path, 'utf8')} `;
          unlinkSync(path);
          writeFileSync(path, text);
        },
        'ARTIFACT_INVALID',
      ],
      [
        'body a symlink',
        (dir) => {
          const path = join(dir, 'job', 'body.data');
          const copy = join(tempDir('cnc-elsewhere-'), 'body.data');
          writeFileSync(copy, readFileSync(path));
          unlinkSync(path);
          symlinkSync(copy, path);
        },
        'ARTIFACT_INVALID',
      ],
      ['extra entry', (dir) => writeFileSync(join(dir, 'extra'), 'x'), 'ARTIFACT_INVALID'],
    ];
    for (const [, tamper, code] of cases) {
      const env = engineEnv('flight-plan');
      runEngine(engineInput('flight-plan', { job }), FP, env);
      const artifacts = env['CABINCREW_ARTIFACTS_DIR'] ?? '';
      tamper(artifacts);
      const output = tempDir('cnc-out-');
      const result = runEngine(
        engineInput('take-off', { job }),
        TO,
        engineEnv('take-off', artifacts),
        output,
      );
      expect(result.exitCode).toBe(2);
      expect(receiptOf(result.stdout)['diagnostics']).toMatchObject({ code });
      expect(readdirSync(output)).toEqual([]);
    }
  });

  it('refuses a program the validator rejects: issue codes in the receipt, nothing written', () => {
    // Inside the job model's limits, outside the GRBL envelope (X 0..400).
    const job = clientJob('grbl-desktop', [
      { kind: 'circular_pocket', cx: 390, cy: 100, radius: 20 },
    ]);
    const { env, output } = planned(job);
    const result = runEngine(engineInput('take-off', { job }), TO, env, output);
    expect(result.exitCode).toBe(2);
    const receipt = receiptOf(result.stdout);
    expect(receipt['error']).toMatch(
      /^VALIDATION_FAILED: G-code validation failed: .*OUT_OF_ENVELOPE/,
    );
    expect(receipt['diagnostics']).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'gcode-invalid',
      issues: ['OUT_OF_ENVELOPE'],
    });
    expect(readdirSync(output)).toEqual([]);
  });

  it('refuses an output directory that is not empty', () => {
    const job = clientJob();
    const { env, output } = planned(job);
    writeFileSync(join(output, 'program.gcode'), 'G0 X0\n');
    const result = runEngine(engineInput('take-off', { job }), TO, env, output);
    expect(result.exitCode).toBe(2);
    expect(receiptOf(result.stdout)['diagnostics']).toMatchObject({ reason: 'output-dir' });
    expect(readFileSync(join(output, 'program.gcode'), 'utf8')).toBe('G0 X0\n');
  });
});
