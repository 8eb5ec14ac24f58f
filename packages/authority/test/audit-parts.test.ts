import { createHash } from 'node:crypto';
import { hashLeaf, REDACTED, verifyConsistency, verifyInclusion } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { draftEvent, tornTailEvent } from '../src/audit/drafts.js';
import { AuditTree } from '../src/audit/proofs.js';
import { sequentialIds, steppingClock } from '../src/runtime.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const leaves = Array.from({ length: 7 }, (_, i) => hashLeaf(Buffer.from(`line ${i}`, 'utf8')));

describe('I11-2: audit proofs (proofs.ts)', () => {
  it('I11-2: builds inclusion proofs that verify for every index of every prefix (AUD-5)', () => {
    const tree = new AuditTree(leaves);
    for (let size = 1; size <= leaves.length; size++) {
      for (let i = 0; i < size; i++) {
        const p = tree.inclusionProof(i, size, []);
        expect(p.root_hash).toBe(tree.rootAt(size));
        expect(() =>
          verifyInclusion(i, size, hex(p.leaf_hash), p.proof.map(hex), hex(p.root_hash)),
        ).not.toThrow();
      }
    }
  });

  it('I11-2: builds consistency proofs that verify between every pair of sizes', () => {
    const tree = new AuditTree(leaves);
    for (let a = 1; a <= leaves.length; a++) {
      for (let b = a; b <= leaves.length; b++) {
        const proof = tree.consistencyProof(a, b).map(hex);
        expect(() =>
          verifyConsistency(a, b, proof, hex(tree.rootAt(a)), hex(tree.rootAt(b))),
        ).not.toThrow();
      }
    }
  });

  it('I11-2: refuses out-of-range proofs with AUDIT_INDEX_OUT_OF_RANGE', () => {
    const tree = new AuditTree(leaves);
    for (const call of [
      () => tree.inclusionProof(7, 7, []),
      () => tree.inclusionProof(0, 8, []),
      () => tree.inclusionProof(-1, 3, []),
      () => tree.consistencyProof(0, 3),
      () => tree.consistencyProof(4, 3),
      () => tree.consistencyProof(1, 8),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: 'AUDIT_INDEX_OUT_OF_RANGE' }));
    }
  });

  it('I11-2: an empty tree has the SHA-256 of the empty string as root', () => {
    expect(new AuditTree([]).rootAt(0)).toBe(createHash('sha256').digest('hex'));
  });
});

describe('I11-2: audit drafts (drafts.ts)', () => {
  const ctx = { ids: sequentialIds(), clock: steppingClock(Date.UTC(2026, 10, 23)) };

  it('I11-2: fills id and time, redacts secrets and keeps only a digest-shaped plan token (AUD-5)', () => {
    const token = 'a'.repeat(64);
    const draft = draftEvent(
      {
        event_type: 'workflow_start',
        workflow_state: 'INIT',
        severity: 'info',
        message: 'key AKIAABCDEFGHIJKLMNOP leaked',
        plan_token: { token, workflow_id: 'wf-1' } as never,
      },
      ctx,
    );
    expect(draft.event_id).toMatch(/./);
    expect(draft.timestamp).toMatch(/^2026-11-23T/);
    expect(draft.message).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(draft.plan_token?.token).toBe(token);
    const bad = draftEvent(
      {
        event_type: 'workflow_start',
        workflow_state: 'INIT',
        severity: 'info',
        message: 'm',
        plan_token: { token: 'not a digest', workflow_id: 'wf-1' } as never,
      },
      ctx,
    );
    expect(bad.plan_token?.token).toBe(REDACTED);
  });

  it('I11-2: keeps a caller-given event id and timestamp', () => {
    const draft = draftEvent(
      {
        event_type: 'workflow_start',
        workflow_state: 'INIT',
        severity: 'info',
        message: 'm',
        event_id: 'evt-given',
        timestamp: '2026-01-01T00:00:00.000Z',
      },
      ctx,
    );
    expect(draft.event_id).toBe('evt-given');
    expect(draft.timestamp).toBe('2026-01-01T00:00:00.000Z');
  });

  it('I11-2: words a torn tail as an incomplete_entry warning naming its quarantine file', () => {
    const e = tornTailEvent({
      file: 'events.jsonl',
      length: 5,
      offset: 10,
      sha256: 'b'.repeat(64),
      quarantinedAs: 'quarantine/x',
    });
    expect(e).toMatchObject({ event_type: 'incomplete_entry', severity: 'warning' });
    expect(e.message).toContain('quarantine/x');
  });
});
