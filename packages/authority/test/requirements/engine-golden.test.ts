/**
 * I11-6 / ENG-14: the reference engines leak no unnormalised timestamp, unseeded randomness or OS
 * entropy. Each built-in engine (patch, cnc) runs flight-plan and then take-off on the restored
 * copy, inside the real bubblewrap sandbox, twice for one fixed input: from different host
 * folders and at different times (more than a second apart). Every
 * receipt byte and every file the engine wrote (artifacts, released output, changed workspace)
 * is the same in both runs, and no host path or wall-clock date appears in any of them.
 */
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '@clearance/protocol';
import { BubblewrapSandbox, type SandboxMode } from '../../src/sandbox/index.js';
import { greenJob } from '../scenarios/cnc-harness.js';
import { cncEngine, handWorkspace, patchEngine } from '../scenarios/harness.js';
import { LIMITS } from '../sandbox/helpers.js';

let root = '';
let sandbox: BubblewrapSandbox;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-eng14-'));
  await chmod(root, 0o711);
  sandbox = await BubblewrapSandbox.create();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Dirs = Record<'workspace' | 'artifacts' | 'temp' | 'output', string>;

async function dirs(name: string, workspace: Record<string, string>): Promise<Dirs> {
  const base = await mkdtemp(join(root, `${name}-`));
  await chmod(base, 0o711);
  const out = {} as Dirs;
  for (const d of ['workspace', 'artifacts', 'temp', 'output'] as const) {
    out[d] = join(base, d);
    await mkdir(out[d], { mode: 0o755 });
  }
  await handWorkspace(out.workspace, workspace);
  return out;
}

/** Every file under `dir`: relative path → bytes (utf8), sorted by path. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()) {
    out[rel] = await readFile(join(dir, rel), 'utf8');
  }
  return out;
}

async function launch(
  executable: string,
  mode: SandboxMode,
  d: Dirs,
  config: object,
): Promise<string> {
  const result = await sandbox.run({
    mode,
    executable,
    interpreter: '/usr/bin/node',
    args: [],
    mounts: {
      workspace: d.workspace,
      artifacts: d.artifacts,
      temp: d.temp,
      ...(mode === 'take-off' ? { output: d.output } : {}),
    },
    stdin: Buffer.from(
      JSON.stringify({
        protocol_version: '0.1.0',
        mode,
        meta: { workflow_id: 'wf-eng14', step_id: 'engine' },
        config,
      }),
    ),
    limits: { ...LIMITS, wallTimeMs: 60_000, memoryBytes: 1024 * 1024 * 1024 },
  });
  expect(result.exitCode, result.stderr.toString('utf8')).toBe(0);
  const stdout = result.stdout.toString('utf8');
  expect(validate('EngineOutput', JSON.parse(stdout))).toEqual({ ok: true });
  return stdout;
}

interface Outputs {
  readonly receipts: readonly string[];
  readonly files: Record<string, Record<string, string>>;
}

/** Flight-plan, then take-off on a read-only restored copy of the planned artifacts. */
async function flight(
  executable: string,
  name: string,
  workspace: Record<string, string>,
  config: object,
): Promise<Outputs> {
  const plan = await dirs(`${name}-plan`, workspace);
  const fp = await launch(executable, 'flight-plan', plan, config);
  const take = await dirs(`${name}-take`, workspace);
  await rm(take.artifacts, { recursive: true });
  await cp(plan.artifacts, take.artifacts, { recursive: true });
  const to = await launch(executable, 'take-off', take, config);
  const outputs: Outputs = {
    receipts: [fp, to],
    files: {
      artifacts: await tree(plan.artifacts),
      output: await tree(take.output),
      workspace: await tree(take.workspace),
    },
  };
  // No host path or wall-clock date in anything the engine produced.
  const all = JSON.stringify(outputs);
  for (const leak of [root, new Date().toISOString().slice(0, 10)]) {
    expect(all, leak).not.toContain(leak);
  }
  return outputs;
}

async function twice(
  executable: string,
  name: string,
  workspace: Record<string, string>,
  config: object,
): Promise<Outputs> {
  const first = await flight(executable, `${name}-1`, workspace, config);
  await new Promise((r) => setTimeout(r, 1100));
  const second = await flight(executable, `${name}-2`, workspace, config);
  expect(second.receipts).toEqual(first.receipts);
  expect(second.files).toEqual(first.files);
  return first;
}

describe('I11-6: reference engine golden runs', () => {
  it('ENG-14: the patch engine gives byte-identical receipts, artifacts and workspace across runs', async () => {
    const { file } = await patchEngine();
    const patch = [
      'diff --git a/src/app.txt b/src/app.txt',
      '--- a/src/app.txt',
      '+++ b/src/app.txt',
      '@@ -1,2 +1,2 @@',
      ' alpha',
      '-beta',
      '+BETA',
      '',
    ].join('\n');
    const out = await twice(file, 'patch', { 'src/app.txt': 'alpha\nbeta\n' }, { patch });
    expect(out.files['workspace']).toEqual({ 'src/app.txt': 'alpha\nBETA\n' });
    expect(Object.keys(out.files['artifacts'] ?? {}).length).toBeGreaterThan(0);
  });

  it('ENG-14: the cnc engine gives byte-identical receipts, job artifact and G-code across runs', async () => {
    const { file } = await cncEngine();
    const out = await twice(file, 'cnc', {}, { job: greenJob() });
    expect(Object.keys(out.files['output'] ?? {}).sort()).toEqual([
      'preview.svg',
      'program.gcode',
      'toolpaths.json',
    ]);
    expect(Object.keys(out.files['artifacts'] ?? {}).length).toBeGreaterThan(0);
  });
});
