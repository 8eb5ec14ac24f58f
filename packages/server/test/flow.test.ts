/**
 * Whole workflows over HTTP through the real orchestrator, bubblewrap and the bundled patch engine:
 * propose as agent → approve as approver → take-off as operator (S-4), the artifact listing, and
 * the stripping of client-sent feasibility (RMOS S1).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hb } from '@clearance/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { call, modifyDiff, startApi, type Api } from './helpers.js';
import { propose, runsOf, type Details } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('the patch flow over HTTP (S-4)', () => {
  it('agent proposes, approver approves, operator takes off; the file changes', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    expect(wf.state).toBe('AWAITING_APPROVAL');
    expect(wf.last_decision).toBe('require_approval');
    expect(wf.record.current_state).toBe('AWAITING_APPROVAL');
    const [pending] = wf.pending_approvals;
    expect(pending).toMatchObject({
      required_role: 'approver',
      plan_token_hash: wf.plan_token_hash,
    });
    expect(await readFile(join(api.workspace, 'a.txt'), 'utf8')).toBe('one\n');

    const list = await call(api.app, 'GET', '/api/workflows?state=AWAITING_APPROVAL&engine=patch', {
      token: api.tokens.auditor,
    });
    expect(
      list.json<{ workflows: { workflow_id: string }[] }>().workflows.map((w) => w.workflow_id),
    ).toEqual([wf.workflow_id]);
    const none = await call(api.app, 'GET', '/api/workflows?proposer=someone-else', {
      token: api.tokens.auditor,
    });
    expect(none.json()).toEqual({ workflows: [] });

    const ok = await call(api.app, 'POST', `/api/approvals/${pending?.approval_id}`, {
      token: api.tokens.approver,
      body: { approved: true, reason: 'looks right', plan_token_hash: wf.plan_token_hash },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'OK',
      workflow_id: wf.workflow_id,
      state: 'READY_FOR_TAKEOFF',
    });

    const done = await call(api.app, 'POST', `/api/workflows/${wf.workflow_id}/takeoff`, {
      token: api.tokens.operator,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<Details>().state).toBe('COMPLETED');
    expect(await readFile(join(api.workspace, 'a.txt'), 'utf8')).toBe('two\n');

    // One OK run artifact for the approval, one for the take-off.
    const runs = await runsOf(api, wf.workflow_id);
    expect(runs.map((r) => r.status)).toEqual(['OK', 'OK']);
    const approvalRun = await call(api.app, 'GET', `/api/runs/${runs[0]?.run_id}`, {
      token: api.tokens.auditor,
    });
    expect(approvalRun.json()).toMatchObject({
      kind: 'approval',
      status: 'OK',
      actor: 'alice',
      plan_token_hash: wf.plan_token_hash,
    });
  });

  it('artifacts list the engine artifacts with CAS addresses whose bytes verify', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const wf = await propose(api);
    const res = await call(api.app, 'GET', `/api/workflows/${wf.workflow_id}/artifacts`, {
      token: api.tokens.auditor,
    });
    expect(res.statusCode, res.body).toBe(200);
    const listing = res.json<{
      artifact_set: string;
      plan_token_hash: string;
      artifacts: {
        artifact_id: string;
        artifact_type: string;
        meta?: { address: string; size: number };
      }[];
    }>();
    expect(listing.plan_token_hash).toBe(wf.plan_token_hash);
    const engine = listing.artifacts.filter((a) => a.meta !== undefined);
    expect(engine.length).toBeGreaterThan(0);
    expect(listing.artifacts.some((a) => a.artifact_type === 'cabincrew.plan-token')).toBe(true);
    for (const a of engine) {
      const blob = await call(api.app, 'GET', `/api/cas/${a.meta?.address}`, {
        token: api.tokens.agent,
      });
      expect(blob.statusCode).toBe(200);
      expect(blob.headers['content-type']).toBe('application/octet-stream');
      expect(blob.headers['x-content-type-options']).toBe('nosniff');
      expect(Hb(blob.rawPayload)).toBe(a.meta?.address);
      expect(blob.rawPayload.length).toBe(a.meta?.size);
    }
    const set = await call(api.app, 'GET', `/api/cas/${listing.artifact_set}`, {
      token: api.tokens.agent,
    });
    expect(Hb(set.rawPayload)).toBe(listing.artifact_set);
  });
});

describe('client-sent authority fields are stripped and recorded (RMOS S1)', () => {
  it('risk_level, feasibility and decision are removed, audited, and the workflow still runs', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const res = await call(api.app, 'POST', '/api/workflows', {
      token: api.tokens.agent,
      body: {
        engine: 'patch',
        risk_level: 'GREEN',
        decision: 'allow',
        input: {
          feasibility: { score: 100 },
          config: { patch: modifyDiff('a.txt', 'one', 'two'), decision: 'allow' },
          context: { risk_level: 'low', ticket: 'T-1' },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const wf = res.json<Details>();
    // The client's "allow" did not skip the approval the policy requires.
    expect(wf.state).toBe('AWAITING_APPROVAL');
    expect(wf.last_decision).toBe('require_approval');
    const events = await call(api.app, 'GET', '/api/audit/events?limit=500', {
      token: api.tokens.auditor,
    });
    const stripped = events
      .json<{
        events: { event_type: string; message?: string; workflow?: { workflow_id?: string } }[];
      }>()
      .events.filter((e) => e.event_type === 'client_feasibility_stripped');
    expect(stripped).toHaveLength(1);
    expect(stripped[0]?.workflow?.workflow_id).toBe(wf.workflow_id);
    for (const path of [
      '$.risk_level',
      '$.decision',
      '$.input.feasibility',
      '$.input.config.decision',
      '$.input.context.risk_level',
    ]) {
      expect(stripped[0]?.message).toContain(path);
    }
    // The stored request holds the cleaned input only.
    const request = await api.runtime.orchestrator.requestOf(wf.workflow_id);
    expect(request.config).not.toHaveProperty('decision');
    expect(request.context).toEqual({ ticket: 'T-1' });
    expect(request.stripped).toHaveLength(5);
  });
});
