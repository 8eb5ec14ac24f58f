/**
 * End-to-end through the real orchestrator, bubblewrap and the bundled patch engine.
 * Scenario ids refer to spec/cabincrew.md §6.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertHomeConsistent,
  cleanup,
  handWorkspace,
  makeRoot,
  modifyDiff,
  startHarness,
  type Harness,
} from './harness.js';
import { auditEvents, walEntryTypes } from './audit-events.js';

let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(h.root);
    h = undefined;
  }
});

describe('patch workflow (S-1, S-3, S-4, S-5)', () => {
  it('S-4: require_approval → approved by the approver → take-off applies exactly the patch', async () => {
    const base = await makeRoot();
    await handWorkspace(base.workspace, { 'src/a.ts': 'export const a = 1;\n' });
    h = await startHarness(base);
    const o = h.orchestrator;
    const wf = await o.propose(
      {
        engine: 'patch',
        workspace: 'demo',
        config: { patch: modifyDiff('src/a.ts', 'export const a = 1;', 'export const a = 2;') },
        context: {},
        stripped: [],
      },
      h.users.agent,
    );
    expect(wf.failure ?? wf.state).toBe('AWAITING_APPROVAL');
    expect(wf.pending_approvals).toHaveLength(1);
    const pending = wf.pending_approvals[0];
    expect(pending?.required_role).toBe('approver');
    expect(pending?.plan_token_hash).toBe(wf.plan_token_hash);
    // The workspace is untouched by flight-plan.
    expect(await readFile(join(base.workspace, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');

    const outcome = await o.approve({
      approvalId: pending?.approval_id ?? '',
      approved: true,
      reason: 'looks right',
      user: h.users.approver,
    });
    expect(outcome).toMatchObject({ status: 'OK', state: 'READY_FOR_TAKEOFF' });

    const done = await o.takeoff(wf.workflow_id, h.users.operator);
    expect(done.state).toBe('COMPLETED');
    expect(await readFile(join(base.workspace, 'src/a.ts'), 'utf8')).toBe('export const a = 2;\n');
    await assertHomeConsistent(h.homeDir);
  });

  // Also proves ORCH-6 (deny halts), ORCH-10, PRE-10.
  it('S-3: a deny rule (.env) fails the workflow at preflight; take-off is refused', async () => {
    const base = await makeRoot();
    await handWorkspace(base.workspace, { '.env': 'A=1\n' });
    h = await startHarness(base);
    const wf = await h.orchestrator.propose(
      {
        engine: 'patch',
        workspace: 'demo',
        config: { patch: modifyDiff('.env', 'A=1', 'A=2') },
        context: {},
        stripped: [],
      },
      h.users.agent,
    );
    expect(wf.state).toBe('FAILED');
    expect(wf.last_decision).toBe('deny');
    await expect(h.orchestrator.takeoff(wf.workflow_id, h.users.operator)).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
    });
    expect(await readFile(join(base.workspace, '.env'), 'utf8')).toBe('A=1\n');
    // S-3's events: a critical deny decision and failure, no take-off, the WAL ends in workflow_failed.
    const trail = await auditEvents(h.homeDir, wf.workflow_id);
    expect(trail.find((e) => e['event_type'] === 'preflight_decision')).toMatchObject({
      severity: 'critical',
      policy: { decision: 'deny' },
    });
    expect(trail.find((e) => e['event_type'] === 'workflow_failure')?.['severity']).toBe(
      'critical',
    );
    expect(trail.some((e) => e['event_type'] === 'takeoff_start')).toBe(false);
    expect((await walEntryTypes(h.homeDir, wf.workflow_id)).at(-1)).toBe('workflow_failed');
    await assertHomeConsistent(h.homeDir);
  });

  // Also proves PRE-7 (rejected fails), ORCH-10.
  it('S-5: a rejection fails the workflow and nothing is applied', async () => {
    const base = await makeRoot();
    await handWorkspace(base.workspace, { 'a.txt': 'one\n' });
    h = await startHarness(base);
    const wf = await h.orchestrator.propose(
      {
        engine: 'patch',
        workspace: 'demo',
        config: { patch: modifyDiff('a.txt', 'one', 'two') },
        context: {},
        stripped: [],
      },
      h.users.agent,
    );
    const out = await h.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: false,
      reason: 'no',
      user: h.users.approver,
    });
    expect(out).toMatchObject({ status: 'OK', state: 'FAILED' });
    expect(await readFile(join(base.workspace, 'a.txt'), 'utf8')).toBe('one\n');
    // S-5's events: approval_rejected, then the failure; no take-off, the WAL ends in workflow_failed.
    const types = (await auditEvents(h.homeDir, wf.workflow_id)).map((e) => e['event_type']);
    expect(types.slice(-2)).toEqual(['approval_rejected', 'workflow_failure']);
    expect(types).not.toContain('takeoff_start');
    expect((await walEntryTypes(h.homeDir, wf.workflow_id)).at(-1)).toBe('workflow_failed');
    await assertHomeConsistent(h.homeDir);
  });
});
