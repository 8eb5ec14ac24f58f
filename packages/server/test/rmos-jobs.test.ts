/**
 * The RMOS jobs API over real HTTP handling (issue 4): a CNC job is a cnc workflow; the server
 * computes feasibility itself whatever the client claims; only an approved job releases G-code;
 * refusals leave run artifacts; agents can neither approve, override nor release. The released
 * G-code is parsed by an independent G-code parser and stays inside the machine envelope.
 */
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';
import { rosetteJob } from './workflow-helpers.js';

// gcode-parser (cncjs) is CommonJS without types: an independent reading of our output.
const gcodeParser = createRequire(import.meta.url)('gcode-parser') as {
  parseStringSync(text: string): { words: readonly (readonly [string, number])[] }[];
};

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const job = rosetteJob;

interface JobAnswer {
  workflow: { workflow_id: string; state: string; failure?: string };
  feasibility: { risk_level: string; hash: string; explanation: { rules: { id: string }[] } };
  release: null | { gcode_sha256: string; gcode_url: string; preview_svg: string };
  runs: { kind: string; status: string }[];
  stripped?: string[];
}

async function submit(a: Api, body: unknown, token = a.tokens.agent): Promise<JobAnswer> {
  const res = await call(a.app, 'POST', '/api/rmos/jobs', { token, body });
  expect(res.statusCode, res.body).toBe(201);
  return bodyOf(res) as unknown as JobAnswer;
}

async function show(a: Api, id: string): Promise<JobAnswer> {
  const res = await call(a.app, 'GET', `/api/rmos/jobs/${id}`, { token: a.tokens.auditor });
  expect(res.statusCode, res.body).toBe(200);
  return bodyOf(res) as unknown as JobAnswer;
}

