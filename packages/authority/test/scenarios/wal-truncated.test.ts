/**
 * Issue 10 B4 (audit of the merged result): every WAL line carries its own MAC, so cutting whole
 * lines off a WAL's end leaves a WAL that verifies on its own — a rejected (FAILED) workflow
 * rewound to AWAITING_APPROVAL, a completed one to READY_FOR_TAKEOFF. The audit log still holds
 * the signed, deterministic-id events of the cut entries, so recovery (and `audit verify --deep`)
 * must cross-check in that direction too: an audited entry the WAL no longer has halts the
 * workflow.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deepVerifyHome, type WorkflowDetails } from '../../src/index.js';
import {
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
    await cleanup(h.root);
    h = undefined;
  }
});

/** A harness (kept in `h` for clean-up) with one workflow awaiting an approver. */
async function proposedWorkflow(): Promise<{ harness: Harness; wf: WorkflowDetails }> {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  const harness = await startHarness(base, {
    engines: [await testEngine()],
    rules: { default: 'require_approval', default_role: 'approver' },
  });
  h = harness;
  const wf = await harness.orchestrator.propose(
    { engine: 'test', workspace: 'demo', config: { behaviour: {} }, context: {}, stripped: [] },
    harness.users.agent,
  );
  return { harness, wf };
}

describe('a WAL cut back by whole lines (issue 10 B4)', () => {
  it('B4 (WAL-5, WAL-8): a rejected workflow whose WAL tail was cut back to the pending request is halted on recovery, not re-opened for another approver; deep verify names it', async () => {
    const { harness, wf } = await proposedWorkflow();
    expect(wf.state).toBe('AWAITING_APPROVAL');
    const wal = join(harness.homeDir, 'workflows', wf.workflow_id, 'wal.jsonl');
    const pendingWal = await readFile(wal);
    const rejected = await harness.orchestrator.approveWorkflow(wf.workflow_id, {
      approved: false,
      reason: 'no',
      user: harness.users.approver,
    });
    expect(rejected.state).toBe('FAILED');
    await harness.close();
    // The attacker cuts the rejection off (whole, individually MAC'd lines).
    await writeFile(wal, pendingWal);

    const after = await startHarness(
      { root: harness.root, workspace: harness.workspace },
      { engines: [await testEngine()] },
      { homeDir: harness.homeDir, configText: harness.configText },
    );
    h = after;
    const state = await after.orchestrator
      .get(wf.workflow_id)
      .then((d) => d.state)
      .catch((err: { code?: string }) => err.code);
    expect(['FAILED', 'WAL_CORRUPT']).toContain(state);
    const again = await after.orchestrator
      .approveWorkflow(wf.workflow_id, {
        approved: true,
        reason: 'yes',
        user: { name: 'bob', roles: ['approver'] },
      })
      .then((o) => o.status)
      .catch((err: { code?: string }) => err.code);
    expect(again).toBe('BLOCKED');
    await after.close();
    h = undefined;
    const deep = await deepVerifyHome(harness.homeDir);
    const problems = deep.checks.flatMap((c) => c.problems.map((p) => p.code));
    expect(problems).toContain('WAL_TRUNCATED');
    await cleanup(harness.root);
  }, 120_000);

  it('B4 (WAL-5, AUD-9): a workflow whose whole folder was removed is named by audit verify --deep (its audited entries have no WAL)', async () => {
    const { harness, wf } = await proposedWorkflow();
    await harness.close();
    h = undefined;
    await rm(join(harness.homeDir, 'workflows', wf.workflow_id), { recursive: true });
    const deep = await deepVerifyHome(harness.homeDir);
    const problems = deep.checks.flatMap((c) => c.problems);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: 'WAL_TRUNCATED', subject: `${wf.workflow_id} entry 0` }),
    );
    await cleanup(harness.root);
  }, 120_000);

  it('B4 (WAL-5, AUD-9): cutting only the final workflow_failed line halts the workflow once; the audit log stays valid', async () => {
    const { harness, wf } = await proposedWorkflow();
    await harness.orchestrator.approveWorkflow(wf.workflow_id, {
      approved: false,
      reason: 'no',
      user: harness.users.approver,
    });
    await harness.close();
    h = undefined;
    const wal = join(harness.homeDir, 'workflows', wf.workflow_id, 'wal.jsonl');
    const lines = (await readFile(wal, 'utf8')).split('\n').filter(Boolean);
    expect(lines.at(-1)).toContain('"workflow_failed"');
    await writeFile(
      wal,
      lines
        .slice(0, -1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    for (let i = 0; i < 2; i++) {
      const after = await startHarness(
        { root: harness.root, workspace: harness.workspace },
        { engines: [await testEngine()] },
        { homeDir: harness.homeDir, configText: harness.configText },
      );
      expect((await after.orchestrator.get(wf.workflow_id)).state).toBe('FAILED');
      await after.close();
    }
    const deep = await deepVerifyHome(harness.homeDir);
    const audit = deep.checks.find((c) => c.name === 'audit');
    expect(audit?.problems).toEqual([]);
    await cleanup(harness.root);
  }, 120_000);
});
