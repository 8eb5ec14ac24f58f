/**
 * Release gate "no RED leaks" as properties: over generated jobs, any RED condition (checked by an
 * oracle written independently of the engine, straight from the spec table) yields RED and
 * blocking; failure paths never yield GREEN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeEvaluate } from '../src/feasibility/engine.js';
import { FEASIBILITY_INPUT_KEYS, parseFeasibilityInput } from '../src/feasibility/parse.js';
import type { FeasibilityInput } from '../src/feasibility/types.js';
import { BASE, run } from './fixtures.js';

/** Numbers clustered on the spec's thresholds, plus arbitrary ones. */
const num = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 0.6, 0.7, 0.95, 1, 1.5, 2, 2.5, 3, 4.5, 5, 6, 8, 9, 12, 18, 30),
  fc.double({ min: -5, max: 60, noNaN: true }),
);
const optNum = fc.option(num, { nil: null });
const optBool = fc.option(fc.boolean(), { nil: null });
const hardness = fc.option(
  fc.constantFrom('soft', 'medium', 'hard', 'very-hard', 'extreme', 'unknown'),
  { nil: null },
);

const job = fc.record(
  {
    tool_d: num,
    stepover: fc.oneof(num, fc.double({ min: -0.2, max: 1.2, noNaN: true })),
    stepdown: num,
    z_rough: num,
    feed_xy: num,
    feed_z: num,
    rapid: num,
    safe_z: num,
    strategy: fc.constantFrom('slot', 'pocket', 'profile', 'Slot'),
    layer_name: fc.string(),
    climb: fc.boolean(),
    smoothing: num,
    margin: num,
    has_closed_paths: optBool,
    loop_count_hint: fc.option(fc.integer({ min: -2, max: 2000 }), { nil: null }),
    smallest_feature_mm: optNum,
    material_hardness: hardness,
    material_thickness_mm: optNum,
    material_resinous: optBool,
    geometry_width_mm: optNum,
    geometry_length_mm: optNum,
    geometry_depth_mm: optNum,
    wall_thickness_mm: optNum,
    tool_flute_length_mm: optNum,
    tool_stickout_mm: optNum,
    coolant_enabled: optBool,
    floor_thickness_mm: optNum,
    geometry_complex: optBool,
    feed_override_percent: optNum,
  },
  {
    requiredKeys: [
      'tool_d',
      'stepover',
      'stepdown',
      'z_rough',
      'feed_xy',
      'feed_z',
      'rapid',
      'safe_z',
      'strategy',
      'layer_name',
      'climb',
      'smoothing',
      'margin',
    ],
  },
);

/** Mostly-plausible jobs: the GREEN base with up to three fields taken from a generated job. */
const nearBase = fc
  .tuple(job, fc.subarray([...FEASIBILITY_INPUT_KEYS], { maxLength: 3 }))
  .map(([generated, keys]) => ({
    ...BASE,
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => keys.some((x) => x === k))),
  }));

const anyJob = fc.oneof(job, nearBase);

const INPUT_KEYS: ReadonlySet<string> = new Set(FEASIBILITY_INPUT_KEYS);
const HARD_PLUS = ['hard', 'very-hard', 'extreme'];

