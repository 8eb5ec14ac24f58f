import type { MoveBuilder } from './builder.js';
import { checkInputs, invalid, lateralTool, passDepths } from './checks.js';
import { crossesPolygon, inset } from './inset.js';
import { LoopWalker, normalise } from './profile.js';
import { r4 } from './round.js';
import type { ContourPocketOp, Cutting, Point, ToolpathTool } from './types.js';

/** Most offset rings of one contour pocket (bounds the program like `spaced` does). */
const MAX_RINGS = 10_000;

/** Steps of the search for the deepest usable inset after the last regular one. */
const SEARCH_STEPS = 30;

/** Lanes shorter than this are plunged, as in the rectangular pocket. */
const MIN_RAMP_PERIMETER = 0.5;

/**
 * Tool-centre rings of a pocket in `wall` (CCW), innermost first: insets at the tool radius, then
 * every `step` further in until nothing is left. When the gap between the last ring and the
 * pocket's core is over half a tool radius, one more ring at the deepest usable inset covers it.
 * Rings closer than `step` ≤ one diameter leave no material between them. Refused: a contour the
 * tool cannot enter, and one whose inset splits into separate regions (not supported).
 */
export function pocketRings(wall: readonly Point[], radius: number, step: number): Point[][] {
  const first = inset(wall, radius);
  if (first.kind !== 'ring') throw invalid('contour pocket is too narrow for the tool to enter');
  const rings = [first.ring];
  let d = radius;
  for (;;) {
    if (rings.length > MAX_RINGS) throw invalid(`more than ${MAX_RINGS} contour pocket rings`);
    const next = inset(wall, d + step);
    if (next.kind === 'invalid') throw invalid('contour pocket splits into separate regions');
    if (next.kind === 'vanished') break;
    rings.push(next.ring);
    d += step;
  }
  // Bisect for the deepest inset still usable between d and d + step.
  let [lo, hi] = [d, d + step];
  let deepest: Point[] | undefined;
  for (let k = 0; k < SEARCH_STEPS; k += 1) {
    const mid = (lo + hi) / 2;
    const r = inset(wall, mid);
    if (r.kind === 'ring') [lo, deepest] = [mid, r.ring];
    else hi = mid;
  }
  if (deepest !== undefined && lo - d > radius / 2) rings.push(deepest);
  return rings.reverse();
}

function perimeter(loop: readonly Point[]): number {
  return loop.reduce((s, p, k) => {
    const q = loop[(k + 1) % loop.length] ?? p;
    return s + Math.hypot(q.x - p.x, q.y - p.y);
  }, 0);
}

/** The point of segment a→b nearest `p`, on the 1e-4 mm grid the moves use. */
function nearestOn(p: Point, a: Point, b: Point): Point {
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return { x: r4(a.x + t * dx), y: r4(a.y + t * dy) };
}

/**
 * `loop` starting at its point nearest `from` (inserted as a vertex when it lies inside an edge),
 * so the step from one ring to the next is as short as the rings allow.
 */
function startNear(loop: readonly Point[], from: Point): Point[] {
  let best = { k: 0, p: loop[0] ?? from, dist: Infinity };
  loop.forEach((a, k) => {
    const p = nearestOn(from, a, loop[(k + 1) % loop.length] ?? a);
    const dist = Math.hypot(p.x - from.x, p.y - from.y);
    if (dist < best.dist) best = { k, p, dist };
  });
  const { k, p } = best;
  const a = loop[k];
  const rest = [...loop.slice(k + 1), ...loop.slice(0, k + 1)];
  // Starting on vertex a itself: the loop is just rotated to it.
  if (a !== undefined && a.x === p.x && a.y === p.y) return [a, ...rest.slice(0, -1)];
  const last = rest[0];
  if (last !== undefined && last.x === p.x && last.y === p.y) return rest;
  return [p, ...rest];
}

/** The cutting order: a ring long enough to ramp on, the rings inside it, then the rest outwards. */
function cutOrder(loops: readonly Point[][], diameter: number): Point[][] {
  let ramp = loops.findIndex((l) => perimeter(l) >= 2 * diameter);
  if (ramp < 0) ramp = loops.length - 1;
  const inner = loops.slice(0, ramp).reverse();
  return [loops[ramp] ?? [], ...inner, ...loops.slice(ramp + 1)];
}

/** Tool position as the generator tracks it (the builder keeps its own copy). */
interface Cursor {
  at: Point;
  z: number;
}

/**
 * Go to the start of `loop` at depth `z`: straight across when the path stays inside the area the
 * tool centre may occupy (`boundary`) and the tool is already down, else retract, rapid, and ramp
 * in from the stock top along the loop (a plunge only on a loop too short to ramp on).
 */
function enter(
  b: MoveBuilder,
  c: Cursor,
  loop: readonly Point[],
  z: number,
  boundary: readonly Point[],
): LoopWalker {
  const walker = new LoopWalker(loop);
  const start = loop[0] ?? c.at;
  const down = c.z < 0;
  if (down && !crossesPolygon(c.at, start, boundary)) {
    b.line(start.x, start.y, c.z);
  } else {
    b.retract();
    b.rapidXY(start.x, start.y);
    b.plunge(0);
    c.z = 0;
  }
  if (c.z > z) {
    if (walker.perimeter < MIN_RAMP_PERIMETER) b.plunge(z);
    else walker.ramp(b, c.z, z);
  }
  return walker;
}

/**
 * Contour pocket: per depth pass, the rings of `pocketRings` in `cutOrder`, each a full lap at
 * that depth. The first ring of a pass is entered by ramping along it at RAMP_DEG from the
 * previous depth, like a profile; the others are reached by a straight feed at depth when that
 * stays inside the pocket, else by retract, rapid and ramp. Climb (M3) runs counter-clockwise.
 */
export function contourPocket(
  b: MoveBuilder,
  op: ContourPocketOp,
  tool: ToolpathTool,
  cutting: Cutting,
): void {
  checkInputs(tool, cutting);
  lateralTool(tool, 'contour pocket');
  const wall = normalise(op.contour);
  const rings = pocketRings(wall, tool.diameter / 2, cutting.stepover * tool.diameter);
  const boundary = rings[rings.length - 1] ?? [];
  const loops = rings.map((r) => (cutting.climb ? r : [...r].reverse()));
  const order = cutOrder(loops, tool.diameter);
  const c: Cursor = { at: order[0]?.[0] ?? { x: 0, y: 0 }, z: Infinity };
  for (const depth of passDepths(cutting)) {
    order.forEach((loop, k) => {
      const from = k === 0 ? c.z : depth;
      const walker = enter(b, { at: c.at, z: from }, startNear(loop, c.at), depth, boundary);
      walker.walk(b, walker.perimeter, depth);
      c.at = walker.position();
    });
    c.z = depth;
  }
  b.retract();
}
