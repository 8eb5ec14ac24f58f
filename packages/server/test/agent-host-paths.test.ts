/**
 * Issue 10 item 13 (host paths are not shown to agents) through the store route: JSON answers are
 * filtered, but raw store bytes cannot be rewritten (they are content-addressed), so a blob an agent
 * may read must not carry a host path at all — e.g. the CNC release record names the spool file by
 * its absolute path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, type Api } from './helpers.js';
import { rosetteJob } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('item 13: no host path reaches an agent through the store (SEC-3)', () => {
  it('item 13 (SEC-3, AUD-7): every blob an agent may read of its released CNC job is free of host paths', async () => {
    api = await startApi({});
    const a = api;
    const proposed = await call(a.app, 'POST', '/api/rmos/jobs', {
      token: a.tokens.agent,
      body: { job: rosetteJob() },
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const id = proposed.json<{ workflow: { workflow_id: string } }>().workflow.workflow_id;
    const ok = await call(a.app, 'POST', '/api/workflow/approve', {
      token: a.tokens.approver,
      body: { workflow_id: id, note: 'checked' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const done = await call(a.app, 'POST', `/api/workflows/${id}/takeoff`, {
      token: a.tokens.operator,
      body: {},
    });
    expect(done.statusCode, done.body).toBe(200);

    // Every address the agent is shown: artifact records and runs (with their details).
    const listing = await call(a.app, 'GET', `/api/workflows/${id}/artifacts`, {
      token: a.tokens.agent,
    });
    expect(listing.statusCode, listing.body).toBe(200);
    const runs = await call(a.app, 'GET', `/api/runs?workflow_id=${id}`, { token: a.tokens.agent });
    expect(runs.statusCode, runs.body).toBe(200);
    const addresses = new Set<string>();
    for (const text of [listing.body, runs.body]) {
      for (const m of text.matchAll(/"([0-9a-f]{64})"/g))
        if (m[1] !== undefined) addresses.add(m[1]);
    }
    for (const r of runs.json<{ runs: { run_id: string }[] }>().runs) {
      const run = await call(a.app, 'GET', `/api/runs/${r.run_id}`, { token: a.tokens.agent });
      for (const m of run.body.matchAll(/"([0-9a-f]{64})"/g))
        if (m[1] !== undefined) addresses.add(m[1]);
    }
    let read = 0;
    for (const address of addresses) {
      const res = await call(a.app, 'GET', `/api/cas/${address}`, { token: a.tokens.agent });
      if (res.statusCode !== 200) continue;
      read += 1;
      const text = res.rawPayload.toString('utf8');
      expect(
        text.includes(a.root),
        `blob ${address} shows a host path: ${text.slice(0, 300)}`,
      ).toBe(false);
    }
    expect(read).toBeGreaterThan(3);
  });
});
