/**
 * APR-13 / GEN-6 over HTTP: an approver with a registered Ed25519 key signs the §4.2.7 binding in a
 * sidecar envelope; unsigned or badly signed answers are refused (recorded, state unchanged).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalBinding, type ApproverSignature } from '@clearance/authority';
import { keyRefFor, toBase64Url } from '@clearance/protocol';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';
import { propose, runsOf, stateOf, type Details } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

interface StepPending {
  approval_id: string;
  step_id: string;
  plan_token_hash: string;
}

function envelope(
  wf: Details,
  privateKey: KeyObject,
  publicKey: KeyObject,
  approved = true,
): ApproverSignature {
  const p = (wf.pending_approvals as unknown as StepPending[])[0];
  if (p === undefined) throw new Error('no pending approval');
  const timestamp = new Date().toISOString();
  const binding = approvalBinding({
    approval_id: p.approval_id,
    workflow_id: wf.workflow_id,
    step_id: p.step_id,
    plan_token_hash: p.plan_token_hash,
    approved,
    approver: 'alice',
    timestamp,
  });
  return {
    timestamp,
    sig: toBase64Url(sign(null, Buffer.from(binding, 'hex'), privateKey)),
    key_ref: keyRefFor(publicKey),
  };
}

describe('APR-13 approver-signed approvals over HTTP', () => {
  it('APR-13 GEN-6: /api/me shows the key; unsigned and wrong-key answers are 403 and recorded; a signed one is accepted', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await api.runtime.home.setUserKey('alice', pem, 'test');
    const me = bodyOf(await call(api.app, 'GET', '/api/me', { token: api.tokens.approver }));
    expect(me['key_ref']).toBe(keyRefFor(publicKey));

    const wf = await propose(api);
    const id = wf.pending_approvals[0]?.approval_id ?? '';
    const unsigned = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true },
    });
    expectProblem(unsigned, 'APPROVAL_SIGNATURE_INVALID');
    const other = generateKeyPairSync('ed25519');
    const wrongKey = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true, signature: envelope(wf, other.privateKey, other.publicKey) },
    });
    expectProblem(wrongKey, 'APPROVAL_SIGNATURE_INVALID');
    const malformed = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true, signature: { timestamp: 'x', sig: 'y', key_ref: 'z' } },
    });
    expectProblem(malformed, 'VALIDATION_FAILED');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    expect((await runsOf(api, wf.workflow_id)).map((r) => r.status)).toEqual([
      'BLOCKED',
      'BLOCKED',
      'ERROR',
    ]);

    const ok = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true, signature: envelope(wf, privateKey, publicKey) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await stateOf(api, wf.workflow_id)).toBe('READY_FOR_TAKEOFF');
  });

  it('APR-13: POST /api/workflow/approve carries the envelope too', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await api.runtime.home.setUserKey(
      'alice',
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'test',
    );
    const wf = await propose(api);
    const ok = await call(api.app, 'POST', '/api/workflow/approve', {
      token: api.tokens.approver,
      body: { workflow_id: wf.workflow_id, signature: envelope(wf, privateKey, publicKey) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
