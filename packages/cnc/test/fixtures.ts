/** Shared job fixtures for the feasibility tests. */
import { evaluateFeasibility } from '../src/feasibility/engine.js';
import { parseFeasibilityInput } from '../src/feasibility/parse.js';
import type { FeasibilityResult } from '../src/feasibility/types.js';

/** A raw job as a client would send it. */
export type RawJob = Record<string, unknown>;

/** A plain GREEN job: 6 mm cutter pocketing medium-hard wood with gentle parameters. */
export const BASE: Readonly<RawJob> = Object.freeze({
  tool_d: 6,
  stepover: 0.45,
  stepdown: 1.5,
  z_rough: -3,
  feed_xy: 1200,
  feed_z: 300,
  rapid: 3000,
  safe_z: 5,
  strategy: 'pocket',
  layer_name: 'GEOMETRY',
  climb: true,
  smoothing: 0.1,
  margin: 0,
});

/** A job that trips most rules at once (see the expected list below). */
export const MANY: Readonly<Record<string, unknown>> = Object.freeze({
  ...BASE,
  tool_d: 2.5,
  stepover: 0.8,
  stepdown: 6,
  feed_z: 1500,
  material_hardness: 'extreme',
  material_resinous: true,
  coolant_enabled: false,
  geometry_width_mm: 0,
  geometry_length_mm: -1,
  geometry_depth_mm: -2,
  wall_thickness_mm: 0.5,
  loop_count_hint: 2000,
  floor_thickness_mm: 1,
  geometry_complex: true,
  feed_override_percent: 130,
});

/** Parses and evaluates `BASE` with `patch` applied. */
export function run(patch: RawJob = {}): FeasibilityResult {
  return evaluateFeasibility(parseFeasibilityInput({ ...BASE, ...patch }));
}

/** Rule ids fired for `BASE` + `patch`. */
export function fired(patch: RawJob = {}): readonly string[] {
  return run(patch).rules_triggered;
}
