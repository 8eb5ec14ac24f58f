/**
 * The API the console needs (issue 5): who am I, a workflow's audit events, filtered audit pages,
 * server-side audit verification, live feasibility of a whole job, and the console's static files
 * with a strict Content-Security-Policy.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';
import { rosetteJob } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const JOB = rosetteJob();

describe('console API', () => {
  it('GET /api/me names the caller and roles; no token is 401', async () => {
    api = await startApi({});
    const res = await call(api.app, 'GET', '/api/me', { token: api.tokens.approver });
    expect(bodyOf(res)).toEqual({
      name: 'alice',
      roles: ['approver'],
      signature_required_roles: [],
    });
    expectProblem(await call(api.app, 'GET', '/api/me'), 'AUTH_REQUIRED');
  });

  it("a workflow's events and filtered audit pages", async () => {
    api = await startApi({});
    const created = await call(api.app, 'POST', '/api/rmos/jobs', {
      token: api.tokens.agent,
      body: { job: JOB },
    });
    const id = (bodyOf(created)['workflow'] as { workflow_id: string }).workflow_id;
    const res = await call(api.app, 'GET', `/api/workflows/${id}/events`, {
      token: api.tokens.auditor,
    });
    const events = bodyOf(res)['events'] as {
      event_type: string;
      workflow?: { workflow_id: string };
    }[];
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.workflow?.workflow_id === id)).toBe(true);
    expect(events.some((e) => e.event_type === 'policy_result')).toBe(true);
    const page = bodyOf(
      await call(api.app, 'GET', `/api/audit/events?event_type=policy_result&limit=2`, {
        token: api.tokens.auditor,
      }),
    );
    expect((page['events'] as unknown[]).length).toBe(2);
    expect(page['indices']).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(typeof page['next']).toBe('number');
    expectProblem(
      await call(api.app, 'GET', '/api/workflows/wf-missing/events', { token: api.tokens.auditor }),
      'WORKFLOW_NOT_FOUND',
    );
  });

  it('POST /api/audit/verify verifies the log, and finds a break', async () => {
    api = await startApi({});
    const ok = bodyOf(
      await call(api.app, 'POST', '/api/audit/verify', { token: api.tokens.auditor, body: {} }),
    );
    expect(ok).toMatchObject({ ok: true, signatures_checked: true });
    expect(ok['events']).toBeGreaterThan(0);
    const log = join(api.homeDir, 'audit', 'events.jsonl');
    const text = await readFile(log, 'utf8');
    await writeFile(log, text.replace('"severity":"info"', '"severity":"warning"'));
    const broken = bodyOf(
      await call(api.app, 'POST', '/api/audit/verify', { token: api.tokens.auditor, body: {} }),
    );
    expect(broken).toMatchObject({ ok: false, break: { index: expect.any(Number) } });
  });

  it('POST /api/rmos/feasibility {job}: the job as preflight will judge it; bad jobs are 422', async () => {
    api = await startApi({});
    const res = await call(api.app, 'POST', '/api/rmos/feasibility', {
      token: api.tokens.agent,
      body: { job: { ...JOB, risk_level: 'RED' }, safety: 'x' },
    });
    expect(bodyOf(res)).toMatchObject({
      risk_level: 'GREEN',
      stripped: ['$.safety', '$.job.risk_level'],
    });
    const red = await call(api.app, 'POST', '/api/rmos/feasibility', {
      token: api.tokens.agent,
      body: { job: rosetteJob({ final_depth: 8 }) },
    });
    expect(bodyOf(red)['risk_level']).toBe('RED');
    expectProblem(
      await call(api.app, 'POST', '/api/rmos/feasibility', {
        token: api.tokens.agent,
        body: { job: { ...JOB, operations: [] } },
      }),
      'CNC_JOB_INVALID',
    );
    expect(api.runtime.runs.list()).toEqual([]);
  });

  it('serves the console files with a strict CSP; a missing build is a plain 503', async () => {
    api = await startApi({});
    const dir = await mkdtemp(join(tmpdir(), 'clearance-console-'));
    try {
      await writeFile(join(dir, 'index.html'), '<!doctype html><script src="/app.js"></script>');
      await writeFile(join(dir, 'app.js'), 'console.log(1)');
      await chmod(dir, 0o755);
      const app = createServer(api.runtime, { consoleDir: dir });
      await app.ready();
      const index = await call(app, 'GET', '/');
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toMatch(/^text\/html/);
      expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(index.headers['content-security-policy']).toContain("script-src 'self'");
      expect((await call(app, 'GET', '/app.js')).headers['content-type']).toMatch(/javascript/);
      const css = await call(app, 'GET', '/app.css');
      expect(css.statusCode).toBe(503);
      expect((await call(app, 'GET', '/etc/passwd')).statusCode).toBe(404);
      await app.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
