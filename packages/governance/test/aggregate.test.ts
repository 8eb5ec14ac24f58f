import { DECISION_SEVERITY, type Decision, type PolicyEvaluation } from '@clearance/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, parseAggregationMethod, type PolicyResult } from '../src/index.js';
import { codeOf, DECISIONS, result, T0 } from './helpers.js';

const rank = (d: Decision): number => DECISIONS.indexOf(d);
const maxOf = (ds: readonly Decision[]): Decision =>
  ds.reduce((a, b) => (rank(b) > rank(a) ? b : a), 'allow');

function combos(n: number): Decision[][] {
  if (n === 0) return [[]];
  return combos(n - 1).flatMap((c) => DECISIONS.map((d) => [...c, d]));
}

function expectConsistent(out: ReturnType<typeof aggregate>): void {
  expect(out.severity).toBe(DECISION_SEVERITY[out.decision]);
  expect(out.aggregation_method).toBe('most_restrictive');
  for (const r of out.results) {
    expect(r.evaluation.severity).toBe(DECISION_SEVERITY[r.evaluation.decision]);
  }
}

describe('S-22 / PRE-6: most_restrictive aggregation matrix', () => {
  it('has 16 ordered pairs and 64 ordered triples', () => {
    expect(combos(2)).toHaveLength(16);
    expect(combos(3)).toHaveLength(64);
  });

  it.each(combos(2).map((c) => [c.join(' + '), c] as const))('pair %s', (_, ds) => {
    const out = aggregate(ds.map((d, i) => result(d, `p/${i}`)));
    expect(out.decision).toBe(maxOf(ds));
    expectConsistent(out);
    expect(out.results.map((r) => r.evaluation.decision)).toEqual(ds);
  });

  it.each(combos(3).map((c) => [c.join(' + '), c] as const))('triple %s', (_, ds) => {
    const out = aggregate(ds.map((d, i) => result(d, `p/${i}`)));
    expect(out.decision).toBe(maxOf(ds));
    expectConsistent(out);
  });

  it('deny beats everything, whatever the order', () => {
    for (const ds of combos(3).filter((c) => c.includes('deny'))) {
      expect(aggregate(ds.map((d, i) => result(d, `p/${i}`))).decision).toBe('deny');
    }
  });

  it('single evaluations map to themselves', () => {
    for (const d of DECISIONS) expect(aggregate([result(d)]).decision).toBe(d);
  });
});

describe('PRE-14 / G-33: nothing to aggregate is a deny', () => {
  it('an empty list is deny with a violation', () => {
    const out = aggregate([]);
    expect(out.decision).toBe('deny');
    expect(out.severity).toBe(3);
    expect(out.violations).toEqual([expect.stringContaining('preflight/no-evaluations')]);
    expect(out.approvals).toEqual([]);
  });
});

describe('PRE-12 / G-17: an inconsistent evaluation counts as deny', () => {
  const bad = (evaluation: Partial<PolicyEvaluation>, extra: object = {}): PolicyResult => ({
    ...result('allow', 'x/bad'),
    evaluation: { ...result('allow').evaluation, ...evaluation },
    ...extra,
  });

  it.each([
    ['allow with severity 3', bad({ decision: 'allow', severity: 3 })],
    ['deny with severity 0', bad({ decision: 'deny', severity: 0 })],
    ['severity 1.5', bad({ severity: 1.5 as 1 })],
    ['unknown decision', bad({ decision: 'ALLOW' as Decision })],
    ['unknown source', bad({ source: 'rego' as 'opa' })],
    ['extra evaluation key', bad({ extra: 1 } as Partial<PolicyEvaluation>)],
    ['bad timestamp', bad({ evaluated_at: 'yesterday' })],
    ['require_approval without role', bad({ decision: 'require_approval', severity: 2 })],
    ['requires on allow', bad({}, { requires: { role: 'approver' } })],
    ['unknown result key', bad({}, { extra: true })],
    ['violations not strings', bad({}, { violations: [1] })],
  ])('%s', (_, r) => {
    const out = aggregate([result('allow'), r]);
    expect(out.decision).toBe('deny');
    expect(out.severity).toBe(3);
    expect(out.violations.some((v) => v.includes('invalid result'))).toBe(true);
  });

  it('a non-JSON result (function in evidence) counts as deny', () => {
    const r = result('allow');
    const evil = { ...r, evaluation: { ...r.evaluation, evidence: { f: () => 1 } } };
    expect(aggregate([evil as unknown as PolicyResult]).decision).toBe('deny');
  });
});

