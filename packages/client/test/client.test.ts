import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ClearanceClient } from '../src/index.js';

const TOKEN = 'clr_test_token';
const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
): void {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const workflow = {
  workflow_id: 'wf-1',
  state: 'AWAITING_APPROVAL',
  engine: 'patch',
  workspace: 'ws',
  proposer: 'agent',
  pending_approvals: [
    {
      approval_id: 'ap-1',
      step_id: 'main',
      required_role: 'approver',
      plan_token_hash: 'a'.repeat(64),
      requested_at: '2026-01-01T00:00:00Z',
    },
  ],
};

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({
    method: req.method ?? '',
    url: req.url ?? '',
    auth: req.headers.authorization,
    body,
  });
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    reply(
      res,
      401,
      {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        code: 'AUTH_INVALID',
        detail: 'bad token',
      },
      'application/problem+json',
    );
    return;
  }
  const url = new URL(req.url ?? '/', 'http://x');
  switch (`${req.method ?? ''} ${url.pathname}`) {
    case 'GET /api/me':
      return reply(res, 200, { name: 'alice', roles: ['approver'] });
    case 'GET /api/workflows':
      return reply(res, 200, { workflows: [workflow] });
    case 'GET /api/workflows/bad':
      return reply(res, 200, { ...workflow, state: 'NOT_A_STATE', record: {} });
    case 'POST /api/approvals/ap-1':
      return reply(
        res,
        409,
        {
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          code: 'APPROVAL_TOKEN_MISMATCH',
          detail: 'token moved',
          run_id: 'run-9',
        },
        'application/problem+json',
      );
    case 'GET /api/cas/' + 'b'.repeat(64):
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([0x2b, 0x61, 0x0a]));
      return;
    case 'GET /api/audit/events':
      return reply(res, 200, {
        from: 3,
        size: 10,
        next: 4,
        events: [
          { event_id: 'e', timestamp: 't', event_type: 'policy_evaluated', workflow_state: 'X' },
        ],
        indices: [3],
      });
    case 'POST /api/audit/verify':
      return reply(res, 200, {
        ok: false,
        events: 5,
        checkpoints: 1,
        break: { index: 2, code: 'AUDIT_CHAIN_BROKEN', reason: 'link' },
      });
    case 'GET /api/runs':
      return reply(res, 502, '<html>bad gateway</html>', 'text/html');
    default:
      return reply(
        res,
        404,
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          code: 'NOT_FOUND',
          detail: url.pathname,
        },
        'application/problem+json',
      );
  }
}

let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => route(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

describe('ClearanceClient against a real HTTP server', () => {
  it('sends the token only in the Authorization header and decodes /api/me', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    await expect(client.me()).resolves.toEqual({
      name: 'alice',
      roles: ['approver'],
      signature_required_roles: [],
    });
    const last = seen[seen.length - 1];
    expect(last?.auth).toBe(`Bearer ${TOKEN}`);
    expect(last?.url).not.toContain(TOKEN);
  });

  it('passes filters as query parameters and decodes workflows', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    const list = await client.workflows({ state: 'AWAITING_APPROVAL', engine: 'patch' });
    expect(list[0]?.pending_approvals[0]?.approval_id).toBe('ap-1');
    expect(seen[seen.length - 1]?.url).toBe('/api/workflows?state=AWAITING_APPROVAL&engine=patch');
  });

  it('maps a problem+json refusal to ApiError with code and run id, and sends plan_token_hash', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    const err = await client
      .approve('ap-1', { approved: true, reason: 'looks right', planTokenHash: 'c'.repeat(64) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'APPROVAL_TOKEN_MISMATCH', runId: 'run-9' });
    expect(JSON.parse(seen[seen.length - 1]?.body ?? '')).toEqual({
      approved: true,
      reason: 'looks right',
      plan_token_hash: 'c'.repeat(64),
    });
  });

  it('refuses a wrong token with AUTH_INVALID', async () => {
    const client = new ClearanceClient({ baseUrl, token: 'wrong' });
    await expect(client.me()).rejects.toMatchObject({ status: 401, code: 'AUTH_INVALID' });
  });

  it('maps a non-JSON error body to HTTP_<status>', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    await expect(client.runs()).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
  });

  it('refuses an answer of the wrong shape with RESPONSE_INVALID', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    await expect(client.workflow('bad')).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
  });

  it('reads CAS bytes and text', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    expect([...(await client.casBytes('b'.repeat(64)))]).toEqual([0x2b, 0x61, 0x0a]);
    expect(await client.casText('b'.repeat(64))).toBe('+a\n');
  });

  it('escapes path segments so an id cannot reach another route', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    await expect(client.workflow('../me')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(seen[seen.length - 1]?.url).toBe('/api/workflows/..%2Fme');
  });

  it('decodes audit pages and a broken verification', async () => {
    const client = new ClearanceClient({ baseUrl, token: TOKEN });
    const page = await client.auditEvents({ from: 3, limit: 1, eventType: 'policy_evaluated' });
    expect(page).toMatchObject({ from: 3, next: 4, indices: [3] });
    expect(seen[seen.length - 1]?.url).toBe(
      '/api/audit/events?from=3&limit=1&event_type=policy_evaluated',
    );
    await expect(client.verifyAudit()).resolves.toMatchObject({
      ok: false,
      break: { index: 2, code: 'AUDIT_CHAIN_BROKEN' },
    });
  });
});

describe('ClearanceClient error mapping with fetch stubs', () => {
  it('maps a transport failure to NETWORK_ERROR', async () => {
    const failing: typeof fetch = () => Promise.reject(new TypeError('connection refused'));
    const client = new ClearanceClient({ baseUrl: 'http://x', token: TOKEN, fetch: failing });
    await expect(client.me()).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('maps a JSON error without a code to HTTP_<status>', async () => {
    const stub: typeof fetch = () =>
      Promise.resolve(
        new Response('{"message":"nope"}', {
          status: 500,
          headers: { 'content-type': 'application/json' },
        }),
      );
    const client = new ClearanceClient({ baseUrl: 'http://x', token: TOKEN, fetch: stub });
    await expect(client.me()).rejects.toMatchObject({ status: 500, code: 'HTTP_500' });
  });

  it('refuses a success answer that is not JSON', async () => {
    const stub: typeof fetch = () => Promise.resolve(new Response('<html>', { status: 200 }));
    const client = new ClearanceClient({ baseUrl: 'http://x', token: TOKEN, fetch: stub });
    await expect(client.me()).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
  });
});
