/**
 * The drawing of a job's geometry (pre-CAM: what is cut, not the toolpath) inside its machine's
 * envelope. Pure: shapes in SVG coordinates (millimetres, Y flipped so +Y points up on screen).
 */
import type { AnyJob, JobOperation, Point2 } from '@clearance/client';

/** XY travel of a machine, in millimetres (copied from packages/cnc/src/gcode/machines.ts). */
export interface Envelope {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}

/** Envelopes of the built-in machines (the console may not import @clearance/cnc). */
export const MACHINE_ENVELOPES: Readonly<Record<string, Envelope>> = Object.freeze({
  'grbl-desktop': { x: [0, 400], y: [0, 400] },
  'linuxcnc-router': { x: [0, 1200], y: [0, 600] },
  'fanuc-mill': { x: [-300, 300], y: [-200, 200] },
});

/** Machine ids, in the server's order. */
export const MACHINE_IDS: readonly string[] = Object.keys(MACHINE_ENVELOPES);

const MM_PER_INCH = 25.4;

/** One drawn shape (SVG coordinates). */
export type Shape =
  | {
      readonly kind: 'circle';
      readonly role: 'cut' | 'hole';
      readonly cx: number;
      readonly cy: number;
      readonly r: number;
    }
  | {
      readonly kind: 'rect';
      readonly role: 'cut' | 'stock' | 'envelope';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly rx: number;
    }
  | { readonly kind: 'polygon'; readonly role: 'cut'; readonly points: string };

/** A drawing: viewBox, stroke width and shapes (envelope first). */
export interface Drawing {
  readonly viewBox: string;
  readonly stroke: number;
  readonly shapes: readonly Shape[];
  /** Operations that cannot be drawn before the server resolves them (DXF). */
  readonly undrawn: number;
  readonly envelopeKnown: boolean;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function grow(b: Box, x: number, y: number): void {
  b.x0 = Math.min(b.x0, x);
  b.y0 = Math.min(b.y0, y);
  b.x1 = Math.max(b.x1, x);
  b.y1 = Math.max(b.y1, y);
}

function rect(
  role: 'cut' | 'stock' | 'envelope',
  x: number,
  y: number,
  w: number,
  h: number,
  rx = 0,
): Shape {
  return { kind: 'rect', role, x, y: -(y + h), width: w, height: h, rx };
}

function polygon(points: readonly Point2[], s: number): Shape {
  const text = points.map((p) => `${fmt(p.x * s)},${fmt(-p.y * s)}`).join(' ');
  return { kind: 'polygon', role: 'cut', points: text };
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

function shapesOf(op: JobOperation, s: number, toolRadius: number): Shape[] {
  switch (op.kind) {
    case 'rosette':
      return op.rings.flatMap((ring) => [
        { kind: 'circle', role: 'cut', cx: op.cx * s, cy: -op.cy * s, r: ring.inner_radius * s },
        { kind: 'circle', role: 'cut', cx: op.cx * s, cy: -op.cy * s, r: ring.outer_radius * s },
      ]);
    case 'circular_pocket':
      return [{ kind: 'circle', role: 'cut', cx: op.cx * s, cy: -op.cy * s, r: op.radius * s }];
    case 'rect_pocket':
      return [
        rect('cut', op.x * s, op.y * s, op.width * s, op.length * s, (op.corner_radius ?? 0) * s),
      ];
    case 'profile':
    case 'contour_pocket':
      return op.contour.length >= 2 ? [polygon(op.contour, s)] : [];
    case 'drill':
      return op.points.map((p) => ({
        kind: 'circle',
        role: 'hole',
        cx: p.x * s,
        cy: -p.y * s,
        r: toolRadius,
      }));
    case 'dxf':
      return [];
  }
}

function extend(b: Box, shape: Shape): void {
  if (shape.kind === 'circle') {
    grow(b, shape.cx - shape.r, shape.cy - shape.r);
    grow(b, shape.cx + shape.r, shape.cy + shape.r);
  } else if (shape.kind === 'rect') {
    grow(b, shape.x, shape.y);
    grow(b, shape.x + shape.width, shape.y + shape.height);
  } else {
    for (const pair of shape.points.split(' ')) {
      const [x, y] = pair.split(',').map(Number);
      if (x !== undefined && y !== undefined) grow(b, x, y);
    }
  }
}

/** The drawing of `job` (lengths converted to millimetres) in its machine's envelope. */
export function jobDrawing(job: AnyJob): Drawing {
  const s = job.units === 'inch' ? MM_PER_INCH : 1;
  const envelope = MACHINE_ENVELOPES[job.machine];
  const shapes: Shape[] = [];
  if (envelope !== undefined) {
    const [x0, x1] = envelope.x;
    const [y0, y1] = envelope.y;
    shapes.push(rect('envelope', x0, y0, x1 - x0, y1 - y0));
  }
  if (job.stock !== undefined && job.stock !== null) {
    const st = job.stock;
    shapes.push(rect('stock', st.x * s, st.y * s, st.width * s, st.length * s));
  }
  const toolRadius = Math.max((job.tool.diameter * s) / 2, 0.5);
  let undrawn = 0;
  for (const op of job.operations) {
    if (op.kind === 'dxf') undrawn += 1;
    shapes.push(...shapesOf(op, s, toolRadius));
  }
  const box: Box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const shape of shapes) extend(box, shape);
  if (!Number.isFinite(box.x0)) Object.assign(box, { x0: 0, y0: -100, x1: 100, y1: 0 });
  const size = Math.max(box.x1 - box.x0, box.y1 - box.y0, 1);
  const margin = size * 0.04;
  const viewBox = [
    box.x0 - margin,
    box.y0 - margin,
    box.x1 - box.x0 + 2 * margin,
    box.y1 - box.y0 + 2 * margin,
  ]
    .map(fmt)
    .join(' ');
  return { viewBox, stroke: size / 300, shapes, undrawn, envelopeKnown: envelope !== undefined };
}
