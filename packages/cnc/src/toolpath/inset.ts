/**
 * Inward offsets of a closed counter-clockwise polygon for pocketing, with edge collapse: an edge
 * whose offset reverses direction has vanished and is dropped, its neighbours are re-intersected.
 * Every result is checked against the wall it came from (no gouge: each point of the tool-centre
 * path is at least the offset distance from every wall edge), so an imperfect offset can only be
 * refused, never cut.
 */
import { selfIntersects, signedArea } from './polygon.js';
import type { Point } from './types.js';

/** An offset line: a point on it and its unit direction. */
interface Line {
  readonly p: Point;
  readonly d: Point;
}

/** Outcome of one inset: the ring, nothing left, or a shape the generator does not handle. */
export type Inset =
  | { readonly kind: 'ring'; readonly ring: Point[] }
  | { readonly kind: 'vanished' }
  | { readonly kind: 'invalid' };

const EPS = 1e-9;

function cross(a: Point, b: Point): number {
  return a.x * b.y - a.y * b.x;
}

/** Edge k of `poly` moved `dist` towards the interior (left of a CCW edge). */
function insetLine(a: Point, b: Point, dist: number): Line {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const d = { x: (b.x - a.x) / len, y: (b.y - a.y) / len };
  return { p: { x: a.x - d.y * dist, y: a.y + d.x * dist }, d };
}

/** Corner where line `i` meets line `j`; null when they are antiparallel (nothing between). */
function corner(i: Line, j: Line): Point | null {
  const den = cross(i.d, j.d);
  if (Math.abs(den) < EPS) {
    // Parallel: same direction continues straight on; opposite means the strip closed.
    return i.d.x * j.d.x + i.d.y * j.d.y > 0 ? j.p : null;
  }
  const t = cross({ x: j.p.x - i.p.x, y: j.p.y - i.p.y }, j.d) / den;
  return { x: i.p.x + t * i.d.x, y: i.p.y + t * i.d.y };
}

/** Corners of consecutive lines; null when two neighbours are antiparallel. */
function corners(lines: readonly Line[]): Point[] | null {
  const out: Point[] = [];
  for (let k = 0; k < lines.length; k += 1) {
    const prev = lines[(k - 1 + lines.length) % lines.length];
    const cur = lines[k];
    if (prev === undefined || cur === undefined) return null;
    const c = corner(prev, cur);
    if (c === null) return null;
    out.push(c);
  }
  return out;
}

/**
 * The mitred inset of `wall` (CCW, simple) by `dist` > 0, collapsing vanished edges; null when
 * fewer than three edges survive.
 */
function collapse(wall: readonly Point[], dist: number): Point[] | null {
  let lines = wall.map((a, k) => insetLine(a, wall[(k + 1) % wall.length] ?? a, dist));
  for (;;) {
    if (lines.length < 3) return null;
    const pts = corners(lines);
    if (pts === null) return null;
    // Edge k runs from corner k to corner k + 1; it vanished when it points backwards.
    const kept = lines.filter((line, k) => {
      const a = pts[k];
      const b = pts[(k + 1) % pts.length];
      if (a === undefined || b === undefined) return false;
      return (b.x - a.x) * line.d.x + (b.y - a.y) * line.d.y > EPS;
    });
    if (kept.length === lines.length) return pts;
    lines = kept;
  }
}

function pointSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function properCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const side = (o: Point, p: Point, q: Point): number =>
    (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x);
  const d1 = side(c, d, a);
  const d2 = side(c, d, b);
  const d3 = side(a, b, c);
  const d4 = side(a, b, d);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/**
 * Whether every edge of `ring` keeps at least `dist` (less 1e-6) from every wall edge. Two
 * segments that do not cross are closest at an endpoint of one of them, so four point-to-segment
 * distances per pair are exact.
 */
export function clearOfWall(ring: readonly Point[], wall: readonly Point[], dist: number): boolean {
  const min = dist - 1e-6;
  for (let i = 0; i < ring.length; i += 1) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    if (a === undefined || b === undefined) return false;
    for (let j = 0; j < wall.length; j += 1) {
      const c = wall[j];
      const d = wall[(j + 1) % wall.length];
      if (c === undefined || d === undefined) return false;
      if (properCross(a, b, c, d)) return false;
      const near = Math.min(
        pointSegment(a, c, d),
        pointSegment(b, c, d),
        pointSegment(c, a, b),
        pointSegment(d, a, b),
      );
      if (near < min) return false;
    }
  }
  return true;
}

/** The inset of `wall` by `dist`, checked: simple, counter-clockwise and clear of the wall. */
export function inset(wall: readonly Point[], dist: number): Inset {
  const ring = collapse(wall, dist);
  if (ring === null || signedArea(ring) <= EPS) return { kind: 'vanished' };
  if (selfIntersects(ring) || !clearOfWall(ring, wall, dist)) return { kind: 'invalid' };
  return { kind: 'ring', ring };
}

/** Whether the segment a→b crosses an edge of the closed polygon `poly` (touching is fine). */
export function crossesPolygon(a: Point, b: Point, poly: readonly Point[]): boolean {
  return poly.some((c, k) => properCross(a, b, c, poly[(k + 1) % poly.length] ?? c));
}
