/**
 * Feasibility hash: golden values computed independently here with node:crypto and the
 * `canonicalize` reference implementation of RFC 8785 over hand-written expected results.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { evaluateFeasibility, feasibilityHash, safeEvaluate } from '../src/feasibility/engine.js';
import { parseFeasibilityInput } from '../src/feasibility/parse.js';
import { BASE, MANY, run } from './fixtures.js';

function independentHash(value: unknown): string {
  const text = canonicalize(value) ?? '';
  return createHash('sha256')
    .update('clearance.feasibility.v1', 'ascii')
    .update(Buffer.of(0))
    .update(text, 'utf8')
    .digest('hex');
}

const DETAILS = {
  pipeline_id: 'mvp_dxf_to_grbl_v1',
  post_id: 'GRBL',
  units: 'mm',
  layer_name: 'GEOMETRY',
  bbox: null,
  entity_count: null,
  loop_count_hint: null,
  has_closed_paths: null,
};

const GOLDEN = [
  {
    name: 'GREEN base job',
    job: BASE,
    expected: {
      risk_level: 'GREEN',
      blocking: false,
      rules_triggered: [],
      blocking_reasons: [],
      warnings: [],
      constraints: [],
      engine_version: 'feasibility_engine_v1',
      details: DETAILS,
    },
    hash: 'd6a6e7fd0e05c8888fed77370a44f8277f7320d0bb7ab48050769036748dfb33',
  },
  {
    name: 'YELLOW deep stepdown in hard maple',
    job: { ...BASE, material_hardness: 'hard', stepdown: 3.5 },
    expected: {
      risk_level: 'YELLOW',
      blocking: false,
      rules_triggered: ['F012', 'F031', 'F037'],
      blocking_reasons: [],
      warnings: [
        'stepdown is high (> 3.0mm); consider smaller passes',
        'DOC (3.5mm) is aggressive for hard material; recommended ≤ 3.0mm',
        'Several borderline parameters combined (2 factors); review before cutting',
      ],
      constraints: ['stepdown <= 3.0', 'stepdown <= 3.0'],
      engine_version: 'feasibility_engine_v1',
      details: DETAILS,
    },
    hash: '327f2a2e60b1204852480b8192fc3cb939b7c7d2d8de93a43983e341d41a8b85',
  },
  {
    name: 'RED tool wider than the pocket',
    job: { ...BASE, geometry_width_mm: 4, bbox: { x_min: 0, y_min: 0, x_max: 40, y_max: 4 } },
    expected: {
      risk_level: 'RED',
      blocking: true,
      rules_triggered: ['F025'],
      blocking_reasons: ['Tool diameter (6.0mm) exceeds pocket width (4.0mm); cannot machine'],
      warnings: [],
      constraints: ['tool_d <= 4.0'],
      engine_version: 'feasibility_engine_v1',
      details: { ...DETAILS, bbox: { x_min: 0, y_min: 0, x_max: 40, y_max: 4 } },
    },
    hash: 'eb4412e9c230cfcff16f34cb6dccce2e4e6ed0149ad08a6c2331d080075e1cee',
  },
] as const;

describe('feasibilityHash', () => {
  it.each(GOLDEN)('$name: result and hash match the independent computation', (golden) => {
    const result = evaluateFeasibility(parseFeasibilityInput(golden.job));
    expect(result).toEqual(golden.expected);
    const hash = feasibilityHash(result);
    expect(hash).toBe(independentHash(golden.expected));
    expect(hash).toBe(golden.hash);
  });

  it('ignores a timestamp added by the caller', () => {
    const result = run(MANY);
    const stamped = { ...result, computed_at: '2026-11-23T12:00:00Z' };
    const stampedUtc = { ...result, computed_at_utc: '2026-11-23T12:00:00Z' };
    expect(feasibilityHash(stamped)).toBe(feasibilityHash(result));
    expect(feasibilityHash(stampedUtc)).toBe(feasibilityHash(result));
  });

  it('is stable across evaluations and changes when a rule outcome changes', () => {
    expect(feasibilityHash(run(MANY))).toBe(feasibilityHash(run(MANY)));
    expect(feasibilityHash(run({ stepdown: 3.5 }))).not.toBe(feasibilityHash(run({ stepdown: 3 })));
  });

  it('hashes fail-closed outcomes too', () => {
    const outcome = safeEvaluate({ ...BASE, score: 100 });
    expect(feasibilityHash(outcome)).toMatch(/^[0-9a-f]{64}$/);
  });
});
