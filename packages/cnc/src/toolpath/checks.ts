import { ClearanceError } from '@clearance/protocol';

import { r4 } from './round.js';
import type { Cutting, ToolpathTool } from './types.js';

/** VALIDATION_FAILED with `message`. */
export function invalid(message: string): ClearanceError {
  return new ClearanceError('VALIDATION_FAILED', message);
}

function positive(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw invalid(`${name} must be a positive number: ${v}`);
}

/** Rejects parameters no generator can honour (before any move is produced). */
export function checkInputs(tool: ToolpathTool, cutting: Cutting): void {
  positive('tool diameter', tool.diameter);
  if (!Number.isFinite(cutting.stepover) || cutting.stepover <= 0 || cutting.stepover > 1) {
    throw invalid(`stepover must be in (0, 1]: ${cutting.stepover}`);
  }
  positive('stepdown', cutting.stepdown);
  positive('final_depth', cutting.final_depth);
  positive('feed_xy', cutting.feed_xy);
  positive('feed_z', cutting.feed_z);
  positive('rpm', cutting.rpm);
  positive('safe_z', cutting.safe_z);
  // Bound the pass count so a tiny stepdown cannot produce an unbounded program.
  if (cutting.final_depth / cutting.stepdown > 1000) throw invalid('more than 1000 depth passes');
}

/** Finite-number guard for geometry fields. */
export function finite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw invalid(`${name} must be finite: ${v}`);
}

/**
 * Pass depths as negative Z: −stepdown, −2·stepdown, …, the last exactly −final_depth.
 */
export function passDepths(cutting: Cutting): number[] {
  const n = Math.max(1, Math.ceil(cutting.final_depth / cutting.stepdown - 1e-9));
  const out: number[] = [];
  // On the 1e-4 grid so 3 × 1.1 is −3.3, not −3.3000000000000003.
  for (let k = 1; k < n; k += 1) out.push(r4(-k * cutting.stepdown));
  out.push(r4(-cutting.final_depth));
  return out;
}

/**
 * `n + 1` evenly spaced values from `a` to `b` (both included) with spacing ≤ `step`; just `[a]`
 * when a == b.
 */
export function spaced(a: number, b: number, step: number): number[] {
  const span = b - a;
  if (span <= 1e-9) return [a];
  const n = Math.ceil(span / step - 1e-9);
  if (n > 10_000) throw invalid('more than 10000 stepover passes');
  const out: number[] = [];
  for (let k = 0; k < n; k += 1) out.push(a + (k * span) / n);
  out.push(b);
  return out;
}

/** A drill cannot cut sideways: only drill patterns may use it. */
export function lateralTool(tool: ToolpathTool, what: string): void {
  if (tool.type === 'drill') throw invalid(`a drill cannot cut a ${what}`);
}
