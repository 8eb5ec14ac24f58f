import type { MoveBuilder } from './builder.js';
import { checkInputs, finite, invalid, lateralTool, passDepths, spaced } from './checks.js';
import type { Cutting, RectPocketOp, ToolpathTool } from './types.js';

/** Steepest ramp entry, degrees: shallow enough for a flat end mill without centre cutting. */
export const MAX_RAMP_DEG = 3;

/** Angle the generators aim for: the margin to MAX_RAMP_DEG absorbs the 1e-4 mm rounding. */
export const RAMP_DEG = 2.5;

/** Descent per mm of horizontal travel at RAMP_DEG. */
export const RAMP_SLOPE = Math.tan((RAMP_DEG * Math.PI) / 180);

/** Lanes shorter than this are plunged: a ramp on them would need thousands of legs. */
const MIN_RAMP_RUN = 0.5;

/**
 * Rectangular pocket: zig-zag lanes along X at stepover spacing inside the rectangle inset by
 * the tool radius. Each depth is entered by ramping back and forth along the first lane at
 * RAMP_DEG (never above MAX_RAMP_DEG after rounding), the lane is then cut flat, the remaining lanes follow, and a finishing pass
 * runs around the inset boundary. A pocket whose inset lane is shorter than 0.5 mm is plunged straight.
 */
export function rectPocket(
  b: MoveBuilder,
  op: RectPocketOp,
  tool: ToolpathTool,
  cutting: Cutting,
): void {
  checkInputs(tool, cutting);
  lateralTool(tool, 'rectangular pocket');
  for (const [k, v] of Object.entries(op)) if (typeof v === 'number') finite(k, v);
  const d = tool.diameter;
  if (op.width < d - 1e-9 || op.length < d - 1e-9) {
    throw invalid(`pocket ${op.width}×${op.length} is smaller than the tool (${d})`);
  }
  const tr = d / 2;
  const x0 = op.x + tr;
  const y0 = op.y + tr;
  const x1 = Math.max(x0, op.x + op.width - tr);
  const y1 = Math.max(y0, op.y + op.length - tr);
  const lanes = spaced(y0, y1, cutting.stepover * d);
  b.rapidXY(x0, y0);
  b.plunge(0);
  let z = 0;
  for (const depth of passDepths(cutting)) {
    b.line(x0, y0, z);
    const atX = ramp(b, x0, x1, y0, z, depth);
    z = depth;
    // Cut the first lane flat (it ends at the far end), then zig-zag the others.
    let x = atX === x0 ? x1 : x0;
    b.line(x, y0, z);
    for (const y of lanes.slice(1)) {
      b.line(x, y, z);
      x = x === x0 ? x1 : x0;
      b.line(x, y, z);
    }
    finishRect(b, cutting.climb, { x0, y0, x1, y1 }, x, z);
  }
  b.retract();
}

/** Ramp from z0 to z1 back and forth along the lane y; returns the X where it ended. */
function ramp(b: MoveBuilder, x0: number, x1: number, y: number, z0: number, z1: number): number {
  const run = x1 - x0;
  if (run < MIN_RAMP_RUN) {
    b.plunge(z1);
    return x0;
  }
  const legs = Math.max(1, Math.ceil((z0 - z1) / (RAMP_SLOPE * run) - 1e-9));
  let x = x0;
  for (let k = 1; k <= legs; k += 1) {
    x = x === x0 ? x1 : x0;
    b.line(x, y, z0 + ((z1 - z0) * k) / legs);
  }
  return x;
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * Finishing pass around the inset boundary, starting and ending at the corner the lanes ended
 * on (x, box.y1). Climb with an M3 spindle runs counter-clockwise around a pocket.
 */
function finishRect(b: MoveBuilder, climb: boolean, box: Box, x: number, z: number): void {
  const ccwLoop = [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x1, box.y1],
    [box.x0, box.y1],
  ] as const;
  const loop = climb ? [...ccwLoop] : [...ccwLoop].reverse();
  const start = loop.findIndex(([px, py]) => px === x && py === box.y1);
  for (let k = 1; k <= loop.length; k += 1) {
    const p = loop[(start + k) % loop.length];
    if (p !== undefined) b.line(p[0], p[1], z);
  }
}
