/**
 * YELLOW (manual review) rules of `feasibility_engine_v1`, spec/rmos.md §3.2, exactly as the
 * original, including F037's factor set (hard and very-hard only, not extreme; strict `>`).
 */
import { fixed1, num } from './format.js';
import type { Rule } from './hit.js';
import { countTrue, isHardPlus, when, yellow } from './hit.js';

const f010: Rule = (fi) => {
  const smallest = fi.smallest_feature_mm;
  if (smallest === null || !(fi.tool_d > smallest)) return [];
  return [
    yellow(
      'F010',
      'tool_d exceeds smallest feature; fine details may be unreachable',
      `tool_d <= ${num(smallest)}`,
    ),
  ];
};

// Equal feeds do not fire.
const f011: Rule = (fi) =>
  when(fi.feed_z > fi.feed_xy, () =>
    yellow('F011', 'feed_z > feed_xy; plunge may be too aggressive'),
  );

const f012: Rule = (fi) =>
  when(fi.stepdown > 3.0, () =>
    yellow('F012', 'stepdown is high (> 3.0mm); consider smaller passes', 'stepdown <= 3.0'),
  );

const f013: Rule = (fi) => {
  const loops = fi.loop_count_hint;
  if (loops === null || !(loops > 1000)) return [];
  return [
    yellow(
      'F013',
      `loop_count is high (${String(loops)}); may be slow/heavy`,
      'loop_count <= 1000',
    ),
  ];
};

const f030: Rule = (fi) => {
  const depth = fi.geometry_depth_mm;
  if (depth === null || !(fi.tool_d > 0) || !(depth / fi.tool_d > 2)) return [];
  return [
    yellow(
      'F030',
      `Deep cut: depth (${num(depth)}mm) exceeds 2× tool diameter (${num(fi.tool_d)}mm); deflection and chip evacuation risk`,
      `geometry_depth_mm <= ${num(2 * fi.tool_d)}`,
    ),
  ];
};

const f031: Rule = (fi) => {
  const low = 0.5 * fi.tool_d;
  const high = 1.5 * fi.tool_d;
  return when(isHardPlus(fi) && fi.stepdown > low && fi.stepdown <= high, () =>
    yellow(
      'F031',
      `DOC (${num(fi.stepdown)}mm) is aggressive for ${String(fi.material_hardness)} material; recommended ≤ ${fixed1(low)}mm`,
      `stepdown <= ${fixed1(low)}`,
    ),
  );
};

const f032: Rule = (fi) =>
  when(fi.tool_d < 2.0, () =>
    yellow('F032', `Small tool (${num(fi.tool_d)}mm < 2.0mm); fragile, breakage risk`),
  );

// A width ≤ 0 is already RED through F023; the ratio is only taken for a positive width so no
// division by zero can occur (the original would raise there, which also blocks).
const f034: Rule = (fi) => {
  const { geometry_width_mm: width, geometry_depth_mm: depth } = fi;
  if (fi.strategy !== 'slot' || width === null || depth === null || !(width > 0)) return [];
  return when(depth / width > 2, () =>
    yellow(
      'F034',
      `Deep narrow slot: depth:width ratio (${fixed1(depth / width)}:1) exceeds 2:1; chip packing risk`,
    ),
  );
};

const f035: Rule = (fi) =>
  when(fi.stepover > 0.7 && fi.strategy !== 'slot', () =>
    yellow(
      'F035',
      `stepover is high (${num(fi.stepover)} > 0.7 of tool diameter); high tool load`,
      'stepover <= 0.7',
    ),
  );

const f036: Rule = (fi) => {
  const wall = fi.wall_thickness_mm;
  if (wall === null || !(wall >= 1.0 && wall < 2.0)) return [];
  return [
    yellow(
      'F036',
      `Thin wall (${num(wall)}mm < 2.0mm); vibration and breakout risk`,
      'wall_thickness_mm >= 2.0',
    ),
  ];
};

const f037: Rule = (fi) => {
  const { material_hardness: h, geometry_depth_mm: depth, wall_thickness_mm: wall } = fi;
  const factors = countTrue([
    h === 'hard' || h === 'very-hard',
    depth !== null && depth > 2 * fi.tool_d,
    fi.stepover > 0.5,
    fi.stepdown > 2,
    wall !== null && wall < 3,
  ]);
  return when(factors >= 2, () =>
    yellow(
      'F037',
      `Several borderline parameters combined (${String(factors)} factors); review before cutting`,
    ),
  );
};

const f038: Rule = (fi) => {
  const floor = fi.floor_thickness_mm;
  if (floor === null || !(floor < 2.0)) return [];
  return [
    yellow(
      'F038',
      `Thin floor (${num(floor)}mm < 2.0mm); breakthrough and vibration risk`,
      'floor_thickness_mm >= 2.0',
    ),
  ];
};

const f039: Rule = (fi) =>
  when(fi.geometry_complex === true, () =>
    yellow('F039', 'Complex geometry; verify the toolpath simulation before cutting'),
  );

// Above 120 % carries a constraint; below 80 % does not (as in the original).
const f040: Rule = (fi) => {
  const pct = fi.feed_override_percent;
  if (pct === null) return [];
  if (pct > 120) {
    return [
      yellow(
        'F040',
        `Feed override ${num(pct)}% above 120%; chip load and tool stress increase`,
        'feed_override_percent <= 120',
      ),
    ];
  }
  return when(pct < 80, () =>
    yellow('F040', `Feed override ${num(pct)}% below 80%; rubbing and burn risk`),
  );
};

/** YELLOW rules in evaluation order. */
export const YELLOW_RULES: readonly Rule[] = [
  f010,
  f011,
  f012,
  f013,
  f030,
  f031,
  f032,
  f034,
  f035,
  f036,
  f037,
  f038,
  f039,
  f040,
];
