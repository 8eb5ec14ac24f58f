/**
 * RED (blocking) rules of `feasibility_engine_v1`, spec/rmos.md §3.2, exactly as the original:
 * thresholds, strict-vs-inclusive comparisons and the inconsistent factor sets of F029/F041 are
 * reproduced as-is. A rule whose optional field is null is skipped.
 */
import { fixed1, num } from './format.js';
import type { Rule } from './hit.js';
import { countTrue, isHardPlus, red, when } from './hit.js';
import type { RuleHit } from './types.js';

const f001: Rule = (fi) => when(fi.tool_d <= 0, () => red('F001', 'tool_d must be > 0'));

const f002: Rule = (fi) => {
  const max = fi.strategy === 'slot' ? 1.0 : 0.95;
  return when(fi.stepover <= 0 || fi.stepover > max, () =>
    red('F002', `stepover must be in (0, ${num(max)}]`),
  );
};

const f003: Rule = (fi) => when(fi.stepdown <= 0, () => red('F003', 'stepdown must be > 0'));

const f004: Rule = (fi) =>
  when(fi.z_rough >= 0, () => red('F004', 'z_rough must be negative (cutting depth)'));

const f005: Rule = (fi) => when(fi.safe_z <= 0, () => red('F005', 'safe_z must be > 0'));

// Only when preflight explicitly said so: null (not analysed) does not fire.
const f006: Rule = (fi) =>
  when(fi.has_closed_paths === false, () =>
    red('F006', 'DXF contains no closed paths on selected layer'),
  );

const f007: Rule = (fi) =>
  when(fi.loop_count_hint !== null && fi.loop_count_hint <= 0, () =>
    red('F007', 'No closed loops detected in DXF (preflight)'),
  );

const f020: Rule = (fi) => {
  const max = 1.5 * fi.tool_d;
  return when(isHardPlus(fi) && fi.stepdown > max, () =>
    red(
      'F020',
      `DOC (${num(fi.stepdown)}mm) too aggressive for ${String(fi.material_hardness)} material; max safe = ${fixed1(max)}mm`,
      `stepdown <= ${fixed1(max)}`,
    ),
  );
};

const f021: Rule = (fi) => {
  const ratio = fi.tool_d > 0 ? fi.stepdown / fi.tool_d : 0;
  return when(fi.tool_d > 0 && ratio > 5, () =>
    red(
      'F021',
      `DOC:diameter ratio (${fixed1(ratio)}:1) exceeds safe limit (5:1); tool breakage likely`,
      'stepdown / tool_d <= 5',
    ),
  );
};

const f022: Rule = (fi) => {
  const { material_thickness_mm: thick, geometry_depth_mm: depth } = fi;
  if (thick === null || depth === null || !(depth > thick)) return [];
  return [
    red(
      'F022',
      `Pocket depth (${num(depth)}mm) exceeds material thickness (${num(thick)}mm)`,
      `geometry_depth_mm <= ${num(thick)}`,
    ),
  ];
};

// One hit per bad dimension, in the order width, length, depth (up to three F023 hits).
const f023: Rule = (fi) => {
  const dims: readonly (readonly [string, number | null])[] = [
    ['width', fi.geometry_width_mm],
    ['length', fi.geometry_length_mm],
    ['depth', fi.geometry_depth_mm],
  ];
  const hits: RuleHit[] = [];
  for (const [name, value] of dims) {
    if (value !== null && value <= 0) {
      hits.push(red('F023', `Invalid geometry: ${name} must be > 0 (got ${num(value)})`));
    }
  }
  return hits;
};

// Explicit `unknown` only: a null hardness does not fire (spec §3.2).
const f024: Rule = (fi) =>
  when(fi.material_hardness === 'unknown', () =>
    red('F024', 'Material hardness unknown — cannot validate CAM parameters'),
  );

const f025: Rule = (fi) => {
  const width = fi.geometry_width_mm;
  if (width === null || !(fi.tool_d > width)) return [];
  return [
    red(
      'F025',
      `Tool diameter (${num(fi.tool_d)}mm) exceeds pocket width (${num(width)}mm); cannot machine`,
      `tool_d <= ${num(width)}`,
    ),
  ];
};

