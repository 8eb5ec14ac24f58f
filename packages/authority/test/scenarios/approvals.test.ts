/**
 * Conformance scenarios of spec/cabincrew.md §6 about approvals, tampering after the plan,
 * governance failures and illegal transitions (S-6..S-13, S-21, S-22 config, S-27).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonStrict, validate, type JsonObject } from '@clearance/protocol';
import type { PolicySource } from '@clearance/governance';
import { FileContentStore } from '../../src/cas/file-store.js';
import { loadArtifactSet, type FaultHook } from '../../src/index.js';
import {
  assertHomeConsistent,
  cleanup,
  handWorkspace,
  makeRoot,
  manualClock,
  startHarness,
  testEngine,
  type Harness,
  type HarnessOptions,
} from './harness.js';

const NEEDS_RM = { default: 'require_approval', default_role: 'release-manager' };
let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(h.root);
    h = undefined;
  }
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  h = await startHarness(base, { engines: [await testEngine()], rules: NEEDS_RM, ...options });
  return h;
}

function propose(harness: Harness, behaviour: JsonObject = {}) {
  return harness.orchestrator.propose(
    { engine: 'test', workspace: 'demo', config: { behaviour }, context: {}, stripped: [] },
    harness.users.agent,
  );
}

async function events(harness: Harness): Promise<JsonObject[]> {
  const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => parseJsonStrict(l) as JsonObject);
}

async function markerExists(harness: Harness): Promise<boolean> {
  return stat(join(harness.workspace, 'takeoff-marker')).then(
    () => true,
    () => false,
  );
}

/** Synchronously edit the first artifact's stored artifact.json (inside a fault hook). */
function tamperFirstMetaSync(
  homeDir: string,
  workflowId: string,
  edit: (t: string) => string,
): void {
  const blob = (a: string) => join(homeDir, 'cas', 'sha256', a.slice(0, 2), a);
  const wal = readFileSync(join(homeDir, 'workflows', workflowId, 'wal.jsonl'), 'utf8');
  const line = wal.split('\n').find((l) => l.includes('"clearance.artifact-set"')) ?? '';
  const setAddress = (JSON.parse(line) as { data: { artifact_hash: string } }).data.artifact_hash;
  const set = JSON.parse(readFileSync(blob(setAddress), 'utf8')) as {
    artifacts: { meta: { address: string } }[];
  };
  const path = blob(set.artifacts[0]?.meta.address ?? '');
  chmodSync(path, 0o644);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

/** Overwrite a stored blob in place (simulating out-of-band tampering of the store). */
async function tamperBlob(
  harness: Harness,
  address: string,
  edit: (b: Buffer) => Buffer,
): Promise<void> {
  const cas = await FileContentStore.open(join(harness.homeDir, 'cas'));
  const path = cas.pathOf(address);
  const bytes = await readFile(path);
  await chmod(path, 0o644);
  await writeFile(path, edit(bytes));
}

async function bodyAddressOf(
  harness: Harness,
  workflowId: string,
  name: string,
): Promise<{ body: string; meta: string }> {
  const view = harness.orchestrator.viewOf(workflowId);
  const setAddress = view.objects['clearance.artifact-set'] ?? '';
  const set = await loadArtifactSet(harness.home.cas, setAddress);
  const a = set.artifacts.find((x) => x.name === name);
  return { body: a?.body?.address ?? '', meta: a?.meta.address ?? '' };
}

describe('S-4 / S-12 / S-11 approval binding', () => {
  // Also proves PRE-7, APR-8, PT-7.
  it('S-4: the request is bound to H(stored PlanToken); the response event carries the full AuditApproval', async () => {
    const harness = await start();
    const wf = await propose(harness);
    expect(wf.state).toBe('AWAITING_APPROVAL');
    const p = wf.pending_approvals[0];
    expect(p?.plan_token_hash).toBe(wf.plan_token_hash);
    const out = await harness.orchestrator.approve({
      approvalId: p?.approval_id ?? '',
      approved: true,
      user: harness.users.rm,
    });
    expect(out).toMatchObject({ status: 'OK', state: 'READY_FOR_TAKEOFF' });
    const response = (await events(harness)).find((e) => e['event_type'] === 'approval_response');
    expect(response?.['approval']).toMatchObject({
      approval_id: p?.approval_id,
      required_role: 'release-manager',
      approved: true,
      approver: 'rita',
      plan_token_hash: wf.plan_token_hash,
    });
    const record = (await harness.orchestrator.get(wf.workflow_id)).record;
    expect(record.approvals[0]?.plan_token_hash).toBe(wf.plan_token_hash);
    // The run artifact keeps the accepted answer as a schema-valid ApprovalResponse.
    const run = await harness.runs.get(out.run_id);
    const stored = run.details?.['approval_response'];
    expect(stored).toMatchObject({
      approval_id: p?.approval_id,
      approved: true,
      approver: 'rita',
    });
    expect(validate('ApprovalResponse', stored).ok).toBe(true);
    await assertHomeConsistent(harness.homeDir);
  });

  it('S-12a / U2 (G-35): an authenticated user without the role is refused, state unchanged', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: { name: 'dev', roles: ['approver'] },
    });
    expect(out).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_ROLE_MISSING',
      state: 'AWAITING_APPROVAL',
    });
  });

  it('S-12b: an unauthenticated approval is recorded (ERROR) and changes nothing', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: undefined,
    });
    expect(out).toMatchObject({
      status: 'ERROR',
      code: 'AUTH_REQUIRED',
      state: 'AWAITING_APPROVAL',
    });
    const runs = harness.runs.list({ workflowId: wf.workflow_id });
    expect(runs.map((r) => r.status)).toEqual(['ERROR']);
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
  });

  it('an agent is never an approver: refused, recorded BLOCKED, state unchanged', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: { name: 'bot', roles: ['agent', 'release-manager'] },
    });
    // agent + a real approver role is still an approver; a pure agent is refused:
    expect(out.status).toBe('OK');
    const wf2 = await propose(harness);
    const refused = await harness.orchestrator.approve({
      approvalId: wf2.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.agent,
    });
    expect(refused).toMatchObject({
      status: 'BLOCKED',
      code: 'FORBIDDEN',
      state: 'AWAITING_APPROVAL',
    });
  });

  it('approver = proposer fails the workflow', async () => {
    const harness = await start();
    const wf = await harness.orchestrator.propose(
      { engine: 'test', workspace: 'demo', config: {}, context: {}, stripped: [] },
      { name: 'olga', roles: ['operator', 'release-manager'] },
    );
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: { name: 'olga', roles: ['operator', 'release-manager'] },
    });
    expect(out).toMatchObject({ code: 'APPROVAL_BY_PROPOSER', state: 'FAILED' });
  });

  it('S-11: two concurrent submissions → exactly one wins; one take-off; response event once', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const id = wf.pending_approvals[0]?.approval_id ?? '';
    const submit = () =>
      harness.orchestrator.approve({ approvalId: id, approved: true, user: harness.users.rm });
    const results = await Promise.all([submit(), submit()]);
    expect(results.map((r) => r.status).sort()).toEqual(['BLOCKED', 'OK']);
    expect(results.find((r) => r.status === 'BLOCKED')?.code).toBe('APPROVAL_NOT_PENDING');
    await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    const again = await submit();
    expect(again).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_NOT_PENDING',
      state: 'COMPLETED',
    });
    const evs = await events(harness);
    expect(evs.filter((e) => e['event_type'] === 'approval_response')).toHaveLength(1);
    expect(evs.filter((e) => e['event_type'] === 'takeoff_start')).toHaveLength(1);
  });
});

