/**
 * Every rule at, just below and just above its threshold (spec/rmos.md §3.2), and every optional
 * field's rule skipped when the field is null or absent. Each row: a rule id, a patch on the GREEN
 * base job, and whether the rule must fire.
 */
import { describe, expect, it } from 'vitest';
import { fired, run } from './fixtures.js';
import type { RawJob } from './fixtures.js';

type Row = readonly [label: string, patch: RawJob, fires: boolean];

const TABLE: Readonly<Record<string, readonly Row[]>> = {
  F001: [
    ['tool_d 0', { tool_d: 0 }, true],
    ['tool_d -0.001', { tool_d: -0.001 }, true],
    ['tool_d 0.001', { tool_d: 0.001 }, false],
  ],
  F002: [
    ['stepover 0', { stepover: 0 }, true],
    ['stepover -0.01', { stepover: -0.01 }, true],
    ['stepover 0.01', { stepover: 0.01 }, false],
    ['stepover 0.95', { stepover: 0.95 }, false],
    ['stepover 0.951', { stepover: 0.951 }, true],
    ['stepover 0.949', { stepover: 0.949 }, false],
    ['slot stepover 1.0', { strategy: 'slot', stepover: 1.0 }, false],
    ['slot stepover 1.001', { strategy: 'slot', stepover: 1.001 }, true],
    ['slot stepover 0.999', { strategy: 'slot', stepover: 0.999 }, false],
    ['"Slot" is not slot', { strategy: 'Slot', stepover: 1.0 }, true],
  ],
  F003: [
    ['stepdown 0', { stepdown: 0 }, true],
    ['stepdown -0.1', { stepdown: -0.1 }, true],
    ['stepdown 0.1', { stepdown: 0.1 }, false],
  ],
  F004: [
    ['z_rough 0', { z_rough: 0 }, true],
    ['z_rough -0.001', { z_rough: -0.001 }, false],
    ['z_rough 0.001', { z_rough: 0.001 }, true],
  ],
  F005: [
    ['safe_z 0', { safe_z: 0 }, true],
    ['safe_z -0.1', { safe_z: -0.1 }, true],
    ['safe_z 0.1', { safe_z: 0.1 }, false],
  ],
  F006: [
    ['closed false', { has_closed_paths: false }, true],
    ['closed true', { has_closed_paths: true }, false],
    ['closed null', { has_closed_paths: null }, false],
  ],
  F007: [
    ['loops 0', { loop_count_hint: 0 }, true],
    ['loops -1', { loop_count_hint: -1 }, true],
    ['loops 1', { loop_count_hint: 1 }, false],
    ['loops null', { loop_count_hint: null }, false],
  ],
  F020: [
    ['hard, at 1.5·d', { material_hardness: 'hard', tool_d: 2, stepdown: 3 }, false],
    ['hard, above', { material_hardness: 'hard', tool_d: 2, stepdown: 3.01 }, true],
    ['hard, below', { material_hardness: 'hard', tool_d: 2, stepdown: 2.99 }, false],
    ['very-hard, above', { material_hardness: 'very-hard', tool_d: 2, stepdown: 3.01 }, true],
    ['extreme, above', { material_hardness: 'extreme', tool_d: 2, stepdown: 3.01 }, true],
    ['medium, above', { material_hardness: 'medium', tool_d: 2, stepdown: 3.01 }, false],
    ['null hardness', { material_hardness: null, tool_d: 2, stepdown: 3.01 }, false],
  ],
  F021: [
    ['ratio 5', { tool_d: 1, stepdown: 5 }, false],
    ['ratio 5.01', { tool_d: 1, stepdown: 5.01 }, true],
    ['ratio 4.99', { tool_d: 1, stepdown: 4.99 }, false],
    ['tool_d 0', { tool_d: 0, stepdown: 5.01 }, false],
  ],
  F022: [
    ['depth = thickness', { material_thickness_mm: 10, geometry_depth_mm: 10 }, false],
    ['depth above', { material_thickness_mm: 10, geometry_depth_mm: 10.01 }, true],
    ['depth below', { material_thickness_mm: 10, geometry_depth_mm: 9.99 }, false],
    ['thickness null', { material_thickness_mm: null, geometry_depth_mm: 99 }, false],
    ['depth absent', { material_thickness_mm: 1 }, false],
  ],
  F023: [
    ['width 0', { geometry_width_mm: 0 }, true],
    ['length -1', { geometry_length_mm: -1 }, true],
    ['depth 0', { geometry_depth_mm: 0 }, true],
    ['width 0.01', { geometry_width_mm: 0.01, tool_d: 0.005 }, false],
  ],
  F024: [
    ['unknown', { material_hardness: 'unknown' }, true],
    ['null', { material_hardness: null }, false],
    ['absent', {}, false],
    ['soft', { material_hardness: 'soft' }, false],
  ],
  F025: [
    ['width = tool_d', { geometry_width_mm: 6 }, false],
    ['width 5.99', { geometry_width_mm: 5.99 }, true],
    ['width 6.01', { geometry_width_mm: 6.01 }, false],
  ],
  F026: [
    ['ratio 8', { tool_stickout_mm: 48 }, false],
    ['ratio > 8', { tool_stickout_mm: 48.06 }, true],
    ['ratio < 8', { tool_stickout_mm: 47.94 }, false],
    ['hard ratio 5', { material_hardness: 'hard', tool_stickout_mm: 30 }, false],
    ['hard ratio > 5', { material_hardness: 'hard', tool_stickout_mm: 30.06 }, true],
    ['extreme ratio > 5', { material_hardness: 'extreme', tool_stickout_mm: 30.06 }, true],
    ['tool_d 0', { tool_d: 0, tool_stickout_mm: 30 }, false],
  ],
  F027: [
    ['a: d 3.0', { material_resinous: true, coolant_enabled: false, tool_d: 3.0 }, false],
    ['a: d 2.99', { material_resinous: true, coolant_enabled: false, tool_d: 2.99 }, true],
    ['a: coolant null', { material_resinous: true, coolant_enabled: null, tool_d: 2 }, false],
    ['a: coolant on', { material_resinous: true, coolant_enabled: true, tool_d: 2 }, false],
    ['a: not resinous', { material_resinous: false, coolant_enabled: false, tool_d: 2 }, false],
    ['b: very-hard', { material_resinous: true, material_hardness: 'very-hard' }, true],
    ['b: extreme', { material_resinous: true, material_hardness: 'extreme' }, true],
    ['b: hard', { material_resinous: true, material_hardness: 'hard' }, false],
    ['b: resinous null', { material_hardness: 'extreme' }, false],
  ],
  F028: [
    ['wall 1.0', { wall_thickness_mm: 1.0 }, false],
    ['wall 0.99', { wall_thickness_mm: 0.99 }, true],
    ['wall 1.01', { wall_thickness_mm: 1.01 }, false],
  ],
  F033: [
    ['depth = flute', { tool_flute_length_mm: 10, geometry_depth_mm: 10 }, false],
    ['depth above', { tool_flute_length_mm: 10, geometry_depth_mm: 10.01 }, true],
    ['depth below', { tool_flute_length_mm: 10, geometry_depth_mm: 9.99 }, false],
    ['flute null', { tool_flute_length_mm: null, geometry_depth_mm: 10.01 }, false],
  ],
  F010: [
    ['feature = tool_d', { smallest_feature_mm: 6 }, false],
    ['feature 5.99', { smallest_feature_mm: 5.99 }, true],
    ['feature 6.01', { smallest_feature_mm: 6.01 }, false],
  ],
  F011: [
    ['equal feeds', { feed_z: 1200 }, false],
    ['plunge faster', { feed_z: 1200.5 }, true],
    ['plunge slower', { feed_z: 1199.5 }, false],
  ],
  F012: [
    ['stepdown 3', { stepdown: 3 }, false],
    ['stepdown 3.01', { stepdown: 3.01 }, true],
    ['stepdown 2.99', { stepdown: 2.99 }, false],
  ],
  F013: [
    ['loops 1000', { loop_count_hint: 1000 }, false],
    ['loops 1001', { loop_count_hint: 1001 }, true],
    ['loops 999', { loop_count_hint: 999 }, false],
  ],
  F030: [
    ['depth 2·d', { geometry_depth_mm: 12 }, false],
    ['depth above', { geometry_depth_mm: 12.01 }, true],
    ['depth below', { geometry_depth_mm: 11.99 }, false],
    ['tool_d 0', { tool_d: 0, geometry_depth_mm: 12.01 }, false],
  ],
  F031: [
    ['hard, at 0.5·d', { material_hardness: 'hard', stepdown: 3 }, false],
    ['hard, above 0.5·d', { material_hardness: 'hard', stepdown: 3.01 }, true],
    ['hard, below 0.5·d', { material_hardness: 'hard', stepdown: 2.99 }, false],
    ['hard, at 1.5·d', { material_hardness: 'hard', stepdown: 9 }, true],
    ['hard, above 1.5·d', { material_hardness: 'hard', stepdown: 9.01 }, false],
    ['extreme, inside', { material_hardness: 'extreme', stepdown: 4 }, true],
    ['medium, inside', { material_hardness: 'medium', stepdown: 4 }, false],
  ],
  F032: [
    ['tool_d 2', { tool_d: 2 }, false],
    ['tool_d 1.99', { tool_d: 1.99 }, true],
    ['tool_d 2.01', { tool_d: 2.01 }, false],
  ],
  F034: [
    ['ratio 2', { strategy: 'slot', geometry_width_mm: 6, geometry_depth_mm: 12 }, false],
    ['ratio > 2', { strategy: 'slot', geometry_width_mm: 6, geometry_depth_mm: 12.01 }, true],
    ['ratio < 2', { strategy: 'slot', geometry_width_mm: 6, geometry_depth_mm: 11.99 }, false],
    ['not slot', { strategy: 'pocket', geometry_width_mm: 6, geometry_depth_mm: 20 }, false],
    ['width null', { strategy: 'slot', geometry_depth_mm: 20 }, false],
    ['width 0', { strategy: 'slot', geometry_width_mm: 0, geometry_depth_mm: 20 }, false],
  ],
  F035: [
    ['stepover 0.7', { stepover: 0.7 }, false],
    ['stepover 0.71', { stepover: 0.71 }, true],
    ['stepover 0.69', { stepover: 0.69 }, false],
    ['slot 0.8', { strategy: 'slot', stepover: 0.8 }, false],
  ],
  F036: [
    ['wall 1.0', { wall_thickness_mm: 1.0 }, true],
    ['wall 0.99', { wall_thickness_mm: 0.99 }, false],
    ['wall 1.01', { wall_thickness_mm: 1.01 }, true],
    ['wall 2.0', { wall_thickness_mm: 2.0 }, false],
    ['wall 1.99', { wall_thickness_mm: 1.99 }, true],
    ['wall 2.01', { wall_thickness_mm: 2.01 }, false],
  ],
  F038: [
    ['floor 2.0', { floor_thickness_mm: 2.0 }, false],
    ['floor 1.99', { floor_thickness_mm: 1.99 }, true],
    ['floor 2.01', { floor_thickness_mm: 2.01 }, false],
  ],
  F039: [
    ['complex', { geometry_complex: true }, true],
    ['simple', { geometry_complex: false }, false],
    ['null', { geometry_complex: null }, false],
  ],
  F040: [
    ['120', { feed_override_percent: 120 }, false],
    ['120.01', { feed_override_percent: 120.01 }, true],
    ['119.99', { feed_override_percent: 119.99 }, false],
    ['80', { feed_override_percent: 80 }, false],
    ['79.99', { feed_override_percent: 79.99 }, true],
    ['80.01', { feed_override_percent: 80.01 }, false],
    ['null', { feed_override_percent: null }, false],
  ],
};