const f026: Rule = (fi) => {
  const stickout = fi.tool_stickout_mm;
  if (stickout === null || !(fi.tool_d > 0)) return [];
  const ratio = stickout / fi.tool_d;
  const limit = isHardPlus(fi) ? 5 : 8;
  return when(ratio > limit, () =>
    red(
      'F026',
      `Tool stickout:diameter ratio (${fixed1(ratio)}:1) exceeds safe limit (${String(limit)}:1); chatter/deflection likely`,
      `tool_stickout / tool_d <= ${String(limit)}`,
    ),
  );
};

// Two independent hits: (a) small tool without coolant, (b) very hard/extreme resinous stock.
const f027: Rule = (fi) => {
  if (fi.material_resinous !== true) return [];
  const hits: RuleHit[] = [];
  if (fi.tool_d < 3.0 && fi.coolant_enabled === false) {
    hits.push(
      red(
        'F027',
        `Resinous material + small tool (${num(fi.tool_d)}mm) + no coolant = high thermal/gumming risk`,
        'coolant_enabled = true OR tool_d >= 3.0',
      ),
    );
  }
  const h = fi.material_hardness;
  if (h === 'very-hard' || h === 'extreme') {
    hits.push(red('F027', `Resinous + very hard material (${h}) = extreme thermal risk`));
  }
  return hits;
};

const f028: Rule = (fi) => {
  const wall = fi.wall_thickness_mm;
  if (wall === null || !(wall < 1.0)) return [];
  return [
    red(
      'F028',
      `Wall thickness (${num(wall)}mm) below structural minimum (1mm); likely to break during machining`,
      'wall_thickness_mm >= 1.0',
    ),
  ];
};

function depthBeyondFlute(fi: Parameters<Rule>[0]): boolean {
  const { tool_flute_length_mm: flute, geometry_depth_mm: depth } = fi;
  return flute !== null && depth !== null && depth > flute;
}

// Factor set as in the original (HARD+ includes extreme; strict comparisons).
const f029: Rule = (fi) => {
  const wall = fi.wall_thickness_mm;
  const factors = countTrue([
    isHardPlus(fi),
    fi.tool_d < 3,
    fi.stepdown > 5,
    fi.stepover > 0.7,
    wall !== null && wall < 2,
    depthBeyondFlute(fi),
  ]);
  return when(factors >= 3, () =>
    red(
      'F029',
      `Multiple unsafe conditions detected (${String(factors)} risk factors); combined adversarial parameters`,
    ),
  );
};

const f033: Rule = (fi) => {
  const { tool_flute_length_mm: flute, geometry_depth_mm: depth } = fi;
  if (flute === null || depth === null || !(depth > flute)) return [];
  return [
    red(
      'F033',
      `Cut depth (${num(depth)}mm) exceeds tool flute length (${num(flute)}mm); shank would rub or the tool pull out`,
      `geometry_depth_mm <= ${num(flute)}`,
    ),
  ];
};

// Edge-pressure factor set: note the inclusive (>=, <=) comparisons, unlike F029/F037.
const f041: Rule = (fi) => {
  const { geometry_depth_mm: depth, wall_thickness_mm: wall } = fi;
  const factors = countTrue([
    isHardPlus(fi),
    depth !== null && depth >= 3 * fi.tool_d,
    fi.stepover >= 0.6,
    fi.stepdown >= 3,
    wall !== null && wall <= 3,
    fi.geometry_complex === true,
  ]);
  return when(factors >= 3, () =>
    red(
      'F041',
      `Combined edge pressure (${String(factors)} borderline factors); parameters jointly unsafe`,
    ),
  );
};

/** RED rules in evaluation order. */
export const RED_RULES: readonly Rule[] = [
  f001,
  f002,
  f003,
  f004,
  f005,
  f006,
  f007,
  f020,
  f021,
  f022,
  f023,
  f024,
  f025,
  f026,
  f027,
  f028,
  f029,
  f033,
  f041,
];
