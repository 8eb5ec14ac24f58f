import type { MoveBuilder } from './builder.js';
import { checkInputs, finite, invalid, lateralTool, passDepths } from './checks.js';
import { offsetPolygon, selfIntersects, signedArea } from './polygon.js';
import { RAMP_SLOPE } from './rect.js';
import { r4 } from './round.js';
import type { Cutting, Point, ProfileOp, ToolpathTool } from './types.js';

/** Most points of one profile or contour-pocket contour (the checks on it are quadratic). */
export const MAX_CONTOUR_POINTS = 2000;

/** Closed, simple, counter-clockwise copy of the contour (a repeated last point is dropped). */
export function normalise(contour: readonly Point[]): Point[] {
  if (contour.length > MAX_CONTOUR_POINTS) {
    throw invalid(`contour has more than ${MAX_CONTOUR_POINTS} points`);
  }
  const pts = contour.map((p) => {
    finite('x', p.x);
    finite('y', p.y);
    return { x: p.x, y: p.y };
  });
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first !== undefined && last !== undefined && first.x === last.x && first.y === last.y) {
    pts.pop();
  }
  const deduped = pts.filter((p, k) => {
    const prev = pts[(k - 1 + pts.length) % pts.length];
    return prev === undefined || prev.x !== p.x || prev.y !== p.y;
  });
  if (deduped.length < 3) throw invalid('contour needs at least 3 distinct points');
  if (Math.abs(signedArea(deduped)) < 1e-9) throw invalid('contour encloses no area');
  if (selfIntersects(deduped)) throw invalid('contour self-intersects');
  return signedArea(deduped) > 0 ? deduped : deduped.reverse();
}

/**
 * Profile along a closed contour: the tool centre follows the contour offset by the tool radius
 * (outside: away from the interior, inside: towards it, on: the contour itself). Each depth is
 * entered by ramping along the path at RAMP_DEG (≤ MAX_RAMP_DEG) and then cut one full lap flat. Direction: climb
 * (M3 spindle) runs clockwise outside and on the line, counter-clockwise inside.
 */
export function profile(b: MoveBuilder, op: ProfileOp, tool: ToolpathTool, cutting: Cutting): void {
  checkInputs(tool, cutting);
  lateralTool(tool, 'profile');
  const ccw = normalise(op.contour);
  const tr = tool.diameter / 2;
  const dist = op.side === 'outside' ? tr : op.side === 'inside' ? -tr : 0;
  const path = offsetPolygon(ccw, dist);
  const runCcw = op.side === 'inside' ? cutting.climb : !cutting.climb;
  const loop = runCcw ? path : [...path].reverse();
  const walker = new LoopWalker(loop);
  const start = loop[0] ?? { x: 0, y: 0 };
  b.rapidXY(start.x, start.y);
  b.plunge(0);
  let z = 0;
  for (const depth of passDepths(cutting)) {
    walker.ramp(b, z, depth);
    walker.walk(b, walker.perimeter, depth);
    z = depth;
  }
  b.retract();
}

/** Walks a closed polyline by arc length, interpolating Z linearly over the walked distance. */
export class LoopWalker {
  readonly perimeter: number;
  private readonly lengths: number[];
  private edge = 0;
  private along = 0;

  constructor(private readonly loop: readonly Point[]) {
    this.lengths = loop.map((p, k) => {
      const q = this.point(k + 1);
      return Math.hypot(q.x - p.x, q.y - p.y);
    });
    this.perimeter = this.lengths.reduce((s, l) => s + l, 0);
  }

  private point(k: number): Point {
    return this.loop[k % this.loop.length] ?? { x: 0, y: 0 };
  }

  private here(): Point {
    const p = this.point(this.edge);
    const q = this.point(this.edge + 1);
    const len = this.lengths[this.edge] ?? 0;
    const t = len === 0 ? 1 : this.along / len;
    return { x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t };
  }

  /** Advance up to `distance` along the current edge; returns the distance moved. */
  private advance(distance: number): number {
    const len = this.lengths[this.edge] ?? 0;
    const step = Math.min(distance, len - this.along);
    this.along += step;
    return step;
  }

  /** Move to the next edge once the current one is used up (call after emitting the point). */
  private wrap(): void {
    if (this.along >= (this.lengths[this.edge] ?? 0) - 1e-12) {
      this.edge = (this.edge + 1) % this.loop.length;
      this.along = 0;
    }
  }

  /** Cut `distance` mm further along the loop at constant Z. */
  walk(b: MoveBuilder, distance: number, z: number): void {
    let left = distance;
    while (left > 1e-9) {
      left -= this.advance(left);
      const p = this.here();
      b.line(p.x, p.y, z);
      this.wrap();
    }
  }

  /**
   * Ramp from z0 down to z1 along the loop. Each point's Z is derived from the rounded XY run
   * actually travelled and rounded towards the shallower side, so no segment is steeper than
   * RAMP_DEG even after rounding; the ramp continues until it reaches z1.
   */
  ramp(b: MoveBuilder, z0: number, z1: number): void {
    // Compare on the grid: a float depth like −3.3000000000000003 must not loop forever.
    const end = r4(z1);
    let z = r4(z0);
    let last = this.rounded();
    while (z > end) {
      this.advance(Math.max((z - end) / RAMP_SLOPE, 1e-3));
      const p = this.here();
      const next = { x: r4(p.x), y: r4(p.y) };
      const run = Math.hypot(next.x - last.x, next.y - last.y);
      z = Math.max(end, Math.ceil((z - RAMP_SLOPE * run) * 1e4 - 1e-6) / 1e4);
      b.line(p.x, p.y, z);
      last = next;
      this.wrap();
    }
  }

  /** Where the walker is on the loop now. */
  position(): Point {
    return this.here();
  }

  private rounded(): Point {
    const p = this.here();
    return { x: r4(p.x), y: r4(p.y) };
  }
}
