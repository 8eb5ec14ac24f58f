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

/** A GREEN rosette job (one 3 mm ring channel in maple) with optional cutting overrides. */
export function rosetteJob(cutting: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    units: 'mm',
    machine: 'grbl-desktop',
    tool: { type: 'flat', diameter: 3, flutes: 2, flute_length: 12, stickout: 20 },
    material: { id: 'maple', hardness: 'medium', thickness: 6, resinous: false },
    cutting: {
      stepover: 0.4,
      stepdown: 0.5,
      final_depth: 1.5,
      feed_xy: 800,
      feed_z: 200,
      rpm: 12000,
      safe_z: 5,
      climb: true,
      coolant: false,
      ...cutting,
    },
    operations: [
      { kind: 'rosette', cx: 100, cy: 100, rings: [{ inner_radius: 48.5, outer_radius: 51.5 }] },
    ],
    stock: { x: 0, y: 0, width: 200, length: 200 },
  };
}
