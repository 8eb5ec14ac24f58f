/**
 * `jobOperations`: a normalized job's operations as toolpath operations, in job order. A rounded
 * rectangle whose corner radius the tool cannot follow (radius > tool radius) becomes a contour
 * pocket with the corner arcs flattened within the DXF chord tolerance; a smaller radius is cut
 * by the tool's own radius, so it is an ordinary rectangular pocket.
 */
import { CHORD_TOLERANCE_MM } from '../job/dxf.js';
import type { NormalizedJob, NormalizedOperation } from '@clearance/protocol/portable';
import { r4 } from '../toolpath/round.js';
import type { Operation, Point } from '../toolpath/types.js';

type RectPocket = Extract<NormalizedOperation, { kind: 'rect_pocket' }>;

/** Chords per quarter circle of radius `r` so the sagitta stays within CHORD_TOLERANCE_MM. */
function quarterSegments(r: number): number {
  const perCircle = Math.PI / Math.acos(Math.max(-1, 1 - CHORD_TOLERANCE_MM / r));
  return Math.max(2, Math.ceil(perCircle / 4));
}

/**
 * The counter-clockwise outline of a rounded rectangle: four straight sides joined by quarter
 * arcs of radius `corner_radius`, corner points on the 1e-4 mm grid of the toolpaths.
 */
export function roundedRectContour(op: RectPocket): Point[] {
  const r = op.corner_radius;
  const n = quarterSegments(r);
  const [x0, y0, x1, y1] = [op.x + r, op.y + r, op.x + op.width - r, op.y + op.length - r];
  // Arc centres, each with the angle its quarter starts at, in CCW order from the lower right.
  const centres: readonly [number, number, number][] = [
    [x1, y0, -Math.PI / 2],
    [x1, y1, 0],
    [x0, y1, Math.PI / 2],
    [x0, y0, Math.PI],
  ];
  const out: Point[] = [];
  for (const [cx, cy, start] of centres) {
    for (let k = 0; k <= n; k += 1) {
      const a = start + ((Math.PI / 2) * k) / n;
      const p = { x: r4(cx + r * Math.cos(a)), y: r4(cy + r * Math.sin(a)) };
      const prev = out[out.length - 1];
      // A full-width corner (r = width / 2) makes neighbouring arcs meet: drop the duplicate.
      if (prev === undefined || prev.x !== p.x || prev.y !== p.y) out.push(p);
    }
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first !== undefined && last !== undefined && first.x === last.x && first.y === last.y) {
    out.pop();
  }
  return out;
}

function toolpathOps(op: NormalizedOperation, toolRadius: number): Operation[] {
  switch (op.kind) {
    case 'rosette':
      return op.rings.map((ring) => ({
        kind: 'ring_channel',
        cx: op.cx,
        cy: op.cy,
        inner_radius: ring.inner_radius,
        outer_radius: ring.outer_radius,
      }));
    case 'circular_pocket':
      return [{ kind: op.kind, cx: op.cx, cy: op.cy, radius: op.radius }];
    case 'rect_pocket': {
      if (op.corner_radius > toolRadius) {
        return [{ kind: 'contour_pocket', contour: roundedRectContour(op) }];
      }
      return [{ kind: op.kind, x: op.x, y: op.y, width: op.width, length: op.length }];
    }
    case 'profile':
      return [{ kind: op.kind, contour: op.contour, side: op.side }];
    case 'contour_pocket':
      return [{ kind: op.kind, contour: op.contour }];
    case 'drill':
      return [
        op.peck === null
          ? { kind: 'drill_pattern', points: op.points }
          : { kind: 'drill_pattern', points: op.points, peck: op.peck },
      ];
  }
}

/** The toolpath operations of a normalized job, in job order (rosette → one ring_channel per ring, …). */
export function jobOperations(job: NormalizedJob): Operation[] {
  return job.operations.flatMap((op) => toolpathOps(op, job.tool.diameter / 2));
}
