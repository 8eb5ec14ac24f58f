/**
 * Refusals over HTTP: approval binding (§4.2.7 with G-35), take-off outside READY_FOR_TAKEOFF
 * (S-27), re-plan superseding requests (S-10) and operator retry.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, call, expectProblem, modifyDiff, startApi, type Api } from './helpers.js';
import { propose, runsOf, stateOf, type Details } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('approval refusals', () => {
  it('an agent cannot approve: 403, still AWAITING_APPROVAL, a BLOCKED run artifact', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const id = wf.pending_approvals[0]?.approval_id;
    const res = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.agent,
      body: { approved: true },
    });
    const p = expectProblem(res, 'FORBIDDEN');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    const runs = await runsOf(api, wf.workflow_id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'BLOCKED', kind: 'approval', run_id: p['run_id'] });
  });

  it('an unauthenticated or bad-token approval: 401, state unchanged, an ERROR run artifact each', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const id = wf.pending_approvals[0]?.approval_id;
    const anon = await call(api.app, 'POST', `/api/approvals/${id}`, { body: { approved: false } });
    const p1 = expectProblem(anon, 'AUTH_REQUIRED');
    const forged = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: 'clr_forged',
      body: { approved: false, approver: 'alice' },
    });
    const p2 = expectProblem(forged, 'AUTH_REQUIRED');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    const runs = await runsOf(api, wf.workflow_id);
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([
      [p1['run_id'], 'ERROR'],
      [p2['run_id'], 'ERROR'],
    ]);
    // The approval is still answerable by the approver.
    const ok = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a malformed approval body: 400 VALIDATION_FAILED, an ERROR run artifact, state unchanged', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const id = wf.pending_approvals[0]?.approval_id;
    const res = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: 'yes', extra: 1 },
    });
    const p = expectProblem(res, 'VALIDATION_FAILED');
    expect(typeof p['run_id']).toBe('string');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    const runs = await runsOf(api, wf.workflow_id);
    expect(runs).toEqual([expect.objectContaining({ run_id: p['run_id'], status: 'ERROR' })]);
  });

  it('an unparsable approval body (duplicate key) is recorded too: 400 JSON_DUPLICATE_KEY with run_id', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const id = wf.pending_approvals[0]?.approval_id ?? '';
    const res = await api.app.inject({
      method: 'POST',
      url: `/api/approvals/${id}`,
      headers: {
        authorization: `Bearer ${api.tokens.approver}`,
        'content-type': 'application/json',
      },
      payload: '{"approved":false,"approved":true}',
    });
    const p = expectProblem(res, 'JSON_DUPLICATE_KEY');
    expect(typeof p['run_id']).toBe('string');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    const runs = await runsOf(api, wf.workflow_id);
    expect(runs).toEqual([expect.objectContaining({ run_id: p['run_id'], status: 'ERROR' })]);
  });

  it('a second approval of the same request is 409 APPROVAL_NOT_PENDING', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const id = wf.pending_approvals[0]?.approval_id;
    const first = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true },
    });
    expect(first.statusCode, first.body).toBe(200);
    const again = await call(api.app, 'POST', `/api/approvals/${id}`, {
      token: api.tokens.approver,
      body: { approved: true },
    });
    expectProblem(again, 'APPROVAL_NOT_PENDING');
    expect(await stateOf(api, wf.workflow_id)).toBe('READY_FOR_TAKEOFF');
    expect((await runsOf(api, wf.workflow_id)).map((r) => r.status)).toEqual(['OK', 'BLOCKED']);
  });

  it('the proposer approving their own workflow is refused and fails it (authenticated, §4.2.7)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    // A proposer who holds the required role: their own answer fails the workflow.
    const { token } = await api.runtime.home.addUser('owen', ['approver', 'operator'], 'test');
    const res = await call(api.app, 'POST', '/api/workflows', {
      token,
      body: { engine: 'patch', input: { config: { patch: modifyDiff('a.txt', 'one', 'two') } } },
    });
    const wf = res.json<Details>();
    const own = await call(
      api.app,
      'POST',
      `/api/approvals/${wf.pending_approvals[0]?.approval_id}`,
      { token, body: { approved: true } },
    );
    expectProblem(own, 'APPROVAL_BY_PROPOSER');
    expect(await stateOf(api, wf.workflow_id)).toBe('FAILED');
  });

  it('U2 G-35: a proposer without the required role is refused (403) and cannot kill the workflow', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const res = await call(api.app, 'POST', '/api/workflows', {
      token: api.tokens.operator,
      body: { engine: 'patch', input: { config: { patch: modifyDiff('a.txt', 'one', 'two') } } },
    });
    const wf = res.json<Details>();
    const own = await call(
      api.app,
      'POST',
      `/api/approvals/${wf.pending_approvals[0]?.approval_id}`,
      {
        token: api.tokens.operator,
        body: { approved: false, plan_token_hash: 'f'.repeat(64) },
      },
    );
    expectProblem(own, 'APPROVAL_ROLE_MISSING');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    expect((await runsOf(api, wf.workflow_id)).map((r) => r.status)).toEqual(['BLOCKED']);
  });
});

describe('POST /api/workflow/approve and take-off refusals', () => {
  it('take-off while AWAITING_APPROVAL is 409 TRANSITION_ILLEGAL, state unchanged (S-27)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const res = await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/takeoff`, {
      token: api.tokens.operator,
    });
    expectProblem(res, 'TRANSITION_ILLEGAL');
    expect(await stateOf(api, wf.workflow_id)).toBe('AWAITING_APPROVAL');
    expect(await readFile(join(api.workspace, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('approves the single pending request by workflow id; an agent may not take off', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const anon = await call(api.app, 'POST', '/api/workflow/approve', {
      body: { workflow_id: wf.workflow_id, note: 'ok' },
    });
    expectProblem(anon, 'AUTH_REQUIRED');
    expect((await runsOf(api, wf.workflow_id)).map((r) => r.status)).toEqual(['ERROR']);
    const ok = await call(api.app, 'POST', '/api/workflow/approve', {
      token: api.tokens.approver,
      body: { workflow_id: wf.workflow_id, note: 'ship it', plan_token_hash: wf.plan_token_hash },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'OK', state: 'READY_FOR_TAKEOFF' });
    const run = await call(api.app, 'GET', `/api/runs/${bodyOf(ok)['run_id'] as string}`, {
      token: api.tokens.auditor,
    });
    expect(run.json()).toMatchObject({
      request: { reason: 'ship it', workflow_id: wf.workflow_id },
    });
    const again = await call(api.app, 'POST', '/api/workflow/approve', {
      token: api.tokens.approver,
      body: { workflow_id: wf.workflow_id },
    });
    expectProblem(again, 'APPROVAL_NOT_PENDING');
    // An anonymous caller learns nothing about the workflow from the refusal.
    expectProblem(
      await call(api.app, 'POST', '/api/workflow/approve', {
        body: { workflow_id: wf.workflow_id },
      }),
      'AUTH_REQUIRED',
    );

    expectProblem(
      await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/takeoff`, {
        token: api.tokens.agent,
      }),
      'FORBIDDEN',
    );
    expect(await stateOf(api, wf.workflow_id)).toBe('READY_FOR_TAKEOFF');
    expect(await readFile(join(api.workspace, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('a denied proposal (.env) ends FAILED and cannot take off', async () => {
    api = await startApi({ '.env': 'A=1\n' });
    const res = await call(api.app, 'POST', '/api/workflows', {
      token: api.tokens.agent,
      body: { engine: 'patch', input: { config: { patch: modifyDiff('.env', 'A=1', 'A=2') } } },
    });
    expect(res.statusCode).toBe(201);
    const wf = res.json<Details>();
    expect(wf).toMatchObject({ state: 'FAILED', last_decision: 'deny' });
    expectProblem(
      await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/takeoff`, {
        token: api.tokens.operator,
      }),
      'TRANSITION_ILLEGAL',
    );
  });

  it('re-plan supersedes the pending request; retry re-proposes a FAILED workflow (operator only)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const old = wf.pending_approvals[0]?.approval_id;
    const replanned = await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/replan`, {
      token: api.tokens.agent,
    });
    expect(replanned.statusCode, replanned.body).toBe(200);
    const after = replanned.json<Details>();
    expect(after.state).toBe('AWAITING_APPROVAL');
    expect(after.pending_approvals[0]?.approval_id).not.toBe(old);
    expectProblem(
      await call(api.app, 'POST', `/api/approvals/${old}`, {
        token: api.tokens.approver,
        body: { approved: true },
      }),
      'APPROVAL_NOT_PENDING',
    );
    const reject = await call(
      api.app,
      'POST',
      `/api/approvals/${after.pending_approvals[0]?.approval_id}`,
      {
        token: api.tokens.approver,
        body: { approved: false, reason: 'no' },
      },
    );
    expect(reject.json()).toMatchObject({ status: 'OK', state: 'FAILED' });
    expectProblem(
      await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/retry`, {
        token: api.tokens.agent,
      }),
      'FORBIDDEN',
    );
    const retried = await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/retry`, {
      token: api.tokens.operator,
    });
    expect(retried.statusCode, retried.body).toBe(200);
    const fresh = retried.json<Details>();
    expect(fresh.workflow_id).not.toBe(wf.workflow_id);
    expect(fresh.state).toBe('AWAITING_APPROVAL');
  });
});
