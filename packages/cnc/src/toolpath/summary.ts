import type { MotionProgram, Range } from '../gcode/index.js';
import { arcGeometry, isPlunge, segments, type Segment } from './geometry.js';

/** Extents per axis (null when an axis never had a value). */
export interface ToolpathBounds {
  readonly x: Range | null;
  readonly y: Range | null;
  readonly z: Range | null;
}

/** Statistics of a motion program. */
export interface ToolpathSummary {
  readonly counts: {
    readonly rapid: number;
    readonly linear: number;
    readonly arc: number;
    readonly plunge: number;
    readonly total: number;
  };
  /** Length of all feed moves (linear + arcs, helix pitch included), mm, rounded to 1e-3. */
  readonly cut_length: number;
  /** Extent of every move (arc extremes included). */
  readonly bounds: ToolpathBounds;
  /** Extent of the feed moves that are below the stock top (Z < 0) only. */
  readonly cut_bounds: ToolpathBounds;
}

type Box = { x: [number, number] | null; y: [number, number] | null; z: [number, number] | null };

function grow(box: Box, axis: 'x' | 'y' | 'z', v: number | undefined): void {
  if (v === undefined) return;
  const b = box[axis];
  box[axis] = b === null ? [v, v] : [Math.min(b[0], v), Math.max(b[1], v)];
}

function addSegment(box: Box, s: Segment): void {
  for (const p of [s.from, s.to]) {
    grow(box, 'x', p.x);
    grow(box, 'y', p.y);
    grow(box, 'z', p.z);
  }
  if (s.move.kind !== 'arc_cw' && s.move.kind !== 'arc_ccw') return;
  const { cx, cy, r, sweep } = arcGeometry(s);
  const a0 = Math.atan2((s.from.y ?? 0) - cy, (s.from.x ?? 0) - cx);
  // Quadrant points crossed by the sweep are the arc's extremes.
  for (let q = -8; q <= 8; q += 1) {
    const a = (q * Math.PI) / 2;
    const t = (a - a0) / sweep;
    if (t > 0 && t < 1) {
      grow(box, 'x', cx + r * Math.cos(a));
      grow(box, 'y', cy + r * Math.sin(a));
    }
  }
}

function segmentLength(s: Segment): number {
  const dz = (s.to.z ?? 0) - (s.from.z ?? 0);
  if (s.move.kind === 'arc_cw' || s.move.kind === 'arc_ccw') {
    const { r, sweep } = arcGeometry(s);
    return Math.hypot(r * Math.abs(sweep), dz);
  }
  return Math.hypot((s.to.x ?? 0) - (s.from.x ?? 0), (s.to.y ?? 0) - (s.from.y ?? 0), dz);
}

function freeze(box: Box): ToolpathBounds {
  return { x: box.x, y: box.y, z: box.z };
}

/** Move counts, cut length and bounds of `program` (pure, deterministic). */
export function toolpathSummary(program: MotionProgram): ToolpathSummary {
  const all: Box = { x: null, y: null, z: null };
  const cut: Box = { x: null, y: null, z: null };
  const counts = { rapid: 0, linear: 0, arc: 0, plunge: 0, total: program.moves.length };
  let length = 0;
  for (const s of segments(program.moves)) {
    addSegment(all, s);
    if (s.move.kind === 'rapid') {
      counts.rapid += 1;
      continue;
    }
    if (s.move.kind === 'linear') counts.linear += 1;
    else counts.arc += 1;
    if (isPlunge(s)) counts.plunge += 1;
    length += segmentLength(s);
    if ((s.to.z ?? 0) < 0) addSegment(cut, s);
  }
  return {
    counts,
    cut_length: Math.round(length * 1000) / 1000,
    bounds: freeze(all),
    cut_bounds: freeze(cut),
  };
}
