/**
 * The pure approval-evidence check (issue 10 B4; APR-13): a run artifact backs a WAL approval only
 * when the §4.2.7 binding recomputed from the WAL's fields equals the recorded one and carries the
 * authority's signature.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestSigner, keyRefFor } from '@clearance/protocol';
import { approvalBinding } from '../../src/approver-signatures.js';
import { checkApprovalRun, type WalApproval } from '../../src/orchestrator/approval-evidence.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const signer = digestSigner(privateKey, publicKey);
const key = { publicKey, keyRef: keyRefFor(publicKey) };
const T = '2026-03-01T10:00:00.000Z';
const wal: WalApproval = {
  approval_id: 'ap-1',
  workflow_id: 'wf-1',
  step_id: 'main',
  plan_token_hash: 'b'.repeat(64),
  approved: true,
  approver: 'alice',
};

function run(a: WalApproval, s = signer): Record<string, unknown> {
  const binding = approvalBinding({ ...a, timestamp: T });
  return {
    kind: 'approval',
    status: 'OK',
    workflow_id: a.workflow_id,
    approval_id: a.approval_id,
    hashes: { plan_token_hash: a.plan_token_hash, approval_binding: binding },
    details: {
      approval_response: {
        approval_id: a.approval_id,
        approved: a.approved,
        approver: a.approver,
        timestamp: T,
      },
      binding_signature: s.sign(Buffer.from(binding, 'hex')),
      signature_key_ref: s.keyRef,
    },
  };
}

describe('approval evidence (B4, APR-13)', () => {
  it('B4/APR-13: the genuine signed run backs its WAL approval', () => {
    expect(checkApprovalRun(wal, run(wal), key)).toBeUndefined();
  });

  it('B4/APR-13: a run for another approver, decision, plan or workflow does not', () => {
    expect(checkApprovalRun({ ...wal, approver: 'mallory' }, run(wal), key)).toMatch(/binding/);
    expect(checkApprovalRun({ ...wal, approved: false }, run(wal), key)).toMatch(/binding/);
    expect(checkApprovalRun({ ...wal, plan_token_hash: 'c'.repeat(64) }, run(wal), key)).toMatch(
      /binding/,
    );
    expect(checkApprovalRun({ ...wal, workflow_id: 'wf-2' }, run(wal), key)).toMatch(/workflow/);
    expect(checkApprovalRun(wal, { ...run(wal), status: 'BLOCKED' }, key)).toMatch(/accepted/);
  });

  it('B4/APR-13: a binding signed by another key, or with a broken signature, does not', () => {
    const other = generateKeyPairSync('ed25519');
    const forger = digestSigner(other.privateKey, other.publicKey);
    expect(checkApprovalRun(wal, run(wal, forger), key)).toMatch(/key/);
    const r = run(wal);
    const details = r['details'] as Record<string, unknown>;
    const forged = { ...r, details: { ...details, binding_signature: 'A'.repeat(86) } };
    expect(checkApprovalRun(wal, forged, key)).toMatch(/signature/);
  });
});
