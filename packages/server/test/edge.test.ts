/**
 * The edge of the API: authentication, strict JSON, schemas, problem+json, OpenAPI. No workflow
 * reaches the engine here unless a test says so.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_TABLE } from '@clearance/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await startApi({ 'a.txt': 'one\n' });
});
afterAll(async () => {
  await api.close();
});

describe('authentication', () => {
  it('a missing token is 401 AUTH_REQUIRED, a bad one 401 AUTH_INVALID', async () => {
    expectProblem(await call(api.app, 'GET', '/api/workflows'), 'AUTH_REQUIRED');
    expectProblem(
      await call(api.app, 'GET', '/api/workflows', { token: 'clr_not-a-real-token' }),
      'AUTH_INVALID',
    );
    expectProblem(
      await call(api.app, 'GET', '/api/workflows', { headers: { authorization: 'Basic YTpi' } }),
      'AUTH_INVALID',
    );
    // A real user's token in a malformed header (two spaces) is not accepted either.
    expectProblem(
      await call(api.app, 'GET', '/api/workflows', {
        headers: { authorization: `bearer  ${api.tokens.admin}` },
      }),
      'AUTH_INVALID',
    );
    // The scheme is case-insensitive (RFC 7235).
    const lower = await call(api.app, 'GET', '/api/workflows', {
      headers: { authorization: `bearer ${api.tokens.auditor}` },
    });
    expect(lower.statusCode).toBe(200);
    const ok = await call(api.app, 'GET', '/api/workflows', { token: api.tokens.auditor });
    expect(ok.statusCode).toBe(200);
    expect(bodyOf(ok)).toEqual({ workflows: [] });
  });

  it('authentication runs before the body is parsed or a workflow is created', async () => {
    const res = await call(api.app, 'POST', '/api/workflows', {
      raw: '{"engine":"patch","engine":1',
    });
    expectProblem(res, 'AUTH_REQUIRED');
    expect(await api.runtime.orchestrator.list()).toHaveLength(0);
  });

  it('a role that may not propose gets 403 FORBIDDEN (auditor, approver)', async () => {
    for (const role of ['auditor', 'approver'] as const) {
      const res = await call(api.app, 'POST', '/api/workflows', {
        token: api.tokens[role],
        body: { engine: 'patch', input: { config: { patch: '' } } },
      });
      expectProblem(res, 'FORBIDDEN');
    }
    expect(await api.runtime.orchestrator.list()).toHaveLength(0);
  });

  it('every read route needs a token', async () => {
    const sha = 'a'.repeat(64);
    for (const url of [
      '/api/workflows/wf-x',
      '/api/workflows/wf-x/artifacts',
      '/api/runs',
      '/api/runs/r-1',
      `/api/cas/${sha}`,
      '/api/audit/events',
      '/api/audit/checkpoints',
      '/api/audit/proof/0',
    ]) {
      expectProblem(await call(api.app, 'GET', url), 'AUTH_REQUIRED');
    }
    expectProblem(await call(api.app, 'POST', '/api/workflows/wf-x/takeoff'), 'AUTH_REQUIRED');
  });
});

describe('strict bodies', () => {
  const post = (raw: string, headers: Record<string, string> = {}) =>
    call(api.app, 'POST', '/api/workflows', { token: api.tokens.agent, raw, headers });

  it('a duplicate key is 400 JSON_DUPLICATE_KEY', async () => {
    expectProblem(await post('{"engine":"patch","engine":"other"}'), 'JSON_DUPLICATE_KEY');
  });

  it('a lone surrogate and an unsafe integer are refused with their codes', async () => {
    expectProblem(await post('{"engine":"\\ud800"}'), 'JSON_LONE_SURROGATE');
    expectProblem(
      await post('{"engine":"patch","input":{"config":{"n":9007199254740993}}}'),
      'JSON_NUMBER_OUT_OF_RANGE',
    );
    expectProblem(await post('{"engine":'), 'JSON_INVALID');
  });

  it('an unknown field is 400 VALIDATION_FAILED naming it; free-form config is allowed', async () => {
    const res = await post('{"engine":"patch","engin":"x"}');
    const p = expectProblem(res, 'VALIDATION_FAILED');
    expect(p['detail']).toContain('engin');
    const nested = expectProblem(
      await post('{"engine":"patch","input":{"config":{},"extra":1}}'),
      'VALIDATION_FAILED',
    );
    expect(nested['detail']).toContain('extra');
    const typed = expectProblem(await post('{"engine":7}'), 'VALIDATION_FAILED');
    expect(typed['detail']).toContain('body/engine');
    expect(await api.runtime.orchestrator.list()).toHaveLength(0);
  });

  it('take-off, re-plan and retry take no body or an empty object only', async () => {
    const url = `/api/workflows/wf-${'0'.repeat(32)}/takeoff`;
    const token = api.tokens.operator;
    const extra = expectProblem(
      await call(api.app, 'POST', url, { token, body: { force: true } }),
      'VALIDATION_FAILED',
    );
    expect(extra['detail']).toContain('force');
    expectProblem(await call(api.app, 'POST', url, { token, raw: '' }), 'JSON_INVALID');
    expectProblem(await call(api.app, 'POST', url, { token, body: {} }), 'WORKFLOW_NOT_FOUND');
    expectProblem(await call(api.app, 'POST', url, { token }), 'WORKFLOW_NOT_FOUND');
  });

  it('bodies must be application/json', async () => {
    expectProblem(
      await post('{"engine":"patch"}', { 'content-type': 'text/plain' }),
      'VALIDATION_FAILED',
    );
  });

  it('a body over the limit is 413 JSON_TOO_LARGE', async () => {
    const big = JSON.stringify({
      engine: 'patch',
      input: { config: { x: 'y'.repeat(1_100_000) } },
    });
    expectProblem(await post(big), 'JSON_TOO_LARGE');
  });

  it('an unknown engine or workspace is refused before any workflow exists', async () => {
    expectProblem(
      await call(api.app, 'POST', '/api/workflows', {
        token: api.tokens.agent,
        body: { engine: 'nope' },
      }),
      'ENGINE_UNKNOWN',
    );
    expectProblem(
      await call(api.app, 'POST', '/api/workflows', {
        token: api.tokens.agent,
        body: { engine: 'patch', workspace: 'elsewhere' },
      }),
      'WORKSPACE_UNKNOWN',
    );
    expect(await api.runtime.orchestrator.list()).toHaveLength(0);
  });
});

describe('problems and lookups', () => {
  it('an unknown route is 404 NOT_FOUND problem+json', async () => {
    expectProblem(await call(api.app, 'GET', '/api/nope'), 'NOT_FOUND');
  });

  it('an unknown workflow is 404 WORKFLOW_NOT_FOUND; a bad CAS address is 400', async () => {
    const token = api.tokens.auditor;
    expectProblem(
      await call(api.app, 'GET', `/api/workflows/wf-${'0'.repeat(32)}`, { token }),
      'WORKFLOW_NOT_FOUND',
    );
    expectProblem(
      await call(api.app, 'GET', '/api/cas/not-an-address', { token }),
      'CAS_ADDRESS_INVALID',
    );
    expectProblem(
      await call(api.app, 'GET', `/api/cas/${'A'.repeat(64)}`, { token }),
      'CAS_ADDRESS_INVALID',
    );
    expectProblem(
      await call(api.app, 'GET', `/api/cas/${'0'.repeat(64)}`, { token }),
      'CAS_NOT_FOUND',
    );
    expectProblem(await call(api.app, 'GET', '/api/runs/nope', { token }), 'NOT_FOUND');
  });

  it('a 5xx error carries its code but a generic detail (no paths or internals)', async () => {
    const { address } = await api.runtime.home.cas.put(Buffer.from('original bytes'));
    const file = join(api.homeDir, 'cas', 'sha256', address.slice(0, 2), address);
    await chmod(file, 0o644);
    await writeFile(file, 'tampered bytes');
    const res = await call(api.app, 'GET', `/api/cas/${address}`, { token: api.tokens.auditor });
    const p = expectProblem(res, 'CAS_CORRUPT');
    expect(p['detail']).toBe(ERROR_TABLE.CAS_CORRUPT.title);
    expect(res.body).not.toContain(api.homeDir);
  });

  it('query parameters are validated, not coerced', async () => {
    const token = api.tokens.auditor;
    expectProblem(
      await call(api.app, 'GET', '/api/audit/events?from=-1', { token }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(api.app, 'GET', '/api/audit/events?limit=501', { token }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(api.app, 'GET', '/api/audit/events?bogus=1', { token }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(api.app, 'GET', '/api/workflows?state=NOPE', { token }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call(api.app, 'GET', '/api/audit/proof/999999', { token }),
      'AUDIT_INDEX_OUT_OF_RANGE',
    );
  });

  it('health needs no token', async () => {
    const res = await call(api.app, 'GET', '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });
});

describe('OpenAPI', () => {
  const ROUTES = [
    'get /api/health',
    'get /api/openapi.json',
    'post /api/workflows',
    'get /api/workflows',
    'get /api/workflows/{id}',
    'get /api/workflows/{id}/artifacts',
    'post /api/workflows/{id}/takeoff',
    'post /api/workflows/{id}/replan',
    'post /api/workflows/{id}/retry',
    'post /api/approvals/{approval_id}',
    'post /api/workflow/approve',
    'get /api/runs',
    'get /api/runs/{run_id}',
    'get /api/cas/{sha256}',
    'get /api/audit/events',
    'get /api/audit/checkpoints',
    'get /api/audit/proof/{index}',
    'post /api/rmos/feasibility',
    'post /api/rmos/jobs',
    'get /api/rmos/jobs/{id}',
    'post /api/rmos/jobs/{id}/override',
    'get /api/me',
    'get /api/workflows/{id}/events',
    'post /api/audit/verify',
    'get /api/audit/consistency',
  ];

  it('lists every route, with its schemas and security', async () => {
    const res = await call(api.app, 'GET', '/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }
        >
      >;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual([...ROUTES].sort());
    // Every listed operation is a route Fastify really serves.
    for (const entry of listed) {
      const [method, path] = entry.split(' ') as [string, string];
      expect(
        api.app.hasRoute({
          method: method.toUpperCase(),
          url: path.replace(/\{(\w+)\}/g, ':$1'),
        }),
        entry,
      ).toBe(true);
    }
    expect(doc.paths['/api/health']?.['get']?.security).toEqual([]);
    expect(doc.paths['/api/workflows']?.['post']?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/approvals/{approval_id}']?.['post']?.security).toEqual([
      { bearer: [] },
      {},
    ]);
    expect(doc.paths['/api/workflows']?.['post']?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { required: ['engine'] } } },
    });
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) expect(op.responses['default']).toBeDefined();
    }
  });
});
