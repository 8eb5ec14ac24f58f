/**
 * Issue 10 item 6 (STORE-READ; AUD-7, SEC-3): store, run, workflow and audit reads answer only
 * callers who may see a workflow that references them. An agent sees its own workflows; the
 * other roles see all; unknown and forbidden answer the same 404.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, type Api } from './helpers.js';
import { propose } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

interface Listing {
  artifact_set: string | null;
  artifacts: { meta?: { address: string }; body?: { address: string } | null }[];
}

/** The problem body without `instance` (which echoes the requested path). */
function problemOf(res: { statusCode: number; json: <T>() => T }): Record<string, unknown> {
  const { instance: _i, ...rest } = res.json<Record<string, unknown>>();
  return { status: res.statusCode, ...rest };
}

describe('item 6: store and record reads are authorised (STORE-READ, AUD-7)', () => {
  it('item 6 (AUD-7, SEC-3): another agent gets the same 404 for a blob, run, workflow and its events as for unknown ones', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    const wf = await propose(a);
    const id = wf.workflow_id;
    const pending = wf.pending_approvals[0];
    // An approval attempt makes a run artifact of the workflow.
    const ok = await call(a.app, 'POST', `/api/approvals/${pending?.approval_id}`, {
      token: a.tokens.approver,
      body: { approved: true, reason: 'fine', plan_token_hash: wf.plan_token_hash },
    });
    expect(ok.statusCode, ok.body).toBe(200);

    const listing = await call(a.app, 'GET', `/api/workflows/${id}/artifacts`, {
      token: a.tokens.agent,
    });
    expect(listing.statusCode, listing.body).toBe(200);
    const l = listing.json<Listing>();
    const body = l.artifacts.find((x) => x.body !== undefined && x.body !== null)?.body?.address;
    const blobs = [l.artifact_set, body].filter((x): x is string => typeof x === 'string');
    expect(blobs.length).toBe(2);
    const runs = await call(a.app, 'GET', `/api/runs?workflow_id=${id}`, {
      token: a.tokens.auditor,
    });
    const runId = runs.json<{ runs: { run_id: string }[] }>().runs[0]?.run_id ?? '';
    expect(runId).toMatch(/^run_/);

    // The proposer and every see-all role read them.
    for (const token of [
      a.tokens.agent,
      a.tokens.auditor,
      a.tokens.operator,
      a.tokens.approver,
      a.tokens.admin,
      a.tokens.supervisor,
    ]) {
      for (const blob of blobs) {
        expect((await call(a.app, 'GET', `/api/cas/${blob}`, { token })).statusCode).toBe(200);
      }
      expect((await call(a.app, 'GET', `/api/runs/${runId}`, { token })).statusCode).toBe(200);
      expect((await call(a.app, 'GET', `/api/workflows/${id}`, { token })).statusCode).toBe(200);
    }

    // Another agent: exactly what an unknown address / id gets.
    const unknownBlob = await call(a.app, 'GET', `/api/cas/${'0'.repeat(64)}`, { token: other });
    expect(unknownBlob.statusCode).toBe(404);
    for (const blob of blobs) {
      const res = await call(a.app, 'GET', `/api/cas/${blob}`, { token: other });
      expect(problemOf(res)).toEqual(problemOf(unknownBlob));
    }
    const unknownRun = await call(a.app, 'GET', `/api/runs/run_${'0'.repeat(32)}`, {
      token: other,
    });
    expect(unknownRun.statusCode).toBe(404);
    expect(problemOf(await call(a.app, 'GET', `/api/runs/${runId}`, { token: other }))).toEqual(
      problemOf(unknownRun),
    );
    const ghost = 'wf-' + '0'.repeat(32);
    for (const suffix of ['', '/artifacts', '/events']) {
      const unknown = await call(a.app, 'GET', `/api/workflows/${ghost}${suffix}`, {
        token: other,
      });
      expect(unknown.statusCode, suffix).toBe(404);
      const hidden = await call(a.app, 'GET', `/api/workflows/${id}${suffix}`, { token: other });
      expect(problemOf(hidden), suffix).toEqual(problemOf(unknown));
    }
    const job = await call(a.app, 'GET', `/api/rmos/jobs/${id}`, { token: other });
    const noJob = await call(a.app, 'GET', `/api/rmos/jobs/${ghost}`, { token: other });
    expect(problemOf(job)).toEqual(problemOf(noJob));
  });

  it('item 6 (AUD-7): listings show an agent only its own workflows, runs and events', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    const wf = await propose(a);
    const id = wf.workflow_id;
    await call(a.app, 'POST', `/api/approvals/${wf.pending_approvals[0]?.approval_id}`, {
      token: a.tokens.approver,
      body: { approved: false, reason: 'no', plan_token_hash: wf.plan_token_hash },
    });
    const ids = async (token: string) =>
      (await call(a.app, 'GET', '/api/workflows', { token }))
        .json<{ workflows: { workflow_id: string }[] }>()
        .workflows.map((w) => w.workflow_id);
    expect(await ids(a.tokens.agent)).toEqual([id]);
    expect(await ids(a.tokens.auditor)).toEqual([id]);
    expect(await ids(other)).toEqual([]);

    const runs = async (token: string) =>
      (await call(a.app, 'GET', '/api/runs', { token })).json<{ runs: unknown[] }>().runs.length;
    expect(await runs(a.tokens.auditor)).toBeGreaterThan(0);
    expect(await runs(a.tokens.agent)).toBe(await runs(a.tokens.auditor));
    expect(await runs(other)).toBe(0);

    type Page = { events: { workflow?: { workflow_id: string } }[] };
    const events = async (token: string, query = '') =>
      (await call(a.app, 'GET', `/api/audit/events?limit=500${query}`, { token })).json<Page>()
        .events;
    const all = await events(a.tokens.auditor);
    expect(all.some((e) => e.workflow?.workflow_id === id)).toBe(true);
    // System events (no workflow) are for the see-all roles only.
    expect(all.some((e) => e.workflow === undefined)).toBe(true);
    const mine = await events(a.tokens.agent);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.workflow?.workflow_id === id)).toBe(true);
    expect(await events(other)).toEqual([]);
    expect(await events(other, `&workflow_id=${id}`)).toEqual([]);
  });

  it("item 6 (AUD-7): pasting another workflow's blob address into a proposal does not open it", async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    const wf = await propose(a);
    const listing = await call(a.app, 'GET', `/api/workflows/${wf.workflow_id}/artifacts`, {
      token: a.tokens.agent,
    });
    const target = listing.json<Listing>().artifact_set ?? '';
    expect(target).toMatch(/^[0-9a-f]{64}$/);
    const mine = await call(a.app, 'POST', '/api/workflows', {
      token: other,
      body: {
        engine: 'patch',
        input: { config: { patch: '' }, context: { see: target, also: [target] } },
      },
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const res = await call(a.app, 'GET', `/api/cas/${target}`, { token: other });
    expect(res.statusCode).toBe(404);
  });
});