// Also proves APR-15, SEC-7, PT-7.
describe('S-9 / S-10 replay and staleness', () => {
  it("S-9: A's approval submitted for B is unknown for B; B stays AWAITING; tokens differ", async () => {
    const harness = await start();
    const a = await propose(harness);
    const b = await propose(harness);
    expect(a.plan_token_hash).not.toBe(b.plan_token_hash);
    const out = await harness.orchestrator.approve({
      approvalId: a.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.rm,
      workflowId: b.workflow_id,
    });
    expect(out).toMatchObject({ status: 'BLOCKED', code: 'APPROVAL_NOT_FOUND' });
    expect((await harness.orchestrator.get(b.workflow_id)).state).toBe('AWAITING_APPROVAL');
    expect((await harness.orchestrator.get(a.workflow_id)).state).toBe('AWAITING_APPROVAL');
    expect((await events(harness)).some((e) => e['event_type'] === 'approval_mismatch')).toBe(true);
  });

  it('S-10: after a re-plan the old approval is stale and a new request is issued', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const old = wf.pending_approvals[0]?.approval_id ?? '';
    const replanned = await harness.orchestrator.replan(wf.workflow_id, harness.users.operator);
    expect(replanned.state).toBe('AWAITING_APPROVAL');
    const fresh = replanned.pending_approvals[0]?.approval_id ?? '';
    expect(fresh).not.toBe(old);
    const stale = await harness.orchestrator.approve({
      approvalId: old,
      approved: true,
      user: harness.users.rm,
    });
    expect(stale).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_NOT_PENDING',
      state: 'AWAITING_APPROVAL',
    });
    const ok = await harness.orchestrator.approve({
      approvalId: fresh,
      approved: true,
      user: harness.users.rm,
    });
    expect(ok.state).toBe('READY_FOR_TAKEOFF');
  });

  it('S-13: an approval after the TTL fails the workflow with approval_expired', async () => {
    const clock = manualClock();
    const harness = await start({ clock, approvalsTtlMs: 60_000 });
    const wf = await propose(harness);
    clock.advance(61_000);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.rm,
    });
    expect(out).toMatchObject({ code: 'APPROVAL_EXPIRED', state: 'FAILED' });
    expect((await events(harness)).some((e) => e['event_type'] === 'approval_expired')).toBe(true);
  });
});

