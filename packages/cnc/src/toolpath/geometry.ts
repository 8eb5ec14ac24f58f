import type { Move } from '../gcode/index.js';

/** A tool position; axes are undefined until first set. */
export interface Position {
  readonly x: number | undefined;
  readonly y: number | undefined;
  readonly z: number | undefined;
}

/** One move with its resolved start and end positions. */
export interface Segment {
  readonly move: Move;
  readonly from: Position;
  readonly to: Position;
}

/** The moves with absolute start/end positions (modal axes carried forward). */
export function segments(moves: readonly Move[]): Segment[] {
  let pos: Position = { x: undefined, y: undefined, z: undefined };
  return moves.map((move) => {
    const to = { x: move.x ?? pos.x, y: move.y ?? pos.y, z: move.z ?? pos.z };
    const seg = { move, from: pos, to };
    pos = to;
    return seg;
  });
}

/** Centre, radius and signed sweep (radians, positive = CCW) of an arc segment. */
export function arcGeometry(s: Segment): { cx: number; cy: number; r: number; sweep: number } {
  const [x0, y0] = [s.from.x ?? 0, s.from.y ?? 0];
  const [x1, y1] = [s.to.x ?? 0, s.to.y ?? 0];
  const cx = x0 + (s.move.i ?? 0);
  const cy = y0 + (s.move.j ?? 0);
  const r = Math.hypot(x0 - cx, y0 - cy);
  const a0 = Math.atan2(y0 - cy, x0 - cx);
  let sweep = Math.atan2(y1 - cy, x1 - cx) - a0;
  if (s.move.kind === 'arc_ccw' && sweep <= 1e-12) sweep += 2 * Math.PI;
  if (s.move.kind === 'arc_cw' && sweep >= -1e-12) sweep -= 2 * Math.PI;
  return { cx, cy, r, sweep };
}

/** Whether an XY plunge: a linear move that only changes Z, downwards. */
export function isPlunge(s: Segment): boolean {
  const { from, to } = s;
  return (
    s.move.kind === 'linear' &&
    from.x === to.x &&
    from.y === to.y &&
    from.z !== undefined &&
    to.z !== undefined &&
    to.z < from.z
  );
}
