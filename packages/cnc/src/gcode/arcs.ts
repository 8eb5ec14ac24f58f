/** Largest allowed difference between start and end radius of an arc, mm. */
export const ARC_TOLERANCE = 0.005;

/** A point in the XY plane. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Why an arc is inconsistent, or undefined when its end lies on its circle. */
export function arcProblem(start: Point, end: Point, centre: Point): string | undefined {
  const r0 = Math.hypot(start.x - centre.x, start.y - centre.y);
  const r1 = Math.hypot(end.x - centre.x, end.y - centre.y);
  if (!(r0 > ARC_TOLERANCE)) return 'arc has zero radius';
  const diff = Math.abs(r0 - r1);
  if (diff > ARC_TOLERANCE) {
    return `arc end is ${diff.toFixed(4)} mm off its circle (r start ${r0.toFixed(4)})`;
  }
  return undefined;
}

const TWO_PI = 2 * Math.PI;

function normalise(angle: number): number {
  const a = angle % TWO_PI;
  return a < 0 ? a + TWO_PI : a;
}

/** Swept angle in (0, 2π] radians; start equal to end is a full circle, as on GRBL. */
export function arcSweep(start: Point, end: Point, centre: Point, clockwise: boolean): number {
  const a0 = Math.atan2(start.y - centre.y, start.x - centre.x);
  const a1 = Math.atan2(end.y - centre.y, end.x - centre.x);
  const sweep = normalise((clockwise ? -1 : 1) * (a1 - a0));
  return sweep < 1e-12 ? TWO_PI : sweep;
}

/**
 * Points where the arc crosses the circle's axis-aligned extremes (0°, 90°, 180°, 270°): with
 * the end points they bound the swept arc.
 */
export function arcExtremes(start: Point, end: Point, centre: Point, clockwise: boolean): Point[] {
  const r = Math.hypot(start.x - centre.x, start.y - centre.y);
  const a0 = Math.atan2(start.y - centre.y, start.x - centre.x);
  const dir = clockwise ? -1 : 1;
  const sweep = arcSweep(start, end, centre, clockwise);
  const out: Point[] = [];
  for (let k = 0; k < 4; k += 1) {
    const theta = (k * Math.PI) / 2;
    if (normalise(dir * (theta - a0)) <= sweep) {
      out.push({ x: centre.x + r * Math.cos(theta), y: centre.y + r * Math.sin(theta) });
    }
  }
  return out;
}
