import { invalid } from './checks.js';
import type { Point } from './types.js';

/** Signed area (positive = counter-clockwise). */
export function signedArea(poly: readonly Point[]): number {
  let a = 0;
  poly.forEach((p, k) => {
    const q = poly[(k + 1) % poly.length] ?? p;
    a += p.x * q.y - q.x * p.y;
  });
  return a / 2;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Whether segments ab and cd intersect or touch (collinear overlap included). */
function segmentsMeet(a: Point, b: Point, c: Point, d: Point): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    return true;
  }
  const on = (p: Point, q: Point, r: Point): boolean =>
    Math.min(p.x, q.x) <= r.x &&
    r.x <= Math.max(p.x, q.x) &&
    Math.min(p.y, q.y) <= r.y &&
    r.y <= Math.max(p.y, q.y);
  return (
    (d1 === 0 && on(c, d, a)) ||
    (d2 === 0 && on(c, d, b)) ||
    (d3 === 0 && on(a, b, c)) ||
    (d4 === 0 && on(a, b, d))
  );
}

/** Whether any two non-adjacent edges of the closed polygon meet (O(n²); callers cap n). */
export function selfIntersects(poly: readonly Point[]): boolean {
  const n = poly.length;
  const at = (k: number): Point => poly[k % n] ?? { x: 0, y: 0 };
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsMeet(at(i), at(i + 1), at(j), at(j + 1))) return true;
    }
  }
  return false;
}

/** Longest allowed miter, in offsets: sharper corners are refused rather than overshot. */
export const MAX_MITER = 4;

/**
 * Counter-clockwise `poly` offset by `dist` (positive = outwards, negative = inwards) with
 * mitred corners: each edge moves along its normal and neighbours are intersected. This is exact
 * for convex polygons and for simple concave ones whose features are larger than the offset.
 * Refused (VALIDATION_FAILED): corners sharper than a MAX_MITER miter, edges that would reverse
 * or vanish (a feature narrower than the tool), and offsets that self-intersect.
 */
export function offsetPolygon(poly: readonly Point[], dist: number): Point[] {
  if (dist === 0) return [...poly];
  const n = poly.length;
  const at = (k: number): Point => poly[((k % n) + n) % n] ?? { x: 0, y: 0 };
  const out: Point[] = [];
  for (let k = 0; k < n; k += 1) {
    const [a, b, c] = [at(k - 1), at(k), at(k + 1)];
    const n1 = normal(a, b);
    const n2 = normal(b, c);
    const bis = { x: n1.x + n2.x, y: n1.y + n2.y };
    const dot = bis.x * n1.x + bis.y * n1.y;
    if (dot <= 1 / MAX_MITER) throw invalid('contour corner too sharp for the tool offset');
    // The miter point lies on the bisector at distance dist / cos(half angle).
    out.push({ x: b.x + (bis.x * dist) / dot, y: b.y + (bis.y * dist) / dot });
  }
  out.forEach((p, k) => {
    const q = out[(k + 1) % n] ?? p;
    const [a, b] = [at(k), at(k + 1)];
    if ((q.x - p.x) * (b.x - a.x) + (q.y - p.y) * (b.y - a.y) <= 0) {
      throw invalid('contour feature narrower than the tool offset');
    }
  });
  if (selfIntersects(out)) throw invalid('tool offset of the contour self-intersects');
  return out;
}

/** Outward unit normal of edge a→b of a counter-clockwise polygon (right-hand side). */
function normal(a: Point, b: Point): Point {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  return { x: (b.y - a.y) / len, y: -(b.x - a.x) / len };
}
