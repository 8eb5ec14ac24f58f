/** The API over a real socket on 127.0.0.1 with fetch (not app.inject). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { modifyDiff, startApi, type Api } from './helpers.js';

let api: Api;
let server: RunningServer;
beforeAll(async () => {
  api = await startApi({ 'a.txt': 'one\n' });
  server = await startServer(api.runtime, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close();
  await api.close();
});

describe('over a socket', () => {
  it('listens on loopback with a real port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
  });

  it('health, problem+json, strict JSON and a proposal work end to end', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const anon = await fetch(`${server.url}/api/workflows`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await anon.json()).toMatchObject({ code: 'AUTH_REQUIRED', status: 401 });

    const auth = {
      authorization: `Bearer ${api.tokens.agent}`,
      'content-type': 'application/json',
    };
    const dup = await fetch(`${server.url}/api/workflows`, {
      method: 'POST',
      headers: auth,
      body: '{"engine":"patch","engine":"patch"}',
    });
    expect(dup.status).toBe(400);
    expect(await dup.json()).toMatchObject({ code: 'JSON_DUPLICATE_KEY' });

    const res = await fetch(`${server.url}/api/workflows`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        engine: 'patch',
        input: { config: { patch: modifyDiff('a.txt', 'one', 'two') } },
      }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ state: 'AWAITING_APPROVAL' });
  });
});
