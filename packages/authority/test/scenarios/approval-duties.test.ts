/**
 * Issue 10 B3, U2 and APR-13: separation of duties across retries, who can kill a workflow by a
 * wrong answer, and approvals signed by the approver's own Ed25519 key (§4.2.7, G-35, GEN-6).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyRefFor, parseJsonStrict, toBase64Url, type JsonObject } from '@clearance/protocol';
import {
  approvalBinding,
  verifyApproverSignature,
  type ApproverSignature,
} from '../../src/approver-signatures.js';
import { deepVerifyHome, type Principal, type WorkflowDetails } from '../../src/index.js';
import {
  cleanup,
  handWorkspace,
  makeRoot,
  startHarness,
  testEngine,
  type Harness,
  type HarnessOptions,
} from './harness.js';

const NEEDS_APPROVER = { default: 'require_approval', default_role: 'approver' };
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
  h = await startHarness(base, {
    engines: [await testEngine()],
    rules: NEEDS_APPROVER,
    ...options,
  });
  return h;
}

const bob: Principal = { name: 'bob', roles: ['approver', 'operator'] };
const alice: Principal = { name: 'alice', roles: ['approver'] };
const carol: Principal = { name: 'carol', roles: ['approver'] };

function propose(harness: Harness, by: Principal, context: JsonObject = {}) {
  return harness.orchestrator.propose(
    { engine: 'test', workspace: 'demo', config: {}, context, stripped: [] },
    by,
  );
}

function pendingOf(wf: WorkflowDetails) {
  const p = wf.pending_approvals[0];
  if (p === undefined) throw new Error(`workflow ${wf.workflow_id} has no pending approval`);
  return p;
}

function answer(harness: Harness, wf: WorkflowDetails, user: Principal, approved = true) {
  return harness.orchestrator.approve({ approvalId: pendingOf(wf).approval_id, approved, user });
}

async function eventTypes(harness: Harness, workflowId: string): Promise<string[]> {
  const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => parseJsonStrict(l) as JsonObject)
    .filter((e) => (e['workflow'] as JsonObject | undefined)?.['workflow_id'] === workflowId)
    .map((e) => (typeof e['event_type'] === 'string' ? e['event_type'] : ''));
}

describe('B3: separation of duties through retry (APR-4, APR-12, G-35)', () => {
  it('B3 APR-12: after a rejection and an operator retry, the original author and the rejecter cannot approve; another approver can', async () => {
    const harness = await start();
    const w1 = await propose(harness, bob);
    expect(await answer(harness, w1, alice, false)).toMatchObject({
      status: 'OK',
      state: 'FAILED',
    });

    const w2 = await harness.orchestrator.retry(w1.workflow_id, harness.users.operator);
    expect(w2.proposer).toBe('olga');
    expect(w2.state).toBe('AWAITING_APPROVAL');
    // The author of the change is still its proposer, whoever retried it.
    expect(await answer(harness, w2, bob)).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_BY_PROPOSER',
      state: 'FAILED',
    });

    const w3 = await harness.orchestrator.retry(w2.workflow_id, harness.users.operator);
    // The approver who rejected it may not change their mind on a retry (no config rule).
    expect(await answer(harness, w3, alice)).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_SEPARATION',
      state: 'FAILED',
    });

    const w4 = await harness.orchestrator.retry(w3.workflow_id, harness.users.operator);
    expect(await answer(harness, w4, carol)).toMatchObject({ status: 'OK' });
    expect((await harness.orchestrator.get(w4.workflow_id)).state).toBe('READY_FOR_TAKEOFF');
  });

  it('B3 APR-12 (U2): a rejection that failed the workflow by a stale plan-token hash still counts: the rejecter cannot approve the retry', async () => {
    const harness = await start();
    const w1 = await propose(harness, bob);
    // Alice means "reject" but answers with a plan-token hash that no longer matches: as the
    // holder of the required role her invalid answer fails the workflow (U2).
    const stale = await harness.orchestrator.approve({
      approvalId: pendingOf(w1).approval_id,
      approved: false,
      planTokenHash: 'f'.repeat(64),
      user: alice,
    });
    expect(stale).toMatchObject({ status: 'BLOCKED', state: 'FAILED' });
    const w2 = await harness.orchestrator.retry(w1.workflow_id, harness.users.operator);
    expect(await answer(harness, w2, alice)).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_SEPARATION',
    });
    const w3 = await harness.orchestrator.retry(w2.workflow_id, harness.users.operator);
    expect(await answer(harness, w3, carol)).toMatchObject({ status: 'OK' });
  });

  it('B3: the chain is recorded by the authority in the stored request', async () => {
    const harness = await start();
    const w1 = await propose(harness, bob);
    await answer(harness, w1, alice, false);
    const w2 = await harness.orchestrator.retry(w1.workflow_id, harness.users.operator);
    const request = await harness.orchestrator.requestOf(w2.workflow_id);
    expect(request.retry_of).toBe(w1.workflow_id);
  });

  it('B3: a client-sent retry_of is stripped at propose and links nothing', async () => {
    const harness = await start();
    const w1 = await propose(harness, bob);
    await answer(harness, w1, alice, false);
    // A fresh proposal claiming to retry w1 is no retry: alice may approve it.
    const fresh = await propose(harness, harness.users.operator, { retry_of: w1.workflow_id });
    const request = await harness.orchestrator.requestOf(fresh.workflow_id);
    expect(request.retry_of).toBeUndefined();
    expect(request.context['retry_of']).toBeUndefined();
    expect(request.stripped).toContain('$.input.context.retry_of');
    expect(await answer(harness, fresh, alice)).toMatchObject({ status: 'OK' });
  });

  it('B3: the documented rule approvals.allow_rejecter_reapproval lets the rejecter approve the retry', async () => {
    const harness = await start({ approvals: { allow_rejecter_reapproval: true } });
    const w1 = await propose(harness, bob);
    await answer(harness, w1, alice, false);
    const w2 = await harness.orchestrator.retry(w1.workflow_id, harness.users.operator);
    expect(await answer(harness, w2, alice)).toMatchObject({ status: 'OK' });
    // The author stays excluded whatever the rule.
    const w3 = await propose(harness, bob);
    await answer(harness, w3, alice, false);
    const w4 = await harness.orchestrator.retry(w3.workflow_id, harness.users.operator);
    expect(await answer(harness, w4, bob)).toMatchObject({ code: 'APPROVAL_BY_PROPOSER' });
  });
});

describe('U2: who can kill a workflow (G-35, APR-10)', () => {
  it('U2 G-35: a wrong-role or agent answer with a stale plan-token hash is recorded and refused, state unchanged', async () => {
    const harness = await start();
    const wf = await propose(harness, harness.users.agent);
    const approvalId = pendingOf(wf).approval_id;
    const stale = 'f'.repeat(64);
    const wrongRole = await harness.orchestrator.approve({
      approvalId,
      approved: true,
      planTokenHash: stale,
      user: { name: 'dev', roles: ['developer'] },
    });
    expect(wrongRole).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_ROLE_MISSING',
      state: 'AWAITING_APPROVAL',
    });
    const agent = await harness.orchestrator.approve({
      approvalId,
      approved: false,
      planTokenHash: stale,
      user: { name: 'bot', roles: ['agent'] },
    });
    expect(agent).toMatchObject({
      status: 'BLOCKED',
      code: 'FORBIDDEN',
      state: 'AWAITING_APPROVAL',
    });
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
    const runs = harness.runs.list({ workflowId: wf.workflow_id });
    expect(runs.filter((r) => r.kind === 'approval').map((r) => r.status)).toEqual([
      'BLOCKED',
      'BLOCKED',
    ]);
    const types = await eventTypes(harness, wf.workflow_id);
    expect(types.filter((t) => t === 'approval_mismatch')).toHaveLength(2);
    expect(types).not.toContain('workflow_failure');
    // The request is still answerable by the right role.
    expect(await answer(harness, wf, alice)).toMatchObject({ status: 'OK' });
  });

  it('U2 APR-5: the required role answering for a different plan-token still fails the workflow', async () => {
    const harness = await start();
    const wf = await propose(harness, harness.users.agent);
    const out = await harness.orchestrator.approve({
      approvalId: pendingOf(wf).approval_id,
      approved: true,
      planTokenHash: 'f'.repeat(64),
      user: alice,
    });
    expect(out).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_TOKEN_MISMATCH',
      state: 'FAILED',
    });
  });
});

interface Keys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly pem: string;
}

function keys(): Keys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function signFor(
  wf: WorkflowDetails,
  approver: string,
  k: Keys,
  approved = true,
  timestamp = new Date().toISOString(),
): ApproverSignature {
  const p = pendingOf(wf);
  const binding = approvalBinding({
    approval_id: p.approval_id,
    workflow_id: wf.workflow_id,
    step_id: p.step_id,
    plan_token_hash: p.plan_token_hash,
    approved,
    approver,
    timestamp,
  });
  return {
    timestamp,
    sig: toBase64Url(sign(null, Buffer.from(binding, 'hex'), k.privateKey)),
    key_ref: keyRefFor(k.publicKey),
  };
}

function signed(
  harness: Harness,
  wf: WorkflowDetails,
  user: Principal,
  signature?: ApproverSignature,
) {
  return harness.orchestrator.approve({
    approvalId: pendingOf(wf).approval_id,
    approved: true,
    user,
    ...(signature === undefined ? {} : { signature }),
  });
}

async function approvalRun(harness: Harness, workflowId: string): Promise<JsonObject> {
  const entry = harness.runs
    .list({ workflowId })
    .find((r) => r.kind === 'approval' && r.status === 'OK');
  if (entry === undefined) throw new Error('no accepted approval run');
  const run = await harness.runs.get(entry.run_id);
  return parseJsonStrict(JSON.stringify(run)) as JsonObject;
}

describe('APR-13 / GEN-6: approver-signed approvals', () => {
  it('APR-13 GEN-6: a signed approval is accepted, stored with its envelope and verifies offline', async () => {
    const harness = await start();
    const k = keys();
    await harness.home.addUser('alice', ['approver'], 'test', k.pem);
    const wf = await propose(harness, harness.users.agent);
    const out = await signed(harness, wf, alice, signFor(wf, 'alice', k));
    expect(out).toMatchObject({ status: 'OK', state: 'READY_FOR_TAKEOFF' });
    const body = await approvalRun(harness, wf.workflow_id);
    const trusted = new Map([[keyRefFor(k.publicKey), k.publicKey]]);
    expect(verifyApproverSignature(body, trusted)).toEqual({
      kind: 'valid',
      keyRef: keyRefFor(k.publicKey),
    });
    expect(
      verifyApproverSignature(body, trusted, new Map([['alice', [keyRefFor(k.publicKey)]]])),
    ).toMatchObject({ kind: 'valid' });
    // Offline: a changed decision, another key, or the key of somebody else do not verify.
    const details = body['details'] as JsonObject;
    const flipped = {
      ...body,
      details: { ...details, binding: { ...(details['binding'] as JsonObject), approved: false } },
    };
    expect(verifyApproverSignature(flipped, trusted).kind).toBe('invalid');
    const other = keys();
    expect(
      verifyApproverSignature(body, new Map([[keyRefFor(k.publicKey), other.publicKey]])).kind,
    ).toBe('invalid');
    expect(verifyApproverSignature(body, trusted, new Map([['alice', []]])).kind).toBe('invalid');
  });

  it('APR-13: unsigned, tampered, wrong-key, stale and replayed answers of a keyed approver are refused, state unchanged', async () => {
    const harness = await start();
    const k = keys();
    await harness.home.addUser('alice', ['approver'], 'test', k.pem);
    const wf = await propose(harness, harness.users.agent);
    const other = await propose(harness, harness.users.agent);
    const good = signFor(wf, 'alice', k);
    const wrong = keys();
    const attempts: (ApproverSignature | undefined)[] = [
      undefined,
      { ...good, sig: toBase64Url(Buffer.alloc(64, 1)) },
      signFor(wf, 'alice', wrong),
      { ...signFor(wf, 'alice', wrong), key_ref: keyRefFor(k.publicKey) },
      signFor(wf, 'alice', k, true, new Date(Date.now() - 3_600_000).toISOString()),
      // Signed for a rejection, sent as an approval.
      signFor(wf, 'alice', k, false),
      // Replay: alice's valid signature for the other workflow's request.
      signFor(other, 'alice', k),
    ];
    for (const signature of attempts) {
      expect(await signed(harness, wf, alice, signature)).toMatchObject({
        status: 'BLOCKED',
        code: 'APPROVAL_SIGNATURE_INVALID',
        state: 'AWAITING_APPROVAL',
      });
    }
    const runs = harness.runs.list({ workflowId: wf.workflow_id });
    expect(runs.filter((r) => r.kind === 'approval')).toHaveLength(attempts.length);
    expect(await signed(harness, wf, alice, good)).toMatchObject({ status: 'OK' });
    // The same signature cannot be used again: the request is answered.
    expect(await signed(harness, wf, alice, good)).toMatchObject({ code: 'APPROVAL_NOT_PENDING' });
  });

  it('APR-13: approvals.require_signature makes a keyless approver of that role unable to answer', async () => {
    const harness = await start({ approvals: { require_signature: ['approver'] } });
    const wf = await propose(harness, harness.users.agent);
    expect(await signed(harness, wf, alice)).toMatchObject({
      status: 'BLOCKED',
      code: 'APPROVAL_SIGNATURE_INVALID',
      state: 'AWAITING_APPROVAL',
    });
    // Registering a key makes the same approver able to answer, signed.
    const k = keys();
    await harness.home.addUser('alice', ['approver'], 'test');
    await harness.home.setUserKey('alice', k.pem, 'test');
    expect(await signed(harness, wf, alice, signFor(wf, 'alice', k))).toMatchObject({
      status: 'OK',
    });
  });

  it('APR-13 GEN-6: audit verify --deep re-verifies approver signatures after a key change; a key the approver never registered is APPROVER_SIGNATURE_INVALID', async () => {
    const harness = await start();
    const k = keys();
    await harness.home.addUser('alice', ['approver'], 'test', k.pem);
    const wf = await propose(harness, harness.users.agent);
    expect(await signed(harness, wf, alice, signFor(wf, 'alice', k))).toMatchObject({
      status: 'OK',
    });
    // Alice changes her key: the old signature must still verify offline (retired key kept).
    await harness.home.setUserKey('alice', keys().pem, 'test');
    await harness.close();
    h = undefined;
    const check = async () =>
      (await deepVerifyHome(harness.homeDir)).checks.find((c) => c.name === 'approver-signatures');
    expect(await check()).toMatchObject({ checked: 1, problems: [] });
    // Somebody rewrites users.json so that alice never had the key that signed: caught.
    const path = join(harness.homeDir, 'identity', 'users.json');
    const doc = JSON.parse(await readFile(path, 'utf8')) as {
      users: { name: string; public_key?: string; retired_public_keys?: string[] }[];
    };
    for (const u of doc.users) if (u.name === 'alice') delete u.retired_public_keys;
    await writeFile(path, JSON.stringify(doc));
    expect((await check())?.problems.map((p) => p.code)).toEqual(['APPROVER_SIGNATURE_INVALID']);
  });
});
