/**
 * Integration: take the engine bundles global setup built with scripts/build-engines.mjs, check the
 * cnc bundle is self-contained (node: builtins only, nothing read relative to itself) and that a
 * fresh build into a temp dir gives the same bytes for every engine (deterministic), then run it as a child process and inside the real bubblewrap sandbox
 * (flight-plan, then take-off on the restored read-only copy).
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { machineProfile, validateGcode } from '@clearance/cnc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { engineBundles } from '../../../../../test/support/engine-bundles.js';
import { runEngine } from '../../../src/engines/cnc/engine.js';
import { BubblewrapSandbox } from '../../../src/sandbox/index.js';
import type { SandboxLaunch, SandboxMode } from '../../../src/sandbox/index.js';
import { clientJob, engineEnv, engineInput, receiptOf } from './helpers.js';

const SCRIPT = fileURLToPath(new URL('../../../../../scripts/build-engines.mjs', import.meta.url));

type Built = { id: string; file: string; sha256: string };
type Run = { code: number | null; stdout: string; stderr: string };

// Not per-test temp dirs: the bundle outlives each test. 0711 so uid 65534 can reach the bundle.
let root = '';
let bundle = '';
let built: Built[] = [];

async function buildInto(outDir: string): Promise<Built[]> {
  const mod: unknown = await import(pathToFileURL(SCRIPT).href);
  const fn = (mod as { buildEngines?: unknown }).buildEngines;
  if (typeof fn !== 'function') throw new Error('build-engines.mjs does not export buildEngines');
  return (fn as (options: { outDir: string }) => Promise<Built[]>)({ outDir });
}

/** Run the bundle once as a child process; resolves when it has exited (no timing involved). */
function run(env: Record<string, string>, stdin: Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, '--mode', env['CABINCREW_MODE'] ?? ''], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cnc-bundle-'));
  chmodSync(root, 0o711);
  // I11-7: the bundles global setup built once, not a re-bundle per file.
  built = [...engineBundles()];
  bundle = built.find((b) => b.id === 'cnc')?.file ?? '';
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('cnc engine bundle', () => {
  it('is one self-contained file importing only node: builtins, built deterministically', async () => {
    expect(built.map((b) => b.id)).toContain('cnc');
    const source = readFileSync(bundle, 'utf8');
    const specifiers = [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const spec of specifiers) expect(spec).toMatch(/^node:/);
    expect(source).not.toMatch(/\bimport\(|import\.meta\.url/);
    const again = await buildInto(mkdtempSync(join(root, 'again-')));
    expect(again.map((b) => [b.id, b.sha256])).toEqual(built.map((b) => [b.id, b.sha256]));
  });

  it('flight-plan as a child process: same receipt and artifact bytes as in-process', async () => {
    const job = clientJob();
    const stdin = engineInput('flight-plan', { job });
    const env = engineEnv('flight-plan');
    const result = await run(env, stdin);
    expect(result.code).toBe(0);
    expect(receiptOf(result.stdout)).toMatchObject({
      status: 'success',
      engine_id: 'clearance.cnc',
    });
    const inProcess = engineEnv('flight-plan');
    expect(runEngine(stdin, ['--mode', 'flight-plan'], inProcess).stdout).toBe(result.stdout);
    for (const file of ['artifact.json', 'body.data']) {
      const a = readFileSync(join(env['CABINCREW_ARTIFACTS_DIR'] ?? '', 'job', file));
      const b = readFileSync(join(inProcess['CABINCREW_ARTIFACTS_DIR'] ?? '', 'job', file));
      expect(a).toEqual(b);
    }
  });

  it('runs in the bubblewrap sandbox: flight-plan, then take-off on the restored copy', async () => {
    const sandbox = await BubblewrapSandbox.create();
    const job = clientJob('fanuc-mill');
    const dirs = (name: string): Record<string, string> => {
      const base = mkdtempSync(join(root, `${name}-`));
      chmodSync(base, 0o711);
      const out: Record<string, string> = {};
      for (const d of ['workspace', 'artifacts', 'temp', 'output']) {
        out[d] = join(base, d);
        mkdirSync(out[d] ?? '', { mode: 0o755 });
      }
      return out;
    };
    const launch = (mode: SandboxMode, d: Record<string, string>): SandboxLaunch => ({
      mode,
      executable: bundle,
      interpreter: '/usr/bin/node',
      args: [],
      mounts: {
        workspace: d['workspace'] ?? '',
        artifacts: d['artifacts'] ?? '',
        temp: d['temp'] ?? '',
        ...(mode === 'take-off' ? { output: d['output'] ?? '' } : {}),
      },
      stdin: engineInput(mode, { job }),
      limits: {
        wallTimeMs: 60_000,
        memoryBytes: 1024 * 1024 * 1024,
        stdoutBytes: 1024 * 1024,
        stderrBytes: 64 * 1024,
        fileSizeBytes: 16 * 1024 * 1024,
        processes: 512,
      },
    });
    const plan = dirs('plan');
    const fp = await sandbox.run(launch('flight-plan', plan));
    expect(fp.exitCode).toBe(0);
    expect(receiptOf(fp.stdout.toString('utf8'))).toMatchObject({
      status: 'success',
      artifacts: [{ name: 'job', role: 'evidence' }],
    });
    // The restored copy: the planned artifacts, read-only, readable by the engine's uid.
    const take = dirs('take');
    rmSync(take['artifacts'] ?? '', { recursive: true });
    cpSync(plan['artifacts'] ?? '', take['artifacts'] ?? '', { recursive: true });
    for (const f of ['artifact.json', 'body.data']) {
      chmodSync(join(take['artifacts'] ?? '', 'job', f), 0o444);
    }
    const to = await sandbox.run(launch('take-off', take));
    expect(to.exitCode).toBe(0);
    expect(receiptOf(to.stdout.toString('utf8'))).toMatchObject({
      status: 'success',
      mode: 'take-off',
    });
    const output = take['output'] ?? '';
    expect(readdirSync(output).sort()).toEqual(['preview.svg', 'program.nc', 'toolpaths.json']);
    const gcode = readFileSync(join(output, 'program.nc'), 'utf8');
    expect(validateGcode(gcode, machineProfile('fanuc-mill')).ok).toBe(true);
    expect(readdirSync(take['workspace'] ?? '')).toEqual([]);
  });
});
