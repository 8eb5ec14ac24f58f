/**
 * Issue 10 U3 (APR-10, APR-11, AUD-9): unauthenticated amplification. Every approval attempt is
 * recorded, so 100 unauthenticated posts made 200 signed events and 100 run artifacts. Per-client
 * limits bound that; over the limit a request is answered 429 and the window is recorded as one
 * aggregated event. A signed-in approver has a budget of their own. POST /api/audit/verify runs in
 * a worker and only for auditor/admin.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RATE_LIMITS } from '@clearance/authority';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter, refusedWindowMessage, type RefusedWindow } from '../src/rate-limit.js';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';
import { propose, stateOf } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('U3: per-client rate limits (APR-10, APR-11, AUD-9)', () => {
  it('U3: 100 unauthenticated approval posts record at most 60 attempts (120 events, 60 run artifacts) plus ONE aggregated event; 40 get 429 (APR-10, AUD-9)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const wf = await propose(a);
    const id = wf.pending_approvals[0]?.approval_id ?? '';
    const audit = a.runtime.home.audit;
    const eventsBefore = audit.size;
    const runsBefore = a.runtime.runs.list().length;
    const limit = DEFAULT_RATE_LIMITS.unauthenticated; // 60 per minute per address

    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(a.app, 'POST', `/api/approvals/${id}`, { body: { approved: false } }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - limit);
    const limited = answers.find((r) => r.statusCode === 429);
    if (limited === undefined) throw new Error('no 429');
    expectProblem(limited, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Exactly the admitted attempts are recorded: two events and one run artifact each.
    expect(audit.size - eventsBefore).toBe(2 * limit);
    expect(a.runtime.runs.list().length - runsBefore).toBe(limit);

    // The approver is not locked out by the flood from the same address.
    const ok = await call(a.app, 'POST', `/api/approvals/${id}`, {
      token: a.tokens.approver,
      body: { approved: true },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await stateOf(a, wf.workflow_id)).not.toBe('AWAITING_APPROVAL');
    const afterApproval = audit.size;

    // Closing the server ends the window: ONE aggregated event for the 40 refusals.
    await a.app.close();
    expect(audit.size - afterApproval).toBe(1);
    const [event] = await audit.read(afterApproval, 1);
    expect(event).toMatchObject({ event_type: 'rate_limited', severity: 'warning' });
    expect(event?.message).toContain(`${100 - limit} requests refused`);
    expect(event?.message).toContain('unauthenticated client 127.0.0.1');
    expect(event?.message).toContain(`POST /api/approvals/:approval_id x${100 - limit}`);
  });

  it('U3 / item 13: unroutable approval URLs (bad percent-encoding) share the same limit: 100 posts record at most 60 attempts, 40 get 429 (APR-10, AUD-9)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const audit = a.runtime.home.audit;
    const eventsBefore = audit.size;
    const runsBefore = a.runtime.runs.list().length;
    const limit = DEFAULT_RATE_LIMITS.unauthenticated;
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(a.app, 'POST', '/api/approvals/%E0%A4%A', { body: { approved: true } }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 400)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - limit);
    // Two audit events per admitted attempt (the refusal and its run), nothing for the refused
    // ones (identical attempts in the same millisecond share one content-derived run artifact).
    expect(audit.size - eventsBefore).toBe(2 * limit);
    const runs = a.runtime.runs.list().length - runsBefore;
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThanOrEqual(limit);
    await a.app.close();
    const [event] = await audit.read(audit.size - 1, 1);
    expect(event).toMatchObject({ event_type: 'rate_limited' });
    expect(event?.message).toContain(`POST (unroutable URL) x${100 - limit}`);
  });

  it('U3: an approver gets through while an attacker floods from the same address (APR-11)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const wf = await propose(a);
    const id = wf.pending_approvals[0]?.approval_id ?? '';
    const flood = Array.from({ length: 80 }, () =>
      call(a.app, 'POST', `/api/approvals/${id}`, {
        token: 'clr_not-a-token',
        body: { approved: false },
      }),
    );
    const approver = call(a.app, 'POST', `/api/approvals/${id}`, {
      token: a.tokens.approver,
      body: { approved: true },
    });
    const [mine, ...theirs] = await Promise.all([approver, ...flood]);
    expect(mine?.statusCode, mine?.body).toBe(200);
    // Failed-auth requests share the unauthenticated budget.
    expect(theirs.filter((r) => r.statusCode === 429)).toHaveLength(
      80 - DEFAULT_RATE_LIMITS.unauthenticated,
    );
  });

  it('U3: limits come from config server.rate_limits; authenticated callers have their own budget (APR-11)', async () => {
    api = await startApi({ 'a.txt': 'one\n' });
    const a = api;
    const config = JSON.parse(await readFile(join(a.homeDir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      join(a.homeDir, 'config.json'),
      JSON.stringify({
        ...config,
        server: { rate_limits: { window_ms: 60_000, unauthenticated: 2, authenticated: 3 } },
      }),
    );
    const { createServer } = await import('../src/server.js');
    const { loadConfig, configPath } = await import('@clearance/authority');
    const limits = (await loadConfig(configPath(a.homeDir))).server.rateLimits;
    expect(limits).toEqual({ windowMs: 60_000, unauthenticated: 2, authenticated: 3 });
    const app = createServer(a.runtime, {
      ...(limits === undefined ? {} : { rateLimits: limits }),
    });
    try {
      const anon = [];
      for (let i = 0; i < 3; i++) anon.push((await call(app, 'GET', '/api/me')).statusCode);
      expect(anon).toEqual([401, 401, 429]);
      const signedIn = [];
      for (let i = 0; i < 4; i++) {
        signedIn.push((await call(app, 'GET', '/api/me', { token: a.tokens.auditor })).statusCode);
      }
      expect(signedIn).toEqual([200, 200, 200, 429]);
      // Another user at the same address has a budget of their own.
      expect((await call(app, 'GET', '/api/me', { token: a.tokens.approver })).statusCode).toBe(
        200,
      );
      // Public routes are not counted.
      expect((await call(app, 'GET', '/api/health')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('U3: the rate limiter core (AUD-9)', () => {
  it('U3: fixed windows per client; one report per window that refused, none for a clean one (AUD-9)', () => {
    let now = 1_000_000;
    const reports: RefusedWindow[] = [];
    const limiter = new RateLimiter(
      { windowMs: 1000, unauthenticated: 2, authenticated: 5 },
      () => now,
      (w) => reports.push(w),
    );
    const anon = { address: '10.0.0.1' };
    expect(limiter.take(anon, 'POST /x').ok).toBe(true);
    expect(limiter.take(anon, 'POST /x').ok).toBe(true);
    now += 400;
    expect(limiter.take(anon, 'POST /x')).toEqual({ ok: false, retryAfterMs: 600, limit: 2 });
    expect(limiter.take(anon, 'GET /y').ok).toBe(false);
    expect(limiter.take({ address: '10.0.0.2' }, 'POST /x').ok).toBe(true);
    expect(limiter.take({ address: '10.0.0.1', user: 'alice' }, 'POST /x').ok).toBe(true);
    expect(reports).toHaveLength(0);
    now += 600; // the window is over: the next request opens a new one and reports the old
    expect(limiter.take(anon, 'POST /x').ok).toBe(true);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ refused: 2, admitted: 2, limit: 2, client: anon });
    expect(refusedWindowMessage(reports[0] as RefusedWindow)).toContain('GET /y x1, POST /x x1');
    now += 5000;
    limiter.sweep(); // windows without refusals end silently
    expect(reports).toHaveLength(1);
  });
});

describe('U3: POST /api/audit/verify (APR-11)', () => {
  it('U3: refused for an agent, an approver and an operator; works for an auditor and an admin (APR-11)', async () => {
    api = await startApi({});
    for (const role of ['agent', 'approver', 'operator'] as const) {
      expectProblem(
        await call(api.app, 'POST', '/api/audit/verify', { token: api.tokens[role], body: {} }),
        'FORBIDDEN',
      );
    }
    for (const role of ['auditor', 'admin'] as const) {
      const res = await call(api.app, 'POST', '/api/audit/verify', {
        token: api.tokens[role],
        body: {},
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(bodyOf(res)).toMatchObject({ ok: true, signatures_checked: true });
    }
  });

  it('U3: verification runs in a worker: the event loop stays mostly idle while it works (APR-11)', async () => {
    api = await startApi({});
    const a = api;
    // Thousands of signed events make the whole-log verification take a while.
    await Promise.all(
      Array.from({ length: 5000 }, (_, i) =>
        a.runtime.home.audit.append({
          event_type: 'state_transition',
          workflow_state: 'NONE',
          message: `filler ${i}`,
        }),
      ),
    );
    const start = performance.eventLoopUtilization();
    try {
      const res = await call(a.app, 'POST', '/api/audit/verify', {
        token: a.tokens.auditor,
        body: {},
      });
      expect(bodyOf(res)).toMatchObject({ ok: true });
      // On the event loop the verification would leave no room for the timer at all.
      // On the event loop the verification keeps it busy throughout (utilisation ~1); in a
      // worker the loop mostly waits.
      expect(performance.eventLoopUtilization(start).utilization).toBeLessThan(0.5);
    } finally {
      // nothing to release: the worker has exited when the answer came
    }
  });
});