describe('RMOS jobs API', () => {
  it('a client-claimed GREEN on RED parameters is stripped: RED, denied, no G-code', async () => {
    api = await startApi({});
    const claimed = {
      ...job({ final_depth: 8 }),
      feasibility: { risk_level: 'GREEN', score: 100 },
      safety: { risk_level: 'GREEN' },
      risk_level: 'GREEN',
    };
    const answer = await submit(api, { job: claimed, risk_level: 'GREEN', decision: 'allow' });
    expect(answer.feasibility.risk_level).toBe('RED');
    expect(answer.workflow.state).toBe('FAILED');
    expect(answer.release).toBeNull();
    expect(answer.stripped).toEqual([
      '$.risk_level',
      '$.decision',
      '$.job.feasibility',
      '$.job.safety',
      '$.job.risk_level',
    ]);
    const id = answer.workflow.workflow_id;
    const takeoff = await call(api.app, 'POST', `/api/workflows/${id}/takeoff`, {
      token: api.tokens.operator,
      body: {},
    });
    expectProblem(takeoff, 'TRANSITION_ILLEGAL');
    expect((await show(api, id)).runs).toEqual([
      expect.objectContaining({ kind: 'toolpaths', status: 'BLOCKED' }),
    ]);
    expect(await readdir(api.spool).catch(() => [])).toEqual([]);
  });

  it('GREEN: approve, release; G-code parsed independently lies inside the envelope and matches the job', async () => {
    api = await startApi({});
    const a = api;
    const answer = await submit(a, { job: job() });
    const id = answer.workflow.workflow_id;
    expect(answer.workflow.state).toBe('AWAITING_APPROVAL');
    expect(answer.feasibility.risk_level).toBe('GREEN');
    // Agents can neither approve nor release.
    expectProblem(
      await call(a.app, 'POST', '/api/workflow/approve', {
        token: a.tokens.agent,
        body: { workflow_id: id },
      }),
      'FORBIDDEN',
    );
    expectProblem(
      await call(a.app, 'POST', `/api/workflows/${id}/takeoff`, {
        token: a.tokens.agent,
        body: {},
      }),
      'FORBIDDEN',
    );
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
    const shown = await show(a, id);
    expect(shown.workflow.state).toBe('COMPLETED');
    const release = shown.release;
    expect(release?.gcode_url).toBe(`/api/cas/${release?.gcode_sha256}`);
    expect(release?.preview_svg).toMatch(/^<svg/);
    const g = await call(a.app, 'GET', release?.gcode_url ?? '', { token: a.tokens.auditor });
    expect(g.statusCode).toBe(200);
    const text = g.body;
    // Independent parser: collect the absolute motion bounds.
    const lines = gcodeParser.parseStringSync(text);
    let [x, y, z] = [0, 0, 0];
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    for (const line of lines) {
      for (const [letter, value] of line.words) {
        if (letter === 'X') x = value;
        if (letter === 'Y') y = value;
        if (letter === 'Z') z = value;
      }
      if (line.words.some(([l]) => l === 'X' || l === 'Y' || l === 'Z')) {
        xs.push(x);
        ys.push(y);
        zs.push(z);
      }
    }
    // Envelope of grbl-desktop: X/Y 0..400, Z −60..20.
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(400);
    expect(Math.min(...zs)).toBeCloseTo(-1.5, 6);
    expect(Math.max(...zs)).toBeLessThanOrEqual(20);
    // The tool centre runs on the ring's centre line: radius 50 about (100, 100); the half-circle
    // arcs end on the X axis of the centre.
    const cutting = xs.filter((_, i) => (zs[i] ?? 0) < 0);
    expect(Math.max(...cutting)).toBeCloseTo(150, 3);
    expect(Math.min(...cutting)).toBeCloseTo(50, 3);
    expect(await readdir(a.spool)).toHaveLength(1);
    const runs = await call(a.app, 'GET', `/api/runs?workflow_id=${id}&kind=toolpaths&status=OK`, {
      token: a.tokens.auditor,
    });
    expect((bodyOf(runs)['runs'] as unknown[]).length).toBe(1);
  });

  it('YELLOW: take-off refused without override; agents cannot override; a supervisor can', async () => {
    api = await startApi({});
    const a = api;
    const answer = await submit(a, { job: job({ feed_xy: 600, feed_z: 650 }) });
    const id = answer.workflow.workflow_id;
    expect(answer.feasibility.risk_level).toBe('YELLOW');
    expect(answer.workflow.state).toBe('FAILED');
    expectProblem(
      await call(a.app, 'POST', `/api/workflows/${id}/takeoff`, {
        token: a.tokens.operator,
        body: {},
      }),
      'TRANSITION_ILLEGAL',
    );
    const reason = 'plunge feed checked on the test piece';
    expectProblem(
      await call(a.app, 'POST', `/api/rmos/jobs/${id}/override`, {
        token: a.tokens.agent,
        body: { reason },
      }),
      'FORBIDDEN',
    );
    expectProblem(
      await call(a.app, 'POST', `/api/rmos/jobs/${id}/override`, {
        token: a.tokens.supervisor,
        body: { reason, risk_level: 'GREEN' },
      }),
      'VALIDATION_FAILED',
    );
    const ok = await call(a.app, 'POST', `/api/rmos/jobs/${id}/override`, {
      token: a.tokens.supervisor,
      body: { reason },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(bodyOf(ok)).toMatchObject({ scope: 'YELLOW', original_risk: 'YELLOW' });
    const again = await submit(a, { job: job({ feed_xy: 600, feed_z: 650 }) });
    expect(again.feasibility.risk_level).toBe('YELLOW');
    expect(again.workflow.state).toBe('AWAITING_APPROVAL');
    const shown = await show(a, id);
    expect(shown.runs.map((r) => `${r.kind}:${r.status}`)).toEqual([
      'toolpaths:BLOCKED',
      'override:BLOCKED',
      'override:OK',
    ]);
  });

  it('an invalid job is a 422 CNC_JOB_INVALID and records nothing; unknown ids are 404', async () => {
    api = await startApi({});
    const res = await call(api.app, 'POST', '/api/rmos/jobs', {
      token: api.tokens.agent,
      body: { job: { ...job(), operations: 'all of them' } },
    });
    expectProblem(res, 'CNC_JOB_INVALID');
    expect(api.runtime.runs.list()).toEqual([]);
    expectProblem(
      await call(api.app, 'GET', '/api/rmos/jobs/wf-nope', { token: api.tokens.auditor }),
      'WORKFLOW_NOT_FOUND',
    );
    expectProblem(await call(api.app, 'GET', '/api/rmos/jobs/wf-x', {}), 'AUTH_REQUIRED');
  });
});
