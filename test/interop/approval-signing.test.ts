/**
 * APR-13: the browser-side signer builds the same §4.2.7 binding as the authority and signs it
 * with a non-extractable WebCrypto Ed25519 key whose PEM and reference the authority accepts.
 */
import { describe, expect, it } from 'vitest';
import { checkApproverSignature, normalisePublicKey } from '@clearance/authority';
import { H, keyRefFor, publicKeyFromPem } from '@clearance/protocol';
import {
  approvalBindingDigest,
  describePublicKey,
  generateApprovalKey,
  signApproval,
  type BindingFields,
} from '@clearance/client';

const fields: BindingFields = {
  approval_id: '0b7d6c1e-55aa-4c1e-9d2b-1f0e7a1c2b3d',
  workflow_id: 'wf-0123456789abcdef0123456789abcdef',
  step_id: 'main',
  plan_token_hash: 'a'.repeat(64),
  approved: true,
  approver: 'alice',
};

describe('APR-13 approval signing with WebCrypto', () => {
  it('APR-13: the binding digest equals H(cabincrew.approval.v1, fields)', async () => {
    const timestamp = '2026-12-08T01:02:03.456Z';
    const digest = await approvalBindingDigest(fields, timestamp);
    expect(Buffer.from(digest).toString('hex')).toBe(
      H('cabincrew.approval.v1', { ...fields, timestamp }),
    );
  });

  it('APR-13 GEN-6: a non-extractable key signs an envelope the authority verifies; its PEM registers', async () => {
    const pair = await generateApprovalKey();
    expect(pair.privateKey.extractable).toBe(false);
    const { keyRef, pem } = await describePublicKey(pair.publicKey);
    const publicKey = publicKeyFromPem(normalisePublicKey(pem));
    expect(keyRefFor(publicKey)).toBe(keyRef);
    const now = new Date();
    const envelope = await signApproval(pair.privateKey, keyRef, fields, now);
    expect(checkApproverSignature({ fields, envelope, publicKey, nowMs: now.getTime() })).toEqual({
      ok: true,
    });
    // The same envelope does not verify for another decision or another request.
    expect(
      checkApproverSignature({
        fields: { ...fields, approved: false },
        envelope,
        publicKey,
        nowMs: now.getTime(),
      }).ok,
    ).toBe(false);
    expect(
      checkApproverSignature({
        fields: { ...fields, approval_id: 'other' },
        envelope,
        publicKey,
        nowMs: now.getTime(),
      }).ok,
    ).toBe(false);
  });
});
