/**
 * Issue 10 item 6 (AUD-7): unknown and forbidden answer the same 404 — also on the workflow
 * actions. Another agent's re-plan, take-off, retry or override of a workflow it may not see must
 * not answer 403 where an unknown id answers 404 (an existence oracle), nor leave a record in it.
 */
import { OVERRIDE_REASON } from '@clearance/protocol/portable';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, type Api } from './helpers.js';
import { propose } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function problemOf(res: { statusCode: number; json: <T>() => T }): Record<string, unknown> {
  const { instance: _i, ...rest } = res.json<Record<string, unknown>>();
  return { status: res.statusCode, ...rest };
}

describe('item 6: workflow actions do not reveal other agents’ workflows (AUD-7)', () => {
  it('item 6 (AUD-7): another agent’s replan/takeoff/retry/override answer exactly as for an unknown workflow', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    const wf = await propose(a);
    const unknown = `wf-${'0'.repeat(32)}`;
    const eventsBefore = a.runtime.home.audit.size;
    const actions: [string, unknown][] = [
      ['replan', {}],
      ['takeoff', {}],
      ['retry', {}],
    ];
    for (const [action, body] of actions) {
      const hidden = await call(a.app, 'POST', `/api/workflows/${wf.workflow_id}/${action}`, {
        token: other,
        body,
      });
      const none = await call(a.app, 'POST', `/api/workflows/${unknown}/${action}`, {
        token: other,
        body,
      });
      expect(none.statusCode, none.body).toBe(404);
      expect(problemOf(hidden), action).toEqual(problemOf(none));
    }
    const hidden = await call(a.app, 'POST', `/api/rmos/jobs/${wf.workflow_id}/override`, {
      token: other,
      body: { reason: 'x'.repeat(OVERRIDE_REASON.min) },
    });
    const none = await call(a.app, 'POST', `/api/rmos/jobs/${unknown}/override`, {
      token: other,
      body: { reason: 'x'.repeat(OVERRIDE_REASON.min) },
    });
    expect(problemOf(hidden)).toEqual(problemOf(none));
    // Nothing was recorded in the hidden workflow either.
    expect(a.runtime.home.audit.size).toBe(eventsBefore);
    // The proposer itself still gets the role refusal of its own workflow.
    const own = await call(a.app, 'POST', `/api/workflows/${wf.workflow_id}/takeoff`, {
      token: a.tokens.agent,
      body: {},
    });
    expect(own.statusCode).toBe(403);
  });

  it('item 6 (AUD-7, G-35): POST /api/workflow/approve tells neither an anonymous caller nor another agent that a workflow exists; the attempt is still recorded', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    const wf = await propose(a);
    const unknown = `wf-${'0'.repeat(32)}`;
    const runsBefore = a.runtime.runs.list().length;
    for (const headers of [{}, { authorization: 'Bearer nope' }]) {
      const hidden = await call(a.app, 'POST', '/api/workflow/approve', {
        headers,
        body: { workflow_id: wf.workflow_id },
      });
      const none = await call(a.app, 'POST', '/api/workflow/approve', {
        headers,
        body: { workflow_id: unknown },
      });
      expect(none.statusCode).toBe(401);
      expect(problemOf(hidden)).toEqual(problemOf(none));
    }
    const hidden = await call(a.app, 'POST', '/api/workflow/approve', {
      token: other,
      body: { workflow_id: wf.workflow_id },
    });
    const none = await call(a.app, 'POST', '/api/workflow/approve', {
      token: other,
      body: { workflow_id: unknown },
    });
    expect(none.statusCode).toBe(404);
    expect(problemOf(hidden)).toEqual(problemOf(none));
    // Every attempt on the real workflow left its record (G-35), none changed it.
    expect(a.runtime.runs.list().length).toBe(runsBefore + 3);
    const state = await call(a.app, 'GET', `/api/workflows/${wf.workflow_id}`, {
      token: a.tokens.auditor,
    });
    expect(state.json<{ state: string }>().state).toBe('AWAITING_APPROVAL');
  });

  it('item 6 (AUD-7, G-35): another agent answering an approval id of a hidden workflow gets the unknown-id answer; the attempt is still recorded', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    const wf = await propose(a);
    const id = wf.pending_approvals[0]?.approval_id ?? '';
    const runsBefore = a.runtime.runs.list().length;
    const hidden = await call(a.app, 'POST', `/api/approvals/${id}`, {
      token: other,
      body: { approved: false },
    });
    const none = await call(a.app, 'POST', '/api/approvals/00000000-0000-4000-8000-000000000000', {
      token: other,
      body: { approved: false },
    });
    expect(none.statusCode).toBe(404);
    const strip = (r: typeof none) => {
      const { run_id: runId, ...rest } = problemOf(r);
      expect(runId).toMatch(/^run_/);
      return rest;
    };
    expect(strip(hidden)).toEqual(strip(none));
    expect(a.runtime.runs.list().length).toBe(runsBefore + 2);
  });
});
