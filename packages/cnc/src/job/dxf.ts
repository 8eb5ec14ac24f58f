/**
 * DXF geometry → closed contours, via the maintained `dxf-parser` package.
 *
 * Accepted: closed LWPOLYLINE / POLYLINE with ≥ 3 vertices (closed flag, or last vertex equal to
 * the first), CIRCLE, and ARCs that chain end to end (either direction) into a closed loop.
 * Refused (VALIDATION_FAILED): open polylines, polylines enclosing no area, polylines with bulges
 * (arc segments are not approximated: the caller must flatten them), ARCs that do not close a
 * loop, more than `MAX_DXF_ARCS` arcs, 3D polylines/meshes, and a file with no usable loop. Other entity types (TEXT, LINE,
 * DIMENSION, ...) are ignored so annotation layers do not break a job; use `layer` to select.
 * Circles and arcs are flattened to chords with a sagitta ≤ `CHORD_TOLERANCE_MM`.
 */
import dxfParser from 'dxf-parser';
import type { IArcEntity, ICircleEntity, IEntity, IPoint } from 'dxf-parser';

import { polygonArea } from './geometry.js';
import { fail } from './reader.js';
import type { Point2 } from '@clearance/protocol/portable';

/** Maximum chord deviation (mm) when flattening circles and arcs. */
export const CHORD_TOLERANCE_MM = 0.01;
/** Endpoint distance (mm) under which two arc ends are considered joined. */
const JOIN_TOLERANCE_MM = 1e-6;
const MAX_SEGMENTS_PER_CIRCLE = 720;
/** Arc chaining is quadratic in the number of arcs: bound it. */
export const MAX_DXF_ARCS = 5000;

type DxfParserClass = typeof dxfParser.default;

/**
 * The parser class. `dxf-parser` is CommonJS: under Node ESM the default import is the class
 * itself, while its typings describe a namespace whose `default` is the class; accept both.
 */
function parserClass(): DxfParserClass {
  const mod: unknown = dxfParser;
  return typeof mod === 'function' ? (mod as DxfParserClass) : dxfParser.default;
}

interface Vertexish {
  readonly x: number;
  readonly y: number;
  readonly bulge?: number;
}

function finitePoint(p: Vertexish, at: string): Point2 {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) fail(at, 'DXF vertex is not finite');
  return { x: p.x, y: p.y };
}

/** Segments for a full circle of radius r (mm) so the sagitta stays within tolerance. */
function segmentsFor(radius: number): number {
  if (radius <= CHORD_TOLERANCE_MM) return 16;
  const n = Math.ceil(Math.PI / Math.acos(1 - CHORD_TOLERANCE_MM / radius));
  return Math.min(MAX_SEGMENTS_PER_CIRCLE, Math.max(16, n));
}

/** Points on an arc from `start` sweeping `sweep` radians (end point excluded). */
function arcPoints(c: IPoint, r: number, start: number, sweep: number, scale: number): Point2[] {
  const n = Math.max(1, Math.ceil((segmentsFor(r * scale) * Math.abs(sweep)) / (2 * Math.PI)));
  const points: Point2[] = [];
  for (let i = 0; i < n; i += 1) {
    const a = start + (sweep * i) / n;
    points.push({ x: (c.x + r * Math.cos(a)) * scale, y: (c.y + r * Math.sin(a)) * scale });
  }
  return points;
}

function polylineLoop(entity: IEntity, at: string, scale: number): Point2[] {
  const poly = entity as IEntity & {
    vertices?: Vertexish[];
    shape?: boolean;
    is3dPolyline?: boolean;
    is3dPolygonMesh?: boolean;
    isPolyfaceMesh?: boolean;
  };
  if (poly.is3dPolyline === true || poly.is3dPolygonMesh === true || poly.isPolyfaceMesh === true) {
    fail(at, 'DXF 3D polylines and meshes are not supported');
  }
  const vertices = poly.vertices ?? [];
  if (vertices.some((v) => v.bulge !== undefined && v.bulge !== 0)) {
    fail(at, 'DXF polyline bulges (arc segments) are not supported; flatten them first');
  }
  const points = vertices.map((v) => finitePoint(v, at));
  const first = points[0];
  const last = points[points.length - 1];
  // A polyline that repeats its first vertex at the end is closed even without the flag.
  const repeated =
    first !== undefined &&
    last !== undefined &&
    points.length > 1 &&
    first.x === last.x &&
    first.y === last.y;
  if (repeated) points.pop();
  if (poly.shape !== true && !repeated) fail(at, `DXF ${entity.type} is open`);
  if (points.length < 3) fail(at, `DXF ${entity.type} has fewer than 3 vertices`);
  if (polygonArea(points) === 0) fail(at, `DXF ${entity.type} encloses no area`);
  return points.map((p) => ({ x: p.x * scale, y: p.y * scale }));
}

