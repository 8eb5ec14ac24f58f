/**
 * POST /api/rmos/feasibility: the authority's own computation; client values never count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, call, expectProblem, startApi, type Api } from './helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const GREEN = {
  tool_d: 6,
  stepover: 0.4,
  stepdown: 1.5,
  z_rough: -3,
  feed_xy: 1000,
  feed_z: 300,
  rapid: 3000,
  safe_z: 5,
  strategy: 'pocket',
  layer_name: '0',
  climb: true,
  smoothing: 0,
  margin: 0,
};

describe('POST /api/rmos/feasibility', () => {
  it('any authenticated role gets the server computation with a hash', async () => {
    api = await startApi({});
    const res = await call(api.app, 'POST', '/api/rmos/feasibility', {
      token: api.tokens.agent,
      body: GREEN,
    });
    expect(res.statusCode, res.body).toBe(200);
    const b = bodyOf(res);
    expect(b).toMatchObject({ risk_level: 'GREEN', blocking: false, stripped: [] });
    expect(b['hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('RED parameters sent with risk_level GREEN and a feasibility block come back RED, stripping listed', async () => {
    api = await startApi({});
    const res = await call(api.app, 'POST', '/api/rmos/feasibility', {
      token: api.tokens.agent,
      body: { ...GREEN, z_rough: 2, risk_level: 'GREEN', feasibility: { risk_level: 'GREEN' } },
    });
    const b = bodyOf(res);
    expect(b['risk_level']).toBe('RED');
    expect(b['rules_triggered']).toEqual(['F004']);
    expect(b['stripped']).toEqual(expect.arrayContaining(['$.risk_level', '$.feasibility']));
  });

  it('unknown fields are a blocking UNKNOWN, never GREEN; no token is 401', async () => {
    api = await startApi({});
    const res = await call(api.app, 'POST', '/api/rmos/feasibility', {
      token: api.tokens.auditor,
      body: { ...GREEN, surprise: 1 },
    });
    expect(bodyOf(res)).toMatchObject({ risk_level: 'UNKNOWN', blocking: true });
    expectProblem(
      await call(api.app, 'POST', '/api/rmos/feasibility', { body: GREEN }),
      'AUTH_REQUIRED',
    );
  });
});
