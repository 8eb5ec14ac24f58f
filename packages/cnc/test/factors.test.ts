/**
 * The combined-risk rules with their inconsistent factor sets, reproduced as spec/rmos.md §3.2
 * states: F029 (≥ 3 of 6, strict, HARD+ incl. extreme), F041 (≥ 3 of 6, inclusive comparisons,
 * HARD+ incl. extreme), F037 (≥ 2 of 5, strict, hard and very-hard only).
 */
import { describe, expect, it } from 'vitest';
import { fired, run } from './fixtures.js';
import type { RawJob } from './fixtures.js';

/** All k-element subsets of `items`. */
function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return items.flatMap((item, i) =>
    subsets(items.slice(i + 1), k - 1).map((rest) => [item, ...rest]),
  );
}

function merge(patches: readonly RawJob[]): RawJob {
  return patches.reduce<RawJob>((acc, patch) => ({ ...acc, ...patch }), {});
}

interface FactorCase {
  readonly rule: string;
  readonly needed: number;
  /** Patches that each make exactly one factor true on the base job. */
  readonly factors: readonly RawJob[];
  /** Patches sitting exactly on (or just outside) a factor's threshold: they must not count. */
  readonly nonFactors: readonly RawJob[];
}

const CASES: readonly FactorCase[] = [
  {
    rule: 'F029',
    needed: 3,
    factors: [
      { material_hardness: 'extreme' },
      { tool_d: 2.9 },
      { stepdown: 5.01 },
      { stepover: 0.71 },
      { wall_thickness_mm: 1.99 },
      { geometry_depth_mm: 5, tool_flute_length_mm: 4.99 },
    ],
    nonFactors: [
      { material_hardness: 'medium' },
      { tool_d: 3 },
      { stepdown: 5 },
      { stepover: 0.7 },
      { wall_thickness_mm: 2 },
      { geometry_depth_mm: 5, tool_flute_length_mm: 5 },
    ],
  },
  {
    rule: 'F041',
    needed: 3,
    factors: [
      { material_hardness: 'extreme' },
      { geometry_depth_mm: 18 },
      { stepover: 0.6 },
      { stepdown: 3 },
      { wall_thickness_mm: 3 },
      { geometry_complex: true },
    ],
    nonFactors: [
      { material_hardness: 'medium' },
      { geometry_depth_mm: 17.99 },
      { stepover: 0.59 },
      { stepdown: 2.99 },
      { wall_thickness_mm: 3.01 },
      { geometry_complex: false },
    ],
  },
  {
    rule: 'F037',
    needed: 2,
    factors: [
      { material_hardness: 'very-hard' },
      { geometry_depth_mm: 12.01 },
      { stepover: 0.51 },
      { stepdown: 2.01 },
      { wall_thickness_mm: 2.99 },
    ],
    nonFactors: [
      { material_hardness: 'extreme' },
      { geometry_depth_mm: 12 },
      { stepover: 0.5 },
      { stepdown: 2 },
      { wall_thickness_mm: 3 },
    ],
  },
];

describe.each(CASES)('$rule', ({ rule, needed, factors, nonFactors }) => {
  it(`fires for every combination of ${String(needed)} factors`, () => {
    for (const combo of subsets(factors, needed)) {
      expect(fired(merge(combo)), JSON.stringify(combo)).toContain(rule);
    }
  });

  it(`does not fire for ${String(needed - 1)} factors`, () => {
    for (const combo of subsets(factors, needed - 1)) {
      expect(fired(merge(combo)), JSON.stringify(combo)).not.toContain(rule);
    }
  });

  it('does not count a value on the threshold (or a hardness outside the set)', () => {
    // needed-1 true factors plus one boundary value of a different factor: still below.
    factors.forEach((_, i) => {
      const others = factors.filter((__, j) => j !== i).slice(0, needed - 1);
      const boundary = nonFactors[i] ?? {};
      const patch = merge([...others, boundary]);
      expect(fired(patch), JSON.stringify(patch)).not.toContain(rule);
    });
  });
});

describe('hardness classes per rule', () => {
  it('F037 ignores extreme but counts hard and very-hard', () => {
    expect(fired({ material_hardness: 'extreme', stepover: 0.51 })).not.toContain('F037');
    expect(fired({ material_hardness: 'hard', stepover: 0.51 })).toContain('F037');
    expect(fired({ material_hardness: 'very-hard', stepover: 0.51 })).toContain('F037');
  });

  it('F029 and F041 count extreme and hard', () => {
    expect(fired({ material_hardness: 'extreme', tool_d: 2.9, stepover: 0.71 })).toContain('F029');
    expect(fired({ material_hardness: 'hard', tool_d: 2.9, stepover: 0.71 })).toContain('F029');
    expect(
      fired({ material_hardness: 'extreme', stepover: 0.6, geometry_complex: true }),
    ).toContain('F041');
  });

  it('reports the factor count in the message', () => {
    const result = run(merge(CASES[0]?.factors ?? []));
    expect(result.blocking_reasons).toContain(
      'Multiple unsafe conditions detected (6 risk factors); combined adversarial parameters',
    );
  });
});
