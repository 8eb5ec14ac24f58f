/**
 * Integration: take the engine bundle global setup built with scripts/build-engines.mjs (I11-7: no
 * re-bundling per file; cnc/bundle.test.ts proves a fresh build is byte-identical) and run it
 * as a child process (`node <bundle> --mode <mode>`, CABINCREW_* pointing at temp dirs). Not in a
 * sandbox: the sandbox has its own tests.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { validate } from '@clearance/protocol';
import { beforeAll, describe, expect, it } from 'vitest';

import { engineBundles } from '../../../../../test/support/engine-bundles.js';
import { snapshot, tempDir, writeTree } from './helpers.js';

type Built = { id: string; file: string; sha256: string };
type Run = { code: number | null; stdout: string; stderr: string };
type Mode = 'flight-plan' | 'take-off';

let bundle = '';
let built: Built[] = [];

/** Run the bundle once; resolves when the child has exited (no timing involved). */
function run(
  mode: Mode,
  dirs: { ws: string; artifacts: string; temp: string },
  stdin: string,
  argvMode: string = mode,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, '--mode', argvMode], {
      env: {
        PATH: '/usr/bin:/bin',
        CABINCREW_WORKSPACE: dirs.ws,
        CABINCREW_ARTIFACTS_DIR: dirs.artifacts,
        CABINCREW_TEMP_DIR: dirs.temp,
        CABINCREW_MODE: mode,
      },
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

function engineInput(mode: Mode, patch: string): string {
  return JSON.stringify({
    protocol_version: '0.1.0',
    mode,
    meta: { workflow_id: 'wf', step_id: 'st' },
    config: { patch },
  });
}

/** Exactly one line of stdout, and it is a schema-valid receipt. */
function receipt(result: Run): Record<string, unknown> {
  const lines = result.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  const value: unknown = JSON.parse(lines[0] ?? '');
  expect(validate('EngineOutput', value)).toEqual({ ok: true });
  return value as Record<string, unknown>;
}

const PATCH = [
  'diff --git a/src/app.txt b/src/app.txt',
  'index 1111111..2222222 100644',
  '--- a/src/app.txt',
  '+++ b/src/app.txt',
  '@@ -1,3 +1,3 @@',
  ' alpha',
  '-beta',
  '+BETA',
  ' gamma',
  'diff --git a/docs/new.md b/docs/new.md',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/docs/new.md',
  '@@ -0,0 +1,2 @@',
  '+# New',
  '+text',
  '--- a/old.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-obsolete',
  '',
].join('\n');

function setup(): { ws: string; artifacts: string; temp: string } {
  const ws = tempDir('patch-ws-');
  writeTree(ws, {
    'src/app.txt': 'alpha\nbeta\ngamma\n',
    'old.txt': 'obsolete\n',
    'keep.txt': 'kept\n',
  });
  return { ws, artifacts: tempDir('patch-art-'), temp: tempDir('patch-tmp-') };
}

/** Flight-plan, then a take-off directory holding a copy of the artifacts (as the orchestrator restores). */
async function planned(): Promise<{
  dirs: ReturnType<typeof setup>;
  takeOff: ReturnType<typeof setup>;
}> {
  const dirs = setup();
  const result = await run('flight-plan', dirs, engineInput('flight-plan', PATCH));
  expect(result.code).toBe(0);
  const copy = join(tempDir('patch-restored-'), 'artifacts');
  cpSync(dirs.artifacts, copy, { recursive: true });
  return { dirs, takeOff: { ws: dirs.ws, artifacts: copy, temp: tempDir('patch-tmp-') } };
}

beforeAll(() => {
  built = [...engineBundles()];
  bundle = built.find((b) => b.id === 'patch')?.file ?? '';
});

describe('patch engine bundle', () => {
  it('is one self-contained file that imports only node: builtins', () => {
    expect(built.map((b) => b.id)).toEqual(['patch', 'cnc']);
    const source = readFileSync(bundle, 'utf8');
    const specifiers = [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const spec of specifiers) expect(spec).toMatch(/^node:/);
    expect(source).not.toMatch(/\brequire\(/);
  });

  it('flight-plan: leaves the workspace byte-identical, emits one artifact per file, one receipt line', async () => {
    const dirs = setup();
    const before = snapshot(dirs.ws);
    const result = await run('flight-plan', dirs, engineInput('flight-plan', PATCH));
    expect(result.code).toBe(0);
    expect(snapshot(dirs.ws)).toBe(before);
    const r = receipt(result);
    expect(r).toMatchObject({
      engine_id: 'clearance.patch',
      mode: 'flight-plan',
      status: 'success',
      metrics: [{ name: 'files', value: 3 }],
    });
    expect(
      snapshot(dirs.artifacts)
        .split('\n')
        .map((line) => line.split(' ').slice(0, 2).join(' ')),
    ).toEqual([
      'd change-0001',
      'f change-0001/artifact.json',
      'f change-0001/body.data',
      'd change-0002',
      'f change-0002/artifact.json',
      'f change-0002/body.data',
      'd change-0003',
      'f change-0003/artifact.json',
      'f change-0003/body.data',
    ]);
    // Bodies are the patch's sections, byte-exact, and the receipt hashes them.
    const bodies = ['change-0001', 'change-0002', 'change-0003'].map((n) =>
      readFileSync(join(dirs.artifacts, n, 'body.data')),
    );
    expect(Buffer.concat(bodies).toString('utf8')).toBe(PATCH);
    const artifacts = r['artifacts'] as { hash: string; size: number; name: string }[];
    artifacts.forEach((a, i) => {
      const json = readFileSync(join(dirs.artifacts, a.name, 'artifact.json'));
      expect(validate('Artifact', JSON.parse(json.toString('utf8')))).toEqual({ ok: true });
      expect(a.size).toBe(json.length + (bodies[i]?.length ?? 0));
    });
  });

  it('flight-plan is deterministic: identical input and workspace give identical bytes', async () => {
    const a = setup();
    const b = setup();
    const ra = await run('flight-plan', a, engineInput('flight-plan', PATCH));
    const rb = await run('flight-plan', b, engineInput('flight-plan', PATCH));
    expect(ra.stdout).toBe(rb.stdout);
    expect(snapshot(a.artifacts)).toBe(snapshot(b.artifacts));
  });

  it('take-off on a copy of the artifacts applies exactly them', async () => {
    const { takeOff } = await planned();
    const result = await run('take-off', takeOff, engineInput('take-off', PATCH));
    expect(result.code).toBe(0);
    expect(receipt(result)).toMatchObject({
      mode: 'take-off',
      status: 'success',
      artifacts: [],
      metrics: [{ name: 'files_changed', value: 3 }],
    });
    // Exactly the approved changes, nothing else: every file of the workspace, with its content.
    const files = snapshot(takeOff.ws)
      .split('\n')
      .filter((line) => line.startsWith('f '))
      .map((line) => {
        const [, path, , content] = line.split(' ');
        return [path, Buffer.from(content ?? '', 'base64').toString('utf8')];
      });
    expect(files).toEqual([
      ['docs/new.md', '# New\ntext\n'],
      ['keep.txt', 'kept\n'],
      ['src/app.txt', 'alpha\nBETA\ngamma\n'],
    ]);
  });

  it('take-off refuses (exit 2) and writes nothing when the workspace changed after the plan', async () => {
    const { takeOff } = await planned();
    writeFileSync(join(takeOff.ws, 'old.txt'), 'edited meanwhile\n');
    const before = snapshot(takeOff.ws);
    const result = await run('take-off', takeOff, engineInput('take-off', PATCH));
    expect(result.code).toBe(2);
    expect(receipt(result)).toMatchObject({
      status: 'failure',
      diagnostics: { code: 'PATCH_DOES_NOT_APPLY' },
    });
    expect(snapshot(takeOff.ws)).toBe(before);
  });

  it('take-off refuses (exit 2) a modified body in the artifacts copy', async () => {
    const { takeOff } = await planned();
    const body = join(takeOff.artifacts, 'change-0002', 'body.data');
    writeFileSync(body, readFileSync(body, 'utf8').replace('+text', '+evil'));
    const before = snapshot(takeOff.ws);
    const result = await run('take-off', takeOff, engineInput('take-off', PATCH));
    expect(result.code).toBe(2);
    expect(receipt(result)).toMatchObject({
      status: 'failure',
      diagnostics: { code: 'ARTIFACT_INTEGRITY' },
    });
    expect(snapshot(takeOff.ws)).toBe(before);
  });

  it('refuses an escaping patch with exit 2, one receipt line and no artifacts', async () => {
    const dirs = setup();
    const evil = ['--- /dev/null', '+++ b/../escape.txt', '@@ -0,0 +1 @@', '+x', ''].join('\n');
    const result = await run('flight-plan', dirs, engineInput('flight-plan', evil));
    expect(result.code).toBe(2);
    expect(receipt(result)).toMatchObject({
      status: 'failure',
      diagnostics: { code: 'PATCH_ESCAPES_WORKSPACE' },
    });
    expect(snapshot(dirs.artifacts)).toBe('');
    expect(result.stderr).toContain('refused');
  });

  it('refuses disagreeing modes (argv vs env/input) with exit 2', async () => {
    const dirs = setup();
    const result = await run('flight-plan', dirs, engineInput('flight-plan', PATCH), 'take-off');
    expect(result.code).toBe(2);
    expect(receipt(result)).toMatchObject({
      status: 'failure',
      diagnostics: { reason: 'mode-mismatch' },
    });
  });
});
