/**
 * Issue 10 B4: a forged WAL line must never become a signed approval. The authority is opened on a
 * real home directory (real sandbox, real stores); the forged `approval_received` is appended to
 * the workflow's `wal.jsonl` while the authority is stopped, as an attacker with write access to
 * the WAL would.
 */
import { appendFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import canonicalizeRef from 'canonicalize';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonStrict, type JsonObject } from '@clearance/protocol';
import { walChecksum, walMac } from '../../src/workflow/wal.js';
import { WalMacKey, WAL_KEY_FILE } from '../../src/workflow/wal-key.js';
import {
  assertHomeConsistent,
  cleanup,
  handWorkspace,
  makeRoot,
  startHarness,
  testEngine,
  type Harness,
} from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(h.root);
    h = undefined;
  }
});

async function start(): Promise<Harness> {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  h = await startHarness(base, {
    engines: [await testEngine()],
    rules: { default: 'require_approval', default_role: 'approver' },
  });
  return h;
}

async function restart(stopped: Harness): Promise<Harness> {
  h = await startHarness(
    { root: stopped.root, workspace: stopped.workspace },
    { engines: [await testEngine()] },
    { homeDir: stopped.homeDir, configText: stopped.configText },
  );
  return h;
}

function propose(harness: Harness) {
  return harness.orchestrator.propose(
    { engine: 'test', workspace: 'demo', config: { behaviour: {} }, context: {}, stripped: [] },
    harness.users.agent,
  );
}

const walPath = (harness: Harness, id: string) =>
  join(harness.homeDir, 'workflows', id, 'wal.jsonl');

async function events(harness: Harness): Promise<JsonObject[]> {
  const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => parseJsonStrict(l) as JsonObject);
}

function forWorkflow(evs: readonly JsonObject[], id: string): JsonObject[] {
  return evs.filter((e) => {
    const wf = e['workflow'];
    return typeof wf === 'object' && wf !== null && (wf as JsonObject)['workflow_id'] === id;
  });
}

/** Append an approval_received for the pending request, checksummed by `checksum`. */
async function forgeApproval(
  harness: Harness,
  id: string,
  approvalId: string,
  checksum: (body: Record<string, unknown>) => string,
): Promise<void> {
  const lines = (await readFile(walPath(harness, id), 'utf8')).split('\n').filter(Boolean);
  const body = {
    sequence: lines.length,
    timestamp: new Date().toISOString(),
    workflow_id: id,
    entry_type: 'approval_received',
    data: { approval_id: approvalId, approved: true, approver: harness.users.approver.name },
  };
  await appendFile(
    walPath(harness, id),
    `${canonicalizeRef({ ...body, checksum: checksum(body) }) ?? ''}\n`,
  );
}

/** No take-off is possible, and nothing was signed as approved for `id`. */
async function expectNothingApproved(harness: Harness, id: string): Promise<void> {
  const mine = forWorkflow(await events(harness), id);
  expect(mine.some((e) => e['event_type'] === 'approval_response')).toBe(false);
  expect(mine.some((e) => e['event_type'] === 'takeoff_start')).toBe(false);
  const runs = harness.runs.list({ workflowId: id });
  expect(runs.some((r) => r.kind === 'approval' && r.status === 'OK')).toBe(false);
  await expect(harness.orchestrator.takeoff(id, harness.users.operator)).rejects.toMatchObject({
    code: expect.stringMatching(/^(WAL_CORRUPT|TRANSITION_ILLEGAL)$/),
  });
}