describe('G-34: one approval per distinct role', () => {
  it('two require_approval results with different roles give two approvals, sorted by role', () => {
    const out = aggregate([
      result('require_approval', 'r/sec', 'security-engineer'),
      result('allow', 'r/ok'),
      result('require_approval', 'r/ops', 'operator'),
      result('require_approval', 'r/sec2', 'security-engineer'),
    ]);
    expect(out.decision).toBe('require_approval');
    expect(out.approvals.map((a) => a.role)).toEqual(['operator', 'security-engineer']);
    expect(out.approvals[1]?.policy_ids).toEqual(['r/sec', 'r/sec2']);
    expect(out.approvals[1]?.reasons).toEqual(['require_approval because']);
  });

  it('requires.reason wins over the evaluation reason', () => {
    const r = result('require_approval', 'r/a');
    const out = aggregate([{ ...r, requires: { role: 'approver', reason: 'touches CI' } }]);
    expect(out.approvals).toEqual([
      { role: 'approver', reasons: ['touches CI'], policy_ids: ['r/a'] },
    ]);
  });

  it('approvals are empty when a deny overrides require_approval', () => {
    const out = aggregate([result('require_approval', 'r/a'), result('deny', 'r/d')]);
    expect(out.decision).toBe('deny');
    expect(out.approvals).toEqual([]);
  });
});

describe('violations and warnings (PRE-13)', () => {
  it('derive from deny and warn reasons unless the result lists its own', () => {
    const out = aggregate([
      result('deny', 'r/d'),
      { ...result('warn', 'r/w'), warnings: ['big change'] },
      result('warn', 'r/w2'),
    ]);
    expect(out.violations).toEqual(['r/d: deny because']);
    expect(out.warnings).toEqual(['big change', 'r/w2: warn because']);
  });
});

describe('property: aggregate is the max severity and order-independent', () => {
  const decision = fc.constantFrom(...DECISIONS);
  it('holds for random lists', () => {
    fc.assert(
      fc.property(fc.array(decision, { minLength: 1, maxLength: 12 }), fc.nat(), (ds, seed) => {
        const results = ds.map((d, i) => result(d, `p/${i}`, i % 2 === 0 ? 'a-role' : 'b-role'));
        const out = aggregate(results);
        expect(out.severity).toBe(Math.max(...ds.map((d) => DECISION_SEVERITY[d])));
        expect(out.decision).toBe(maxOf(ds));
        const shuffled = [...results];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (seed + i * 7919) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as PolicyResult, shuffled[i] as PolicyResult];
        }
        const again = aggregate(shuffled);
        expect(again.decision).toBe(out.decision);
        expect(again.approvals.map((a) => a.role)).toEqual(out.approvals.map((a) => a.role));
      }),
    );
  });
});

describe('S-22 / G-16: aggregation method config', () => {
  it.each(['most_restrictive', 'unanimous', 'all_allow'])('accepts %s as most_restrictive', (m) => {
    expect(parseAggregationMethod(m)).toBe('most_restrictive');
  });

  it.each([
    ['majority'],
    ['any_deny'],
    ['custom'],
    ['MOST_RESTRICTIVE'],
    [''],
    [undefined],
    [null],
    [3],
  ])('rejects %s', (m) => {
    expect(codeOf(() => parseAggregationMethod(m))).toBe('POLICY_CONFIG_INVALID');
  });
});

describe('timestamps stay as given', () => {
  it('aggregate does not touch evaluated_at', () => {
    expect(aggregate([result('allow')]).results[0]?.evaluation.evaluated_at).toBe(T0);
  });
});
