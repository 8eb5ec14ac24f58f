import { ClearanceError, type PolicyEvaluation } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import {
  MAX_FAILURE_TEXT,
  policyDigest,
  runPreflight,
  RulesPolicySource,
  type PolicyInput,
  type PolicyResult,
  type PolicySource,
} from '../src/index.js';
import { DIGEST, input, now, result, returning, source, T0 } from './helpers.js';

const opts = { now, timeoutMs: 1_000 };
const ok = (name: string, decision: PolicyEvaluation['decision'], role = 'approver') =>
  returning(name, [result(decision, `${name}/r`, role)]);

/** Run preflight and assert the fail-closed shape for one failing source named `bad`. */
async function expectFailure(bad: PolicySource, fragment: string): Promise<void> {
  const out = await runPreflight([ok('good', 'allow'), bad], input(), opts);
  expect(out.decision).toBe('deny');
  expect(out.severity).toBe(3);
  expect(out.failures).toHaveLength(1);
  expect(out.failures[0]?.source).toBe(bad.name);
  expect(out.failures[0]?.error).toContain(fragment);
  const synthesized = out.results.find((r) => r.evaluation.policy_id === `${bad.name}/failure`);
  expect(synthesized?.evaluation).toMatchObject({
    source: 'custom',
    decision: 'deny',
    severity: 3,
  });
  expect(synthesized?.evaluation.evaluated_at).toBe(T0);
  expect(out.results[0]?.evaluation.policy_id).toBe('good/r');
}

describe('runPreflight: aggregation over sources', () => {
  it('aggregates in source order, then rule order', async () => {
    const out = await runPreflight(
      [
        returning('b', [result('warn', 'b/1'), result('allow', 'b/2')]),
        ok('a', 'require_approval', 'operator'),
      ],
      input(),
      opts,
    );
    expect(out.decision).toBe('require_approval');
    expect(out.results.map((r) => r.evaluation.policy_id)).toEqual(['b/1', 'b/2', 'a/r']);
    expect(out.approvals).toEqual([
      { role: 'operator', reasons: ['require_approval because'], policy_ids: ['a/r'] },
    ]);
    expect(out.failures).toEqual([]);
    expect(out.aggregation_method).toBe('most_restrictive');
  });

  it('keeps source order even when sources finish in reverse order', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowFirst = source('first', async () => {
      await gate;
      return [result('allow', 'first/r')];
    });
    const fastSecond = source('second', () => {
      release();
      return Promise.resolve([result('warn', 'second/r')]);
    });
    const out = await runPreflight([slowFirst, fastSecond], input(), opts);
    expect(out.results.map((r) => r.evaluation.policy_id)).toEqual(['first/r', 'second/r']);
    expect(out.decision).toBe('warn');
  });

  // Also proves WAL-10.
  it('PRE-2: running twice gives equal outcomes', async () => {
    const rules = RulesPolicySource.fromConfig('rules', {
      default: 'warn',
      rules: [
        {
          id: 'env',
          match: { path: ['**/.env'] },
          decision: 'deny',
          reason: 'no env files',
        },
      ],
    });
    const a = await runPreflight([rules], input(), opts);
    const b = await runPreflight([rules], input(), opts);
    expect(b).toEqual(a);
    expect(a.decision).toBe('warn');
  });
});

describe('S-21 (e) / PRE-14: nothing evaluated is deny', () => {
  it('zero sources: deny with preflight/no-evaluations', async () => {
    const out = await runPreflight([], input(), opts);
    expect(out.decision).toBe('deny');
    expect(out.results.map((r) => r.evaluation.policy_id)).toEqual(['preflight/no-evaluations']);
    expect(out.results[0]?.evaluation).toMatchObject({ decision: 'deny', severity: 3 });
  });

  it('a source returning no evaluations is a failure', async () => {
    await expectFailure(returning('bad', []), 'no evaluations');
  });
});

