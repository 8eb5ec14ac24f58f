/**
 * Issue 10 U1 (AUD-5): GET /api/audit/consistency gives an auditor holding a signed checkpoint
 * the RFC 6962 proof that the log only grew since, verifiable offline.
 */
import { verifyConsistency } from '@clearance/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

describe('U1: GET /api/audit/consistency (AUD-5)', () => {
  it('U1: proves a saved checkpoint is a prefix of the current log; sizes out of range are 404 (AUD-5)', async () => {
    api = await startApi({});
    const audit = api.runtime.home.audit;
    const cp = await audit.checkpoint();
    if (cp === undefined) throw new Error('no checkpoint');
    for (let i = 0; i < 7; i++) {
      await audit.append({ event_type: 'state_transition', workflow_state: 'NONE' });
    }
    const res = await call(api.app, 'GET', `/api/audit/consistency?from=${cp.tree_size}`, {
      token: api.tokens.auditor,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = bodyOf(res) as {
      from: number;
      to: number;
      from_root: string;
      to_root: string;
      proof: string[];
    };
    expect(body.from).toBe(cp.tree_size);
    expect(body.to).toBe(audit.size);
    expect(body.from_root).toBe(cp.root_hash);
    expect(() =>
      verifyConsistency(
        cp.tree_size,
        body.to,
        body.proof.map(hex),
        hex(cp.root_hash),
        hex(body.to_root),
      ),
    ).not.toThrow();
    for (const q of ['from=0', `from=${audit.size + 1}`, `from=2&to=1`]) {
      expectProblem(
        await call(api.app, 'GET', `/api/audit/consistency?${q}`, { token: api.tokens.auditor }),
        'AUDIT_INDEX_OUT_OF_RANGE',
      );
    }
    expectProblem(await call(api.app, 'GET', '/api/audit/consistency?from=1'), 'AUTH_REQUIRED');
  });
});