describe('approval expiry sweep (G-31)', () => {
  it('an unanswered request past its TTL fails the workflow once, audited as approval_expired', async () => {
    const clock = manualClock();
    const harness = await start({ clock, approvalsTtlMs: 60_000 });
    const wf = await propose(harness);
    const fresh = await propose(harness);
    expect(await harness.orchestrator.expireApprovals()).toEqual([]);
    clock.advance(61_000);
    const late = await propose(harness);
    const expired = await harness.orchestrator.expireApprovals();
    expect(expired.sort()).toEqual([wf.workflow_id, fresh.workflow_id].sort());
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('FAILED');
    expect((await harness.orchestrator.get(late.workflow_id)).state).toBe('AWAITING_APPROVAL');
    expect(await harness.orchestrator.expireApprovals()).toEqual([]);
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.rm,
    });
    expect(out).toMatchObject({ status: 'BLOCKED', code: 'APPROVAL_NOT_PENDING' });
    const n = (await events(harness)).filter((e) => e['event_type'] === 'approval_expired').length;
    expect(n).toBe(2);
    await assertHomeConsistent(harness.homeDir);
  });
});

describe('S-6 / S-7 / S-8 tampering with stored artifacts', () => {
  // Also proves ORCH-4, ORCH-5, PT-1, PT-6, APR-5, ART-7, ART-11, GEN-1.
  it('S-6: a byte of a stored body changes after approval → V4 fails, no take-off, differences name it', async () => {
    const harness = await start();
    const wf = await propose(harness);
    await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.rm,
    });
    const { body } = await bodyAddressOf(harness, wf.workflow_id, 'plan');
    await tamperBlob(harness, body, (b) =>
      Buffer.concat([b.subarray(0, 1), Buffer.from('X'), b.subarray(2)]),
    );
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('FAILED');
    expect(await markerExists(harness)).toBe(false);
    const v = (await events(harness)).find((e) => e['event_type'] === 'workflow_failure');
    expect(v?.['severity']).toBe('critical');
    expect(v?.['integrity_check']).toMatchObject({
      plan_token_match: false,
      differences: ['plan'],
    });
  });

  // Also proves PT-11.
  it('S-7: a metadata value changed between plan and preflight fails V2 (critical)', async () => {
    let homeDir = '';
    let armed = true;
    const faults: FaultHook = (point, d) => {
      if (point !== 'wal-appended' || d.state !== 'PRE_FLIGHT_RUNNING' || !armed) return;
      armed = false;
      tamperFirstMetaSync(homeDir, d.workflowId, (t) => t.replace('summary', 'SUMMARY'));
    };
    const base = await makeRoot();
    await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
    homeDir = join(base.root, 'home');
    h = await startHarness(base, { engines: [await testEngine()], rules: NEEDS_RM, faults });
    const wf = await propose(h);
    expect(armed).toBe(false);
    expect(wf.state).toBe('FAILED');
    // V1 (creation) and V2 (preflight start) run back to back on the same write; either catches it.
    expect(wf.failure).toMatch(/^V[12]/);
    const failure = (await events(h)).find((e) => e['event_type'] === 'workflow_failure');
    expect(failure?.['severity']).toBe('critical');
    expect(failure?.['integrity_check']).toMatchObject({ differences: ['plan'] });
  });

  it('S-7 at approval: a stored artifact.json changed while awaiting approval fails V3', async () => {
    const harness = await start();
    const wf = await propose(harness);
    const { meta } = await bodyAddressOf(harness, wf.workflow_id, 'plan');
    await tamperBlob(harness, meta, (b) =>
      Buffer.from(b.toString('utf8').replace('summary', 'SUMMARY')),
    );
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.rm,
    });
    expect(out).toMatchObject({ code: 'APPROVAL_TOKEN_MISMATCH', state: 'FAILED' });
  });

  // Also proves ART-9.
  it('S-8: the take-off engine cannot rewrite a flight-plan artifact (read-only copy; V5 holds)', async () => {
    const harness = await start({ rules: { default: 'allow' } });
    const wf = await propose(harness, { takeoff_rewrite_artifact: true });
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('COMPLETED');
    const { body } = await bodyAddressOf(harness, wf.workflow_id, 'plan');
    expect((await harness.home.cas.get(body)).toString()).toBe('the plan\n');
  });
});

