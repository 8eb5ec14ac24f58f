/** APR-13 / GEN-6: the pure approver-signature checks (submission time and offline). */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyRefFor, toBase64Url, type JsonObject } from '@clearance/protocol';
import {
  approvalBinding,
  checkApproverSignature,
  SIGNATURE_SKEW_MS,
  verifyApproverSignature,
} from '../src/approver-signatures.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const keyRef = keyRefFor(publicKey);
const T = Date.parse('2026-12-08T01:00:00.000Z');
const fields = {
  approval_id: 'ap-1',
  workflow_id: 'wf-1',
  step_id: 'main',
  plan_token_hash: 'a'.repeat(64),
  approved: true,
  approver: 'alice',
};

function envelope(timestamp: string) {
  const binding = approvalBinding({ ...fields, timestamp });
  return {
    timestamp,
    sig: toBase64Url(sign(null, Buffer.from(binding, 'hex'), privateKey)),
    key_ref: keyRef,
  };
}

function run(over: JsonObject = {}): JsonObject {
  const timestamp = new Date(T).toISOString();
  const env = envelope(timestamp);
  return {
    kind: 'approval',
    status: 'OK',
    workflow_id: 'wf-1',
    plan_token_hash: fields.plan_token_hash,
    hashes: { approval_binding: approvalBinding({ ...fields, timestamp }) },
    details: {
      approval_response: {
        approval_id: 'ap-1',
        approved: true,
        approver: 'alice',
        timestamp,
      },
      binding: { ...fields, timestamp },
      approver_signature: env,
    },
    ...over,
  };
}

describe('checkApproverSignature (APR-13)', () => {
  it('APR-13: accepts a signature within the skew window, refuses one outside it', () => {
    const at = (ms: number) =>
      checkApproverSignature({
        fields,
        envelope: envelope(new Date(ms).toISOString()),
        publicKey,
        nowMs: T,
      }).ok;
    expect(at(T)).toBe(true);
    expect(at(T - SIGNATURE_SKEW_MS)).toBe(true);
    expect(at(T + SIGNATURE_SKEW_MS + 1)).toBe(false);
    expect(at(T - SIGNATURE_SKEW_MS - 1)).toBe(false);
  });

  it('APR-13: refuses another key reference, a non-UTC timestamp and a signature for other fields', () => {
    const env = envelope(new Date(T).toISOString());
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(checkApproverSignature({ fields, envelope: env, publicKey: other, nowMs: T }).ok).toBe(
      false,
    );
    const local = { ...env, timestamp: '2026-12-08T02:00:00.000+01:00' };
    expect(checkApproverSignature({ fields, envelope: local, publicKey, nowMs: T }).ok).toBe(false);
    expect(
      checkApproverSignature({
        fields: { ...fields, step_id: 'other' },
        envelope: env,
        publicKey,
        nowMs: T,
      }).ok,
    ).toBe(false);
  });
});

describe('verifyApproverSignature (GEN-6 offline)', () => {
  const keys = new Map([[keyRef, publicKey]]);

  it('GEN-6: valid; unsigned and non-approval runs are told apart', () => {
    expect(verifyApproverSignature(run(), keys)).toEqual({ kind: 'valid', keyRef });
    const unsigned = run();
    const details = { ...(unsigned['details'] as JsonObject) };
    delete details['approver_signature'];
    expect(verifyApproverSignature({ ...unsigned, details }, keys)).toEqual({ kind: 'unsigned' });
    expect(verifyApproverSignature(run({ status: 'BLOCKED' }), keys)).toEqual({
      kind: 'not-applicable',
    });
    expect(verifyApproverSignature(run({ kind: 'takeoff' }), keys)).toEqual({
      kind: 'not-applicable',
    });
  });

  it('GEN-6 APR-13: a run moved to another workflow or plan, a changed binding hash or an unknown key is invalid', () => {
    expect(verifyApproverSignature(run({ workflow_id: 'wf-2' }), keys).kind).toBe('invalid');
    expect(verifyApproverSignature(run({ plan_token_hash: 'b'.repeat(64) }), keys).kind).toBe(
      'invalid',
    );
    expect(
      verifyApproverSignature(run({ hashes: { approval_binding: 'c'.repeat(64) } }), keys).kind,
    ).toBe('invalid');
    expect(verifyApproverSignature(run(), new Map()).kind).toBe('invalid');
    expect(verifyApproverSignature(run({ details: 'x' }), keys).kind).toBe('invalid');
  });
});
