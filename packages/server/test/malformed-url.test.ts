/**
 * Issue 10 item 13: a malformed URL answers problem+json with a stable code and, on the approval
 * routes, is recorded like any other malformed approval (G-35, APR-*, AUD-10); host paths are not
 * shown to agents in any API answer (SEC-3).
 */
import { realpath } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { hidePaths } from '../src/routes/host-paths.js';
import { call, expectProblem, startApi, type Api } from './helpers.js';
import { rosetteJob } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('item 13: malformed URLs', () => {
  it('item 13 (G-35): bad percent-encoding and over-long ids answer problem+json VALIDATION_FAILED; approval attempts are recorded', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const before = a.runtime.runs.list().length;
    for (const url of ['/api/approvals/%E0%A4%A', `/api/approvals/${'a'.repeat(300)}`]) {
      const res = await call(a.app, 'POST', url, {
        token: a.tokens.approver,
        body: { approved: true },
      });
      const body = expectProblem(res, 'VALIDATION_FAILED');
      expect(body['run_id'], url.slice(0, 30)).toMatch(/^run_/);
      const run = a.runtime.runs.list().find((r) => r.run_id === body['run_id']);
      expect(run).toMatchObject({ kind: 'approval', status: 'ERROR' });
      const stored = await a.runtime.runs.get(String(body['run_id']));
      expect(stored.actor).toBe('alice');
    }
    // Anonymous attempts are recorded too (actor unknown).
    const anon = expectProblem(
      await call(a.app, 'POST', '/api/approvals/%E0%A4%A', { body: { approved: true } }),
      'VALIDATION_FAILED',
    );
    expect((await a.runtime.runs.get(String(anon['run_id']))).actor).toBeNull();
    expect(a.runtime.runs.list().length).toBe(before + 3);
    const events = await a.runtime.home.audit.read(0, a.runtime.home.audit.size);
    expect(
      events.filter((e) => e.message?.startsWith('malformed approval submission')).length,
    ).toBe(3);

    // Other routes: the same problem, nothing recorded.
    for (const url of ['/api/workflows/%E0%A4%A', `/api/workflows/${'b'.repeat(5000)}`]) {
      const res = await call(a.app, 'GET', url, { token: a.tokens.auditor });
      const body = expectProblem(res, 'VALIDATION_FAILED');
      expect(body['run_id']).toBeUndefined();
    }
    expect(a.runtime.runs.list().length).toBe(before + 3);
  });
});

describe('item 13: host paths are not shown to agents', () => {
  it('item 13 (SEC-3): hidePaths names the home, spool and workspaces', () => {
    const paths = [
      { path: '/srv/ws', name: '<workspace:demo>' },
      { path: '/root/.clearance/spool', name: '<spool>' },
      { path: '/root/.clearance', name: '<home>' },
    ];
    expect(
      hidePaths(
        'released to /root/.clearance/spool/j.nc from /srv/ws/a.txt (home /root/.clearance)',
        paths,
      ),
    ).toBe('released to <spool>/j.nc from <workspace:demo>/a.txt (home <home>)');
  });

  it('item 13 (SEC-3): a released cnc job shows the agent no spool, home or workspace path; the operator sees the spool path', async () => {
    api = await startApi({});
    const a = api;
    const res = await call(a.app, 'POST', '/api/rmos/jobs', {
      token: a.tokens.agent,
      body: {
        job: rosetteJob(),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ workflow: { workflow_id: string } }>().workflow.workflow_id;
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
    const hosts = [a.homeDir, a.spool, a.workspace, a.root];
    for (const p of [...hosts]) hosts.push(await realpath(p).catch(() => p));
    for (const url of [
      `/api/rmos/jobs/${id}`,
      `/api/workflows/${id}`,
      `/api/workflows/${id}/events`,
      `/api/workflows/${id}/artifacts`,
      `/api/runs?workflow_id=${id}`,
      '/api/audit/events?limit=500',
    ]) {
      const agent = await call(a.app, 'GET', url, { token: a.tokens.agent });
      expect(agent.statusCode, url).toBe(200);
      for (const h of hosts) expect(agent.body, `${url} shows ${h}`).not.toContain(h);
    }
    const job = await call(a.app, 'GET', `/api/rmos/jobs/${id}`, { token: a.tokens.agent });
    expect(job.json<{ release: { spool_path: string } }>().release.spool_path).toMatch(
      /^<spool>\//,
    );
    // Item 6: the proposing agent reads its released G-code; another agent gets 404.
    const gcodeUrl = job.json<{ release: { gcode_url: string } }>().release.gcode_url;
    expect((await call(a.app, 'GET', gcodeUrl, { token: a.tokens.agent })).statusCode).toBe(200);
    const other = (await a.runtime.home.addUser('agent-2', ['agent'], 'test')).token;
    expect((await call(a.app, 'GET', gcodeUrl, { token: other })).statusCode).toBe(404);
    const op = await call(a.app, 'GET', `/api/rmos/jobs/${id}`, { token: a.tokens.operator });
    expect(op.json<{ release: { spool_path: string } }>().release.spool_path).toContain(a.spool);
  });
});
