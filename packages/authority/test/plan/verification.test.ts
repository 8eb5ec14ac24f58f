/**
 * The plan layer end to end: receipt → artifacts → CAS → plan-token → verification checkpoints
 * (§4.2.4) against the store (V2/V3/V6) and the restored copy (V4/V5). Scenarios S-6, S-8, S-19, S-20.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '@clearance/protocol';
import { FileContentStore } from '../../src/cas/file-store.js';
import {
  buildPlanToken,
  checkPlanToken,
  collectArtifacts,
  hashWorkspace,
  inputDigest,
  judgeReceipt,
  planTokenHash,
  rehashDirectory,
  rehashStored,
  restoreArtifacts,
  storeArtifacts,
  type ArtifactSet,
  type PlanTokenInputs,
  type RehashedArtifact,
} from '../../src/plan/index.js';
import { errorOf, receiptWith, removeTemps, tempDir, writeArtifacts } from './helpers.js';

afterEach(removeTemps);

interface Run {
  readonly cas: FileContentStore;
  readonly set: ArtifactSet;
  readonly inputs: PlanTokenInputs;
  readonly home: string;
  readonly warnings: string[];
}

interface RunOptions {
  readonly config?: JsonObject;
  readonly context?: JsonObject;
  readonly workspaceFile?: string;
  readonly receiptExtra?: Record<string, unknown>;
}

/** One flight-plan, as the orchestrator will drive it, in fresh folders. */
async function flightPlan(options: RunOptions = {}): Promise<Run> {
  const home = await tempDir('clearance-e2e-');
  const workspace = join(home, 'ws');
  await mkdir(workspace);
  await writeFile(join(workspace, 'main.tf'), options.workspaceFile ?? 'resource "x" "y" {}\n');
  const before = await hashWorkspace(workspace);
  const artifactsDir = join(home, 'artifacts');
  await mkdir(artifactsDir);
  const entries = await writeArtifacts(artifactsDir, [
    { name: 'plan', role: 'state', body: 'terraform plan output' },
    { name: 'summary', role: 'evidence' },
  ]);
  const stdout = Buffer.from(`${JSON.stringify(receiptWith(entries, options.receiptExtra))}\n`);
  const verdict = judgeReceipt(
    stdout,
    { exitCode: 0, signal: null, timedOut: false, stdoutOverflow: false },
    { mode: 'flight-plan', protocol_version: '0.1.0' },
  );
  if (!verdict.ok) throw new Error(verdict.reason);
  const collected = await collectArtifacts(artifactsDir, verdict.receipt);
  const after = await hashWorkspace(workspace);
  expect(after.hash).toBe(before.hash);
  const cas = await FileContentStore.open(join(home, 'cas'));
  const { set } = await storeArtifacts(cas, collected);
  const inputs: PlanTokenInputs = {
    workflow_id: 'wf-1',
    step_id: 'step-1',
    engine_id: verdict.receipt.engine_id,
    protocol_version: verdict.receipt.protocol_version,
    model: 'none',
    workspace_hash: before.hash,
    input_digest: inputDigest({
      config: options.config ?? { region: 'eu' },
      context: options.context ?? {},
    }),
    artifacts: collected.map((c) => ({ name: c.name, hash: c.hash, size: c.descriptor.size })),
  };
  return { cas, set, inputs, home, warnings: verdict.warnings };
}

const CREATED = '2025-12-10T12:00:00.000Z';
const withArtifacts = (
  inputs: PlanTokenInputs,
  artifacts: RehashedArtifact[],
): PlanTokenInputs => ({
  ...inputs,
  artifacts,
});

describe('S-20 determinism', () => {
  it('two runs on identical inputs give the same token; config, context or one workspace byte change it', async () => {
    const token = async (o?: RunOptions): Promise<string> =>
      buildPlanToken((await flightPlan(o)).inputs, CREATED).token;
    const base = await token();
    expect(await token()).toBe(base);
    expect(await token({ config: { region: 'us' } })).not.toBe(base);
    expect(await token({ context: { ticket: 1 } })).not.toBe(base);
    expect(await token({ workspaceFile: 'resource "x" "z" {}\n' })).not.toBe(base);
  });
});

describe('S-19 an engine-supplied plan_token is ignored', () => {
  it('gives the same token as the run without it, with a warning', async () => {
    const plain = await flightPlan();
    const bogus = await flightPlan({ receiptExtra: { plan_token: 'f'.repeat(64) } });
    expect(bogus.warnings).toHaveLength(1);
    expect(plain.warnings).toHaveLength(0);
    expect(buildPlanToken(bogus.inputs, CREATED).token).toBe(
      buildPlanToken(plain.inputs, CREATED).token,
    );
  });
});

