import { describe, expect, it } from 'vitest';
import {
  assertApprovalResponseTimestamp,
  assertAuditEvent,
  assertWalEntry,
  isProfileTimestamp,
} from '../src/profile.js';
import { validate } from '../src/validators.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

const ts = '2026-11-23T10:00:00.000Z';

describe('schema validators', () => {
  it('validate a named definition and list failing paths', () => {
    expect(validate('Decision', 'deny')).toEqual({ ok: true });
    const bad = validate('PlanArtifactHash', { name: 'a', hash: 1, extra: true });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/', '/hash']),
    );
  });

  it('refuse an unknown definition name instead of accepting anything', () => {
    expect(codeOf(() => validate('NoSuchThing' as 'Decision', {}))).toBe('INTERNAL');
  });
});

describe('G-10: WAL data must be the variant fixed by entry_type', () => {
  const entry = (entry_type: string, data: object) => ({
    sequence: 0,
    timestamp: ts,
    workflow_id: 'wf',
    entry_type,
    data,
    checksum: 'x',
  });

  it('accepts the matching variant', () => {
    expect(() => assertWalEntry(entry('workflow_failed', { error: 'boom' }))).not.toThrow();
  });

  it('refuses a payload of another variant that the schema anyOf accepts', () => {
    const wrong = entry('workflow_failed', { step_id: 's', step_type: 'flight-plan' });
    expect(validate('WALEntry', wrong).ok).toBe(true); // the schema alone lets it through
    expect(codeOf(() => assertWalEntry(wrong))).toBe('SCHEMA_INVALID');
  });
});

describe('AuditEvent profile', () => {
  const base = { event_id: 'e', timestamp: ts, event_type: 't', workflow_state: 'NONE' };
  const evaluation = (decision: string, severity: number) => ({
    source: 'custom',
    policy_id: 'p',
    decision,
    severity,
    evaluated_at: ts,
  });

  it('G-17: severity must match the decision', () => {
    const ok = {
      ...base,
      policy: {
        decision: 'deny',
        workflow_state: 'INIT',
        policy_evaluations: [evaluation('deny', 3)],
      },
    };
    expect(() => assertAuditEvent(ok)).not.toThrow();
    const lying = { ...ok, policy: { ...ok.policy, policy_evaluations: [evaluation('deny', 0)] } };
    expect(validate('AuditEvent', lying).ok).toBe(true);
    expect(codeOf(() => assertAuditEvent(lying))).toBe('PROFILE_INVALID');
  });

  it('G-36: workflow_state is a State or NONE', () => {
    expect(() => assertAuditEvent({ ...base, workflow_state: 'AWAITING_APPROVAL' })).not.toThrow();
    expect(codeOf(() => assertAuditEvent({ ...base, workflow_state: 'approved' }))).toBe(
      'PROFILE_INVALID',
    );
  });

  // Also proves AUD-14.
  it('timestamps are RFC 3339 UTC with milliseconds and a real date', () => {
    expect(isProfileTimestamp(ts)).toBe(true);
    for (const bad of [
      '2026-11-23T10:00:00Z',
      '2026-02-30T10:00:00.000Z',
      '2026-11-23 10:00:00.000Z',
      42,
    ]) {
      expect(isProfileTimestamp(bad)).toBe(false);
    }
    expect(
      codeOf(() => assertAuditEvent({ ...base, timestamp: '2026-11-23T10:00:00+01:00' })),
    ).toMatch(/^(SCHEMA|PROFILE)_INVALID$/);
  });
});

describe('G-39: ApprovalResponse.timestamp', () => {
  it('accepts RFC 3339 and refuses what Date.parse alone would take', () => {
    expect(() => assertApprovalResponseTimestamp(undefined)).not.toThrow();
    expect(() => assertApprovalResponseTimestamp('2026-11-23T10:00:00+01:00')).not.toThrow();
    for (const bad of ['2026', 'March 7, 2026', '2026-11-23', 'not a date']) {
      expect(codeOf(() => assertApprovalResponseTimestamp(bad))).toBe('PROFILE_INVALID');
    }
  });
});
