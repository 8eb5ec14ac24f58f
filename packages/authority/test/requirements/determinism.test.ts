/**
 * I11-6 / GEN-2: same inputs give identical outputs. One full patch workflow (propose →
 * preflight → approval → take-off) is run twice from the same inputs: the same freshly
 * initialised home (its keys are inputs too, so both runs start from a byte copy of one home),
 * the same workspace path and bytes, an injected clock and an injected id source. The plan-token,
 * the WAL, the audit log and its signed checkpoints come out byte-identical.
 */
import { chmod, cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IdSource } from '../../src/index.js';
import { PLAN_RECORD_TYPE } from '../../src/orchestrator/records.js';
import {
  assertHomeConsistent,
  handWorkspace,
  manualClock,
  startHarness,
} from '../scenarios/harness.js';
import { auditEvents } from '../scenarios/audit-events.js';
import { parseJsonStrict, type JsonObject } from '@clearance/protocol';
import { proposePatch, walData } from './scenario.js';

const START = Date.parse('2026-03-01T10:00:00.000Z');
// One fixed path for both runs: the workspace path is an input (it is in the config digest).
const root = join(tmpdir(), `clearance-gen2-${process.pid}`);
const template = join(tmpdir(), `clearance-gen2-${process.pid}-home`);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(template, { recursive: true, force: true });
});

let configText = '';

interface RunOutputs {
  readonly workflowId: string;
  readonly planToken: Buffer;
  readonly wal: Buffer;
  readonly events: Buffer;
  readonly checkpoints: Buffer;
  /** Every blob address of the store (receipts, artifacts, records, approval requests). */
  readonly blobs: readonly string[];
}

async function run(): Promise<RunOutputs> {
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { mode: 0o711 });
  await chmod(root, 0o711);
  const workspace = join(root, 'workspace');
  await mkdir(workspace, { mode: 0o755 });
  await handWorkspace(workspace, { 'src/a.ts': 'export const a = 1;\n' });
  await cp(template, join(root, 'home'), { recursive: true });
  const clock = manualClock(START + 60_000);
  const h = await startHarness(
    { root, workspace },
    { clock, ids: idsFrom('9') },
    { homeDir: join(root, 'home'), configText },
  );
  try {
    const wf = await proposePatch(
      h,
      { path: 'src/a.ts', before: 'export const a = 1;', after: 'export const a = 2;' },
      { ticket: 'GEN-2' },
    );
    expect(wf.state).toBe('AWAITING_APPROVAL');
    const out = await h.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      reason: 'same every time',
      user: h.users.approver,
    });
    expect(out).toMatchObject({ status: 'OK', state: 'READY_FOR_TAKEOFF' });
    expect((await h.orchestrator.takeoff(wf.workflow_id, h.users.operator)).state).toBe(
      'COMPLETED',
    );
    const wal = await readFile(join(h.homeDir, 'workflows', wf.workflow_id, 'wal.jsonl'));
    // The plan record (found through the WAL) names the plan-token's blob in the store.
    const record = (await walData(h.homeDir, wf.workflow_id)).find(
      (d) => d['artifact_type'] === PLAN_RECORD_TYPE,
    );
    const recordAddress = record?.['artifact_hash'];
    if (typeof recordAddress !== 'string') throw new Error('no plan record in the WAL');
    const plan = parseJsonStrict((await h.home.cas.get(recordAddress)).toString('utf8'));
    const address = (plan as JsonObject)['plan_token'];
    if (typeof address !== 'string') throw new Error('no plan-token in the plan record');
    await assertHomeConsistent(h.homeDir);
    expect(await auditEvents(h.homeDir, wf.workflow_id)).not.toEqual([]);
    return {
      workflowId: wf.workflow_id,
      planToken: await h.home.cas.get(address),
      wal,
      events: await readFile(join(h.homeDir, 'audit', 'events.jsonl')),
      checkpoints: await readFile(join(h.homeDir, 'audit', 'checkpoints.jsonl')),
      blobs: (await readdir(join(h.homeDir, 'cas', 'sha256'), { recursive: true }))
        .filter((p) => p.length > 2)
        .sort(),
    };
  } finally {
    await h.close();
  }
}

/** Counter ids in their own variant range, so a run's ids never repeat the template's. */
function idsFrom(variant: string): IdSource {
  let n = 0;
  return {
    uuid: () => `00000000-0000-4000-${variant}000-${(++n).toString(16).padStart(12, '0')}`,
    secretBytes: (len) => Buffer.alloc(len, ++n % 256),
  };
}

describe('I11-6: determinism', () => {
  it('GEN-2: a full workflow run twice with an injected clock and id source gives byte-identical plan-tokens, WAL and audit logs', async () => {
    // The template home: initialised and opened once (keys, config) with the injected clock and
    // ids, then copied byte for byte before each run.
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { mode: 0o711 });
    await mkdir(join(root, 'workspace'), { mode: 0o755 });
    const setup = await startHarness(
      { root, workspace: join(root, 'workspace') },
      { clock: manualClock(START), ids: idsFrom('8') },
    );
    configText = setup.configText;
    await setup.close();
    await rm(template, { recursive: true, force: true });
    await cp(join(root, 'home'), template, { recursive: true });
    const first = await run();
    const second = await run();
    expect(second.workflowId).toBe(first.workflowId);
    expect(second.planToken.toString('utf8')).toBe(first.planToken.toString('utf8'));
    expect(second.wal.toString('utf8')).toBe(first.wal.toString('utf8'));
    expect(second.events.toString('utf8')).toBe(first.events.toString('utf8'));
    expect(second.checkpoints.toString('utf8')).toBe(first.checkpoints.toString('utf8'));
    // Artifacts reproducible: the same objects were stored, the plan-token among them.
    expect(second.blobs).toEqual(first.blobs);
    expect(first.blobs.length).toBeGreaterThan(5);
  });
});
