import { describe, expect, it } from 'vitest';
import {
  judgeApproval,
  needsPlanVerification,
  type ApprovalFacts,
} from '../../src/orchestrator/approval-rules.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const pending = {
  approval_id: 'ap-1',
  step_id: 'main',
  required_role: 'release-manager',
  plan_token_hash: 'a'.repeat(64),
  requested_at: '2026-01-01T00:00:00.000Z',
  sequence: 11,
};
function facts(over: Partial<ApprovalFacts> = {}): ApprovalFacts {
  return {
    user: { name: 'rita', roles: ['release-manager'] },
    approvalId: 'ap-1',
    payloadApprover: undefined,
    seenPlanTokenHash: undefined,
    workflow: {
      id: 'wf-a',
      proposer: 'agent-1',
      awaiting: true,
      pending: [pending],
      planTokenHash: 'a'.repeat(64),
    },
    addressedWorkflowId: undefined,
    nowMs: T0 + 1000,
    ttlMs: 60_000,
    tokenVerifies: true,
    ...over,
  };
}

describe('approval binding (§4.2.7)', () => {
  it('accepts an authenticated approver with the role, for a pending request, token verifying', () => {
    expect(judgeApproval(facts()).kind).toBe('accept');
  });

  it.each([
    ['S-12b unauthenticated', { user: undefined }, 'AUTH_REQUIRED'],
    ['payload approver differs', { payloadApprover: 'mallory' }, 'APPROVAL_INVALID'],
    ['S-9 unknown id (other workflow)', { workflow: undefined }, 'APPROVAL_NOT_FOUND'],
    ['addressed to another workflow', { addressedWorkflowId: 'wf-b' }, 'APPROVAL_NOT_FOUND'],
    ['S-10/S-11 not pending', { approvalId: 'ap-2' }, 'APPROVAL_NOT_PENDING'],
    ['agent never approves', { user: { name: 'bot', roles: ['agent'] } }, 'FORBIDDEN'],
    [
      'U2 G-35: wrong role (S-12a) cannot kill the workflow',
      { user: { name: 'dev', roles: ['developer'] } },
      'APPROVAL_ROLE_MISSING',
    ],
    [
      'U2 G-35: wrong role with a stale plan-token hash',
      { user: { name: 'dev', roles: ['developer'] }, seenPlanTokenHash: 'b'.repeat(64) },
      'APPROVAL_ROLE_MISSING',
    ],
    [
      'U2 G-35: agent with a stale plan-token hash',
      { user: { name: 'bot', roles: ['agent'] }, seenPlanTokenHash: 'b'.repeat(64) },
      'FORBIDDEN',
    ],
    [
      'APR-13: a keyed approver without a signature',
      { signature: 'missing' },
      'APPROVAL_SIGNATURE_INVALID',
    ],
    [
      'APR-13: a signature that does not verify',
      { signature: 'invalid' },
      'APPROVAL_SIGNATURE_INVALID',
    ],
    [
      'APR-13 G-35: a bad signature with a stale plan cannot kill the workflow',
      { signature: 'invalid', seenPlanTokenHash: 'b'.repeat(64) },
      'APPROVAL_SIGNATURE_INVALID',
    ],
  ] as const)('%s: ignored, state unchanged', (_name, over, code) => {
    const v = judgeApproval(facts(over));
    expect(v).toMatchObject({ kind: 'ignore', code });
  });

  it.each([
    [
      'approver = proposer',
      { user: { name: 'agent-1', roles: ['release-manager'] } },
      'APPROVAL_BY_PROPOSER',
    ],
    [
      'U2 APR-5: the required role answering for another plan',
      { seenPlanTokenHash: 'b'.repeat(64) },
      'APPROVAL_TOKEN_MISMATCH',
    ],
    ['S-13 expired', { nowMs: T0 + 60_001 }, 'APPROVAL_EXPIRED'],
    ['V3 fails (S-6, S-25)', { tokenVerifies: false }, 'APPROVAL_TOKEN_MISMATCH'],
  ] as const)('%s: authenticated but invalid fails the workflow', (_n, over, code) => {
    const v = judgeApproval(facts(over));
    expect(v).toMatchObject({ kind: 'fail', code });
  });

  it('I11-2 APR-5: V3 (re-hashing) is needed only when every other condition holds', () => {
    expect(needsPlanVerification(facts())).toBe(true);
    // Floods of refused submissions cost no hashing: the verdict is decided before V3.
    expect(needsPlanVerification(facts({ user: undefined }))).toBe(false);
    expect(needsPlanVerification(facts({ approvalId: 'nope' }))).toBe(false);
    expect(needsPlanVerification(facts({ signature: 'invalid' }))).toBe(false);
    expect(needsPlanVerification(facts({ nowMs: T0 + 60_001 }))).toBe(false);
    expect(
      needsPlanVerification(facts({ user: { name: 'agent-1', roles: ['release-manager'] } })),
    ).toBe(false);
  });

  it('a pending request whose hash differs from the current plan-token fails without hashing', () => {
    const v = judgeApproval(
      facts({
        workflow: {
          id: 'wf-a',
          proposer: 'agent-1',
          awaiting: true,
          pending: [pending],
          planTokenHash: 'c'.repeat(64),
        },
      }),
    );
    expect(v).toMatchObject({ kind: 'fail', code: 'APPROVAL_TOKEN_MISMATCH' });
  });

  const chain = (over: object) => ({
    workflow: {
      id: 'wf-a',
      proposer: 'olga',
      awaiting: true,
      pending: [pending],
      planTokenHash: 'a'.repeat(64),
      chainProposers: ['olga', 'bob'],
      rejectedBy: ['rita'],
      ...over,
    },
  });

  it('B3 APR-12: a proposer of the retry chain counts as the proposer', () => {
    const v = judgeApproval(
      facts({ ...chain({}), user: { name: 'bob', roles: ['release-manager'] } }),
    );
    expect(v).toMatchObject({ kind: 'fail', code: 'APPROVAL_BY_PROPOSER' });
  });

  it('B3 APR-12: the rejecter may not approve the retry unless the config rule allows it', () => {
    expect(judgeApproval(facts({ ...chain({}), approved: true }))).toMatchObject({
      kind: 'fail',
      code: 'APPROVAL_SEPARATION',
    });
    expect(
      judgeApproval(facts({ ...chain({}), approved: true, allowRejecterReapproval: true })).kind,
    ).toBe('accept');
    // Rejecting again is no approval: separation of duties is not at stake.
    expect(judgeApproval(facts({ ...chain({}), approved: false })).kind).toBe('accept');
    expect(
      judgeApproval(facts({ ...chain({}), user: { name: 'carol', roles: ['release-manager'] } }))
        .kind,
    ).toBe('accept');
  });

  it('APR-13: a valid signature is accepted; unsigned is accepted when not required', () => {
    expect(judgeApproval(facts({ signature: 'valid' })).kind).toBe('accept');
    expect(judgeApproval(facts({ signature: 'unsigned' })).kind).toBe('accept');
  });
});