describe('S-21 (a) / PRE-11: a source that cannot be evaluated is deny', () => {
  it('an async throw', async () => {
    await expectFailure(
      source('bad', () => Promise.reject(new ClearanceError('POLICY_EVALUATION_FAILED', 'boom'))),
      'POLICY_EVALUATION_FAILED: boom',
    );
  });

  it('a synchronous throw', async () => {
    const bad: PolicySource = {
      name: 'bad',
      kind: 'opa',
      digest: DIGEST,
      evaluate: () => {
        throw new TypeError('kaput');
      },
    };
    await expectFailure(bad, 'TypeError: kaput');
  });

  it('a thrown non-Error value', async () => {
    await expectFailure(
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a hostile source may reject with anything
      source('bad', () => Promise.reject({ huge: 'x'.repeat(10_000) })),
      'non-Error value',
    );
  });

  it('an Error whose message getter throws', async () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get(): string {
        throw new Error('gotcha');
      },
    });
    await expectFailure(
      source('bad', () => Promise.reject(hostile)),
      'unprintable error',
    );
  });

  it('a slow source times out without being waited for, and its signal aborts', async () => {
    let seen: AbortSignal | undefined;
    let lateResolve: (v: readonly PolicyResult[]) => void = () => undefined;
    const slow = source('bad', (_input, ctx) => {
      seen = ctx.signal;
      return new Promise((resolve) => {
        lateResolve = resolve;
      });
    });
    const out = await runPreflight([ok('good', 'allow'), slow], input(), { now, timeoutMs: 5 });
    expect(out.decision).toBe('deny');
    expect(out.failures).toEqual([{ source: 'bad', error: 'timed out after 5 ms' }]);
    expect(seen?.aborted).toBe(true);
    // A late answer changes nothing that was already decided.
    lateResolve([result('allow', 'bad/late')]);
    expect(out.results.map((r) => r.evaluation.policy_id)).toEqual(['good/r', 'bad/failure']);
  });

  it('caps and redacts the error text of a third-party source', async () => {
    const secret = 'ghp_' + 'A'.repeat(36);
    const huge = `token leaked ${secret} ` + 'x'.repeat(100_000);
    const out = await runPreflight(
      [source('bad', () => Promise.reject(new Error(huge)))],
      input(),
      opts,
    );
    const error = out.failures[0]?.error ?? '';
    expect(error.length).toBeLessThanOrEqual(MAX_FAILURE_TEXT);
    expect(error).not.toContain(secret);
    expect(error).toContain('[REDACTED');
    const reason = out.results[0]?.evaluation.reason ?? '';
    expect(reason).not.toContain(secret);
    expect(reason.length).toBeLessThan(MAX_FAILURE_TEXT + 100);
  });

  it('a lone surrogate in an error message does not break the evaluation', async () => {
    const out = await runPreflight(
      [source('bad', () => Promise.reject(new Error('bad \uD800 text')))],
      input(),
      opts,
    );
    expect(out.failures[0]?.error).toContain('bad \uFFFD text');
  });
});