/** Independent oracle: true when any RED row of the spec table applies. */
function anyRedCondition(f: FeasibilityInput): boolean {
  const hard = HARD_PLUS.includes(f.material_hardness ?? '');
  const d = f.tool_d;
  const depth = f.geometry_depth_mm;
  const wall = f.wall_thickness_mm;
  const flute = f.tool_flute_length_mm;
  const deepFlute = flute !== null && depth !== null && depth > flute;
  const f029 = [
    hard,
    d < 3,
    f.stepdown > 5,
    f.stepover > 0.7,
    wall !== null && wall < 2,
    deepFlute,
  ];
  const f041 = [
    hard,
    depth !== null && depth >= 3 * d,
    f.stepover >= 0.6,
    f.stepdown >= 3,
    wall !== null && wall <= 3,
    f.geometry_complex === true,
  ];
  const conditions = [
    d <= 0,
    f.stepover <= 0 || f.stepover > (f.strategy === 'slot' ? 1 : 0.95),
    f.stepdown <= 0,
    f.z_rough >= 0,
    f.safe_z <= 0,
    f.has_closed_paths === false,
    f.loop_count_hint !== null && f.loop_count_hint <= 0,
    hard && f.stepdown > 1.5 * d,
    d > 0 && f.stepdown / d > 5,
    f.material_thickness_mm !== null && depth !== null && depth > f.material_thickness_mm,
    [f.geometry_width_mm, f.geometry_length_mm, depth].some((v) => v !== null && v <= 0),
    f.material_hardness === 'unknown',
    f.geometry_width_mm !== null && d > f.geometry_width_mm,
    f.tool_stickout_mm !== null && d > 0 && f.tool_stickout_mm / d > (hard ? 5 : 8),
    f.material_resinous === true && d < 3 && f.coolant_enabled === false,
    f.material_resinous === true && ['very-hard', 'extreme'].includes(f.material_hardness ?? ''),
    wall !== null && wall < 1,
    f029.filter(Boolean).length >= 3,
    deepFlute,
    f041.filter(Boolean).length >= 3,
  ];
  return conditions.some(Boolean);
}

describe('no RED leaks', () => {
  it('any RED condition yields RED and blocking; otherwise never RED', () => {
    fc.assert(
      fc.property(anyJob, (raw) => {
        const input = parseFeasibilityInput(raw);
        const outcome = safeEvaluate(raw);
        const red = anyRedCondition(input);
        expect(outcome.risk_level === 'RED').toBe(red);
        expect(outcome.blocking).toBe(red);
        if (outcome.risk_level === 'GREEN') expect(outcome.rules_triggered).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('the generator reaches all three buckets (the property is not vacuous)', () => {
    const seen = new Set(
      fc.sample(anyJob, { numRuns: 2000, seed: 7 }).map((r) => run(r).risk_level),
    );
    expect([...seen].sort()).toEqual(['GREEN', 'RED', 'YELLOW']);
  });
});

describe('fail closed', () => {
  it('arbitrary values either parse or yield a blocking UNKNOWN/ERROR, never GREEN', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const outcome = safeEvaluate(value);
        expect(outcome.risk_level).not.toBe('GREEN');
        expect(outcome.blocking).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a GREEN job with one field corrupted or one extra key is never GREEN', () => {
    const corrupt = fc.record({
      key: fc.oneof(
        fc.constantFrom(...Object.keys(BASE)),
        fc.string().filter((k) => !INPUT_KEYS.has(k)),
      ),
      // None of these is valid for a required field; any value is refused under an extra key.
      value: fc.oneof(fc.constant(null), fc.object(), fc.constant(Number.NaN), fc.array(fc.nat())),
    });
    fc.assert(
      fc.property(corrupt, ({ key, value }) => {
        const raw: Record<string, unknown> = { ...BASE };
        Object.defineProperty(raw, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        const outcome = safeEvaluate(raw);
        expect(outcome.risk_level).not.toBe('GREEN');
        expect(['UNKNOWN', 'ERROR']).toContain(outcome.risk_level);
      }),
      { numRuns: 1000 },
    );
  });

  it('an error thrown while reading the job yields a blocking ERROR', () => {
    const hostile = { ...BASE };
    Object.defineProperty(hostile, 'tool_d', {
      enumerable: true,
      get(): number {
        throw new Error('boom');
      },
    });
    const outcome = safeEvaluate(hostile);
    expect(outcome).toMatchObject({ risk_level: 'ERROR', blocking: true });
    expect('error' in outcome && outcome.error.code).toBe('INTERNAL');
  });

  it('a refused job reports UNKNOWN with the pointer of the bad field', () => {
    expect(safeEvaluate({ ...BASE, units: 5 })).toMatchObject({
      risk_level: 'UNKNOWN',
      blocking: true,
      rules_triggered: [],
      error: { code: 'VALIDATION_FAILED', pointer: '/units' },
    });
  });
});
