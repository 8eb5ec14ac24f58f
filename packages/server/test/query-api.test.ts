/**
 * I11-4: the server reads through the authority's query API, never a store. A server built over
 * a runtime whose `home` and `runs` throw on any touch answers every read route — audit pages,
 * checkpoints, proofs, runs, blobs, artifact listings, a workflow's events, the caller — exactly
 * as the server over the ordinary runtime does.
 */
import type { AuthorityRuntime } from '@clearance/authority';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';
import { call, startApi, type Api } from './helpers.js';
import { propose } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** An object every property access of which fails the test. */
function fenced(name: string): never {
  return new Proxy(
    {},
    {
      get: (_t, key) => {
        throw new Error(`the server touched runtime.${name}.${String(key)}`);
      },
    },
  ) as never;
}

describe('I11-4: the server reads through AuthorityQueries', () => {
  it('I11-4: every read route answers the same with runtime.home and runtime.runs fenced off', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const wf = await propose(a);
    const id = wf.workflow_id;
    const approval = wf.pending_approvals[0]?.approval_id ?? '';
    const ok = await call(a.app, 'POST', `/api/approvals/${approval}`, {
      token: a.tokens.approver,
      body: { approved: true, reason: 'fine', plan_token_hash: wf.plan_token_hash },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const listing = await call(a.app, 'GET', `/api/workflows/${id}/artifacts`, {
      token: a.tokens.auditor,
    });
    const set = listing.json<{ artifact_set: string }>().artifact_set;
    const runs = await call(a.app, 'GET', `/api/runs?workflow_id=${id}`, {
      token: a.tokens.auditor,
    });
    const runId = runs.json<{ runs: { run_id: string }[] }>().runs[0]?.run_id ?? '';
    expect(runId).toMatch(/^run_/);

    const runtime: AuthorityRuntime = { ...a.runtime, home: fenced('home'), runs: fenced('runs') };
    const app = createServer(runtime);
    await app.ready();
    try {
      const reads = [
        '/api/me',
        '/api/audit/events?from=0&limit=5',
        `/api/audit/events?workflow_id=${id}`,
        '/api/audit/checkpoints',
        '/api/audit/proof/1',
        '/api/audit/consistency?from=1&to=3',
        '/api/runs',
        `/api/runs/${runId}`,
        `/api/cas/${set}`,
        `/api/workflows/${id}/artifacts`,
        `/api/workflows/${id}/events`,
      ];
      for (const url of reads) {
        for (const token of [a.tokens.auditor, a.tokens.agent]) {
          const expected = await call(a.app, 'GET', url, { token });
          const answer = await call(app, 'GET', url, { token });
          expect(answer.statusCode, `${url}: ${answer.body}`).toBe(expected.statusCode);
          expect(answer.body, url).toBe(expected.body);
        }
      }
      expect(
        (await call(app, 'GET', `/api/cas/${set}`, { token: a.tokens.auditor })).statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });
});