describe('verification checkpoints', () => {
  it('V1/V2: the store re-hash verifies right after creation', async () => {
    const run = await flightPlan();
    const stored = buildPlanToken(run.inputs, CREATED);
    const check = checkPlanToken(
      stored,
      planTokenHash(stored),
      withArtifacts(run.inputs, await rehashStored(run.cas, run.set)),
    );
    expect(check.ok).toBe(true);
  });

  it('V4: the restored copy verifies; S-6: one changed body byte fails and names the artifact', async () => {
    const run = await flightPlan();
    const stored = buildPlanToken(run.inputs, CREATED);
    const hash = planTokenHash(stored);
    const dir = join(run.home, 'takeoff-artifacts');
    await restoreArtifacts(run.cas, run.set, dir);
    expect(
      checkPlanToken(stored, hash, withArtifacts(run.inputs, await rehashDirectory(dir, run.set)))
        .ok,
    ).toBe(true);
    const body = join(dir, 'plan', 'body.data');
    await chmod(join(dir, 'plan'), 0o755);
    await chmod(body, 0o644);
    await writeFile(body, 'terraform plan outpuT');
    const check = checkPlanToken(
      stored,
      hash,
      withArtifacts(run.inputs, await rehashDirectory(dir, run.set)),
    );
    expect(check).toMatchObject({ ok: false, plan_token_hash_ok: true, differences: ['plan'] });
    expect(check.actual_token).not.toBe(check.expected_token);
  });

  it('S-8 (take-off rewrites a flight-plan artifact): V5 on the restored copy names it', async () => {
    const run = await flightPlan();
    const stored = buildPlanToken(run.inputs, CREATED);
    const dir = join(run.home, 'takeoff-artifacts');
    await restoreArtifacts(run.cas, run.set, dir);
    await chmod(join(dir, 'summary'), 0o755);
    await chmod(join(dir, 'summary', 'artifact.json'), 0o644);
    await writeFile(
      join(dir, 'summary', 'artifact.json'),
      '{"artifact_type":"file","action":"delete","mime":"text/plain"}',
    );
    const check = checkPlanToken(
      stored,
      planTokenHash(stored),
      withArtifacts(run.inputs, await rehashDirectory(dir, run.set)),
    );
    expect(check).toMatchObject({ ok: false, differences: ['summary'] });
  });

  it('S-6 in the store: a changed stored byte surfaces as CAS_CORRUPT', async () => {
    const run = await flightPlan();
    const address = run.set.artifacts.find((a) => a.name === 'plan')?.body?.address ?? '';
    const path = run.cas.pathOf(address);
    await chmod(path, 0o644);
    await writeFile(path, 'terraform plan outpuT');
    expect((await errorOf(rehashStored(run.cas, run.set)))?.code).toBe('CAS_CORRUPT');
  });

  const tamperings: [string, (run: Run) => Promise<ArtifactSet>, string[]][] = [
    [
      'an added artifact',
      async (run) => {
        const dir = join(run.home, 'extra');
        await mkdir(dir);
        const entries = await writeArtifacts(dir, [{ name: 'extra', role: 'log' }]);
        const more = await storeArtifacts(
          run.cas,
          await collectArtifacts(dir, receiptWith(entries)),
        );
        return { ...run.set, artifacts: [...run.set.artifacts, ...more.set.artifacts] };
      },
      ['extra'],
    ],
    [
      'a removed artifact',
      (run) =>
        Promise.resolve({
          ...run.set,
          artifacts: run.set.artifacts.filter((a) => a.name !== 'summary'),
        }),
      ['summary'],
    ],
    [
      'a renamed artifact',
      (run) =>
        Promise.resolve({
          ...run.set,
          artifacts: run.set.artifacts.map((a) =>
            a.name === 'plan'
              ? { ...a, name: 'plan2', descriptor: { ...a.descriptor, name: 'plan2' } }
              : a,
          ),
        }),
      ['plan', 'plan2'],
    ],
    [
      'a changed role',
      (run) =>
        Promise.resolve({
          ...run.set,
          artifacts: run.set.artifacts.map((a) =>
            a.name === 'plan' ? { ...a, role: 'evidence' as const } : a,
          ),
        }),
      ['plan'],
    ],
  ];
  it.each(tamperings)(
    'S-8: %s in the stored set fails V2 and is named',
    async (_label, tamper, names) => {
      const run = await flightPlan();
      const stored = buildPlanToken(run.inputs, CREATED);
      const recomputed = await rehashStored(run.cas, await tamper(run));
      const check = checkPlanToken(
        stored,
        planTokenHash(stored),
        withArtifacts(run.inputs, recomputed),
      );
      expect(check.ok).toBe(false);
      expect(check.differences).toEqual(names);
    },
  );
});