describe('forged WAL lines (issue 10 B4)', () => {
  const forgeries: [string, (b: Record<string, unknown>) => string][] = [
    [
      'a forged approval_received with a recomputed unkeyed checksum halts the workflow',
      (b) => walChecksum(b),
    ],
    [
      'a correct-format line with a wrong MAC is refused the same way',
      (b) => walMac(WalMacKey.fromBytes(Buffer.alloc(32, 9)), b),
    ],
  ];
  it.each(forgeries)(
    'B4 (WAL-5, APR-13): %s; no take-off, critical event, nothing signed as approved',
    async (_name, seal) => {
      const harness = await start();
      const wf = await propose(harness);
      const approvalId = wf.pending_approvals[0]?.approval_id ?? '';
      await harness.close();
      await forgeApproval(harness, wf.workflow_id, approvalId, seal);
      const after = await restart(harness);
      await expect(after.orchestrator.get(wf.workflow_id)).rejects.toMatchObject({
        code: 'WAL_CORRUPT',
      });
      const halted = forWorkflow(await events(after), wf.workflow_id).find(
        (e) => e['event_type'] === 'workflow_failure' && e['severity'] === 'critical',
      );
      expect(halted).toBeDefined();
      await expectNothingApproved(after, wf.workflow_id);
    },
  );

  it('B4 (WAL-8, APR-13): even with the MAC key stolen, an approval without its signed run artifact is FAILED on recovery (critical), never taken off or signed', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const approvalId = wf.pending_approvals[0]?.approval_id ?? '';
    await harness.close();
    const stolen = await WalMacKey.load(join(harness.homeDir, 'keys'));
    await forgeApproval(harness, wf.workflow_id, approvalId, (b) => walMac(stolen, b));
    const after = await restart(harness);
    const details = await after.orchestrator.get(wf.workflow_id);
    expect(details.state).toBe('FAILED');
    const mine = forWorkflow(await events(after), wf.workflow_id);
    const mismatch = mine.find((e) => e['event_type'] === 'approval_mismatch');
    expect(mismatch?.['severity']).toBe('critical');
    await expectNothingApproved(after, wf.workflow_id);
    // A second restart does not repeat the alarm (deterministic id) nor sign the forged line.
    await after.close();
    const again = await restart(after);
    const mine2 = forWorkflow(await events(again), wf.workflow_id);
    expect(mine2.filter((e) => e['event_type'] === 'approval_mismatch')).toHaveLength(1);
    expect(mine2.some((e) => e['event_type'] === 'approval_response')).toBe(false);
  });

  it('B4 (WAL-8, AUD-10): a rejection rewritten into an approval (stolen MAC key) is never signed as approved on recovery', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: false,
      user: harness.users.approver,
    });
    expect(out.state).toBe('FAILED');
    await harness.close();
    const key = await WalMacKey.load(join(harness.homeDir, 'keys'));
    const lines = (await readFile(walPath(harness, wf.workflow_id), 'utf8')).split('\n');
    const rewritten = lines.map((l) => {
      if (!l.includes('"approval_received"')) return l;
      const { checksum: _c, ...body } = parseJsonStrict(l) as Record<string, unknown>;
      const data = { ...(body['data'] as Record<string, unknown>), approved: true };
      const forged = { ...body, data };
      return canonicalizeRef({ ...forged, checksum: walMac(key, forged) }) ?? '';
    });
    await writeFile(walPath(harness, wf.workflow_id), rewritten.join('\n'));
    const after = await restart(harness);
    expect((await after.orchestrator.get(wf.workflow_id)).state).toBe('FAILED');
    const mine = forWorkflow(await events(after), wf.workflow_id);
    expect(mine.some((e) => e['event_type'] === 'approval_response')).toBe(false);
    expect(mine.find((e) => e['event_type'] === 'approval_mismatch')?.['severity']).toBe(
      'critical',
    );
  });

  it('B4 (APR-13, GEN-8): take-off refuses an approval whose signed run artifact is damaged (critical, FAILED, engine never launched)', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.approver,
    });
    expect(out.state).toBe('READY_FOR_TAKEOFF');
    const run = harness.runs
      .list({ workflowId: wf.workflow_id })
      .find((r) => r.kind === 'approval');
    if (run === undefined) throw new Error('no approval run');
    await rm(join(harness.homeDir, 'cas', 'sha256', run.address.slice(0, 2), run.address), {
      force: true,
    });
    const view = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(view.state).toBe('FAILED');
    const mine = forWorkflow(await events(harness), wf.workflow_id);
    expect(mine.find((e) => e['event_type'] === 'approval_mismatch')?.['severity']).toBe(
      'critical',
    );
    expect(mine.some((e) => e['event_type'] === 'takeoff_start')).toBe(false);
    const refused = harness.runs
      .list({ workflowId: wf.workflow_id })
      .filter((r) => r.kind === 'takeoff');
    expect(refused.map((r) => r.status)).toEqual(['BLOCKED']);
  });

  it('B4 (WAL-4, S-23): a genuine approval survives a restart (run artifact written ahead of the WAL line) and takes off', async () => {
    const harness = await start();
    const wf = await propose(harness);
    await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.approver,
    });
    await harness.close();
    const after = await restart(harness);
    expect((await after.orchestrator.get(wf.workflow_id)).state).toBe('READY_FOR_TAKEOFF');
    const done = await after.orchestrator.takeoff(wf.workflow_id, after.users.operator);
    expect(done.state).toBe('COMPLETED');
    await assertHomeConsistent(after.homeDir);
  });

  it('B4 (WAL-4, WAL-5): a home from before keyed WALs opens (legacy prefix recorded, audited); an unkeyed line appended later is refused', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const approvalId = wf.pending_approvals[0]?.approval_id ?? '';
    await harness.close();
    // Make the home look pre-B4: unkeyed checksums and no WAL key.
    const lines = (await readFile(walPath(harness, wf.workflow_id), 'utf8')).split('\n');
    const legacy = lines
      .filter(Boolean)
      .map((l) => {
        const { checksum: _c, ...body } = parseJsonStrict(l) as Record<string, unknown>;
        return `${canonicalizeRef({ ...body, checksum: walChecksum(body) }) ?? ''}\n`;
      })
      .join('');
    await writeFile(walPath(harness, wf.workflow_id), legacy);
    await rm(join(harness.homeDir, 'keys', WAL_KEY_FILE));
    const migrated = await restart(harness);
    expect((await migrated.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
    const created = (await events(migrated)).find((e) => e['event_type'] === 'wal_key_created');
    expect(created?.['message']).toContain(wf.workflow_id);
    const keyMode = (await stat(join(harness.homeDir, 'keys', WAL_KEY_FILE))).mode & 0o777;
    expect(keyMode.toString(8)).toBe('600');
    await migrated.close();
    await forgeApproval(migrated, wf.workflow_id, approvalId, (b) => walChecksum(b));
    const after = await restart(migrated);
    await expect(after.orchestrator.get(wf.workflow_id)).rejects.toMatchObject({
      code: 'WAL_CORRUPT',
    });
    await expectNothingApproved(after, wf.workflow_id);
  });
});