describe('I11-2: judgeApproval is the pure decision core', () => {
  it('returns a verdict synchronously (no promise) and the same verdict for the same facts', () => {
    const f = facts({ seenPlanTokenHash: 'b'.repeat(64) });
    const v = judgeApproval(f);
    expect(v).not.toBeInstanceOf(Promise);
    expect(v).toEqual(judgeApproval(f));
    expect(v).toMatchObject({ kind: 'fail', code: 'APPROVAL_TOKEN_MISMATCH' });
  });

  it('APR-13 G-35: the signature is checked before the answer, so a bad one cannot kill', () => {
    expect(judgeApproval(facts({ signature: 'missing', nowMs: T0 + 60_001 }))).toMatchObject({
      kind: 'ignore',
      code: 'APPROVAL_SIGNATURE_INVALID',
    });
  });

  it('U2: an auditor holding the required role still may not approve (authorization table)', () => {
    const auditor = { name: 'aud', roles: ['auditor'] };
    const f = facts({
      user: auditor,
      workflow: {
        id: 'wf-a',
        proposer: 'agent-1',
        awaiting: true,
        pending: [{ ...pending, required_role: 'auditor' }],
        planTokenHash: 'a'.repeat(64),
      },
    });
    expect(judgeApproval(f)).toMatchObject({ kind: 'ignore', code: 'FORBIDDEN' });
  });
});
