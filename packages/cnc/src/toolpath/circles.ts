import type { MoveBuilder } from './builder.js';
import { RAMP_SLOPE } from './rect.js';
import { checkInputs, finite, invalid, lateralTool, passDepths, spaced } from './checks.js';
import type { CircularPocketOp, Cutting, RingChannelOp, ToolpathTool } from './types.js';

/**
 * Climb milling with an M3 spindle runs counter-clockwise along a pocket wall; the ring channel
 * and the circular pocket are both treated as pockets (their outer wall is the finish wall).
 */
/** Helices tighter than this would need hundreds of turns; such pockets are plunged. */
const MIN_HELIX_RADIUS = 0.25;

function ccwFor(cutting: Cutting): boolean {
  return cutting.climb;
}

/**
 * Annular channel: per depth, concentric circles from inner + tool_r to outer − tool_r spaced ≤
 * stepover · diameter. Entry is a helix (at RAMP_DEG, as many turns as
 * needed) on the innermost circle when the channel is
 * wider than the tool, a straight plunge when it equals the tool. Throws VALIDATION_FAILED when
 * the channel is narrower than the tool (it would cut outside the design).
 */
export function ringChannel(
  b: MoveBuilder,
  op: RingChannelOp,
  tool: ToolpathTool,
  cutting: Cutting,
): void {
  checkInputs(tool, cutting);
  lateralTool(tool, 'ring channel');
  for (const [k, v] of Object.entries(op)) if (typeof v === 'number') finite(k, v);
  const tr = tool.diameter / 2;
  if (op.inner_radius < 0) throw invalid('inner_radius must be ≥ 0');
  const width = op.outer_radius - op.inner_radius;
  if (width < tool.diameter - 1e-9) {
    throw invalid(`channel width ${width} is narrower than the tool (${tool.diameter})`);
  }
  const rIn = op.inner_radius + tr;
  const rOut = Math.max(rIn, op.outer_radius - tr);
  const radii = spaced(rIn, rOut, cutting.stepover * tool.diameter);
  const helical = radii.length > 1;
  const ccw = ccwFor(cutting);
  const { cx, cy } = op;
  b.rapidXY(cx + rIn, cy);
  b.plunge(0);
  for (const z of passDepths(cutting)) {
    b.line(cx + rIn, cy);
    if (helical) b.helix(ccw, cx, cy, rIn, z, RAMP_SLOPE);
    else b.plunge(z);
    for (const r of radii) {
      b.line(cx + r, cy, z);
      b.circle(ccw, cx, cy, r, z);
    }
  }
  b.retract();
}

/**
 * Circular pocket: per depth a helix at RAMP_DEG near the centre (radius min(d/4, R − tool_r)),
 * then concentric rings outwards spaced ≤ stepover · diameter, the last one the finishing pass
 * at radius − tool_r. A pocket whose helix radius would be under 0.25 mm is plunged straight.
 */
export function circularPocket(
  b: MoveBuilder,
  op: CircularPocketOp,
  tool: ToolpathTool,
  cutting: Cutting,
): void {
  checkInputs(tool, cutting);
  lateralTool(tool, 'circular pocket');
  for (const [k, v] of Object.entries(op)) if (typeof v === 'number') finite(k, v);
  const tr = tool.diameter / 2;
  if (op.radius < tr - 1e-9) throw invalid(`pocket radius ${op.radius} is smaller than the tool`);
  const rMax = Math.max(0, op.radius - tr);
  const rh = Math.min(tool.diameter / 4, rMax);
  const radii = spaced(rh, rMax, cutting.stepover * tool.diameter);
  const ccw = ccwFor(cutting);
  const { cx, cy } = op;
  b.rapidXY(cx + rh, cy);
  b.plunge(0);
  for (const z of passDepths(cutting)) {
    b.line(cx + rh, cy);
    if (rh >= MIN_HELIX_RADIUS) b.helix(ccw, cx, cy, rh, z, RAMP_SLOPE);
    else b.plunge(z);
    for (const r of radii) {
      if (r <= 1e-9) continue;
      b.line(cx + r, cy, z);
      b.circle(ccw, cx, cy, r, z);
    }
  }
  b.retract();
}