describe('S-21 (c): invalid output is deny', () => {
  const base = result('allow', 'bad/r');
  const withEvaluation = (e: object): unknown => [
    { ...base, evaluation: { ...base.evaluation, ...e } },
  ];

  it.each([
    ['a non-array', { evaluation: base.evaluation }, 'non-array'],
    ['null', null, 'non-array'],
    [
      'a schema-invalid evaluation',
      withEvaluation({ decision: 'maybe' }),
      'not a valid PolicyEvaluation',
    ],
    ['a missing evaluation', [{}], 'evaluation is missing'],
    ['a severity mismatch', withEvaluation({ decision: 'deny', severity: 0 }), 'does not match'],
    [
      'another source prefix',
      withEvaluation({ policy_id: 'good/r' }),
      'not a policy of this source',
    ],
    ['no prefix', withEvaluation({ policy_id: 'r' }), 'not a policy of this source'],
    ['the bare prefix', withEvaluation({ policy_id: 'bad/' }), 'not a policy of this source'],
    ['the reserved failure id', withEvaluation({ policy_id: 'bad/failure' }), 'not a policy'],
    ['a wrong kind', withEvaluation({ source: 'opa' }), "not this source's kind"],
    ['a repeated policy id', [base, base], 'repeated'],
    [
      'require_approval without a role',
      withEvaluation({ decision: 'require_approval', severity: 2 }),
      'without requires.role',
    ],
    [
      'an impossible role',
      [{ ...result('require_approval', 'bad/r'), requires: { role: 'Not A Role' } }],
      'not a valid role',
    ],
    ['a non-JSON value', [{ ...base, violations: [undefined] }], 'not plain JSON'],
  ])('%s', async (_, value, fragment) => {
    await expectFailure(returning('bad', value), fragment);
  });

  it('a hostile array (throwing Proxy) fails only its own source', async () => {
    const trap = new Proxy([result('allow', 'bad/r')], {
      get(target, key, receiver): unknown {
        if (key === 'length') throw new Error('trap');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await expectFailure(returning('bad', trap), 'unreadable output');
  });

  it('keeps a failing source’s valid evaluations next to its failure', async () => {
    const out = await runPreflight(
      [returning('bad', [result('allow', 'bad/a'), { nope: true }])],
      input(),
      opts,
    );
    expect(out.results.map((r) => r.evaluation.policy_id)).toEqual(['bad/a', 'bad/failure']);
    expect(out.failures[0]?.error).toBe('result 1: evaluation is missing');
  });

  it('copies results, so a source mutating them later changes nothing', async () => {
    const mine = [result('allow', 'src/r')];
    const out = await runPreflight([returning('src', mine)], input(), opts);
    (mine[0]?.evaluation as { decision: string }).decision = 'deny';
    expect(out.results[0]?.evaluation.decision).toBe('allow');
  });
});

describe('inputs are isolated and checked', () => {
  it('sources get a frozen copy: one cannot change what another sees', async () => {
    const mutator = source('m', (i) => {
      (i.engine as { id: string }).id = 'evil';
      return Promise.resolve([result('allow', 'm/r')]);
    });
    const original = input();
    const out = await runPreflight([mutator], original, opts);
    expect(out.failures[0]?.error).toContain('TypeError');
    expect(original.engine.id).toBe('patch');
  });

  it('an invalid PreflightInput is deny without running any source', async () => {
    let ran = false;
    const spy = source('s', () => {
      ran = true;
      return Promise.resolve([result('allow', 's/r')]);
    });
    const bad = { ...input(), preflight: { workflow_id: 'wf' } } as unknown as PolicyInput;
    const out = await runPreflight([spy], bad, opts);
    expect(ran).toBe(false);
    expect(out.decision).toBe('deny');
    expect(out.results[0]?.evaluation.policy_id).toBe('preflight/input-invalid');
    expect(out.failures[0]?.source).toBe('preflight');
  });
});

describe('configuration errors throw at once', () => {
  const good = ok('good', 'allow');
  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])('timeoutMs %s', async (timeoutMs) => {
    await expect(runPreflight([good], input(), { now, timeoutMs })).rejects.toMatchObject({
      code: 'POLICY_CONFIG_INVALID',
    });
  });

  it.each([
    ['duplicate names', [good, ok('good', 'deny')]],
    ['the reserved name preflight', [ok('preflight', 'allow')]],
    ['an invalid name', [ok('Bad/Name', 'allow')]],
    ['a bad digest', [{ ...good, digest: 'xyz' }]],
    ['an unknown kind', [{ ...good, kind: 'rego' as 'opa' }]],
  ])('%s', async (_, sources) => {
    await expect(runPreflight(sources, input(), opts)).rejects.toMatchObject({
      code: 'POLICY_CONFIG_INVALID',
    });
  });

  it('a broken clock is an internal error, not a silent timestamp', async () => {
    await expect(
      runPreflight([], input(), { now: () => 'noon', timeoutMs: 10 }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('policyDigest', () => {
  const a = RulesPolicySource.fromConfig('a', { default: 'deny' });
  const b = RulesPolicySource.fromConfig('b', { default: 'warn' });

  it('is a SHA-256 independent of source order', () => {
    expect(policyDigest([a, b])).toMatch(/^[0-9a-f]{64}$/);
    expect(policyDigest([b, a])).toBe(policyDigest([a, b]));
  });

  it('changes when a source is added, removed or reconfigured', () => {
    const base = policyDigest([a, b]);
    expect(policyDigest([a])).not.toBe(base);
    expect(policyDigest([a, RulesPolicySource.fromConfig('b', { default: 'deny' })])).not.toBe(
      base,
    );
    expect(policyDigest([a, RulesPolicySource.fromConfig('c', { default: 'warn' })])).not.toBe(
      base,
    );
  });

  it('rejects duplicate names', () => {
    expect(() => policyDigest([a, a])).toThrow(
      expect.objectContaining({ code: 'POLICY_CONFIG_INVALID' }),
    );
  });
});
