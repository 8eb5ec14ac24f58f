/** `feasibilityInputOf`: a normalized job as the rule engine's `FeasibilityInput` (§3.2). */
import { parseFeasibilityInput } from '../feasibility/parse.js';
import type { FeasibilityInput } from '../feasibility/types.js';
import { machineProfile } from '../gcode/machines.js';
import { operationBbox, smallestFeature, thinnestWall, unionBbox } from './geometry.js';
import { round6 } from './normalize.js';
import type { NormalizedJob, NormalizedOperation } from '@clearance/protocol/portable';

/** `pipeline_id` stamped on inputs derived from jobs. */
export const JOB_PIPELINE_ID = 'clearance_cnc_job_v1';

/** Width equality tolerance (mm) for deciding that a ring is a full-width slot. */
const SLOT_TOLERANCE_MM = 1e-6;

function strategyOf(op: NormalizedOperation, toolDiameter: number): string {
  switch (op.kind) {
    case 'rosette': {
      const slot = op.rings.every(
        (r) => Math.abs(r.outer_radius - r.inner_radius - toolDiameter) <= SLOT_TOLERANCE_MM,
      );
      return slot ? 'slot' : 'pocket';
    }
    case 'circular_pocket':
    case 'rect_pocket':
    case 'contour_pocket':
      return 'pocket';
    case 'profile':
      return 'profile';
    case 'drill':
      return 'drill';
  }
}

/**
 * The job's strategy: `slot` when it is only rosette rings exactly one tool wide (the tool cuts
 * the full width, stepover 1.0 allowed), else `pocket` / `profile` / `drill` when every operation
 * agrees, else `mixed` (not `slot`, so the stricter stepover limits apply).
 */
export function jobStrategy(job: NormalizedJob): string {
  const kinds = new Set(job.operations.map((op) => strategyOf(op, job.tool.diameter)));
  const [only] = kinds;
  return kinds.size === 1 && only !== undefined ? only : 'mixed';
}

/** Closed loops cut: one per ring / pocket / contour; drilling has none (null, not 0: F007). */
function loopCount(ops: readonly NormalizedOperation[]): number | null {
  const n = ops.reduce((sum, op) => {
    if (op.kind === 'rosette') return sum + op.rings.length;
    return op.kind === 'drill' ? sum : sum + 1;
  }, 0);
  return n === 0 ? null : n;
}

/** Geometric entities: rings, pockets, contours and drill points. */
function entityCount(ops: readonly NormalizedOperation[]): number {
  return ops.reduce((sum, op) => {
    if (op.kind === 'rosette') return sum + op.rings.length;
    return sum + (op.kind === 'drill' ? op.points.length : 1);
  }, 0);
}

/**
 * Maps a normalized job onto the feasibility engine's input, validated by
 * `parseFeasibilityInput`. Choices: `rapid` = the machine's max XY feed; `post_id` = the machine
 * dialect in upper case; `layer_name` = the single DXF layer when the job names exactly one, else
 * `0`; `has_closed_paths` = true (every contour of a normalized job is closed by construction);
 * `geometry_width/length_mm` = X/Y extent of the bounding box of all operations; depth = final
 * depth; `wall_thickness_mm` = see `thinnestWall`; `smallest_feature_mm` = see
 * `smallestFeature`; `floor_thickness_mm`, `geometry_complex`, `feed_override_percent` = null.
 */
export function feasibilityInputOf(job: NormalizedJob): FeasibilityInput {
  const machine = machineProfile(job.machine);
  const d = job.tool.diameter;
  const bbox = unionBbox(job.operations.map((op) => operationBbox(op, d)));
  const box = {
    x_min: round6(bbox.x_min),
    y_min: round6(bbox.y_min),
    x_max: round6(bbox.x_max),
    y_max: round6(bbox.y_max),
  };
  const wall = thinnestWall(job.operations, job.stock, d);
  const smallest = smallestFeature(job.operations);
  return parseFeasibilityInput({
    pipeline_id: JOB_PIPELINE_ID,
    post_id: machine.dialect.toUpperCase(),
    units: 'mm',
    tool_d: d,
    stepover: job.cutting.stepover,
    stepdown: job.cutting.stepdown,
    z_rough: -job.cutting.final_depth,
    feed_xy: job.cutting.feed_xy,
    feed_z: job.cutting.feed_z,
    rapid: machine.max_feed_xy,
    safe_z: job.cutting.safe_z,
    strategy: jobStrategy(job),
    layer_name: job.layer ?? '0',
    climb: job.cutting.climb,
    smoothing: 0,
    margin: 0,
    has_closed_paths: true,
    loop_count_hint: loopCount(job.operations),
    entity_count: entityCount(job.operations),
    bbox: box,
    smallest_feature_mm: smallest === null ? null : round6(smallest),
    material_id: job.material.id,
    material_hardness: job.material.hardness,
    material_thickness_mm: job.material.thickness,
    material_resinous: job.material.resinous,
    geometry_width_mm: round6(box.x_max - box.x_min),
    geometry_length_mm: round6(box.y_max - box.y_min),
    geometry_depth_mm: job.cutting.final_depth,
    wall_thickness_mm: wall === null ? null : round6(wall),
    tool_flute_length_mm: job.tool.flute_length,
    tool_stickout_mm: job.tool.stickout,
    coolant_enabled: job.cutting.coolant,
  });
}
