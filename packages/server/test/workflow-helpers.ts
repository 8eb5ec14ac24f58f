/** Workflow helpers over HTTP for the flow tests. */
import { expect } from 'vitest';
import { call, modifyDiff, type Api } from './helpers.js';

export interface Pending {
  approval_id: string;
  plan_token_hash: string;
  required_role: string;
}
export interface Details {
  workflow_id: string;
  state: string;
  plan_token_hash: string;
  pending_approvals: Pending[];
  last_decision?: string;
  record: { current_state: string };
}

export async function propose(a: Api, extra: Record<string, unknown> = {}): Promise<Details> {
  const res = await call(a.app, 'POST', '/api/workflows', {
    token: a.tokens.agent,
    body: {
      engine: 'patch',
      input: { config: { patch: modifyDiff('a.txt', 'one', 'two') }, context: {} },
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Details>();
}

export async function stateOf(a: Api, id: string): Promise<string> {
  const res = await call(a.app, 'GET', `/api/workflows/${id}`, { token: a.tokens.auditor });
  expect(res.statusCode).toBe(200);
  return res.json<Details>().state;
}

export async function runsOf(
  a: Api,
  id: string,
): Promise<{ run_id: string; status: string; kind: string }[]> {
  const res = await call(a.app, 'GET', `/api/runs?workflow_id=${id}`, { token: a.tokens.auditor });
  expect(res.statusCode).toBe(200);
  return res.json<{ runs: { run_id: string; status: string; kind: string }[] }>().runs;
}

/** The GREEN rosette job: the one shared CNC job fixture (test/support/cnc-job.ts). */
export { rosetteJob } from '../../../test/support/cnc-job.js';
