import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validate, type EngineInput, type PlanToken } from '@clearance/protocol';
import {
  buildPlanToken,
  checkPlanToken,
  computeToken,
  inputDigest,
  PLAN_TOKEN_VERSION,
  planTokenHash,
  type PlanTokenInputs,
} from '../../src/plan/index.js';
import { errorOf, sha } from './helpers.js';

const CREATED = '2025-12-10T12:00:00.000Z';
const inputs: PlanTokenInputs = {
  workflow_id: 'wf-1',
  step_id: 'step-1',
  engine_id: 'test-engine',
  protocol_version: '0.1.0',
  model: 'none',
  workspace_hash: sha('ws'),
  input_digest: inputDigest({ config: { a: 1 } }),
  policy_digest: sha('policy'),
  governance_hash: sha('governance'),
  artifacts: [
    { name: 'plan', hash: sha('p'), size: 10 },
    { name: 'evidence', hash: sha('e'), size: 20 },
    { name: 'Zeta', hash: sha('z'), size: 0 },
  ],
};

describe('computeToken', () => {
  it('is deterministic and a lowercase SHA-256', () => {
    expect(computeToken(inputs)).toBe(computeToken({ ...inputs }));
    expect(computeToken(inputs)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('PT-4 / ORCH-15: property: any permutation of the artifacts gives the same token', () => {
    const artifact = fc.record({
      name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/),
      hash: fc.stringMatching(/^[0-9a-f]{64}$/),
      size: fc.nat(),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(artifact, { selector: (a) => a.name, maxLength: 8 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        ([list, shuffled]) => {
          expect(computeToken({ ...inputs, artifacts: shuffled })).toBe(
            computeToken({ ...inputs, artifacts: list }),
          );
        },
      ),
    );
  });

  it('PT-3 / S-20: property: changing any single field changes the token', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const text = fc.string({ minLength: 1, maxLength: 12 });
    const change = fc.oneof(
      text.map((v) => ({ workflow_id: v })),
      text.map((v) => ({ step_id: v })),
      text.map((v) => ({ engine_id: v })),
      text.map((v) => ({ protocol_version: v })),
      text.map((v) => ({ model: v })),
      hex.map((v) => ({ workspace_hash: v })),
      hex.map((v) => ({ input_digest: v })),
      hex.map((v) => ({ policy_digest: v })),
      hex.map((v) => ({ governance_hash: v })),
      fc
        .nat({ max: 2 })
        .chain((i) =>
          fc.oneof(
            hex.map((hash) => ({ i, patch: { hash } })),
            fc.nat().map((size) => ({ i, patch: { size } })),
            fc.stringMatching(/^[a-y][a-z0-9]{0,8}$/).map((name) => ({ i, patch: { name } })),
          ),
        )
        .map(({ i, patch }) => ({
          artifacts: inputs.artifacts.map((a, j) => (j === i ? { ...a, ...patch } : a)),
        })),
    );
    const base = computeToken(inputs);
    fc.assert(
      fc.property(change, (patch) => {
        const next = { ...inputs, ...patch };
        fc.pre(JSON.stringify(next) !== JSON.stringify(inputs));
        fc.pre(new Set(next.artifacts.map((a) => a.name)).size === next.artifacts.length);
        expect(computeToken(next)).not.toBe(base);
      }),
    );
  });

  it('binds the presence of the optional digests and of each artifact', () => {
    const { policy_digest: _p, governance_hash: _g, ...bare } = inputs;
    const tokens = new Set([
      computeToken(inputs),
      computeToken(bare),
      computeToken({ ...bare, policy_digest: sha('policy') }),
      computeToken({ ...bare, governance_hash: sha('policy') }),
      computeToken({ ...inputs, artifacts: inputs.artifacts.slice(1) }),
      computeToken({ ...inputs, artifacts: [] }),
    ]);
    expect(tokens.size).toBe(6);
  });

  it('S-9: two workflows with identical artifacts get different tokens', () => {
    expect(computeToken({ ...inputs, workflow_id: 'wf-2' })).not.toBe(computeToken(inputs));
  });

  const badInputs: [string, PlanTokenInputs, string][] = [
    ['a non-hex workspace hash', { ...inputs, workspace_hash: 'x' }, 'HASH_INVALID'],
    [
      'an uppercase input digest',
      { ...inputs, input_digest: sha('a').toUpperCase() },
      'HASH_INVALID',
    ],
    ['a non-hex policy digest', { ...inputs, policy_digest: '' }, 'HASH_INVALID'],
    [
      'a non-hex artifact hash',
      { ...inputs, artifacts: [{ name: 'a', hash: 'h', size: 1 }] },
      'HASH_INVALID',
    ],
    [
      'a duplicate artifact name',
      {
        ...inputs,
        artifacts: [
          { name: 'a', hash: sha('1'), size: 1 },
          { name: 'a', hash: sha('2'), size: 1 },
        ],
      },
      'VALIDATION_FAILED',
    ],
    [
      'a bad artifact name',
      { ...inputs, artifacts: [{ name: '..', hash: sha('1'), size: 1 }] },
      'VALIDATION_FAILED',
    ],
    [
      'a negative size',
      { ...inputs, artifacts: [{ name: 'a', hash: sha('1'), size: -1 }] },
      'VALIDATION_FAILED',
    ],
    [
      'a fractional size',
      { ...inputs, artifacts: [{ name: 'a', hash: sha('1'), size: 1.5 }] },
      'VALIDATION_FAILED',
    ],
  ];
  it.each(badInputs)('refuses %s', async (_label, bad, code) => {
    expect((await errorOf(() => computeToken(bad)))?.code).toBe(code);
  });
});

describe('inputDigest', () => {
  const full: EngineInput = {
    protocol_version: '0.1.0',
    mode: 'flight-plan',
    meta: { workflow_id: 'wf', step_id: 's' },
    config: { a: 1 },
    context: { b: [1, 2] },
    allowed_secrets: ['TOKEN'],
    secrets: { TOKEN: 'CANARY-SECRET' },
    identity_token: 'eyJ.CANARY.jwt',
  };

  it('never reads secrets or identity_token', () => {
    const { secrets: _s, identity_token: _i, ...clean } = full;
    expect(inputDigest(full)).toBe(inputDigest(clean));
    const otherSecret: EngineInput = { ...full, secrets: { TOKEN: 'other' } };
    expect(inputDigest(full)).toBe(inputDigest(otherSecret));
  });

  it('S-20: config, context and allowed_secrets each change the digest; absent differs from {}', () => {
    const digests = new Set([
      inputDigest(full),
      inputDigest({ ...full, config: { a: 2 } }),
      inputDigest({ ...full, context: { b: [2, 1] } }),
      inputDigest({ ...full, allowed_secrets: [] }),
      inputDigest({}),
      inputDigest({ config: {} }),
    ]);
    expect(digests.size).toBe(6);
  });

  it('does not depend on key order inside config', () => {
    expect(inputDigest({ config: { a: 1, b: 2 } })).toBe(inputDigest({ config: { b: 2, a: 1 } }));
  });
});

describe('buildPlanToken / planTokenHash', () => {
  // Also proves PT-2, PT-12.
  it('builds a schema-valid version-1 token with sorted artifacts', () => {
    const t = buildPlanToken(inputs, CREATED);
    expect(validate('PlanToken', t).ok).toBe(true);
    expect(t.version).toBe(PLAN_TOKEN_VERSION);
    expect(t.token).toBe(computeToken(inputs));
    expect(t.artifacts.map((a) => a.name)).toEqual(['Zeta', 'evidence', 'plan']);
    expect(t).toMatchObject({ created_at: CREATED, policy_digest: sha('policy'), model: 'none' });
  });

  it('omits absent optional digests instead of writing undefined', () => {
    const { policy_digest: _p, governance_hash: _g, ...bare } = inputs;
    const t = buildPlanToken(bare, CREATED);
    expect(Object.hasOwn(t, 'policy_digest') || Object.hasOwn(t, 'governance_hash')).toBe(false);
  });

  it('PT-13 / G-26: created_at is outside the token but inside plan_token_hash', () => {
    const a = buildPlanToken(inputs, CREATED);
    const b = buildPlanToken(inputs, '2026-01-01T00:00:00.000Z');
    expect(a.token).toBe(b.token);
    expect(planTokenHash(a)).not.toBe(planTokenHash(b));
    expect(planTokenHash(a)).toBe(planTokenHash({ ...a }));
  });

  it.each(['2025-12-10T12:00:00Z', '2025-12-10', 'yesterday', '2025-02-30T00:00:00.000Z'])(
    'refuses created_at %j',
    async (createdAt) => {
      expect((await errorOf(() => buildPlanToken(inputs, createdAt)))?.code).toBe(
        'PROFILE_INVALID',
      );
    },
  );
});

describe('checkPlanToken (§4.2.4)', () => {
  const stored = buildPlanToken(inputs, CREATED);
  const storedHash = planTokenHash(stored);

  it('passes when nothing changed, whatever order the artifacts are recomputed in', () => {
    const check = checkPlanToken(stored, storedHash, {
      ...inputs,
      artifacts: [...inputs.artifacts].reverse(),
    });
    expect(check).toEqual({
      ok: true,
      expected_token: stored.token,
      actual_token: stored.token,
      plan_token_hash_ok: true,
      differences: [],
      fields: [],
    });
  });

  const artifactChanges: [string, PlanTokenInputs['artifacts'], string[]][] = [
    ['an added artifact', [...inputs.artifacts, { name: 'new', hash: sha('n'), size: 1 }], ['new']],
    ['a removed artifact', inputs.artifacts.filter((a) => a.name !== 'plan'), ['plan']],
    [
      'a renamed artifact',
      inputs.artifacts.map((a) => (a.name === 'plan' ? { ...a, name: 'plan2' } : a)),
      ['plan', 'plan2'],
    ],
    [
      'a changed hash',
      inputs.artifacts.map((a) => (a.name === 'evidence' ? { ...a, hash: sha('x') } : a)),
      ['evidence'],
    ],
    [
      'a changed size',
      inputs.artifacts.map((a) => (a.name === 'Zeta' ? { ...a, size: 1 } : a)),
      ['Zeta'],
    ],
    [
      'two changes at once',
      [
        { name: 'plan', hash: sha('other'), size: 10 },
        { name: 'evidence', hash: sha('e'), size: 20 },
      ],
      ['Zeta', 'plan'],
    ],
  ];
  it.each(artifactChanges)(
    'S-8: %s fails and is named in differences',
    (_label, artifacts, names) => {
      const check = checkPlanToken(stored, storedHash, { ...inputs, artifacts });
      expect(check.ok).toBe(false);
      expect(check.actual_token).not.toBe(check.expected_token);
      expect(check.plan_token_hash_ok).toBe(true);
      expect(check.differences).toEqual(names);
    },
  );

  it('a changed workspace hash or model fails and is named in fields', () => {
    const check = checkPlanToken(stored, storedHash, {
      ...inputs,
      workspace_hash: sha('other'),
      model: 'm',
    });
    expect(check).toMatchObject({
      ok: false,
      differences: [],
      fields: ['model', 'workspace_hash'],
    });
  });

  it('a changed input digest or workflow id fails through the token alone', () => {
    for (const change of [{ input_digest: sha('x') }, { workflow_id: 'wf-other' }]) {
      const check = checkPlanToken(stored, storedHash, { ...inputs, ...change });
      expect(check).toMatchObject({
        ok: false,
        differences: [],
        fields: [],
        plan_token_hash_ok: true,
      });
    }
  });

  // Also proves GEN-1.
  it('a stored token edited after hashing fails plan_token_hash_ok', () => {
    const edited: PlanToken = { ...stored, created_at: '2030-01-01T00:00:00.000Z' };
    const check = checkPlanToken(edited, storedHash, inputs);
    expect(check).toMatchObject({ ok: false, plan_token_hash_ok: false });
  });

  it('a wrong recorded plan_token_hash fails', () => {
    expect(checkPlanToken(stored, sha('other'), inputs).ok).toBe(false);
    expect(checkPlanToken(stored, '', inputs).ok).toBe(false);
  });

  it('a stored token whose artifact list was edited consistently with a forged token still fails', () => {
    const forgedInputs = { ...inputs, artifacts: inputs.artifacts.slice(1) };
    const forged: PlanToken = { ...buildPlanToken(forgedInputs, CREATED) };
    const check = checkPlanToken(forged, storedHash, inputs);
    expect(check.ok).toBe(false);
    expect(check.plan_token_hash_ok).toBe(false);
  });

  it('a stored token that is not schema-valid fails with every name listed', () => {
    const broken = { ...stored, extra: true } as unknown as PlanToken;
    const check = checkPlanToken(broken, planTokenHash(broken), inputs);
    expect(check).toMatchObject({ ok: false, plan_token_hash_ok: false });
    expect(check.differences).toEqual(['Zeta', 'evidence', 'plan']);
  });

  it('a stored token of another version fails', () => {
    const v2: PlanToken = { ...stored, version: '2' };
    const check = checkPlanToken(v2, planTokenHash(v2), inputs);
    expect(check).toMatchObject({ ok: false, fields: ['version'] });
  });
});