describe('rule thresholds', () => {
  it('the base job is GREEN with no hits', () => {
    expect(run()).toMatchObject({ risk_level: 'GREEN', blocking: false, rules_triggered: [] });
  });

  for (const [rule, rows] of Object.entries(TABLE)) {
    describe(rule, () => {
      it.each(rows)('%s', (_label, patch, fires) => {
        expect(fired(patch).includes(rule)).toBe(fires);
      });
    });
  }
});

describe('constraint strings', () => {
  const CASES: readonly (readonly [string, RawJob, string])[] = [
    // 1.5 × 3.3 is 4.9499999… in binary, so one decimal gives 4.9 (as Python's {:.1f} does).
    ['F020', { material_hardness: 'hard', tool_d: 3.3, stepdown: 5 }, 'stepdown <= 4.9'],
    ['F020', { material_hardness: 'hard', tool_d: 2, stepdown: 5 }, 'stepdown <= 3.0'],
    ['F021', { tool_d: 1, stepdown: 5.5 }, 'stepdown / tool_d <= 5'],
    ['F022', { material_thickness_mm: 10, geometry_depth_mm: 11 }, 'geometry_depth_mm <= 10.0'],
    ['F025', { geometry_width_mm: 5.5 }, 'tool_d <= 5.5'],
    ['F026', { tool_stickout_mm: 60 }, 'tool_stickout / tool_d <= 8'],
    ['F026', { material_hardness: 'hard', tool_stickout_mm: 31 }, 'tool_stickout / tool_d <= 5'],
    [
      'F027',
      { material_resinous: true, coolant_enabled: false, tool_d: 2.5 },
      'coolant_enabled = true OR tool_d >= 3.0',
    ],
    ['F028', { wall_thickness_mm: 0.5 }, 'wall_thickness_mm >= 1.0'],
    ['F033', { tool_flute_length_mm: 8.5, geometry_depth_mm: 9 }, 'geometry_depth_mm <= 8.5'],
    ['F010', { smallest_feature_mm: 3.175 }, 'tool_d <= 3.175'],
    ['F012', { stepdown: 3.5 }, 'stepdown <= 3.0'],
    ['F013', { loop_count_hint: 5000 }, 'loop_count <= 1000'],
    ['F030', { geometry_depth_mm: 13 }, 'geometry_depth_mm <= 12.0'],
    ['F031', { material_hardness: 'hard', tool_d: 5, stepdown: 4 }, 'stepdown <= 2.5'],
    ['F035', { stepover: 0.8 }, 'stepover <= 0.7'],
    ['F036', { wall_thickness_mm: 1.5 }, 'wall_thickness_mm >= 2.0'],
    ['F038', { floor_thickness_mm: 1 }, 'floor_thickness_mm >= 2.0'],
    ['F040', { feed_override_percent: 150 }, 'feed_override_percent <= 120'],
  ];

  it.each(CASES)('%s emits its constraint', (rule, patch, constraint) => {
    const result = run(patch);
    expect(result.rules_triggered).toContain(rule);
    expect(result.constraints).toContain(constraint);
  });

  it('rules without a constraint emit none (F040 below 80, F039, F011, F001)', () => {
    expect(run({ feed_override_percent: 50 }).constraints).toEqual([]);
    expect(run({ geometry_complex: true, feed_z: 2000 }).constraints).toEqual([]);
    expect(run({ tool_d: 0 }).constraints).not.toContain('tool_d > 0');
  });

  it('formats lengths the Python way (15 → "15.0") and ratios with one decimal', () => {
    const result = run({ material_thickness_mm: 15, geometry_depth_mm: 20, tool_d: 8 });
    expect(result.blocking_reasons).toContain(
      'Pocket depth (20.0mm) exceeds material thickness (15.0mm)',
    );
    expect(run({ tool_d: 1, stepdown: 5.55 }).blocking_reasons).toContain(
      'DOC:diameter ratio (5.5:1) exceeds safe limit (5:1); tool breakage likely',
    );
  });
});