// Also proves PRE-9, ORCH-10 (S-21); APR-1, PRE-10 (S-27: no take-off while approval is not granted).
describe('S-21 governance failure, S-27 illegal transitions', () => {
  it.each([
    [
      'a: evaluator throws',
      [
        {
          name: 'boom',
          kind: 'custom',
          digest: 'a'.repeat(64),
          evaluate: () => Promise.reject(new Error('opa crashed')),
        },
      ],
      'boom/failure',
    ],
    [
      'c: invalid output',
      [
        {
          name: 'junk',
          kind: 'custom',
          digest: 'b'.repeat(64),
          evaluate: () => Promise.resolve([{ decision: 'maybe' }]),
        },
      ],
      'junk/failure',
    ],
    ['e: no policies', [], 'preflight/no-evaluations'],
  ])(
    'S-21%s → deny, FAILED, preflight_failure or no-evaluations deny',
    async (_n, sources, policyId) => {
      const harness = await start({ policySources: sources as unknown as PolicySource[] });
      const wf = await propose(harness);
      expect(wf.state).toBe('FAILED');
      expect(wf.last_decision).toBe('deny');
      // The audit names what failed: a `preflight_failure` event per broken source (a, c), and the
      // deny evaluation that stands for it in the critical decision (PRE-9, PRE-11, PRE-14).
      const mine = (await events(harness)).filter(
        (e) => (e['workflow'] as JsonObject | undefined)?.['workflow_id'] === wf.workflow_id,
      );
      const failures = mine.filter((e) => e['event_type'] === 'preflight_failure');
      const name = (sources as readonly { name: string }[])[0]?.name;
      expect(failures.length).toBe(name === undefined ? 0 : 1);
      if (name !== undefined) expect(failures[0]?.['message']).toContain(`policy source ${name} `);
      expect(mine.find((e) => e['event_type'] === 'preflight_decision')).toMatchObject({
        severity: 'critical',
        policy: { decision: 'deny', policy_evaluations: [{ policy_id: policyId, severity: 3 }] },
      });
    },
  );

  it('S-27: take-off while AWAITING_APPROVAL is refused, audited, state unchanged, no launch', async () => {
    const harness = await start();
    const wf = await propose(harness);
    await expect(
      harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator),
    ).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
    });
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
    expect(await markerExists(harness)).toBe(false);
    expect((await events(harness)).some((e) => e['event_type'] === 'transition_refused')).toBe(
      true,
    );
  });

  it('take-off needs the operator role (agent refused, audited)', async () => {
    const harness = await start({ rules: { default: 'allow' } });
    const wf = await propose(harness);
    await expect(
      harness.orchestrator.takeoff(wf.workflow_id, harness.users.agent),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('READY_FOR_TAKEOFF');
  });
});
