/**
 * I11-3 (reviewer R2; RMOS S4, G-35): the override reason's bounds moved into the server's schema.
 * Before issue 11 (708a094) the server let any 1–4000 character reason through and the authority
 * judged it in order — role first — recording every refused attempt as a BLOCKED override run.
 * An agent's override attempt with a short reason must still be answered FORBIDDEN and leave its
 * BLOCKED record: who tried to unlock a job must not depend on how long their reason was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';
import { rosetteJob } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('I11-3: a refused override is judged and recorded as before the refactor', () => {
  it('I11-3: an agent’s override with a short reason is FORBIDDEN and recorded as override:BLOCKED', async () => {
    api = await startApi({});
    const a = api;
    const res = await call(a.app, 'POST', '/api/rmos/jobs', {
      token: a.tokens.agent,
      body: { job: rosetteJob({ feed_xy: 600, feed_z: 650 }) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = (bodyOf(res) as { workflow: { workflow_id: string } }).workflow.workflow_id;
    const before = a.runtime.runs.list({ workflowId: id }).length;
    expectProblem(
      await call(a.app, 'POST', `/api/rmos/jobs/${id}/override`, {
        token: a.tokens.agent,
        body: { reason: 'ok' },
      }),
      'FORBIDDEN',
    );
    const after = a.runtime.runs.list({ workflowId: id });
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ kind: 'override', status: 'BLOCKED' });
  });
});
