/** Pre-CAM geometry facts of normalized operations (bounding boxes, features, walls). */
import type { FeasibilityBbox } from '../feasibility/types.js';
import type { JobStock, NormalizedOperation, Point2 } from '@clearance/protocol/portable';

/** Absolute area of a closed polygon (shoelace); 0 for collinear points. */
export function polygonArea(points: readonly Point2[]): number {
  let twice = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length] ?? p;
    twice += p.x * q.y - q.x * p.y;
  });
  return Math.abs(twice) / 2;
}

function boxOf(points: readonly Point2[], pad: number): FeasibilityBbox {
  let [xMin, yMin, xMax, yMax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    xMin = Math.min(xMin, p.x);
    yMin = Math.min(yMin, p.y);
    xMax = Math.max(xMax, p.x);
    yMax = Math.max(yMax, p.y);
  }
  return { x_min: xMin - pad, y_min: yMin - pad, x_max: xMax + pad, y_max: yMax + pad };
}

/**
 * Bounding box of the material an operation touches. Drill holes are padded by the tool radius
 * (a hole is as wide as the drill); contours are the geometry itself, before tool offset.
 */
export function operationBbox(op: NormalizedOperation, toolDiameter: number): FeasibilityBbox {
  switch (op.kind) {
    case 'rosette': {
      const r = Math.max(...op.rings.map((ring) => ring.outer_radius));
      return { x_min: op.cx - r, y_min: op.cy - r, x_max: op.cx + r, y_max: op.cy + r };
    }
    case 'circular_pocket':
      return boxOf([{ x: op.cx, y: op.cy }], op.radius);
    case 'rect_pocket':
      return { x_min: op.x, y_min: op.y, x_max: op.x + op.width, y_max: op.y + op.length };
    case 'profile':
    case 'contour_pocket':
      return boxOf(op.contour, 0);
    case 'drill':
      return boxOf(op.points, toolDiameter / 2);
  }
}

/** Union of boxes (non-empty list). */
export function unionBbox(boxes: readonly FeasibilityBbox[]): FeasibilityBbox {
  return {
    x_min: Math.min(...boxes.map((b) => b.x_min)),
    y_min: Math.min(...boxes.map((b) => b.y_min)),
    x_max: Math.max(...boxes.map((b) => b.x_max)),
    y_max: Math.max(...boxes.map((b) => b.y_max)),
  };
}

/**
 * Smallest feature the tool must fit into: ring width, pocket diameter, the smaller side of a
 * rectangle or of a contour's box. Drill holes are not features (the hole is the tool). Null when
 * no operation has one.
 */
export function smallestFeature(ops: readonly NormalizedOperation[]): number | null {
  const sizes = ops.flatMap((op): number[] => {
    switch (op.kind) {
      case 'rosette':
        return op.rings.map((r) => r.outer_radius - r.inner_radius);
      case 'circular_pocket':
        return [2 * op.radius];
      case 'rect_pocket':
        return [Math.min(op.width, op.length)];
      case 'profile':
      case 'contour_pocket': {
        const b = boxOf(op.contour, 0);
        return [Math.min(b.x_max - b.x_min, b.y_max - b.y_min)];
      }
      case 'drill':
        return [];
    }
  });
  return sizes.length === 0 ? null : Math.min(...sizes);
}

/**
 * Thinnest wall of material left standing: the land between adjacent rings of a rosette, and,
 * when the stock is known, the distance from each operation's box to the stock edge (negative
 * when the cut leaves the stock, which makes F028 fail closed). Null when no wall is defined.
 */
export function thinnestWall(
  ops: readonly NormalizedOperation[],
  stock: JobStock | null,
  toolDiameter: number,
): number | null {
  const walls: number[] = [];
  for (const op of ops) {
    if (op.kind === 'rosette') {
      const rings = [...op.rings].sort((a, b) => a.inner_radius - b.inner_radius);
      rings.slice(1).forEach((ring, i) => {
        const prev = rings[i];
        if (prev !== undefined) walls.push(ring.inner_radius - prev.outer_radius);
      });
    }
    if (stock !== null) {
      const b = operationBbox(op, toolDiameter);
      walls.push(
        b.x_min - stock.x,
        b.y_min - stock.y,
        stock.x + stock.width - b.x_max,
        stock.y + stock.length - b.y_max,
      );
    }
  }
  return walls.length === 0 ? null : Math.min(...walls);
}