function circleLoop(circle: ICircleEntity, at: string, scale: number): Point2[] {
  if (!(circle.radius > 0) || !Number.isFinite(circle.radius)) fail(at, 'DXF circle radius');
  finitePoint(circle.center, at);
  return arcPoints(circle.center, circle.radius, 0, 2 * Math.PI, scale);
}

interface ArcEnds {
  readonly arc: IArcEntity;
  readonly sweep: number;
  readonly start: Point2;
  readonly end: Point2;
}

function arcEnds(arc: IArcEntity, at: string): ArcEnds {
  if (!(arc.radius > 0) || !Number.isFinite(arc.radius)) fail(at, 'DXF arc radius');
  const c = finitePoint(arc.center, at);
  let sweep = arc.endAngle - arc.startAngle;
  if (!Number.isFinite(sweep)) fail(at, 'DXF arc angles');
  // DXF arcs run counter-clockwise from start to end angle.
  if (sweep <= 0) sweep += 2 * Math.PI;
  const at2 = (a: number): Point2 => ({
    x: c.x + arc.radius * Math.cos(a),
    y: c.y + arc.radius * Math.sin(a),
  });
  return { arc, sweep, start: at2(arc.startAngle), end: at2(arc.startAngle + sweep) };
}

function near(a: Point2, b: Point2, scale: number): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) * scale <= JOIN_TOLERANCE_MM;
}

/** Chains arcs into closed loops (each arc used once, possibly reversed); refuses leftovers. */
function arcLoops(arcs: readonly IArcEntity[], at: string, scale: number): Point2[][] {
  const pending = arcs.map((a) => arcEnds(a, at));
  const loops: Point2[][] = [];
  while (pending.length > 0) {
    const head = pending.shift();
    if (head === undefined) break;
    const loop = arcPoints(
      head.arc.center,
      head.arc.radius,
      head.arc.startAngle,
      head.sweep,
      scale,
    );
    const origin = head.start;
    let cursor = head.end;
    while (!near(cursor, origin, scale)) {
      const i = pending.findIndex(
        (e) => near(e.start, cursor, scale) || near(e.end, cursor, scale),
      );
      const next = pending[i];
      if (next === undefined) fail(at, 'DXF arcs do not close a loop');
      pending.splice(i, 1);
      const forward = near(next.start, cursor, scale);
      const start = forward ? next.arc.startAngle : next.arc.startAngle + next.sweep;
      const sweep = forward ? next.sweep : -next.sweep;
      loop.push(...arcPoints(next.arc.center, next.arc.radius, start, sweep, scale));
      cursor = forward ? next.end : next.start;
    }
    loops.push(loop);
  }
  return loops;
}

/**
 * Closed loops of `text` (ASCII DXF), scaled by `scale` (25.4 for inch jobs) into mm, in file
 * order (arc loops last). `layer` selects one layer; absent = every layer. Refuses as soon as the
 * loops hold more than `maxPoints` points, so a small file of many circles cannot exhaust memory.
 *
 * @throws ClearanceError VALIDATION_FAILED at pointer `at` when the file cannot be used.
 */
export function resolveDxf(
  text: string,
  layer: string | undefined,
  scale: number,
  at: string,
  maxPoints: number,
): Point2[][] {
  let entities: IEntity[];
  try {
    entities = new (parserClass())().parseSync(text)?.entities ?? [];
  } catch {
    fail(at, 'DXF text could not be parsed');
  }
  const loops: Point2[][] = [];
  const arcs: IArcEntity[] = [];
  let used = 0;
  const keep = (loop: Point2[]): void => {
    used += loop.length;
    if (used > maxPoints) fail(at, `DXF loops exceed ${maxPoints} points`);
    loops.push(loop);
  };
  for (const entity of entities) {
    if (layer !== undefined && entity.layer !== layer) continue;
    if (entity.type === 'LWPOLYLINE' || entity.type === 'POLYLINE') {
      keep(polylineLoop(entity, at, scale));
    } else if (entity.type === 'CIRCLE') {
      keep(circleLoop(entity as ICircleEntity, at, scale));
    } else if (entity.type === 'ARC') {
      arcs.push(entity as IArcEntity);
      if (arcs.length > MAX_DXF_ARCS) fail(at, `more than ${MAX_DXF_ARCS} DXF arcs`);
    }
  }
  arcLoops(arcs, at, scale).forEach(keep);
  if (loops.length === 0) fail(at, 'DXF contains no closed loop on the selected layer');
  return loops;
}
