/**
 * Issue 10, B1: two approved patches made on the same workspace state and taken off at the same
 * moment over real HTTP (a listening server, two concurrent requests, the real sandbox and patch
 * engine). Take-offs on one workspace are serialised and V4's workspace-hash check runs under that
 * lock: exactly one take-off completes, the other fails WORKSPACE_CHANGED, and the workspace holds
 * exactly the winner's change — never both, never a silently overwritten approved change.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, modifyDiff, startApi, type Api } from './helpers.js';
import { propose, type Details } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function approve(a: Api, wf: Details): Promise<void> {
  const [pending] = wf.pending_approvals;
  const ok = await call(a.app, 'POST', `/api/approvals/${pending?.approval_id}`, {
    token: a.tokens.approver,
    body: { approved: true, reason: 'ok', plan_token_hash: wf.plan_token_hash },
  });
  expect(ok.statusCode, ok.body).toBe(200);
}

interface Outcome extends Details {
  failure?: string;
}

describe('concurrent take-offs on one workspace (B1)', () => {
  it('B1 / ORCH-4, ORCH-12: of two concurrent HTTP take-offs exactly one completes, the other fails WORKSPACE_CHANGED; the workspace holds only the winner', async () => {
    api = await startApi({ 'a.txt': 'one\n', 'b.txt': 'one\n' });
    const wfA = await propose(api, {
      input: { config: { patch: modifyDiff('a.txt', 'one', 'two') }, context: {} },
    });
    const wfB = await propose(api, {
      input: { config: { patch: modifyDiff('b.txt', 'one', 'two') }, context: {} },
    });
    await approve(api, wfA);
    await approve(api, wfB);
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const address = api.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const base = `http://127.0.0.1:${address.port}`;
    const takeoff = async (id: string): Promise<Outcome> => {
      const res = await fetch(`${base}/api/workflows/${id}/takeoff`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api?.tokens.operator ?? ''}` },
      });
      const body = (await res.json()) as Outcome;
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };
    const outcomes = await Promise.all([takeoff(wfA.workflow_id), takeoff(wfB.workflow_id)]);
    const states = outcomes.map((o) => o.state).sort();
    expect(states).toEqual(['COMPLETED', 'FAILED']);
    const winner = outcomes.find((o) => o.state === 'COMPLETED');
    const loser = outcomes.find((o) => o.state === 'FAILED');
    expect(loser?.failure).toMatch(/^WORKSPACE_CHANGED/);
    // The loser's refusal is also a BLOCKED run artifact with that code.
    const runs = api.runtime.runs
      .list({ workflowId: loser?.workflow_id ?? '' })
      .filter((r) => r.kind === 'takeoff');
    expect(runs.map((r) => r.status)).toEqual(['BLOCKED']);
    const run = await api.runtime.runs.get(runs[0]?.run_id ?? '');
    expect(run.code).toBe('WORKSPACE_CHANGED');
    const a = await readFile(join(api.workspace, 'a.txt'), 'utf8');
    const b = await readFile(join(api.workspace, 'b.txt'), 'utf8');
    if (winner?.workflow_id === wfA.workflow_id) {
      expect([a, b]).toEqual(['two\n', 'one\n']);
    } else {
      expect([a, b]).toEqual(['one\n', 'two\n']);
    }
  }, 120_000);
});
